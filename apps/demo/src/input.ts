import { readFileSync, statSync } from 'node:fs';
import { decodeCbor } from '@mdlkit/core/cbor';
import { isMdlError } from '@mdlkit/core/errors';
import { classifyMdocValue, detectInputFormat, type InspectKind } from '@mdlkit/reader/inspect';
import { InputError } from './cli-error.js';

/** Largest input file the CLI reads (the reader applies its own, tighter, limits afterwards). */
export const MAX_INPUT_FILE_BYTES: number = 64 * 1024 * 1024;

/** The option a file came from, for error messages (`--device-response`); optional everywhere. */
export type OptionName = `--${string}` | 'argument' | undefined;

/**
 * Reads a file (`-` reads standard input), refusing directories, missing files and absurd sizes
 * with an {@link InputError} that names the option and the file.
 */
export function readInputFile(file: string, option?: OptionName): Uint8Array {
  const info = { file, ...(option === undefined ? {} : { option }) };
  if (file === '-') {
    const data = readFileSync(0);
    if (data.length > MAX_INPUT_FILE_BYTES)
      throw new InputError(`larger than ${MAX_INPUT_FILE_BYTES} bytes`, info);
    return new Uint8Array(data);
  }
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new InputError('not a regular file', info);
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? 'error'})`, info);
  }
  if (size > MAX_INPUT_FILE_BYTES) throw new InputError(`larger than ${MAX_INPUT_FILE_BYTES} bytes`, info);
  return new Uint8Array(readFileSync(file));
}

const LENIENT = { allowIndefinite: true, allowNonPreferred: true, lenientDates: true } as const;

function hexStart(b: Uint8Array): string {
  return Buffer.from(b.subarray(0, 8)).toString('hex') + (b.length > 8 ? '…' : '');
}

/**
 * Decodes binary data given as raw bytes or as hex / base64 / base64url text (whitespace ignored),
 * detected by `@mdlkit/reader/inspect`'s `detectInputFormat`, and checks that it is one CBOR data
 * item — and, with `expect`, one of those structures. Every refusal is an {@link InputError} saying
 * what the input looked like (JSON, PEM, hex with a stray character, another structure …), so a
 * decoder deep inside never has to complain about `ERR_CBOR_TRUNCATED` instead.
 */
export function decodeBinaryInput(
  raw: Uint8Array,
  file: string,
  option?: OptionName,
  expect?: readonly InspectKind[],
): Uint8Array {
  const info = { file, ...(option === undefined ? {} : { option }) };
  let bytes: Uint8Array;
  let format: string;
  try {
    const d = detectInputFormat(raw, { name: file });
    if (d.format === 'pem') {
      throw new InputError(`a PEM ${d.pemLabel ?? ''} block, not CBOR (hex, base64 or binary)`, {
        ...info,
        looksLike: 'pem',
      });
    }
    bytes = d.bytes;
    format = d.format === 'binary' ? 'binary input' : `${d.format} text`;
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (!isMdlError(e)) throw e;
    const looksLike = String(e.details['looksLike'] ?? 'unknown');
    if (looksLike === 'text' && isCbor(raw)) {
      bytes = raw;
      format = 'binary input';
    } else {
      const message = e.message.startsWith(`${file}: `) ? e.message.slice(file.length + 2) : e.message;
      throw new InputError(message, { ...info, looksLike, code: e.code });
    }
  }
  let value: unknown;
  try {
    value = decodeCbor(bytes, LENIENT);
  } catch (e) {
    if (!isMdlError(e)) throw e;
    const at = e.details['offset'] === undefined ? '' : ` at byte ${e.details['offset']}`;
    throw new InputError(
      `${format} of ${bytes.length} bytes is not one CBOR data item (${e.code}${at}: ${e.message}); it starts with ${hexStart(bytes)}`,
      { ...info, looksLike: 'not-cbor', code: e.code },
    );
  }
  if (expect !== undefined && expect.length > 0) {
    const kind = classifyMdocValue(value);
    if (!expect.includes(kind) && kind !== 'CBOR') {
      const article = /^[AEIOU]/.test(kind) ? 'an' : 'a';
      throw new InputError(`this is ${article} ${kind}, not ${expect.join(' or ')}`, {
        ...info,
        looksLike: kind,
      });
    }
  }
  return bytes;
}

function isCbor(b: Uint8Array): boolean {
  try {
    decodeCbor(b, LENIENT);
    return true;
  } catch {
    return false;
  }
}

/**
 * Decodes text (whitespace already removed) holding hex (optionally `0x`-prefixed) or base64 /
 * base64url; `undefined` when it is neither.
 */
export function decodeHexOrBase64(text: string): Uint8Array | undefined {
  try {
    const d = detectInputFormat(text);
    return d.format === 'hex' || d.format === 'base64' || d.format === 'base64url' ? d.bytes : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a file of binary / hex / base64 CBOR (see {@link decodeBinaryInput}). `option` names the
 * option in errors; `expect` lists the structures the file may hold.
 */
export function readBinaryFile(
  file: string,
  option?: OptionName,
  expect?: readonly InspectKind[],
): Uint8Array {
  return decodeBinaryInput(readInputFile(file, option), file, option, expect);
}

/**
 * Reads DER given as binary, hex, base64 or PEM (the PEM block must carry `pemLabel`, e.g. `X509 CRL`).
 *
 * @throws {@link InputError} naming the option and file, with what the input looked like.
 */
export function readDerFile(file: string, pemLabel: string, option?: OptionName): Uint8Array {
  const info = { file, ...(option === undefined ? {} : { option }) };
  try {
    const d = detectInputFormat(readInputFile(file, option), { name: file });
    if (d.format === 'pem' && d.pemLabel !== pemLabel) {
      throw new InputError(`a PEM ${d.pemLabel ?? ''} block, expected ${pemLabel}`, {
        ...info,
        looksLike: 'pem',
      });
    }
    if (d.format === 'mdoc-uri')
      throw new InputError('an mdoc: URI, not DER', { ...info, looksLike: 'mdoc-uri' });
    if (d.bytes[0] !== 0x30) {
      throw new InputError(
        `${d.format} input that is not DER (a DER SEQUENCE starts with 0x30; this starts with ${hexStart(d.bytes)})`,
        {
          ...info,
          looksLike: 'not-der',
        },
      );
    }
    return d.bytes;
  } catch (e) {
    if (e instanceof InputError || !isMdlError(e)) throw e;
    const message = e.message.startsWith(`${file}: `) ? e.message.slice(file.length + 2) : e.message;
    throw new InputError(message, {
      ...info,
      looksLike: String(e.details['looksLike'] ?? 'unknown'),
      code: e.code,
    });
  }
}
