import { MdlError } from '../errors/mdl-error.js';
import { derHeaderLength, readChildren, readTlv, writeDerHeader } from './der.js';

const CODE = 'ERR_CRYPTO_INVALID_SIGNATURE_ENCODING' as const;

/**
 * Convert a DER `ECDSA-Sig-Value` to the fixed-width `r‖s` form COSE uses (RFC 9053 §2.1: "the
 * signature is the concatenation of r and s, each left-padded to the curve size").
 *
 * ```asn1
 * ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }   -- RFC 3279 §2.2.3
 * ```
 * Strict DER only: definite minimal lengths (long form accepted where needed, e.g. P-521),
 * minimal positive INTEGERs, no trailing bytes. This is the form AWS KMS returns.
 *
 * @param der - the DER signature.
 * @param size - the byte size of one component (32 for P-256, 48 for P-384, 66 for P-521 …; see `curveInfo`).
 * @example
 * ```ts
 * const raw = ecdsaDerToRaw(kmsSignature, 32); // 64 bytes
 * ```
 * @throws {@link MdlError} `ERR_CRYPTO_INVALID_SIGNATURE_ENCODING` when the DER is malformed or a
 * component does not fit in `size` bytes.
 */
export function ecdsaDerToRaw(der: Uint8Array, size: number): Uint8Array {
  if (!Number.isInteger(size) || size <= 0 || size > 132) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'invalid ECDSA component size');
  }
  const top = readTlv(der, 0, der.length, CODE);
  if (top.tag !== 0x30 || top.end !== der.length) {
    throw new MdlError(CODE, 'malformed DER signature: expected one SEQUENCE');
  }
  const parts = readChildren(der, top, CODE);
  if (parts.length !== 2) throw new MdlError(CODE, 'malformed DER signature: expected two INTEGERs');
  const out = new Uint8Array(size * 2);
  parts.forEach((node, i) => {
    if (node.tag !== 0x02) throw new MdlError(CODE, 'malformed DER signature: expected INTEGER');
    let start = node.start;
    const len = node.end - node.start;
    if (len === 0) throw new MdlError(CODE, 'malformed DER signature: empty INTEGER');
    if (der[start]! & 0x80) throw new MdlError(CODE, 'malformed DER signature: negative INTEGER');
    if (der[start] === 0 && len > 1) {
      if ((der[start + 1]! & 0x80) === 0)
        throw new MdlError(CODE, 'malformed DER signature: non-minimal INTEGER');
      start++;
    }
    const value = der.subarray(start, node.end);
    if (value.length > size) throw new MdlError(CODE, 'DER signature component too large for the curve');
    out.set(value, i * size + size - value.length);
  });
  return out;
}

/**
 * Convert a fixed-width COSE `r‖s` ECDSA signature to DER `ECDSA-Sig-Value` (what X.509 and
 * most HSM APIs use).
 *
 * @example
 * ```ts
 * const der = ecdsaRawToDer(coseSignature);
 * ```
 * @throws {@link MdlError} `ERR_CRYPTO_INVALID_SIGNATURE_ENCODING` for an empty or odd-length input.
 */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  return ecdsaRawToDerWith(raw, (length) => new Uint8Array(length));
}

/**
 * @internal {@link ecdsaRawToDer} into an array from `allocate` (every byte of it is written): the
 * node:crypto provider converts every signature it verifies and passes a pooled Buffer that never
 * leaves it.
 */
export function ecdsaRawToDerWith(raw: Uint8Array, allocate: (length: number) => Uint8Array): Uint8Array {
  if (raw.length === 0 || raw.length % 2 !== 0 || raw.length > 264) {
    throw new MdlError(CODE, 'raw ECDSA signature must be r‖s of equal, non-zero length');
  }
  const half = raw.length / 2;
  const r = firstSignificant(raw, 0, half);
  const s = firstSignificant(raw, half, raw.length);
  const rPad = raw[r]! >> 7;
  const sPad = raw[s]! >> 7;
  const rLen = half - r + rPad;
  const sLen = raw.length - s + sPad;
  const body = derHeaderLength(rLen) + rLen + derHeaderLength(sLen) + sLen;
  const out = allocate(derHeaderLength(body) + body);
  let p = writeDerHeader(out, 0, 0x30, body);
  p = writeDerHeader(out, p, 0x02, rLen);
  if (rPad === 1) out[p++] = 0;
  p = copyInto(out, p, raw, r, half);
  p = writeDerHeader(out, p, 0x02, sLen);
  if (sPad === 1) out[p++] = 0;
  copyInto(out, p, raw, s, raw.length);
  return out;
}

/** `raw[from, to)` into `out` at `p` (a loop: a subarray per component costs more than it copies). */
function copyInto(out: Uint8Array, p: number, raw: Uint8Array, from: number, to: number): number {
  for (let i = from; i < to; i++) out[p++] = raw[i]!;
  return p;
}

/** Index of the first non-zero byte of `raw[start, end)`, or `end - 1` (a zero INTEGER keeps one byte). */
function firstSignificant(raw: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end - 1 && raw[i] === 0) i++;
  return i;
}
