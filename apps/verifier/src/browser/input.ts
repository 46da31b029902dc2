/**
 * Small readers for the inspector's side fields (trust anchors as PEM, a key as hex). The main input
 * is read by `@mdlkit/reader/inspect`'s `detectInputFormat`, as `mdlkit inspect` reads it.
 */

/** A side field that is not in the form it needs. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

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
