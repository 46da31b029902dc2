import { CoseAlg, type HashAlgorithm } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';

/** KMS key specs mdlkit signs with. */
export type KmsSigningKeySpec = 'ECC_NIST_P256' | 'ECC_NIST_P384' | 'ECC_NIST_P521' | 'ECC_NIST_EDWARDS25519';

/** How one KMS key spec signs for COSE. */
export interface KmsKeySpecProfile {
  /** The COSE algorithm the signatures are for. */
  readonly alg: CoseAlg;
  /** The KMS `SigningAlgorithm`. */
  readonly signingAlgorithm: 'ECDSA_SHA_256' | 'ECDSA_SHA_384' | 'ECDSA_SHA_512' | 'ED25519_SHA_512';
  /** The KMS `MessageType` mdlkit sends. */
  readonly messageType: 'DIGEST' | 'RAW';
  /** ECDSA: the hash the digest is made with; EdDSA: none (PureEdDSA signs the message). */
  readonly hash: HashAlgorithm | undefined;
  /** ECDSA: bytes per coordinate in `r‖s` (32 / 48 / 66); EdDSA: 0. */
  readonly coordinateBytes: number;
  /** The WebCrypto `namedCurve` / algorithm name for the public key. */
  readonly webCryptoCurve: 'P-256' | 'P-384' | 'P-521' | 'Ed25519';
}

/**
 * Key spec → COSE algorithm mapping (RFC 9053 §2.1: ES256 = ECDSA w/ SHA-256 on P-256, ES384 on
 * P-384, ES512 on P-521; §2.2 EdDSA). ECDSA keys sign in `DIGEST` mode so the Sig_structure can be
 * any size; Ed25519 only in `RAW` mode with `ED25519_SHA_512` (PureEdDSA, ≤ 4096 bytes) — KMS's
 * `ED25519_PH_SHA_512` is Ed25519ph, which COSE `EdDSA` verifiers reject.
 *
 * @example
 * ```ts
 * KMS_KEY_SPECS.ECC_NIST_P384.alg; // -35 (ES384)
 * ```
 */
export const KMS_KEY_SPECS: Readonly<Record<KmsSigningKeySpec, KmsKeySpecProfile>> = Object.freeze({
  ECC_NIST_P256: {
    alg: CoseAlg.ES256,
    signingAlgorithm: 'ECDSA_SHA_256',
    messageType: 'DIGEST',
    hash: 'SHA-256',
    coordinateBytes: 32,
    webCryptoCurve: 'P-256',
  },
  ECC_NIST_P384: {
    alg: CoseAlg.ES384,
    signingAlgorithm: 'ECDSA_SHA_384',
    messageType: 'DIGEST',
    hash: 'SHA-384',
    coordinateBytes: 48,
    webCryptoCurve: 'P-384',
  },
  ECC_NIST_P521: {
    alg: CoseAlg.ES512,
    signingAlgorithm: 'ECDSA_SHA_512',
    messageType: 'DIGEST',
    hash: 'SHA-512',
    coordinateBytes: 66,
    webCryptoCurve: 'P-521',
  },
  ECC_NIST_EDWARDS25519: {
    alg: CoseAlg.EdDSA,
    signingAlgorithm: 'ED25519_SHA_512',
    messageType: 'RAW',
    hash: undefined,
    coordinateBytes: 0,
    webCryptoCurve: 'Ed25519',
  },
});

/** Largest `RAW` message KMS signs (bytes). */
export const KMS_MAX_RAW_MESSAGE_BYTES = 4096;

/**
 * Narrows a KMS `KeySpec` string to one mdlkit signs with.
 *
 * @throws {@link MdlError} `ERR_SIGNER_KEY_USAGE` for any other key spec (RSA, secp256k1, HMAC,
 *   ML-DSA, symmetric).
 * @example
 * ```ts
 * const spec = toSigningKeySpec('ECC_NIST_P256', 'alias/ds'); // 'ECC_NIST_P256'
 * ```
 */
export function toSigningKeySpec(keySpec: string | undefined, keyId: string): KmsSigningKeySpec {
  if (keySpec !== undefined && Object.hasOwn(KMS_KEY_SPECS, keySpec)) return keySpec as KmsSigningKeySpec;
  throw new MdlError(
    'ERR_SIGNER_KEY_USAGE',
    `KMS key ${keyId} has key spec ${keySpec ?? '(none)'}; mdlkit signs with ECC_NIST_P256, ECC_NIST_P384, ` +
      'ECC_NIST_P521 or ECC_NIST_EDWARDS25519 keys (ISO/IEC 18013-5 cipher suites).',
    { details: { keyId, keySpec } },
  );
}
