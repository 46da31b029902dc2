/**
 * @internal A minimal, strict DER reader / writer for the few ASN.1 structures the crypto layer
 * touches: SubjectPublicKeyInfo (RFC 5280 §4.1, RFC 5480, RFC 8410), PKCS #8 (RFC 5208 / 5958),
 * ECPrivateKey (RFC 5915) and ECDSA-Sig-Value (RFC 3279 §2.2.3). Certificates are parsed by
 * `@mdlkit/pki`, not here.
 */

import type { ErrorCode } from '../errors/codes.js';
import { MdlError } from '../errors/mdl-error.js';

/** One decoded TLV: `tag` byte, content `[start, end)` inside the source buffer. */
export interface DerNode {
  readonly tag: number;
  readonly start: number;
  readonly end: number;
}

/** Read one TLV at `offset`; strict DER (definite, minimal length; single-byte tags only). */
export function readTlv(bytes: Uint8Array, offset: number, limit: number, code: ErrorCode): DerNode {
  const fail = (why: string): never => {
    throw new MdlError(code, `malformed DER: ${why}`, { details: { offset } });
  };
  if (offset + 2 > limit) fail('truncated header');
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) fail('multi-byte tag');
  let len = bytes[offset + 1]!;
  let pos = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0) fail('indefinite length');
    if (n > 3) fail('length too large');
    if (pos + n > limit) fail('truncated length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + bytes[pos + i]!;
    if (bytes[pos] === 0) fail('non-minimal length');
    if (len < 0x80) fail('non-minimal length');
    pos += n;
  }
  if (pos + len > limit) fail('truncated content');
  return { tag, start: pos, end: pos + len };
}

/** Read a SEQUENCE's children. */
export function readChildren(bytes: Uint8Array, node: DerNode, code: ErrorCode): DerNode[] {
  const out: DerNode[] = [];
  let pos = node.start;
  while (pos < node.end) {
    const child = readTlv(bytes, pos, node.end, code);
    out.push(child);
    pos = child.end;
  }
  return out;
}

/** Decode an OBJECT IDENTIFIER's content to dotted form. */
export function decodeOid(bytes: Uint8Array, node: DerNode, code: ErrorCode): string {
  if (node.tag !== 0x06 || node.end === node.start) throw new MdlError(code, 'malformed DER: expected OID');
  const parts: number[] = [];
  let value = 0;
  for (let i = node.start; i < node.end; i++) {
    const b = bytes[i]!;
    if (value === 0 && b === 0x80) throw new MdlError(code, 'malformed DER: non-minimal OID arc');
    value = value * 128 + (b & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw new MdlError(code, 'malformed DER: OID arc too large');
    if ((b & 0x80) === 0) {
      if (parts.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2;
        parts.push(first, value - first * 40);
      } else parts.push(value);
      value = 0;
    }
  }
  if ((bytes[node.end - 1]! & 0x80) !== 0) throw new MdlError(code, 'malformed DER: truncated OID');
  return parts.join('.');
}

/** The length of a DER tag-and-length header for `length` content bytes (minimal definite form). */
export function derHeaderLength(length: number): number {
  return length < 0x80 ? 2 : length < 0x100 ? 3 : length < 0x10000 ? 4 : 5;
}

/** Write a DER tag and minimal definite length (up to 16 MiB) into `out` at `p`; returns the offset after it. */
export function writeDerHeader(out: Uint8Array, p: number, tag: number, length: number): number {
  out[p++] = tag;
  if (length >= 0x10000) {
    out[p++] = 0x83;
    out[p++] = length >> 16;
  } else if (length >= 0x100) {
    out[p++] = 0x82;
  } else if (length >= 0x80) {
    out[p++] = 0x81;
  }
  if (length >= 0x100) out[p++] = (length >> 8) & 0xff;
  out[p++] = length & 0xff;
  return p;
}

/** Encode a TLV. */
export function tlv(tag: number, content: Uint8Array): Uint8Array {
  const out = new Uint8Array(derHeaderLength(content.length) + content.length);
  out.set(content, writeDerHeader(out, 0, tag, content.length));
  return out;
}

/** Concatenate byte arrays. */
export function cat(...parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** SEQUENCE of the given encoded children. */
export function seq(...children: readonly Uint8Array[]): Uint8Array {
  return tlv(0x30, cat(...children));
}

/** Encode a dotted OID. */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const body: number[] = [];
  const push = (v: number): void => {
    const tmp = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) tmp.unshift((x & 0x7f) | 0x80);
    body.push(...tmp);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return tlv(0x06, Uint8Array.from(body));
}
