import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CborWriter, cborHeadLength, EncodedCbor, encodeCbor, FullDate, toHex } from '../src/cbor/index.js';

describe('CborWriter', () => {
  it('value() writes what encodeCbor writes, in both key orders', () => {
    const value = new Map<unknown, unknown>([
      ['b', [1, -2, 2 ** 40, 0.5, true, null]],
      [
        'a',
        new Map<unknown, unknown>([
          [2, 'x'],
          [1, new FullDate('2025-01-02')],
        ]),
      ],
      [10, new Uint8Array([1, 2, 3])],
    ]);
    for (const keyOrder of ['deterministic', 'insertion'] as const) {
      const w = new CborWriter({ keyOrder }, 16);
      w.value(value);
      expect(toHex(w.finish())).toBe(toHex(encodeCbor(value, { keyOrder })));
    }
  });

  it('primitives: heads, text, byte strings and raw splices', () => {
    const w = new CborWriter();
    w.head(4, 3);
    w.text('é');
    w.bytes(new Uint8Array([9]));
    w.raw(encodeCbor(-500));
    expect(toHex(w.finish())).toBe(toHex(encodeCbor(['é', new Uint8Array([9]), -500])));
  });

  it('embedded items equal an EncodedCbor at every byte-string head size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 70_000 }),
        fc.integer({ min: 1, max: 64 }),
        // No guess, or a guess of the content length that may be right or wrong in either direction.
        fc.option(
          fc.oneof(fc.integer({ min: 0, max: 70_000 }), fc.constantFrom(0, 23, 24, 255, 256, 65_536)),
        ),
        (n, initial, expected) => {
          const content = new Uint8Array(n).fill(0x61);
          const w = new CborWriter({}, initial);
          w.head(4, 2);
          const mark = expected === null ? w.beginEmbedded() : w.beginEmbedded(expected);
          w.bytes(content);
          const start = w.endEmbedded(mark);
          w.text('end');
          const item = EncodedCbor.fromValue(content);
          expect(toHex(w.finish())).toBe(toHex(encodeCbor([item, 'end'])));
          expect(toHex(w.finish().subarray(start, start + item.bytes.length))).toBe(toHex(item.bytes));
        },
      ),
      { numRuns: 120 },
    );
  });
});

describe('CborWriter embedded items inside embedded items', () => {
  it('close inner first, with guesses too short and too long, and equal nested EncodedCbor', () => {
    for (const [outerGuess, innerGuess, n] of [
      [10, 10, 300],
      [100_000, 0, 30],
      [undefined, 300, 5],
      [20, undefined, 70_000],
    ] as const) {
      const w = new CborWriter({}, 8);
      const outer = outerGuess === undefined ? w.beginEmbedded() : w.beginEmbedded(outerGuess);
      w.head(4, 2);
      const inner = innerGuess === undefined ? w.beginEmbedded() : w.beginEmbedded(innerGuess);
      w.bytes(new Uint8Array(n).fill(7));
      w.endEmbedded(inner);
      w.text('x');
      w.endEmbedded(outer);
      const expected = EncodedCbor.fromValue([EncodedCbor.fromValue(new Uint8Array(n).fill(7)), 'x']);
      expect(toHex(w.finish())).toBe(toHex(encodeCbor(expected)));
    }
  });
});

describe('cborHeadLength', () => {
  it.each([0, 23, 24, 255, 256, 65_535, 65_536, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER])(
    'is the length of the preferred head for %i (an unsigned integer is a bare head)',
    (n) => {
      expect(cborHeadLength(n)).toBe(encodeCbor(n).length);
    },
  );
});
