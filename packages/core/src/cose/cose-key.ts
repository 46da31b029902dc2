import { decodeCbor } from '../cbor/decode.js';
import { encodeCbor } from '../cbor/encode.js';
import type { Curve } from '../crypto/curves.js';
import { curveFromCoseCrv, curveInfo } from '../crypto/curves.js';
import { exportPublicKey, importPrivateKey, importPublicKey } from '../crypto/import-key.js';
import type { Jwk, PrivateKey, PublicKey } from '../crypto/keys.js';
import { MdlError } from '../errors/mdl-error.js';

/**
 * COSE_Key parameter labels (RFC 9052 §7.1, RFC 9053 §7.1–7.2).
 *
 * @example
 * ```ts
 * coseKey.get(CoseKeyParam.crv);
 * ```
 */
export const CoseKeyParam = {
  kty: 1,
  kid: 2,
  alg: 3,
  keyOps: 4,
  baseIv: 5,
  crv: -1,
  x: -2,
  y: -3,
  d: -4,
} as const;

/** COSE key types (RFC 9053 §7): OKP 1, EC2 2, Symmetric 4. */
export const CoseKty = { OKP: 1, EC2: 2, Symmetric: 4 } as const;

/**
 * A decoded COSE_Key: a map from int / tstr labels to values.
 *
 * ```cddl
 * COSE_Key = {
 *     1 => tstr / int,          ; kty
 *     ? 2 => bstr,              ; kid
 *     ? 3 => tstr / int,        ; alg
 *     ? 4 => [+ (tstr / int) ], ; key_ops
 *     ? 5 => bstr,              ; Base IV
 *     * label => values
 * }
 * ```
 * RFC 9052 §7; EC2 adds crv -1, x -2, y -3 (bstr / bool), d -4; OKP adds crv -1, x -2, d -4 (RFC 9053 §7.1–7.2).
 */
export type CoseKey = ReadonlyMap<number | string, unknown>;

const invalid = (why: string): MdlError => new MdlError('ERR_COSE_KEY_INVALID', why);

function asMap(input: CoseKey | Uint8Array): CoseKey {
  const value = input instanceof Uint8Array ? decodeCbor(input) : input;
  if (!(value instanceof Map)) throw invalid('COSE_Key must be a map');
  return value;
}

function keyCurve(map: CoseKey): Curve {
  const kty = map.get(CoseKeyParam.kty);
  const crv = map.get(CoseKeyParam.crv);
  const curve = typeof crv === 'number' ? curveFromCoseCrv(crv) : undefined;
  if (curve === undefined) {
    throw new MdlError('ERR_CRYPTO_UNSUPPORTED_CURVE', 'unsupported COSE_Key crv', {
      details: { crv: typeof crv === 'number' ? crv : '?' },
    });
  }
  const expected = curveInfo(curve).kty === 'EC2' ? CoseKty.EC2 : CoseKty.OKP;
  if (kty !== expected) throw invalid('COSE_Key kty does not match crv');
  return curve;
}

function rethrowAsCoseKey(e: unknown): never {
  if (e instanceof MdlError && e.code === 'ERR_CRYPTO_INVALID_KEY') {
    throw new MdlError('ERR_COSE_KEY_INVALID', e.message, { cause: e });
  }
  throw e;
}

/**
 * Import a public COSE_Key (decoded map or its encoding) into a crypto key handle. Accepts EC2 keys
 * on P-256/384/521 and brainpoolP256r1/P320r1/P384r1/P512r1 with `y` as coordinate or sign bit
 * (compressed), and OKP keys (Ed25519, Ed448, X25519, X448). Other parameters (kid, alg, key_ops, d)
 * are ignored, as ISO/IEC 18013-5 §9.1.5.2 asks.
 *
 * @example
 * ```ts
 * const deviceKey = coseKeyToPublicKey(mso.get('deviceKeyInfo').get('deviceKey'));
 * ```
 * @throws {@link MdlError} `ERR_COSE_KEY_INVALID` (shape, lengths, point not on the curve),
 * `ERR_CRYPTO_UNSUPPORTED_CURVE`, `ERR_CBOR_*` (bytes input).
 */
export function coseKeyToPublicKey(input: CoseKey | Uint8Array): PublicKey {
  const map = asMap(input);
  const curve = keyCurve(map);
  const x = map.get(CoseKeyParam.x);
  const y = map.get(CoseKeyParam.y);
  if (!(x instanceof Uint8Array)) throw invalid('COSE_Key x must be a bstr');
  if (curveInfo(curve).kty === 'EC2' && !(y instanceof Uint8Array || typeof y === 'boolean')) {
    throw invalid('COSE_Key y must be a bstr or bool');
  }
  try {
    return importPublicKey({
      format: 'coordinates',
      curve,
      x,
      y: curveInfo(curve).kty === 'EC2' ? (y as Uint8Array | boolean) : undefined,
    });
  } catch (e) {
    return rethrowAsCoseKey(e);
  }
}

/**
 * Import a private COSE_Key (with `d`, label -4).
 *
 * @example
 * ```ts
 * const key = coseKeyToPrivateKey(coseKeyWithD);
 * ```
 * @throws {@link MdlError} `ERR_COSE_KEY_INVALID`, `ERR_CRYPTO_UNSUPPORTED_CURVE`.
 */
export function coseKeyToPrivateKey(input: CoseKey | Uint8Array): PrivateKey {
  const map = asMap(input);
  const curve = keyCurve(map);
  const d = map.get(CoseKeyParam.d);
  if (!(d instanceof Uint8Array)) throw invalid('COSE_Key d must be a bstr');
  let key: PrivateKey;
  try {
    key = importPrivateKey({ format: 'raw', curve, d });
  } catch (e) {
    return rethrowAsCoseKey(e);
  }
  if (map.has(CoseKeyParam.x)) {
    const pub = coseKeyToPublicKey(map);
    if (!pub.point.every((b, i) => b === key.publicKey.point[i]))
      throw invalid('COSE_Key d does not match x/y');
  }
  return key;
}

/** Options for {@link publicKeyToCoseKey}. */
export interface PublicKeyToCoseKeyOptions {
  /** Emit `y` as the sign bit (compressed EC2 point; default `false`). */
  readonly compressed?: boolean;
  /** Optional `kid`. */
  readonly kid?: Uint8Array;
}

/**
 * A public key as a COSE_Key map `{1: kty, -1: crv, -2: x, -3: y}` (keys in the order RFC 9053
 * lists them, which is also core-deterministic order).
 *
 * @example
 * ```ts
 * const deviceKey = publicKeyToCoseKey(publicKey); // Map { 1 => 2, -1 => 1, -2 => x, -3 => y }
 * ```
 */
export function publicKeyToCoseKey(
  key: PublicKey,
  options: PublicKeyToCoseKeyOptions = {},
): Map<number, unknown> {
  const info = curveInfo(key.curve);
  const map = new Map<number, unknown>([[CoseKeyParam.kty, info.kty === 'EC2' ? CoseKty.EC2 : CoseKty.OKP]]);
  if (options.kid !== undefined) map.set(CoseKeyParam.kid, options.kid);
  map.set(CoseKeyParam.crv, info.coseCrv);
  map.set(CoseKeyParam.x, key.x.slice());
  if (info.kty === 'EC2') {
    map.set(
      CoseKeyParam.y,
      options.compressed === true ? (key.y![key.y!.length - 1]! & 1) === 1 : key.y!.slice(),
    );
  }
  return map;
}

/**
 * A private key as a COSE_Key map (public members plus `d`).
 *
 * @example
 * ```ts
 * privateKeyToCoseKey(privateKey).get(CoseKeyParam.d);
 * ```
 */
export function privateKeyToCoseKey(key: PrivateKey): Map<number, unknown> {
  const map = publicKeyToCoseKey(key.publicKey);
  map.set(CoseKeyParam.d, key.d.slice());
  return map;
}

/**
 * Encode a COSE_Key map (core-deterministic CBOR).
 *
 * @example
 * ```ts
 * encodeCoseKey(publicKeyToCoseKey(key)); // a4 01 02 20 01 21 58 20 … 22 58 20 …
 * ```
 * @throws {@link MdlError} `ERR_CBOR_UNENCODABLE`.
 */
export function encodeCoseKey(key: CoseKey): Uint8Array {
  return encodeCbor(key);
}

/**
 * COSE_Key → JWK (public members only).
 *
 * @example
 * ```ts
 * coseKeyToJwk(deviceKey); // { kty: 'EC', crv: 'P-256', x: '…', y: '…' }
 * ```
 * @throws {@link MdlError} as {@link coseKeyToPublicKey}.
 */
export function coseKeyToJwk(input: CoseKey | Uint8Array): Jwk {
  return exportPublicKey(coseKeyToPublicKey(input), 'jwk');
}

/**
 * JWK → COSE_Key map (public members only).
 *
 * @example
 * ```ts
 * jwkToCoseKey({ kty: 'OKP', crv: 'Ed25519', x: '…' }); // Map { 1 => 1, -1 => 6, -2 => x }
 * ```
 * @throws {@link MdlError} `ERR_CRYPTO_INVALID_KEY`, `ERR_CRYPTO_UNSUPPORTED_CURVE`.
 */
export function jwkToCoseKey(jwk: Jwk, options: PublicKeyToCoseKeyOptions = {}): Map<number, unknown> {
  return publicKeyToCoseKey(importPublicKey({ format: 'jwk', jwk }), options);
}

/**
 * COSE_Key → DER SubjectPublicKeyInfo.
 *
 * @example
 * ```ts
 * coseKeyToSpki(deviceKey); // 30 59 30 13 06 07 2a 86 48 ce 3d 02 01 …
 * ```
 * @throws {@link MdlError} as {@link coseKeyToPublicKey}.
 */
export function coseKeyToSpki(input: CoseKey | Uint8Array): Uint8Array {
  return exportPublicKey(coseKeyToPublicKey(input), 'spki');
}

/**
 * DER SubjectPublicKeyInfo → COSE_Key map.
 *
 * @example
 * ```ts
 * spkiToCoseKey(certificateSpki);
 * ```
 * @throws {@link MdlError} `ERR_CRYPTO_INVALID_KEY`, `ERR_CRYPTO_UNSUPPORTED_CURVE`.
 */
export function spkiToCoseKey(
  der: Uint8Array,
  options: PublicKeyToCoseKeyOptions = {},
): Map<number, unknown> {
  return publicKeyToCoseKey(importPublicKey({ format: 'spki', der }), options);
}
