import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CborTagged, decodeCbor, EncodedCbor, encodeCbor } from '../src/cbor/index.js';

// EncodedCbor.tagged() writes `#6.24(bstr)` directly (the hash input of every IssuerSignedItem);
// it must stay byte-identical to the general encoder's output for a tag-24 byte string.
const viaEncoder = (bytes: Uint8Array): Uint8Array => encodeCbor(new CborTagged(24, bytes));

describe('EncodedCbor.tagged', () => {
  it.each([0, 1, 23, 24, 255, 256, 65_535, 65_536, 100_000])('matches the encoder at %i bytes', (n) => {
    const bytes = new Uint8Array(n).map((_, i) => (i * 7) & 0xff);
    const tagged = EncodedCbor.fromBytes(bytes).tagged();
    expect(tagged).toEqual(viaEncoder(bytes));
    expect(tagged.subarray(0, 2)).toEqual(new Uint8Array([0xd8, 0x18]));
  });

  it('property: equals the encoder output and decodes back to the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70_000 }), (bytes) => {
        const tagged = EncodedCbor.fromBytes(bytes).tagged();
        expect(tagged).toEqual(viaEncoder(bytes));
        expect((decodeCbor(tagged) as EncodedCbor).bytes).toEqual(bytes);
      }),
      { numRuns: 60 },
    );
  });

  it('is cached and equal for received and built items', () => {
    const item = EncodedCbor.fromValue(new Map([['digestID', 0]]));
    expect(item.tagged()).toBe(item.tagged());
    const received = decodeCbor(item.tagged()) as EncodedCbor;
    expect(received.tagged()).toEqual(item.tagged());
  });
});
