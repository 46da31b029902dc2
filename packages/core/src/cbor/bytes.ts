import { MdlError } from '../errors/mdl-error.js';

/**
 * Constant-shape byte comparison (length first, then every byte). Not constant-time: use it for
 * structure checks, never to compare MACs or secrets.
 *
 * @example
 * ```ts
 * bytesEqual(fromHex('0a0b'), new Uint8Array([10, 11])); // true
 * ```
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  const n = a.length;
  if (n !== b.length) return false;
  let i = 0;
  if (n >= 64) {
    // Readers confirm memo hits (an MSO, a certificate chain) with a full comparison on every
    // response: eight bytes per step through DataViews is about three times the byte loop.
    const x = new DataView(a.buffer, a.byteOffset, n);
    const y = new DataView(b.buffer, b.byteOffset, n);
    const words = n - (n & 7);
    for (; i < words; i += 8) {
      if (x.getUint32(i) !== y.getUint32(i) || x.getUint32(i + 4) !== y.getUint32(i + 4)) return false;
    }
  }
  for (; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Concatenates byte arrays into a new `Uint8Array`.
 *
 * @example
 * ```ts
 * concatBytes(fromHex('01'), fromHex('0203')); // 010203
 * ```
 */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

const HEX_CHARS = '0123456789abcdef';
const HEX_TABLE: readonly string[] = Array.from(
  { length: 256 },
  (_, i) => HEX_CHARS[i >> 4]! + HEX_CHARS[i & 15]!,
);

/**
 * Lower-case hex encoding.
 *
 * @example
 * ```ts
 * toHex(new Uint8Array([0xca, 0xfe])); // 'cafe'
 * ```
 */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX_TABLE[bytes[i]!];
  return s;
}

function hexNibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 97 && c <= 102) return c - 87; // a-f
  if (c >= 65 && c <= 70) return c - 55; // A-F
  return -1;
}

/**
 * Decodes hex (either case, no separators, even length). Surrounding ASCII whitespace is ignored so
 * vector files with a trailing newline decode directly.
 *
 * @example
 * ```ts
 * fromHex('CAFE'); // Uint8Array [0xca, 0xfe]
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` on odd length or a non-hex character.
 */
export function fromHex(hex: string): Uint8Array {
  if (typeof hex !== 'string') {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'hex input must be a string');
  }
  const s = hex.trim();
  if (s.length % 2 !== 0) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'hex input has odd length', { details: { length: s.length } });
  }
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexNibble(s.charCodeAt(2 * i));
    const lo = hexNibble(s.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'hex input has a non-hex character', {
        details: { offset: hi < 0 ? 2 * i : 2 * i + 1 },
      });
    }
    out[i] = (hi << 4) | lo;
  }
  return out;
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64URL_REVERSE: Int8Array = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < B64URL.length; i++) t[B64URL.charCodeAt(i)] = i;
  return t;
})();

/**
 * base64url without padding (RFC 4648 §5), as used by the `mdoc:` QR engagement URI.
 *
 * @example
 * ```ts
 * toBase64Url(new Uint8Array([0xfb, 0xff])); // '-_8'
 * ```
 */
export function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    s += B64URL[v >> 18]! + B64URL[(v >> 12) & 63]! + B64URL[(v >> 6) & 63]! + B64URL[v & 63]!;
  }
  if (n - i === 1) {
    const v = bytes[i]! << 16;
    s += B64URL[v >> 18]! + B64URL[(v >> 12) & 63]!;
  } else if (n - i === 2) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    s += B64URL[v >> 18]! + B64URL[(v >> 12) & 63]! + B64URL[(v >> 6) & 63]!;
  }
  return s;
}

/**
 * Decodes base64url (RFC 4648 §5). Padding `=` is accepted but not required; the standard alphabet
 * (`+`, `/`) is rejected, as are non-zero trailing bits (non-canonical encodings).
 *
 * @example
 * ```ts
 * fromBase64Url('-_8'); // Uint8Array [0xfb, 0xff]
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` on a character outside the alphabet, an impossible
 * length or non-zero trailing bits.
 */
export function fromBase64Url(text: string): Uint8Array {
  if (typeof text !== 'string') {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'base64url input must be a string');
  }
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61 /* = */ && text.length - end < 2) end--;
  if (end !== text.length && text.length % 4 !== 0) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'base64url padding is malformed');
  }
  const rem = end % 4;
  if (rem === 1) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'base64url input has an impossible length', {
      details: { length: end },
    });
  }
  const out = new Uint8Array(((end - rem) / 4) * 3 + (rem === 0 ? 0 : rem - 1));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? B64URL_REVERSE[c]! : -1;
    if (v < 0) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'base64url input has a character outside the alphabet', {
        details: { offset: i },
      });
    }
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'base64url input has non-zero trailing bits');
  }
  return out;
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * UTF-8 encodes a string.
 *
 * @example
 * ```ts
 * utf8Encode('mdoc:'); // Uint8Array [0x6d, 0x64, 0x6f, 0x63, 0x3a]
 * ```
 */
export function utf8Encode(text: string): Uint8Array {
  return textEncoder.encode(text);
}

/**
 * Strict UTF-8 decoding (invalid sequences are an error, a leading BOM is kept as U+FEFF).
 *
 * @example
 * ```ts
 * utf8Decode(new Uint8Array([0x68, 0x69])); // 'hi'
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` when the bytes are not valid UTF-8.
 */
export function utf8Decode(bytes: Uint8Array): string {
  try {
    return textDecoder.decode(bytes);
  } catch (cause) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'bytes are not valid UTF-8', { cause });
  }
}
