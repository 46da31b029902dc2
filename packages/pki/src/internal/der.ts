import type { ErrorCode } from '@mdlkit/core/errors';
import { MdlError } from '@mdlkit/core/errors';
import { AsnConvert } from '@peculiar/asn1-schema';
import { toArrayBuffer } from './bytes.js';

/** Constructor shape asn1-schema parses into. */
export type AsnClass<T> = new () => T;

/**
 * Length of the single DER element at the start of `bytes` (tag + length + contents), or -1 when
 * the header is malformed. Used to reject trailing bytes after a certificate / CRL, which the
 * asn1-schema parser silently ignores.
 */
export function derElementLength(bytes: Uint8Array): number {
  if (bytes.length < 2) return -1;
  const first = bytes[1]!;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 4 || bytes.length < 2 + n) return -1;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + bytes[2 + i]!;
  return 2 + n + len;
}

/**
 * Parse one DER structure with asn1-schema, mapping every parser failure (and trailing bytes)
 * to an {@link MdlError} with `code`.
 */
export function parseDer<T>(bytes: Uint8Array, type: AsnClass<T>, code: ErrorCode, what: string): T {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new MdlError(code, `${what}: expected non-empty DER bytes`);
  }
  const len = derElementLength(bytes);
  if (len !== bytes.length) {
    throw new MdlError(code, `${what}: DER length does not match the input (trailing or missing bytes)`, {
      details: { expected: len, actual: bytes.length },
    });
  }
  try {
    return AsnConvert.parse(toArrayBuffer(bytes), type);
  } catch (cause) {
    throw new MdlError(code, `${what}: malformed DER`, { cause });
  }
}

/** Serialize an asn1-schema object to DER bytes. */
export function serializeDer(value: unknown): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(value));
}
