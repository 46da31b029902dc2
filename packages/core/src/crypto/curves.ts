import { MdlError } from '../errors/mdl-error.js';

/**
 * The curves of ISO/IEC 18013-5 cipher suite 1 and what mdlkit needs to know about each.
 *
 * ISO/IEC 18013-5 §9.1.5.2 / Table 22 (cipher suite 1): P-256, P-384, P-521, brainpoolP256r1,
 * brainpoolP320r1, brainpoolP384r1, brainpoolP512r1 (ECDSA and ECDH), Ed25519 / Ed448 (EdDSA),
 * X25519 / X448 (ECDH). COSE identifiers from the IANA "COSE Elliptic Curves" registry.
 */

/** Curve names (JOSE / WebCrypto spelling for the NIST and OKP curves, RFC 5639 for brainpool). */
export const Curve = {
  P256: 'P-256',
  P384: 'P-384',
  P521: 'P-521',
  BrainpoolP256r1: 'brainpoolP256r1',
  BrainpoolP320r1: 'brainpoolP320r1',
  BrainpoolP384r1: 'brainpoolP384r1',
  BrainpoolP512r1: 'brainpoolP512r1',
  Ed25519: 'Ed25519',
  Ed448: 'Ed448',
  X25519: 'X25519',
  X448: 'X448',
} as const;
/** A curve mdlkit supports. */
export type Curve = (typeof Curve)[keyof typeof Curve];

/** Key type: short-Weierstrass curves are COSE `EC2` (kty 2), Edwards / Montgomery curves `OKP` (kty 1). */
export type KeyType = 'EC2' | 'OKP';

/** Static facts about one curve. */
export interface CurveInfo {
  readonly curve: Curve;
  readonly kty: KeyType;
  /** COSE `crv` value (IANA COSE Elliptic Curves registry). */
  readonly coseCrv: number;
  /**
   * Byte length of one coordinate / of the raw key: 32 (P-256), 48 (P-384), 66 (P-521), 40 (bp320),
   * 64 (bp512), 32 (Ed25519, X25519), 57 (Ed448), 56 (X448).
   */
  readonly size: number;
  /** Byte length of the private scalar / seed. */
  readonly privateSize: number;
  /** What the key can do. */
  readonly use: 'ecdsa-ecdh' | 'eddsa' | 'ecdh';
  /** SPKI algorithm OID (id-ecPublicKey for EC2, the curve OID for OKP). */
  readonly spkiAlgOid: string;
  /** SPKI named-curve OID (EC2 only). */
  readonly namedCurveOid: string | undefined;
}

const ID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';

const ec2 = (curve: Curve, coseCrv: number, size: number, oid: string): CurveInfo => ({
  curve,
  kty: 'EC2',
  coseCrv,
  size,
  privateSize: size,
  use: 'ecdsa-ecdh',
  spkiAlgOid: ID_EC_PUBLIC_KEY,
  namedCurveOid: oid,
});
const okp = (curve: Curve, coseCrv: number, size: number, use: 'eddsa' | 'ecdh', oid: string): CurveInfo => ({
  curve,
  kty: 'OKP',
  coseCrv,
  size,
  privateSize: size,
  use,
  spkiAlgOid: oid,
  namedCurveOid: undefined,
});

const CURVE_INFO: Readonly<Record<Curve, CurveInfo>> = {
  'P-256': ec2('P-256', 1, 32, '1.2.840.10045.3.1.7'),
  'P-384': ec2('P-384', 2, 48, '1.3.132.0.34'),
  'P-521': ec2('P-521', 3, 66, '1.3.132.0.35'),
  brainpoolP256r1: ec2('brainpoolP256r1', 256, 32, '1.3.36.3.3.2.8.1.1.7'),
  brainpoolP320r1: ec2('brainpoolP320r1', 257, 40, '1.3.36.3.3.2.8.1.1.9'),
  brainpoolP384r1: ec2('brainpoolP384r1', 258, 48, '1.3.36.3.3.2.8.1.1.11'),
  brainpoolP512r1: ec2('brainpoolP512r1', 259, 64, '1.3.36.3.3.2.8.1.1.13'),
  X25519: okp('X25519', 4, 32, 'ecdh', '1.3.101.110'),
  X448: okp('X448', 5, 56, 'ecdh', '1.3.101.111'),
  Ed25519: okp('Ed25519', 6, 32, 'eddsa', '1.3.101.112'),
  Ed448: okp('Ed448', 7, 57, 'eddsa', '1.3.101.113'),
};

const ALL_CURVES: readonly CurveInfo[] = Object.values(CURVE_INFO);

/**
 * Facts about a curve.
 *
 * @example
 * ```ts
 * curveInfo('P-521').size; // 66
 * ```
 * @throws {@link MdlError} `ERR_CRYPTO_UNSUPPORTED_CURVE` for an unknown name.
 */
export function curveInfo(curve: Curve): CurveInfo {
  const info = (CURVE_INFO as Partial<Record<string, CurveInfo>>)[curve];
  if (info === undefined) {
    throw new MdlError('ERR_CRYPTO_UNSUPPORTED_CURVE', 'unsupported curve', {
      details: { curve: String(curve) },
    });
  }
  return info;
}

/**
 * Whether a string names a supported curve.
 *
 * @example
 * ```ts
 * isCurve('P-256'); // true
 * ```
 */
export function isCurve(name: unknown): name is Curve {
  return typeof name === 'string' && Object.hasOwn(CURVE_INFO, name);
}

/**
 * The curve with a COSE `crv` value, or `undefined`.
 *
 * @example
 * ```ts
 * curveFromCoseCrv(256); // 'brainpoolP256r1'
 * ```
 */
export function curveFromCoseCrv(crv: number): Curve | undefined {
  return ALL_CURVES.find((c) => c.coseCrv === crv)?.curve;
}

/** @internal the curve with an SPKI algorithm / named-curve OID. */
export function curveFromOids(algOid: string, namedCurveOid: string | undefined): Curve | undefined {
  return ALL_CURVES.find(
    (c) =>
      c.spkiAlgOid === algOid &&
      (c.kty === 'OKP' ? namedCurveOid === undefined : c.namedCurveOid === namedCurveOid),
  )?.curve;
}
