/**
 * @internal The one place mdlkit calls @noble/curves. Every call states its options: ECDSA verify
 * with `lowS: false` (OpenSSL, KMS and WebCrypto produce high-S signatures half the time),
 * `prehash: false` (we pass the digest of the COSE alg's hash — the curve's default hash is not
 * necessarily the alg's: ES384 is used with brainpoolP320r1), `format: 'compact'` (COSE r‖s).
 * EdDSA verify with `zip215: false` (RFC 8032 strict, as Wycheproof expects).
 */
import type { ECDSA } from '@noble/curves/abstract/weierstrass.js';
import { ecdsa, weierstrass } from '@noble/curves/abstract/weierstrass.js';
import { ed448, x448 } from '@noble/curves/ed448.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { brainpoolP256r1, brainpoolP384r1, brainpoolP512r1 } from '@noble/curves/misc.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { sha384 } from '@noble/hashes/sha2.js';
import { validPoints } from '../caches.js';
import { MdlError } from '../errors/mdl-error.js';
import type { Curve } from './curves.js';
import { curveInfo } from './curves.js';

// RFC 5639 §3.5 brainpoolP320r1 domain parameters (noble ships 256/384/512 only).
let bp320: ECDSA | undefined;
function brainpoolP320r1(): ECDSA {
  bp320 ??= ecdsa(
    weierstrass({
      p: BigInt('0xd35e472036bc4fb7e13c785ed201e065f98fcfa6f6f40def4f92b9ec7893ec28fcd412b1f1b32e27'),
      a: BigInt('0x3ee30b568fbab0f883ccebd46d3f3bb8a2a73513f5eb79da66190eb085ffa9f492f375a97d860eb4'),
      b: BigInt('0x520883949dfdbc42d3ad198640688a6fe13f41349554b49acc31dccd884539816f5eb4ac8fb1f1a6'),
      n: BigInt('0xd35e472036bc4fb7e13c785ed201e065f98fcfa5b68f12a32d482ec7ee8658e98691555b44c59311'),
      Gx: BigInt('0x43bd7e9afb53d8b85289bcc48ee5bfe6f20137d10a087eb6e7871e2a10a599c710af8d0d39e20611'),
      Gy: BigInt('0x14fdd05545ec1cc8ab4093247f77275e0743ffed117182eaa9c77877aaac6ac7d35245d1692e8ee1'),
      h: BigInt(1),
    }),
    sha384,
  );
  return bp320;
}

/** The noble ECDSA/ECDH implementation of an EC2 curve. */
export function nobleWeierstrass(curve: Curve): ECDSA {
  switch (curve) {
    case 'P-256':
      return p256;
    case 'P-384':
      return p384;
    case 'P-521':
      return p521;
    case 'brainpoolP256r1':
      return brainpoolP256r1;
    case 'brainpoolP320r1':
      return brainpoolP320r1();
    case 'brainpoolP384r1':
      return brainpoolP384r1;
    case 'brainpoolP512r1':
      return brainpoolP512r1;
    default:
      throw new MdlError('ERR_CRYPTO_UNSUPPORTED_CURVE', 'not a short-Weierstrass curve', {
        details: { curve },
      });
  }
}

const invalidKey = (curve: Curve, cause?: unknown): MdlError =>
  new MdlError('ERR_CRYPTO_INVALID_KEY', 'invalid public key for the curve', { details: { curve }, cause });

/**
 * Decode and validate a SEC1 point (uncompressed `04‖x‖y` or compressed `02/03‖x`); returns the
 * uncompressed form. Rejects the point at infinity, off-curve points and coordinates ≥ p.
 */
export function decodeEcPoint(curve: Curve, bytes: Uint8Array): Uint8Array {
  const size = curveInfo(curve).size;
  const first = bytes[0];
  const okLength =
    (first === 0x04 && bytes.length === 1 + 2 * size) ||
    ((first === 0x02 || first === 0x03) && bytes.length === 1 + size);
  if (!okLength) throw invalidKey(curve);
  // An uncompressed point that passed the curve check before is the same point again (the encoding
  // is canonical): skip the BigInt arithmetic. Readers see the same DS and device keys repeatedly.
  const id = first === 0x04 ? pointId(curve, bytes) : undefined;
  if (id !== undefined && validPoints.get(id) === true) return bytes.slice();
  let out: Uint8Array;
  try {
    const point = nobleWeierstrass(curve).Point.fromBytes(bytes); // validates: on curve, not infinity, x/y < p
    out = first === 0x04 ? bytes.slice() : point.toBytes(false);
  } catch (cause) {
    throw invalidKey(curve, cause);
  }
  if (id !== undefined) validPoints.set(id, true);
  return out;
}

function pointId(curve: Curve, bytes: Uint8Array): string {
  let s: string = curve;
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/** Validate a raw OKP public key (length; Edwards keys must decode to a curve point). */
export function validateOkpPublicKey(curve: Curve, bytes: Uint8Array): void {
  if (bytes.length !== curveInfo(curve).size) throw invalidKey(curve);
  try {
    if (curve === 'Ed25519') ed25519.Point.fromBytes(bytes, false);
    else if (curve === 'Ed448') ed448.Point.fromBytes(bytes, false);
  } catch (cause) {
    throw invalidKey(curve, cause);
  }
}

/** The public key of a private key: EC2 → uncompressed point; OKP → raw public key. */
export function noblePublicFromPrivate(curve: Curve, d: Uint8Array): Uint8Array {
  try {
    switch (curve) {
      case 'Ed25519':
        return ed25519.getPublicKey(d);
      case 'Ed448':
        return ed448.getPublicKey(d);
      case 'X25519':
        return x25519.getPublicKey(d);
      case 'X448':
        return x448.getPublicKey(d);
      default:
        return nobleWeierstrass(curve).getPublicKey(d, false);
    }
  } catch (cause) {
    throw new MdlError('ERR_CRYPTO_INVALID_KEY', 'invalid private key for the curve', {
      details: { curve },
      cause,
    });
  }
}

/** A fresh private key (scalar / seed) from the given random source. */
export function nobleRandomPrivate(curve: Curve, randomBytes: (n: number) => Uint8Array): Uint8Array {
  switch (curve) {
    case 'Ed25519':
    case 'Ed448':
    case 'X25519':
    case 'X448':
      return randomBytes(curveInfo(curve).privateSize);
    default: {
      const c = nobleWeierstrass(curve);
      return c.utils.randomSecretKey(randomBytes(c.lengths.seed ?? curveInfo(curve).size + 16));
    }
  }
}

/** ECDSA verify of a precomputed digest; never throws (malformed → false). */
export function nobleEcdsaVerifyDigest(
  curve: Curve,
  digest: Uint8Array,
  signature: Uint8Array,
  point: Uint8Array,
): boolean {
  try {
    return nobleWeierstrass(curve).verify(signature, digest, point, {
      prehash: false,
      lowS: false,
      format: 'compact',
    });
  } catch {
    return false;
  }
}

/** ECDSA sign of a precomputed digest → fixed-width r‖s (low-S, hedged RFC 6979 nonces). */
export function nobleEcdsaSignDigest(curve: Curve, digest: Uint8Array, d: Uint8Array): Uint8Array {
  return nobleWeierstrass(curve).sign(digest, d, {
    prehash: false,
    lowS: true,
    format: 'compact',
    extraEntropy: true,
  });
}

/** PureEdDSA verify (RFC 8032, strict decoding); never throws. */
export function nobleEddsaVerify(
  curve: Curve,
  message: Uint8Array,
  signature: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  try {
    if (curve === 'Ed25519') return ed25519.verify(signature, message, publicKey, { zip215: false });
    if (curve === 'Ed448') return ed448.verify(signature, message, publicKey, { zip215: false });
    return false;
  } catch {
    return false;
  }
}

/** PureEdDSA sign (no context). */
export function nobleEddsaSign(curve: Curve, message: Uint8Array, seed: Uint8Array): Uint8Array {
  if (curve === 'Ed25519') return ed25519.sign(message, seed);
  if (curve === 'Ed448') return ed448.sign(message, seed);
  throw new MdlError('ERR_CRYPTO_UNSUPPORTED_CURVE', 'not an EdDSA curve', { details: { curve } });
}

/** ECDH: the shared secret (x coordinate for EC2, u coordinate for X25519/X448). */
export function nobleEcdh(curve: Curve, d: Uint8Array, publicPoint: Uint8Array): Uint8Array {
  try {
    if (curve === 'X25519') return x25519.getSharedSecret(d, publicPoint);
    if (curve === 'X448') return x448.getSharedSecret(d, publicPoint);
    return nobleWeierstrass(curve).getSharedSecret(d, publicPoint, true).subarray(1);
  } catch (cause) {
    throw new MdlError('ERR_CRYPTO_INVALID_KEY', 'ECDH failed (invalid key)', { details: { curve }, cause });
  }
}
