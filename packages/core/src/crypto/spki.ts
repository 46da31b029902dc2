/**
 * @internal SubjectPublicKeyInfo and PKCS #8 codecs for the supported curves.
 *
 * ```asn1
 * SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
 * -- EC (RFC 5480 §2): algorithm = id-ecPublicKey, parameters = namedCurve OID; key = SEC1 point
 * -- OKP (RFC 8410 §4): algorithm = id-Ed25519 | id-Ed448 | id-X25519 | id-X448, no parameters
 * ```
 */
import { MdlError } from '../errors/mdl-error.js';
import type { Curve } from './curves.js';
import { Curve as Curves, curveFromOids, curveInfo } from './curves.js';
import { cat, decodeOid, oid, readChildren, readTlv, seq, tlv } from './der.js';
import type { PrivateKey, PublicKey } from './keys.js';

const CODE = 'ERR_CRYPTO_INVALID_KEY' as const;

/** The length of a handle's `point` on a curve: an uncompressed SEC1 point, or the raw OKP key. */
function pointLength(curve: Curve): number {
  const info = curveInfo(curve);
  return info.kty === 'EC2' ? 1 + 2 * info.size : info.size;
}

function spkiPrefix(curve: Curve): Uint8Array {
  const info = curveInfo(curve);
  const algId =
    info.kty === 'EC2' ? seq(oid(info.spkiAlgOid), oid(info.namedCurveOid!)) : seq(oid(info.spkiAlgOid));
  const n = pointLength(curve);
  return seq(algId, tlv(0x03, new Uint8Array(1 + n)))
    .subarray(0, -n)
    .slice();
}

/**
 * Each curve's SPKI up to the key bits (SEQUENCE and BIT STRING headers, AlgorithmIdentifier),
 * encoded once at load: fixed bytes for a handle's point length (RFC 5480, RFC 8410), and the
 * node:crypto provider encodes an SPKI for every device key a reader imports.
 */
const SPKI_PREFIXES: ReadonlyMap<Curve, Uint8Array> = new Map(
  Object.values(Curves).map((curve) => [curve, spkiPrefix(curve)]),
);

/** Encode a public key as DER SubjectPublicKeyInfo (uncompressed point for EC2). */
export function encodeSpki(key: PublicKey): Uint8Array {
  if (key.point.length !== pointLength(key.curve)) {
    throw new MdlError(CODE, "the key handle has no point of its curve's length", {
      details: { curve: key.curve },
    });
  }
  const prefix = SPKI_PREFIXES.get(key.curve)!;
  const out = new Uint8Array(prefix.length + key.point.length);
  out.set(prefix, 0);
  out.set(key.point, prefix.length);
  return out;
}

/** Parse DER SubjectPublicKeyInfo → curve and key bytes (SEC1 point, maybe compressed, or OKP raw). */
export function parseSpki(der: Uint8Array): { curve: Curve; bytes: Uint8Array } {
  const top = readTlv(der, 0, der.length, CODE);
  if (top.tag !== 0x30 || top.end !== der.length) throw new MdlError(CODE, 'malformed SPKI');
  const [alg, bits, ...rest] = readChildren(der, top, CODE);
  if (alg === undefined || bits === undefined || rest.length > 0 || alg.tag !== 0x30 || bits.tag !== 0x03) {
    throw new MdlError(CODE, 'malformed SPKI');
  }
  const [algOidNode, params, ...more] = readChildren(der, alg, CODE);
  if (algOidNode === undefined || more.length > 0) throw new MdlError(CODE, 'malformed SPKI algorithm');
  const algOid = decodeOid(der, algOidNode, CODE);
  let curveOid: string | undefined;
  if (params !== undefined) {
    if (params.tag !== 0x06) {
      throw new MdlError('ERR_CRYPTO_UNSUPPORTED_CURVE', 'only named curves are supported in SPKI');
    }
    curveOid = decodeOid(der, params, CODE);
  }
  const curve = curveFromOids(algOid, curveOid);
  if (curve === undefined) {
    throw new MdlError('ERR_CRYPTO_UNSUPPORTED_CURVE', 'unsupported SPKI algorithm or curve', {
      details: { algorithm: algOid, curve: curveOid },
    });
  }
  if (bits.end - bits.start < 2 || der[bits.start] !== 0) throw new MdlError(CODE, 'malformed SPKI key bits');
  return { curve, bytes: der.slice(bits.start + 1, bits.end) };
}

/**
 * Encode a private key as DER PKCS #8 (RFC 5208): EC2 keys wrap an RFC 5915 ECPrivateKey with the
 * public key; OKP keys wrap the raw private key in an OCTET STRING (RFC 8410 §7).
 */
export function encodePkcs8(key: PrivateKey): Uint8Array {
  const info = curveInfo(key.curve);
  const version = Uint8Array.of(0x02, 0x01, 0x00);
  if (info.kty === 'EC2') {
    const ecPrivateKey = seq(
      Uint8Array.of(0x02, 0x01, 0x01),
      tlv(0x04, key.d),
      tlv(0xa1, tlv(0x03, cat(Uint8Array.of(0), key.publicKey.point))),
    );
    return seq(version, seq(oid(info.spkiAlgOid), oid(info.namedCurveOid!)), tlv(0x04, ecPrivateKey));
  }
  return seq(version, seq(oid(info.spkiAlgOid)), tlv(0x04, tlv(0x04, key.d)));
}

/** Parse DER PKCS #8 → curve and raw private key (scalar / seed). */
export function parsePkcs8(der: Uint8Array): { curve: Curve; d: Uint8Array } {
  const top = readTlv(der, 0, der.length, CODE);
  if (top.tag !== 0x30 || top.end !== der.length) throw new MdlError(CODE, 'malformed PKCS #8');
  const [version, alg, privateKey] = readChildren(der, top, CODE);
  if (version?.tag !== 0x02 || alg?.tag !== 0x30 || privateKey?.tag !== 0x04) {
    throw new MdlError(CODE, 'malformed PKCS #8');
  }
  const [algOidNode, params] = readChildren(der, alg, CODE);
  if (algOidNode === undefined) throw new MdlError(CODE, 'malformed PKCS #8 algorithm');
  const algOid = decodeOid(der, algOidNode, CODE);
  const curveOid = params?.tag === 0x06 ? decodeOid(der, params, CODE) : undefined;
  const curve = curveFromOids(algOid, curveOid);
  if (curve === undefined) throw new MdlError('ERR_CRYPTO_UNSUPPORTED_CURVE', 'unsupported PKCS #8 key');
  const inner = readTlv(der, privateKey.start, privateKey.end, CODE);
  if (curveInfo(curve).kty === 'OKP') {
    if (inner.tag !== 0x04) throw new MdlError(CODE, 'malformed OKP private key');
    return { curve, d: der.slice(inner.start, inner.end) };
  }
  if (inner.tag !== 0x30) throw new MdlError(CODE, 'malformed ECPrivateKey');
  const [, dNode] = readChildren(der, inner, CODE);
  if (dNode?.tag !== 0x04) throw new MdlError(CODE, 'malformed ECPrivateKey');
  return { curve, d: der.slice(dNode.start, dNode.end) };
}
