import { backend } from '#crypto-backend';
import { MdlError } from '../errors/mdl-error.js';
import { b64uDecode, b64uEncode } from './base64url.js';
import type { Curve } from './curves.js';
import { curveInfo, isCurve } from './curves.js';
import type { Jwk, PrivateKey, PublicKey } from './keys.js';
import { decodeEcPoint, noblePublicFromPrivate, validateOkpPublicKey } from './noble.js';
import { encodePkcs8, encodeSpki, parsePkcs8, parseSpki } from './spki.js';

/**
 * Where a public key comes from.
 * - `jwk`: RFC 7517 EC / OKP JWK (RFC 7518 §6.2, RFC 8037);
 * - `spki`: DER SubjectPublicKeyInfo (e.g. from a certificate);
 * - `raw`: SEC1 point (`04‖x‖y` or compressed `02/03‖x`) for EC2, the raw key for OKP;
 * - `coordinates`: COSE_Key style `x` and `y`, where `y` may be the sign bit (RFC 9053 §7.1.1:
 *   `true` = odd y).
 */
export type PublicKeyInput =
  | { readonly format: 'jwk'; readonly jwk: Jwk }
  | { readonly format: 'spki'; readonly der: Uint8Array }
  | { readonly format: 'raw'; readonly curve: Curve; readonly bytes: Uint8Array }
  | {
      readonly format: 'coordinates';
      readonly curve: Curve;
      readonly x: Uint8Array;
      readonly y?: Uint8Array | boolean | undefined;
    };

/** Where a private key comes from: JWK (with `d`), DER PKCS #8, or the raw scalar / seed. */
export type PrivateKeyInput =
  | { readonly format: 'jwk'; readonly jwk: Jwk }
  | { readonly format: 'pkcs8'; readonly der: Uint8Array }
  | { readonly format: 'raw'; readonly curve: Curve; readonly d: Uint8Array };

const invalid = (why: string, curve?: string): MdlError =>
  new MdlError('ERR_CRYPTO_INVALID_KEY', why, curve === undefined ? {} : { details: { curve } });

/**
 * An EC2 handle over an uncompressed point the caller owns. Not frozen: Object.freeze costs
 * microseconds per object in V8 and device keys are imported per response; the readonly interface
 * says "do not mutate".
 */
function ec2Handle(curve: Curve, point: Uint8Array, size: number): PublicKey {
  return { type: 'public', curve, kty: 'EC2', x: point.slice(1, 1 + size), y: point.slice(1 + size), point };
}

/** @internal build a validated handle from SEC1 / OKP raw bytes. */
export function publicKeyFromBytes(curve: Curve, bytes: Uint8Array): PublicKey {
  const info = curveInfo(curve);
  if (info.kty === 'EC2') {
    if (backend.adoptEcPoint !== undefined && bytes[0] === 0x04 && bytes.length === 1 + 2 * info.size) {
      // The runtime checks the point as it imports it, and keeps the key for the first verify.
      const key = ec2Handle(curve, bytes.slice(), info.size);
      backend.adoptEcPoint(key);
      return key;
    }
    return ec2Handle(curve, decodeEcPoint(curve, bytes), info.size);
  }
  validateOkpPublicKey(curve, bytes);
  const raw = bytes.slice();
  return { type: 'public', curve, kty: 'OKP', x: raw, y: undefined, point: raw };
}

function curveFromJwk(jwk: Jwk): Curve {
  if (typeof jwk !== 'object' || jwk === null) throw invalid('JWK must be an object');
  const { kty, crv } = jwk;
  if (!isCurve(crv)) {
    throw new MdlError('ERR_CRYPTO_UNSUPPORTED_CURVE', 'unsupported JWK curve', {
      details: { curve: String(crv) },
    });
  }
  const expected = curveInfo(crv).kty === 'EC2' ? 'EC' : 'OKP';
  if (kty !== expected) throw invalid('JWK kty does not match crv', crv);
  return crv;
}

function jwkMember(jwk: Jwk, name: 'x' | 'y' | 'd', size: number, curve: Curve): Uint8Array {
  const v = jwk[name];
  if (typeof v !== 'string') throw invalid(`JWK member ${name} missing`, curve);
  const bytes = b64uDecode(v);
  if (bytes.length !== size) throw invalid(`JWK member ${name} has the wrong length`, curve);
  return bytes;
}

/**
 * Import a public key into a reusable, validated handle. Points are checked to lie on the curve;
 * compressed points are decompressed once here.
 *
 * @example
 * ```ts
 * const key = importPublicKey({ format: 'spki', der: certSpki });
 * const ok = await verifySignature({ alg: CoseAlg.ES256, key, data, signature });
 * ```
 * @throws {@link MdlError} `ERR_CRYPTO_INVALID_KEY` (malformed, wrong length, not on the curve),
 * `ERR_CRYPTO_UNSUPPORTED_CURVE`.
 */
export function importPublicKey(input: PublicKeyInput): PublicKey {
  switch (input.format) {
    case 'spki': {
      const { curve, bytes } = parseSpki(input.der);
      return publicKeyFromBytes(curve, bytes);
    }
    case 'raw':
      return publicKeyFromBytes(input.curve, input.bytes);
    case 'jwk': {
      const curve = curveFromJwk(input.jwk);
      const info = curveInfo(curve);
      const x = jwkMember(input.jwk, 'x', info.size, curve);
      if (info.kty === 'OKP') return publicKeyFromBytes(curve, x);
      const y = jwkMember(input.jwk, 'y', info.size, curve);
      return publicKeyFromBytes(curve, concat3(0x04, x, y));
    }
    case 'coordinates': {
      const info = curveInfo(input.curve);
      if (input.x.length !== info.size) throw invalid('x has the wrong length', input.curve);
      if (info.kty === 'OKP') {
        if (input.y !== undefined) throw invalid('OKP keys have no y', input.curve);
        return publicKeyFromBytes(input.curve, input.x);
      }
      const { y } = input;
      if (typeof y === 'boolean') return publicKeyFromBytes(input.curve, concat3(y ? 0x03 : 0x02, input.x));
      if (y === undefined || y.length !== info.size)
        throw invalid('y missing or has the wrong length', input.curve);
      return publicKeyFromBytes(input.curve, concat3(0x04, input.x, y));
    }
    default:
      throw new MdlError('ERR_INVALID_ARGUMENT', 'unknown public key format');
  }
}

function concat3(prefix: number, a: Uint8Array, b?: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + a.length + (b?.length ?? 0));
  out[0] = prefix;
  out.set(a, 1);
  if (b !== undefined) out.set(b, 1 + a.length);
  return out;
}

/** @internal build a private key handle from the raw scalar / seed. */
export function privateKeyFromRaw(curve: Curve, d: Uint8Array): PrivateKey {
  const info = curveInfo(curve);
  if (d.length !== info.privateSize) throw invalid('private key has the wrong length', curve);
  const own = d.slice();
  const publicKey = publicKeyFromBytes(curve, noblePublicFromPrivate(curve, own));
  return { type: 'private', curve, kty: info.kty, d: own, publicKey };
}

/**
 * Import a private key (for local signing, ECDH and tests). The public key is derived and attached.
 *
 * @example
 * ```ts
 * const key = importPrivateKey({ format: 'raw', curve: 'P-256', d: fromHex(dHex) });
 * ```
 * @throws {@link MdlError} `ERR_CRYPTO_INVALID_KEY`, `ERR_CRYPTO_UNSUPPORTED_CURVE`.
 */
export function importPrivateKey(input: PrivateKeyInput): PrivateKey {
  switch (input.format) {
    case 'raw':
      return privateKeyFromRaw(input.curve, input.d);
    case 'pkcs8': {
      const { curve, d } = parsePkcs8(input.der);
      return privateKeyFromRaw(curve, d);
    }
    case 'jwk': {
      const curve = curveFromJwk(input.jwk);
      const key = privateKeyFromRaw(curve, jwkMember(input.jwk, 'd', curveInfo(curve).privateSize, curve));
      const pub = importPublicKey({ format: 'jwk', jwk: input.jwk });
      if (!equalBytes(pub.point, key.publicKey.point)) throw invalid('JWK d does not match x/y', curve);
      return key;
    }
    default:
      throw new MdlError('ERR_INVALID_ARGUMENT', 'unknown private key format');
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Public key export formats: JWK, DER SPKI, SEC1 uncompressed / compressed (EC2) or raw (OKP). */
export type PublicKeyFormat = 'jwk' | 'spki' | 'raw' | 'raw-compressed';

/**
 * Export a public key.
 *
 * @example
 * ```ts
 * const jwk = exportPublicKey(key, 'jwk');       // { kty: 'EC', crv: 'P-256', x, y }
 * const der = exportPublicKey(key, 'spki');      // Uint8Array
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for `raw-compressed` with an OKP key.
 */
export function exportPublicKey(key: PublicKey, format: 'jwk'): Jwk;
export function exportPublicKey(key: PublicKey, format: 'spki' | 'raw' | 'raw-compressed'): Uint8Array;
export function exportPublicKey(key: PublicKey, format: PublicKeyFormat): Jwk | Uint8Array {
  switch (format) {
    case 'jwk':
      return key.kty === 'EC2'
        ? { kty: 'EC', crv: key.curve, x: b64uEncode(key.x), y: b64uEncode(key.y!) }
        : { kty: 'OKP', crv: key.curve, x: b64uEncode(key.x) };
    case 'spki':
      return encodeSpki(key);
    case 'raw':
      return key.point.slice();
    case 'raw-compressed': {
      if (key.kty !== 'EC2') throw new MdlError('ERR_INVALID_ARGUMENT', 'OKP keys have no compressed form');
      return concat3(0x02 | (key.y![key.y!.length - 1]! & 1), key.x);
    }
    default:
      throw new MdlError('ERR_INVALID_ARGUMENT', 'unknown public key format');
  }
}

/**
 * Export a private key as JWK (with the public members) or DER PKCS #8.
 *
 * @example
 * ```ts
 * const pem = toPem(exportPrivateKey(key, 'pkcs8'));
 * ```
 * @throws never for a handle made by this module.
 */
export function exportPrivateKey(key: PrivateKey, format: 'jwk'): Jwk;
export function exportPrivateKey(key: PrivateKey, format: 'pkcs8'): Uint8Array;
export function exportPrivateKey(key: PrivateKey, format: 'jwk' | 'pkcs8'): Jwk | Uint8Array {
  if (format === 'pkcs8') return encodePkcs8(key);
  return { ...exportPublicKey(key.publicKey, 'jwk'), d: b64uEncode(key.d) };
}
