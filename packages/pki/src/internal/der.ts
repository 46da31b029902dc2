/**
 * @module
 * The one DER reader of `@mdlkit/pki`: headers in their shortest form, a walk that holds a whole
 * input to DER (X.690 §10–11) before asn1-schema sees it, and the outer shape of a signed structure.
 */

import { bytesEqual } from '@mdlkit/core/cbor';
import type { ErrorCode } from '@mdlkit/core/errors';
import { MdlError } from '@mdlkit/core/errors';
import { AsnConvert } from '@peculiar/asn1-schema';
import { toArrayBuffer } from './bytes.js';

/** Constructor shape asn1-schema parses into. */
export type AsnClass<T> = new () => T;

/** The header of one DER element. */
export interface DerHeader {
  /** The first identifier octet (class, constructed bit, tag number below 31). */
  readonly tag: number;
  /** Identifier and length octets together. */
  readonly headerLength: number;
  /** Length of the contents. */
  readonly length: number;
}

/** How deep constructed elements may nest (a certificate needs about ten levels). */
const MAX_DEPTH = 32;

/**
 * The header of the element at `at`, or a reason it is not a DER header: a definite length in its
 * shortest form (X.690 §10.1), low tag numbers only (every structure pki parses uses them), and
 * contents that fit in `bytes`.
 */
export function readDerHeader(bytes: Uint8Array, at = 0): DerHeader | string {
  const tag = bytes[at];
  const first = bytes[at + 1];
  if (tag === undefined || first === undefined) return 'truncated header';
  if ((tag & 0x1f) === 0x1f) return 'high tag number';
  let headerLength = 2;
  let length = first;
  if (first === 0x80) return 'indefinite length';
  if (first > 0x80) {
    const n = first & 0x7f;
    if (n > 4) return 'length too long';
    if (at + 2 + n > bytes.length) return 'truncated header';
    if (bytes[at + 2] === 0) return 'length with a leading zero octet';
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + bytes[at + 2 + i]!;
    if (length < 0x80) return 'long-form length for a short length';
    headerLength = 2 + n;
  }
  if (at + headerLength + length > bytes.length) return 'contents run past the end';
  return { tag, headerLength, length };
}

/** Length of a DER tag + length header at the start of `bytes`, or 0 when it is not a DER header. */
export function derHeaderLength(bytes: Uint8Array): number {
  const h = readDerHeader(bytes);
  return typeof h === 'string' ? 0 : h.headerLength;
}

/** Length of the single DER element at the start of `bytes` (header + contents), or -1 when its header is not DER. */
export function derElementLength(bytes: Uint8Array): number {
  const h = readDerHeader(bytes);
  return typeof h === 'string' ? -1 : h.headerLength + h.length;
}

/**
 * Why `bytes` (exactly one element) is not DER, or undefined when it is: every header as
 * {@link readDerHeader} wants it, constructed contents filled exactly by their elements, no
 * constructed encoding of a universal string type (X.690 §10.2), and every BIT STRING with at most
 * 7 unused bits that are all zero, none when it is empty (§11.2.1). Iterative, depth-bounded.
 */
export function derFault(
  bytes: Uint8Array,
): { readonly reason: string; readonly offset: number } | undefined {
  const top = readDerHeader(bytes);
  if (typeof top === 'string') return { reason: top, offset: 0 };
  if (top.headerLength + top.length !== bytes.length)
    return { reason: 'trailing bytes', offset: top.headerLength + top.length };
  const stack: [at: number, end: number, depth: number][] = [[0, bytes.length, 0]];
  while (stack.length > 0) {
    const [start, end, depth] = stack.pop()!;
    for (let at = start; at < end; ) {
      const h = readDerHeader(bytes, at);
      if (typeof h === 'string') return { reason: h, offset: at };
      const contents = at + h.headerLength;
      const next = contents + h.length;
      if (next > end) return { reason: 'element runs past its enclosing element', offset: at };
      if ((h.tag & 0x20) !== 0) {
        if ((h.tag & 0xc0) === 0 && h.tag !== 0x30 && h.tag !== 0x31) {
          return { reason: 'constructed encoding of a string type', offset: at };
        }
        if (depth + 1 > MAX_DEPTH) return { reason: 'nested too deeply', offset: at };
        stack.push([contents, next, depth + 1]);
      } else if (h.tag === 0x03) {
        const unused = bytes[contents];
        if (unused === undefined || unused > 7 || (h.length === 1 && unused !== 0)) {
          return { reason: 'BIT STRING with a bad unused-bits count', offset: at };
        }
        if (unused > 0 && (bytes[next - 1]! & ((1 << unused) - 1)) !== 0) {
          return { reason: 'BIT STRING unused bits not zero', offset: at };
        }
      }
      at = next;
    }
  }
  return undefined;
}

/** Throws an {@link MdlError} with `code` unless `bytes` is exactly one DER element (see {@link derFault}). */
export function requireDerBytes(bytes: Uint8Array, code: ErrorCode, what: string): void {
  const fault = derFault(bytes);
  if (fault !== undefined) {
    throw new MdlError(code, `${what}: not DER (${fault.reason} at offset ${fault.offset})`, {
      details: { offset: fault.offset, reason: fault.reason },
    });
  }
}

/**
 * Parse one DER structure with asn1-schema, after holding the whole input to DER
 * ({@link requireDerBytes}: asn1-schema accepts BER lengths and ignores trailing bytes), mapping
 * every failure to an {@link MdlError} with `code`.
 */
export function parseDer<T>(bytes: Uint8Array, type: AsnClass<T>, code: ErrorCode, what: string): T {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new MdlError(code, `${what}: expected non-empty DER bytes`);
  }
  requireDerBytes(bytes, code, what);
  try {
    return AsnConvert.parse(toArrayBuffer(bytes), type);
  } catch (cause) {
    throw new MdlError(code, `${what}: malformed DER`, { cause });
  }
}

/**
 * True when `der` (already held to DER) is a signed structure's outer `SEQUENCE { tbs,
 * signatureAlgorithm AlgorithmIdentifier, signature BIT STRING }` (Certificate, RFC 5280 §4.1;
 * CertificateList, §5.1; CertificationRequest, RFC 2986 §4.2) made of exactly these bytes: the
 * received `tbs`, an AlgorithmIdentifier that re-encodes to `signatureAlgorithm`, and a BIT STRING
 * without unused bits (every signature pki verifies is whole octets). asn1-schema accepts other tags
 * outside the signed part, which would let a changed byte there go unnoticed.
 */
export function isSignedDer(der: Uint8Array, tbs: Uint8Array, signatureAlgorithm: Uint8Array): boolean {
  const outer = readDerHeader(der);
  if (typeof outer === 'string' || outer.tag !== 0x30) return false;
  const algAt = outer.headerLength + tbs.length;
  const valueAt = algAt + signatureAlgorithm.length;
  const value = readDerHeader(der, valueAt);
  return (
    bytesEqual(der.subarray(outer.headerLength, algAt), tbs) &&
    der[algAt] === 0x30 &&
    bytesEqual(der.subarray(algAt, valueAt), signatureAlgorithm) &&
    typeof value !== 'string' &&
    value.tag === 0x03 &&
    valueAt + value.headerLength + value.length === der.length &&
    value.length > 1 &&
    der[valueAt + value.headerLength] === 0
  );
}

/** Serialize an asn1-schema object to DER bytes. */
export function serializeDer(value: unknown): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(value));
}
