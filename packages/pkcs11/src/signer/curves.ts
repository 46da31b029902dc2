import { CoseAlg, type HashAlgorithm } from '@mdlkit/core/crypto';
import { CK } from '../internal/constants.js';

/** The curves a PKCS#11 DS key can be on (ISO/IEC 18013-5 §9.1.2.4 cipher suites mdlkit signs with). */
export type Pkcs11Curve = 'P-256' | 'P-384' | 'P-521' | 'Ed25519';

/** How one curve signs for COSE through PKCS#11. */
export interface Pkcs11CurveProfile {
  /** The COSE algorithm (RFC 9053: ES256 / ES384 / ES512 / EdDSA). */
  readonly alg: CoseAlg;
  /** ECDSA: the hash the issuer digests the Sig_structure with; EdDSA: none (PureEdDSA). */
  readonly hash: HashAlgorithm | undefined;
  /** ECDSA: bytes per coordinate in `r‖s`; Ed25519: 32 (half the signature). */
  readonly coordinateBytes: number;
  /** The signing mechanism (`CKM_ECDSA` over the digest, `CKM_EDDSA` over the message). */
  readonly mechanism: number;
  /** The key-pair generation mechanism. */
  readonly generateMechanism: number;
  /** `CKK_EC` or `CKK_EC_EDWARDS`. */
  readonly keyType: number;
  /** DER of the curve's OBJECT IDENTIFIER (the `CKA_EC_PARAMS` value mdlkit writes). */
  readonly oid: Uint8Array;
}

const hex = (text: string): Uint8Array =>
  Uint8Array.from(text.match(/../g)!.map((b) => Number.parseInt(b, 16)));

/**
 * Curve → PKCS#11 mechanisms and COSE algorithm. Curve OIDs: secp256r1 1.2.840.10045.3.1.7,
 * secp384r1 1.3.132.0.34, secp521r1 1.3.132.0.35 (RFC 5480 §2.1.1.1), id-Ed25519 1.3.101.112
 * (RFC 8410 §3).
 */
export const PKCS11_CURVES: Readonly<Record<Pkcs11Curve, Pkcs11CurveProfile>> = Object.freeze({
  'P-256': {
    alg: CoseAlg.ES256,
    hash: 'SHA-256',
    coordinateBytes: 32,
    mechanism: CK.CKM_ECDSA,
    generateMechanism: CK.CKM_EC_KEY_PAIR_GEN,
    keyType: CK.CKK_EC,
    oid: hex('06082a8648ce3d030107'),
  },
  'P-384': {
    alg: CoseAlg.ES384,
    hash: 'SHA-384',
    coordinateBytes: 48,
    mechanism: CK.CKM_ECDSA,
    generateMechanism: CK.CKM_EC_KEY_PAIR_GEN,
    keyType: CK.CKK_EC,
    oid: hex('06052b81040022'),
  },
  'P-521': {
    alg: CoseAlg.ES512,
    hash: 'SHA-512',
    coordinateBytes: 66,
    mechanism: CK.CKM_ECDSA,
    generateMechanism: CK.CKM_EC_KEY_PAIR_GEN,
    keyType: CK.CKK_EC,
    oid: hex('06052b81040023'),
  },
  Ed25519: {
    alg: CoseAlg.EdDSA,
    hash: undefined,
    coordinateBytes: 32,
    mechanism: CK.CKM_EDDSA,
    generateMechanism: CK.CKM_EC_EDWARDS_KEY_PAIR_GEN,
    keyType: CK.CKK_EC_EDWARDS,
    oid: hex('06032b6570'),
  },
});

/** DER PrintableString "edwards25519", the other `CKA_EC_PARAMS` form PKCS#11 v3.0 §2.3.6 allows. */
const EDWARDS25519_NAME = hex('130c656477617264733235353139');

const bytesEqual = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((byte, i) => byte === b[i]);

/** @internal The curve a `CKA_EC_PARAMS` value names, if mdlkit signs with it. */
export function curveFromEcParams(params: Uint8Array): Pkcs11Curve | undefined {
  for (const [curve, profile] of Object.entries(PKCS11_CURVES) as [Pkcs11Curve, Pkcs11CurveProfile][]) {
    if (bytesEqual(params, profile.oid)) return curve;
  }
  if (bytesEqual(params, EDWARDS25519_NAME)) return 'Ed25519';
  return undefined;
}
