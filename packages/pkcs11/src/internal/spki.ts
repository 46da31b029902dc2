import type { Pkcs11Curve } from '../signer/curves.js';
import { PKCS11_CURVES } from '../signer/curves.js';

/** DER of the id-ecPublicKey OBJECT IDENTIFIER, 1.2.840.10045.2.1 (RFC 5480 §2.1.1). */
const EC_PUBLIC_KEY = Uint8Array.of(0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01);

function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const length = parts.reduce((n, p) => n + p.length, 0);
  const head = [tag, ...derLength(length)];
  const out = new Uint8Array(head.length + length);
  out.set(head);
  let at = head.length;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * @internal The public point from a `CKA_EC_POINT` value. PKCS#11 v2.40 §2.3.3 says it is the DER
 * encoding of an OCTET STRING holding the point (ANSI X9.62 uncompressed for NIST curves, the
 * 32-byte RFC 8032 encoding for Ed25519); some tokens return the bare point, which is accepted too.
 */
export function pointFromEcPoint(value: Uint8Array, curve: Pkcs11Curve): Uint8Array | undefined {
  const size = curve === 'Ed25519' ? 32 : 1 + 2 * PKCS11_CURVES[curve].coordinateBytes;
  const bare = (bytes: Uint8Array): boolean =>
    bytes.length === size && (curve === 'Ed25519' || bytes[0] === 0x04);
  if (value[0] === 0x04 && value.length > 2) {
    // an OCTET STRING: short or long form length
    let at = 1;
    let length = value[at++]!;
    if (length & 0x80) {
      const n = length & 0x7f;
      if (n < 1 || n > 2) return bare(value) ? value.slice() : undefined;
      length = 0;
      for (let i = 0; i < n; i++) length = length * 256 + value[at++]!;
    }
    if (at + length === value.length) {
      const inner = value.subarray(at);
      if (bare(inner)) return inner.slice();
    }
  }
  return bare(value) ? value.slice() : undefined;
}

/**
 * @internal DER SubjectPublicKeyInfo for a point (RFC 5480 §2 for NIST curves, RFC 8410 §4 for
 * Ed25519).
 *
 * ```asn1
 * SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
 * ```
 */
export function spkiFromPoint(point: Uint8Array, curve: Pkcs11Curve): Uint8Array {
  const algorithm =
    curve === 'Ed25519'
      ? tlv(0x30, PKCS11_CURVES.Ed25519.oid)
      : tlv(0x30, EC_PUBLIC_KEY, PKCS11_CURVES[curve].oid);
  return tlv(0x30, algorithm, tlv(0x03, Uint8Array.of(0), point));
}
