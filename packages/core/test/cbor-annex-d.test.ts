import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytesEqual, decodeCbor, EncodedCbor, encodeCbor, fromHex, toHex } from '../src/cbor/index.js';
import { ANNEX_D } from './helpers.js';

interface ManifestFile {
  readonly file: string;
  readonly encoding?: string;
  readonly what: string;
}
const manifest = JSON.parse(readFileSync(path.join(ANNEX_D, 'manifest.json'), 'utf8')) as {
  files: ManifestFile[];
};

/** Hex vectors that are CBOR data items (raw keys, ECDH secrets, NDEF messages and JPEG bytes are not). */
const NOT_CBOR = /^(e-|s-|sk-|session-zab|emac-|mac-tag|iaca-private|nfc-handover|portrait)/;
const cborFiles = manifest.files
  .filter((f) => f.encoding === 'hex' && !NOT_CBOR.test(f.file))
  .map((f) => f.file);

function load(file: string): Uint8Array {
  return fromHex(readFileSync(path.join(ANNEX_D, file), 'utf8'));
}

/** Walks a decoded value and forces every embedded tag-24 item, returning how many were found. */
function forceEmbedded(value: unknown): number {
  if (value instanceof EncodedCbor) return 1 + forceEmbedded(value.value);
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + forceEmbedded(v), 0);
  if (value instanceof Map) {
    let n = 0;
    for (const [k, v] of value) n += forceEmbedded(k) + forceEmbedded(v);
    return n;
  }
  return 0;
}

describe('Annex D structures decode and re-encode byte-for-byte', () => {
  it('covers the CBOR vectors listed in the manifest', () => {
    expect(cborFiles).toEqual(
      expect.arrayContaining([
        'device-response.hex',
        'device-request.hex',
        'session-transcript-bytes.hex',
        'device-engagement.hex',
        'issuer-auth.hex',
      ]),
    );
  });

  it.each(cborFiles)('%s', (file) => {
    const bytes = load(file);
    const value = decodeCbor(bytes);
    // Annex D maps list keys in CDDL order, so the byte-exact rebuild uses insertion order.
    expect(toHex(encodeCbor(value, { keyOrder: 'insertion' }))).toBe(toHex(bytes));
    // Every embedded item is itself strict, well-formed CBOR.
    forceEmbedded(value);
  });

  it('keeps the received IssuerSignedItemBytes and decodes the portrait element', () => {
    const bytes = load('device-response.hex');
    const response = decodeCbor(bytes) as Map<string, unknown>;
    const doc = (response.get('documents') as Map<string, unknown>[])[0]!;
    const issuerSigned = doc.get('issuerSigned') as Map<string, unknown>;
    const nameSpaces = issuerSigned.get('nameSpaces') as Map<string, EncodedCbor<Map<string, unknown>>[]>;
    const items = nameSpaces.get('org.iso.18013.5.1')!;
    expect(items).toHaveLength(6);
    const portrait = load('portrait.hex');
    const portraitItem = items.find((i) => i.value.get('elementIdentifier') === 'portrait')!;
    expect(bytesEqual(portraitItem.value.get('elementValue') as Uint8Array, portrait)).toBe(true);
    // The tagged form of each item is a slice of the received response.
    for (const item of items) expect(toHex(bytes)).toContain(toHex(item.tagged()));
  });

  it('driving-privileges.hex equals the digestID 9 element value of the response', () => {
    const response = decodeCbor(load('device-response.hex')) as Map<string, unknown>;
    const doc = (response.get('documents') as Map<string, unknown>[])[0]!;
    const items = (
      (doc.get('issuerSigned') as Map<string, unknown>).get('nameSpaces') as Map<string, unknown>
    ).get('org.iso.18013.5.1') as EncodedCbor<Map<string, unknown>>[];
    const item = items.find((i) => i.value.get('digestID') === 9)!;
    expect(toHex(encodeCbor(item.value.get('elementValue'), { keyOrder: 'insertion' }))).toBe(
      toHex(load('driving-privileges.hex')),
    );
  });
});
