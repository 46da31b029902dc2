/** What a person pastes or drops into the inspector, turned into bytes. */

/** The bytes of an input and how they were written. */
export interface InputBytes {
  readonly bytes: Uint8Array;
  readonly encoding: 'hex' | 'base64' | 'base64url' | 'binary' | 'pem' | 'mdoc-uri';
  /** The PEM label (`CERTIFICATE`, …) for PEM input. */
  readonly pemLabel?: string;
}

/** An input that is none of the accepted encodings. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

const HEX = /^(?:0x)?[0-9a-fA-F\s:]+$/;
const B64 = /^[A-Za-z0-9+/\r\n]+={0,2}\s*$/;
const B64URL = /^[A-Za-z0-9_\-\r\n]+={0,2}\s*$/;

/** Largest input the inspector reads (the reader's own budgets are far below). */
export const MAX_INPUT_BYTES: number = 8 * 1024 * 1024;

/** Hex → bytes (whitespace, `:` separators and a `0x` prefix allowed). */
export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/^0x/, '').replace(/[\s:]+/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean))
    throw new InputError('odd-length or non-hex text');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** base64 or base64url → bytes. */
export function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (clean.length % 4 === 1) throw new InputError('base64 text of an impossible length');
  let bin: string;
  try {
    bin = atob(clean + '='.repeat((4 - (clean.length % 4)) % 4));
  } catch {
    throw new InputError('not base64');
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Every PEM block of a text, as DER with its label. */
export function pemBlocks(text: string): { label: string; der: Uint8Array }[] {
  const out: { label: string; der: Uint8Array }[] = [];
  for (const m of text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)) {
    out.push({ label: m[1] ?? '', der: fromBase64(m[2] ?? '') });
  }
  return out;
}

/**
 * Reads pasted text: an `mdoc:` URI (its base64url DeviceEngagement), PEM, hex, base64 or
 * base64url — in that order, so a hex string that is also valid base64 is read as hex.
 *
 * @throws {@link InputError} when the text is none of them.
 */
export function readTextInput(text: string): InputBytes {
  const t = text.trim();
  if (t.length === 0)
    throw new InputError('nothing to inspect: paste hex, base64 or base64url, or drop a file');
  if (t.length > MAX_INPUT_BYTES * 2) throw new InputError('input too large');
  if (/^mdoc:/i.test(t)) return { bytes: fromBase64(t.slice(5)), encoding: 'mdoc-uri' };
  if (t.startsWith('-----BEGIN')) {
    const [first] = pemBlocks(t);
    if (first === undefined) throw new InputError('a PEM header without a matching footer');
    return { bytes: first.der, encoding: 'pem', pemLabel: first.label };
  }
  if (HEX.test(t)) {
    try {
      return { bytes: fromHex(t), encoding: 'hex' };
    } catch {
      // fall through: may still be base64 (e.g. "abcd" with odd length after cleaning is not hex)
    }
  }
  if (B64.test(t)) return { bytes: fromBase64(t), encoding: 'base64' };
  if (B64URL.test(t)) return { bytes: fromBase64(t), encoding: 'base64url' };
  throw new InputError(
    `not hex, base64, base64url, PEM or an mdoc: URI (starts with "${t.slice(0, 16).replace(/[^\x20-\x7e]/g, '?')}")`,
  );
}

/** Reads a dropped file: text files as {@link readTextInput}, anything else as binary. */
export function readFileInput(bytes: Uint8Array): InputBytes {
  if (bytes.length > MAX_INPUT_BYTES) throw new InputError('file too large');
  const printable = bytes.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f));
  if (printable && bytes.length > 0) return readTextInput(new TextDecoder().decode(bytes));
  return { bytes: bytes.slice(), encoding: 'binary' };
}
