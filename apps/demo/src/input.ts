import { readFileSync, statSync } from 'node:fs';
import { UsageError } from './cli-error.js';

/** Largest input file the CLI reads (the reader applies its own, tighter, limits afterwards). */
export const MAX_INPUT_FILE_BYTES: number = 64 * 1024 * 1024;

/** Reads a file, refusing directories, missing files and absurd sizes with a {@link UsageError}. */
export function readInputFile(file: string): Uint8Array {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new UsageError(`${file}: not a regular file`);
    size = st.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (size > MAX_INPUT_FILE_BYTES) throw new UsageError(`${file}: larger than ${MAX_INPUT_FILE_BYTES} bytes`);
  return new Uint8Array(readFileSync(file));
}

const HEX = /^[0-9a-fA-F]+$/;
const B64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Reads binary data given either as raw bytes or as text holding hex or base64 / base64url
 * (whitespace ignored). Text is recognised only when every byte is printable ASCII, so binary CBOR
 * that happens to start with a letter is never mistaken for text.
 */
export function decodeBinaryInput(raw: Uint8Array, what: string): Uint8Array {
  if (raw.length === 0) throw new UsageError(`${what}: empty input`);
  let printable = true;
  for (const b of raw) {
    if (!(b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f))) {
      printable = false;
      break;
    }
  }
  if (!printable) return raw;
  const text = new TextDecoder().decode(raw).replace(/\s+/g, '');
  if (text.length === 0) throw new UsageError(`${what}: empty input`);
  // Printable but neither hex nor base64: hand the bytes on; the CBOR decoder will say what is wrong.
  return decodeHexOrBase64(text) ?? raw;
}

/**
 * Decodes text (whitespace already removed) holding hex (optionally `0x`-prefixed) or base64 /
 * base64url; `undefined` when it is neither. Node's base64 decoder reads both alphabets.
 */
export function decodeHexOrBase64(text: string): Uint8Array | undefined {
  const body = text.startsWith('0x') ? text.slice(2) : text;
  if (HEX.test(body) && body.length % 2 === 0) return Uint8Array.from(Buffer.from(body, 'hex'));
  if (B64.test(text)) return Uint8Array.from(Buffer.from(text, 'base64'));
  return undefined;
}

/** Reads a file of binary / hex / base64 data. */
export function readBinaryFile(file: string): Uint8Array {
  return decodeBinaryInput(readInputFile(file), file);
}
