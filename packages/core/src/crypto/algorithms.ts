import { MdlError } from '../errors/mdl-error.js';
import { type Curve, curveInfo } from './curves.js';
import type { PublicKey } from './keys.js';
import type { CoseAlg, HashAlgorithm } from './ports.js';

/**
 * The hash a COSE signature algorithm uses: ES256 → SHA-256, ES384 → SHA-384, ES512 → SHA-512
 * (RFC 9053 §2.1), independent of the curve (ES384 is used with brainpoolP320r1, ISO/IEC 18013-5
 * §9.1.5.2). This is what a digest signer (KMS `MessageType: DIGEST`) must be given.
 *
 * @example
 * ```ts
 * hashForAlg(CoseAlg.ES384); // 'SHA-384'
 * ```
 * @throws {@link MdlError} `ERR_CRYPTO_DIGEST_SIGNING_UNSUPPORTED` for EdDSA (PureEdDSA has no
 * separable hash), `ERR_COSE_ALG_UNSUPPORTED` for an unknown alg.
 */
export function hashForAlg(alg: CoseAlg): HashAlgorithm {
  switch (alg) {
    case -7:
      return 'SHA-256';
    case -35:
      return 'SHA-384';
    case -36:
      return 'SHA-512';
    case -8:
      throw new MdlError('ERR_CRYPTO_DIGEST_SIGNING_UNSUPPORTED', 'EdDSA signs the message, not a digest');
    default:
      throw new MdlError('ERR_COSE_ALG_UNSUPPORTED', 'unsupported COSE signature algorithm', {
        details: { alg: Number(alg) },
      });
  }
}

/**
 * Output length in bytes of a hash algorithm.
 *
 * @example
 * ```ts
 * hashLength('SHA-384'); // 48
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for an unknown name.
 */
export function hashLength(hash: HashAlgorithm): number {
  switch (hash) {
    case 'SHA-256':
      return 32;
    case 'SHA-384':
      return 48;
    case 'SHA-512':
      return 64;
    default:
      throw new MdlError('ERR_INVALID_ARGUMENT', 'unsupported hash algorithm', {
        details: { hash: String(hash) },
      });
  }
}

/**
 * Whether `alg` is a supported COSE signature algorithm identifier.
 *
 * @example
 * ```ts
 * isCoseAlg(-7); // true
 * ```
 */
export function isCoseAlg(alg: unknown): alg is CoseAlg {
  return alg === -7 || alg === -35 || alg === -36 || alg === -8;
}

/**
 * Check that a key can be used with a COSE algorithm: ECDSA algs need an EC2 key (any supported
 * Weierstrass curve — the alg fixes the hash, the key the curve), EdDSA needs Ed25519 or Ed448.
 * Policy on which alg/curve pairs a profile allows (18013-5 §9.1.5.2) is the verifier's.
 *
 * @example
 * ```ts
 * assertAlgMatchesKey(CoseAlg.ES256, key);
 * ```
 * @throws {@link MdlError} `ERR_COSE_ALG_KEY_MISMATCH`, `ERR_COSE_ALG_UNSUPPORTED`.
 */
export function assertAlgMatchesKey(alg: CoseAlg, key: { readonly curve: PublicKey['curve'] }): void {
  if (!isCoseAlg(alg)) {
    throw new MdlError('ERR_COSE_ALG_UNSUPPORTED', 'unsupported COSE signature algorithm', {
      details: { alg: Number(alg) },
    });
  }
  const use = curveInfo(key.curve).use;
  const ok = alg === -8 ? use === 'eddsa' : use === 'ecdsa-ecdh';
  if (!ok) {
    throw new MdlError('ERR_COSE_ALG_KEY_MISMATCH', 'key cannot be used with this algorithm', {
      details: { alg, curve: key.curve },
    });
  }
}

/**
 * The algorithm / curve pairs of ISO/IEC 18013-5 §9.1.5.2 (cipher suite 1): ES256 with P-256 or
 * brainpoolP256r1, ES384 with P-384, brainpoolP320r1 or brainpoolP384r1, ES512 with P-521 or
 * brainpoolP512r1, EdDSA with Ed25519 or Ed448. COSE itself is looser (RFC 9053 only says "SHOULD"
 * use the curve of the hash's size), which is how alg confusion slips through other verifiers; the
 * issuer signs and the reader verifies IssuerAuth and DeviceSignature only within these pairs.
 *
 * @example
 * ```ts
 * ISO_ALG_CURVES[CoseAlg.ES384]; // ['P-384', 'brainpoolP320r1', 'brainpoolP384r1']
 * ```
 */
export const ISO_ALG_CURVES: Readonly<Record<CoseAlg, readonly Curve[]>> = Object.freeze({
  [-7]: Object.freeze(['P-256', 'brainpoolP256r1'] as const),
  [-35]: Object.freeze(['P-384', 'brainpoolP320r1', 'brainpoolP384r1'] as const),
  [-36]: Object.freeze(['P-521', 'brainpoolP512r1'] as const),
  [-8]: Object.freeze(['Ed25519', 'Ed448'] as const),
});

/**
 * Check that `alg` is paired with the key's curve in 18013-5 cipher suite 1 ({@link ISO_ALG_CURVES}),
 * the profile rule on top of {@link assertAlgMatchesKey} (which allows any ECDSA alg on any
 * Weierstrass curve).
 *
 * @example
 * ```ts
 * assertIsoAlgCurvePair(CoseAlg.ES256, dsPublicKey); // throws for a P-384 key
 * ```
 * @throws {@link MdlError} `ERR_COSE_ALG_KEY_MISMATCH` when `alg` is not paired with the key's curve
 * (an unknown `alg` included).
 */
export function assertIsoAlgCurvePair(alg: CoseAlg, key: { readonly curve: PublicKey['curve'] }): void {
  const curves = (ISO_ALG_CURVES as Partial<Record<number, readonly Curve[]>>)[alg];
  if (curves === undefined || !curves.includes(key.curve)) {
    throw new MdlError(
      'ERR_COSE_ALG_KEY_MISMATCH',
      'the algorithm is not paired with this curve in 18013-5',
      {
        details: { alg, curve: key.curve },
      },
    );
  }
}

/** @internal expected signature length for a key (ECDSA r‖s or EdDSA). */
export function signatureLength(key: { readonly curve: PublicKey['curve'] }): number {
  const info = curveInfo(key.curve);
  if (info.curve === 'Ed25519') return 64;
  if (info.curve === 'Ed448') return 114;
  return 2 * info.size;
}

/**
 * Constant-time comparison of two byte strings (length leaks, content does not). Use it for MAC tags.
 *
 * @example
 * ```ts
 * constantTimeEqual(expectedTag, receivedTag);
 * ```
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
