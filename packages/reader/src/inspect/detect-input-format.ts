import { fromBase64Url, fromHex } from '@mdlkit/core/cbor';
import { MdlError } from '@mdlkit/core/errors';

/** How the bytes given to {@link detectInputFormat} were written. */
export const InputFormat = {
  /** raw bytes (binary CBOR or DER) */
  binary: 'binary',
  /** hexadecimal text, optionally `0x`-prefixed, whitespace ignored */
  hex: 'hex',
  /** RFC 4648 §4 base64 (`+` `/`, optional `=` padding) */
  base64: 'base64',
  /** RFC 4648 §5 base64url (`-` `_`) */
  base64url: 'base64url',
  /** RFC 7468 PEM (`-----BEGIN …-----`) */
  pem: 'pem',
  /** the QR device engagement text `mdoc:` + base64url (ISO/IEC 18013-5 §8.2.2.3) */
  mdocUri: 'mdoc-uri',
} as const;
/** One of {@link InputFormat}. */
export type InputFormat = (typeof InputFormat)[keyof typeof InputFormat];

/**
 * What unrecognised input looked like — `details.looksLike` of `ERR_INPUT_FORMAT_UNRECOGNIZED`, so a
 * caller can say "this is JSON, not CBOR" instead of a CBOR decoder's complaint.
 */
export const InputLooksLike = {
  empty: 'empty',
  json: 'json',
  hexOddLength: 'hex-odd-length',
  hexStrayCharacter: 'hex-stray-character',
  base64Malformed: 'base64-malformed',
  pemMalformed: 'pem-malformed',
  mdocUriMalformed: 'mdoc-uri-malformed',
  text: 'text',
} as const;
/** One of {@link InputLooksLike}. */
export type InputLooksLike = (typeof InputLooksLike)[keyof typeof InputLooksLike];

/** Result of {@link detectInputFormat}. */
export interface DetectedInput {
  readonly format: InputFormat;
  /** The decoded bytes (a fresh copy; for `mdoc-uri`, the DeviceEngagement bytes). */
  readonly bytes: Uint8Array;
  /** For PEM: the label, e.g. `CERTIFICATE`. For several PEM blocks only the first is read. */
  readonly pemLabel?: string;
  /** For PEM: how many blocks the text holds. */
  readonly pemBlocks?: number;
}

/** Options for {@link detectInputFormat}. */
export interface DetectInputFormatOptions {
  /** Name of the input used in error messages (a file name, an option), default `input`. */
  readonly name?: string;
}

const HEX = /^[0-9a-fA-F]*$/;
const B64 = /^[A-Za-z0-9+/]*={0,2}$/;
const B64URL = /^[A-Za-z0-9_-]*={0,2}$/;
const PEM = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

function unrecognized(name: string, looksLike: InputLooksLike, what: string, offset?: number): never {
  throw new MdlError(
    'ERR_INPUT_FORMAT_UNRECOGNIZED',
    `${name}: ${what}; expected binary CBOR / DER, hex, base64, base64url, PEM or an mdoc: URI`,
    { details: { looksLike, ...(offset === undefined ? {} : { offset }) } },
  );
}

function isTextByte(b: number): boolean {
  return b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f);
}

/**
 * Works out how `input` is written and decodes it: raw binary, hex, base64, base64url, PEM (the first
 * block) or an `mdoc:` URI. Input counts as text only when every byte is printable ASCII, so binary CBOR
 * is never mistaken for text; text that none of the forms fits is rejected with what it looked like
 * (JSON, hex with a stray character, …) rather than handed to a CBOR decoder.
 *
 * Browser-safe: no `node:` imports.
 *
 * @example
 * ```ts
 * detectInputFormat(new TextEncoder().encode('a1 61 61 01')); // { format: 'hex', bytes: a1616101 }
 * ```
 * @throws {@link MdlError} `ERR_INPUT_FORMAT_UNRECOGNIZED` with `details.looksLike` (one of
 * {@link InputLooksLike}) and, where it applies, `details.offset` (of the offending character).
 */
export function detectInputFormat(
  input: Uint8Array | string,
  options: DetectInputFormatOptions = {},
): DetectedInput {
  const name = options.name ?? 'input';
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    if (input.length === 0) unrecognized(name, 'empty', 'the input is empty');
    let printable = true;
    for (let i = 0; i < input.length; i++) {
      if (!isTextByte(input[i]!)) {
        printable = false;
        break;
      }
    }
    if (!printable) return { format: 'binary', bytes: input.slice() };
    text = new TextDecoder().decode(input);
  }
  const trimmed = text.trim();
  if (trimmed.length === 0) unrecognized(name, 'empty', 'the input is empty (only white space)');

  if (trimmed.startsWith('-----BEGIN ')) return readPem(trimmed, name);
  if (/^mdoc:/i.test(trimmed)) {
    const body = trimmed.slice(5);
    if (!B64URL.test(body) || body.length === 0) {
      unrecognized(name, 'mdoc-uri-malformed', 'an mdoc: URI whose body is not base64url');
    }
    try {
      return { format: 'mdoc-uri', bytes: fromBase64Url(body) };
    } catch {
      return unrecognized(name, 'mdoc-uri-malformed', 'an mdoc: URI whose body is not base64url');
    }
  }
  const first = trimmed[0]!;
  if ((first === '{' || first === '[' || first === '"') && looksLikeJson(trimmed)) {
    unrecognized(name, 'json', `JSON text (starts with '${first}'), not an encoded mdoc structure`);
  }
  const compact = trimmed.replace(/\s+/g, '');
  const hexBody = /^0x/i.test(compact) ? compact.slice(2) : compact;
  if (HEX.test(hexBody)) {
    if (hexBody.length % 2 === 0) return { format: 'hex', bytes: fromHex(hexBody) };
    // An odd count of hex digits is a truncated hex dump unless it also reads as base64.
    if (!(B64.test(compact) && compact.length % 4 === 0)) {
      unrecognized(name, 'hex-odd-length', `hex text with an odd number of digits (${hexBody.length})`);
    }
  }
  const stray = strayHexCharacter(hexBody);
  if (stray !== undefined) {
    unrecognized(
      name,
      'hex-stray-character',
      `hex text with a non-hex character '${hexBody[stray]}' at offset ${stray}`,
      stray,
    );
  }
  if (B64.test(compact) || B64URL.test(compact)) {
    const url = !B64.test(compact);
    try {
      const bytes = fromBase64Url(url ? compact : compact.replace(/\+/g, '-').replace(/\//g, '_'));
      return { format: url ? 'base64url' : 'base64', bytes };
    } catch {
      unrecognized(name, 'base64-malformed', 'base64 text of an impossible length or padding');
    }
  }
  return unrecognized(name, 'text', `text that is none of the forms (starts with '${preview(trimmed)}')`);
}

function preview(text: string): string {
  const head = text.slice(0, 12).replace(/[^\x20-\x7e]/g, '?');
  return text.length > 12 ? `${head}…` : head;
}

function looksLikeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    // Not strict JSON, but braces and quotes are never part of hex or base64 either.
    return /^[{[]\s*["{[\]}]/.test(text);
  }
}

/** Offset of the one character that keeps mostly-hex text (≥ 90 % hex digits, ≥ 16 long) from being hex. */
function strayHexCharacter(text: string): number | undefined {
  if (text.length < 16) return undefined;
  let nonHex = 0;
  let firstBad = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const hex = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
    if (!hex) {
      nonHex++;
      if (firstBad < 0) firstBad = i;
    }
  }
  if (nonHex === 0 || nonHex * 10 > text.length) return undefined;
  // Base64 of random data is about 25 % hex digits; only text that is nearly all hex is a hex dump.
  return firstBad;
}

function readPem(text: string, name: string): DetectedInput {
  const blocks = [...text.matchAll(PEM)];
  const block = blocks[0];
  if (block === undefined) unrecognized(name, 'pem-malformed', 'PEM text without a matching END line');
  const body = (block[2] ?? '').replace(/\s+/g, '');
  if (!B64.test(body) || body.length === 0) {
    unrecognized(name, 'pem-malformed', `a PEM ${block[1]} block whose body is not base64`);
  }
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(body.replace(/\+/g, '-').replace(/\//g, '_'));
  } catch {
    return unrecognized(name, 'pem-malformed', `a PEM ${block[1]} block whose body is not base64`);
  }
  return { format: 'pem', bytes, pemLabel: block[1]!, pemBlocks: blocks.length };
}
