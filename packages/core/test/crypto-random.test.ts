import { describe, expect, it } from 'vitest';
import { node } from './crypto-providers.js';

const { randomBytes } = node;

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('node randomBytes (pooled for small requests)', () => {
  it('never hands out the same bytes twice, across pool refills and sizes', () => {
    const seen = new Set<string>();
    // 40 × 1000 bytes crosses several 8 KiB refills; 1025+ bytes bypass the pool.
    for (const length of [32, 4, 1000, 1024, 1025, 5000]) {
      for (let i = 0; i < 40; i++) {
        const out = randomBytes(length);
        expect(out).toBeInstanceOf(Uint8Array);
        expect(out.length).toBe(length);
        const h = hex(out);
        expect(seen.has(h)).toBe(false);
        seen.add(h);
      }
    }
  });

  it('returns independent copies (changing one result leaves the next untouched)', () => {
    for (const n of [32, 64, 200]) {
      const a = randomBytes(n);
      const b = randomBytes(n);
      const before = hex(b);
      a.fill(0);
      expect(hex(b)).toBe(before);
      // Results may share a slab (see cbor/alloc), but never memory.
      const disjoint =
        a.buffer !== b.buffer ||
        a.byteOffset + a.length <= b.byteOffset ||
        b.byteOffset + b.length <= a.byteOffset;
      expect(disjoint).toBe(true);
    }
    expect(randomBytes(0).length).toBe(0);
  });
});
