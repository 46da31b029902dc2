import { describe, expect, it } from 'vitest';
import { allocBytes, copyBytes } from '../src/cbor/alloc.js';
import { CborWriter, decodeCbor, encodeCbor, toHex } from '../src/cbor/index.js';

describe('allocBytes', () => {
  it('hands out zero-filled regions that never overlap, each written independently', () => {
    const sizes = [65, 100, 1000, 4096, 8192, 200, 77, 3000, 8000, 8000, 8000, 8000, 8000, 8000, 8000];
    const arrays = sizes.map((n) => allocBytes(n));
    arrays.forEach((a, i) => {
      expect(a.length).toBe(sizes[i]);
      expect(a.every((b) => b === 0)).toBe(true);
      a.fill(i + 1);
    });
    // Every array still holds only its own fill: no region was handed out twice.
    arrays.forEach((a, i) => {
      expect(a.every((b) => b === i + 1)).toBe(true);
    });
  });

  it('shares a slab between medium sizes, with 8-byte aligned starts; small and large arrays get their own', () => {
    const a = allocBytes(100);
    const b = allocBytes(100);
    expect(b.buffer).toBe(a.buffer);
    expect(a.byteOffset % 8).toBe(0);
    expect(b.byteOffset % 8).toBe(0);
    const small = allocBytes(64);
    const large = allocBytes(8193);
    expect(small.buffer).not.toBe(a.buffer);
    expect(large.byteOffset).toBe(0);
    expect(large.buffer.byteLength).toBe(8193);
    expect(allocBytes(0).length).toBe(0);
  });

  it('moves on to a fresh slab when the current one is short', () => {
    const first = allocBytes(8000);
    const seen = new Set<ArrayBufferLike>([first.buffer]);
    for (let i = 0; i < 10; i++) seen.add(allocBytes(8000).buffer);
    expect(seen.size).toBeGreaterThan(1);
  });
});

describe('copyBytes', () => {
  it('copies a range into memory of its own', () => {
    const src = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    const whole = copyBytes(src);
    const part = copyBytes(src, 10, 110);
    expect(whole).toEqual(src);
    expect(part).toEqual(src.subarray(10, 110));
    src.fill(0);
    expect(whole[5]).toBe(5);
    expect(part[0]).toBe(10);
  });
});

describe('encoders and decoders on slab memory', () => {
  it('encodeCbor results do not alias each other or the encoder scratch', () => {
    const a = encodeCbor(new Uint8Array(200).fill(1));
    const b = encodeCbor(new Uint8Array(200).fill(2));
    const aHex = toHex(a);
    b.fill(0xff);
    encodeCbor(new Uint8Array(300).fill(3));
    expect(toHex(a)).toBe(aHex);
  });

  it('decoded byte strings do not alias the input', () => {
    const input = encodeCbor(new Uint8Array(120).fill(7));
    const decoded = decodeCbor(input) as Uint8Array;
    input.fill(0);
    expect(decoded.every((b) => b === 7)).toBe(true);
  });

  it('a writer that grows keeps what it wrote', () => {
    const w = new CborWriter({}, 80);
    for (let i = 0; i < 500; i++) w.head(0, i);
    const again = new CborWriter({}, 100_000);
    for (let i = 0; i < 500; i++) again.head(0, i);
    expect(toHex(w.finish())).toBe(toHex(again.finish()));
  });
});

describe('copies of Node Buffers', () => {
  it.each([10, 1000, 20_000])('copyBytes and decodeCbor copy a %i-byte Buffer, never view it', (n) => {
    const source = Buffer.alloc(n + 6, 5);
    const part = copyBytes(source, 3, n + 3);
    expect(Object.getPrototypeOf(part)).toBe(Uint8Array.prototype);
    source.fill(9);
    expect(part.every((b) => b === 5)).toBe(true);
    const encoded = Buffer.from(encodeCbor(new Uint8Array(n).fill(1)));
    const decoded = decodeCbor(encoded) as Uint8Array;
    encoded.fill(0);
    expect(decoded.every((b) => b === 1)).toBe(true);
  });
});
