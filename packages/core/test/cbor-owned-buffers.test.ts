import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { taggedView } from '../src/cbor/encoded-cbor.js';
import { CborWriter, decodeCbor, EncodedCbor, encodeCbor, toHex } from '../src/cbor/index.js';
import { coseKeyToPrivateKey, encodeCoseKey, privateKeyToCoseKey } from '../src/cose/index.js';
import { node, web } from './crypto-providers.js';

/** Whether `x` is the only view of its ArrayBuffer, covering all of it. */
function ownsBuffer(x: Uint8Array): boolean {
  return x.byteOffset === 0 && x.buffer.byteLength === x.byteLength;
}

/** Every byte array reachable in a decoded value (maps, arrays, tag 24 bytes and their contents). */
function byteArrays(value: unknown, out: Uint8Array[] = []): Uint8Array[] {
  if (value instanceof Uint8Array) out.push(value);
  else if (Array.isArray(value)) for (const v of value) byteArrays(v, out);
  else if (value instanceof Map) {
    for (const [k, v] of value) {
      byteArrays(k, out);
      byteArrays(v, out);
    }
  } else if (value instanceof EncodedCbor) {
    out.push(value.bytes, value.tagged());
    byteArrays(value.value, out);
  }
  return out;
}

const SIZES = [0, 1, 24, 64, 65, 100, 1000, 4096, 8191, 8192, 8193, 20_000];

describe('returned byte arrays own their ArrayBuffer', () => {
  it.each(SIZES)('encodeCbor of a %i-byte string owns its buffer, and two results never share one', (n) => {
    const a = encodeCbor(new Uint8Array(n).fill(1));
    const b = encodeCbor(new Uint8Array(n).fill(2));
    expect(ownsBuffer(a)).toBe(true);
    expect(ownsBuffer(b)).toBe(true);
    expect(a.buffer).not.toBe(b.buffer);
  });

  it.each(SIZES)('decodeCbor byte strings of %i bytes own their buffers (also from a Node Buffer)', (n) => {
    const value = [new Uint8Array(n).fill(3), new Map([[1, new Uint8Array(n).fill(4)]])];
    const encoded = encodeCbor(value);
    for (const input of [encoded, Buffer.from(encoded)]) {
      const decoded = decodeCbor(input) as [Uint8Array, Map<number, Uint8Array>];
      const [first, map] = decoded;
      expect(ownsBuffer(first)).toBe(true);
      expect(ownsBuffer(map.get(1)!)).toBe(true);
      expect(first.buffer).not.toBe(map.get(1)!.buffer);
      expect(first.buffer).not.toBe(input.buffer);
      input.fill(0);
      expect(first.every((x) => x === 3)).toBe(true);
    }
  });

  it('tag 24: bytes, tagged() and what they contain each own their buffer', () => {
    const inner = EncodedCbor.fromValue(new Map([['random', new Uint8Array(200).fill(5)]]));
    const decoded = decodeCbor(encodeCbor([inner, inner])) as EncodedCbor[];
    const arrays = byteArrays(decoded);
    expect(arrays.length).toBe(6);
    for (const x of arrays) expect(ownsBuffer(x)).toBe(true);
    expect(new Set(arrays.map((x) => x.buffer)).size).toBe(arrays.length);
    expect(toHex(decoded[0]!.tagged())).toBe(toHex(inner.tagged()));
  });

  it('tag 24 in tag 24: what a caller is handed for one item never changes another item', () => {
    const innermost = EncodedCbor.fromValue(new Uint8Array(100).fill(8));
    const middle = EncodedCbor.fromValue([innermost, innermost]);
    const input = encodeCbor([middle, middle]);
    const decoded = decodeCbor(input) as EncodedCbor<EncodedCbor[]>[];
    const expected = toHex(innermost.tagged());
    // The caller overwrites the input and everything it was handed for the first item.
    input.fill(0);
    decoded[0]!.bytes.fill(0);
    decoded[0]!.tagged().fill(0);
    const second = decoded[1]!;
    for (const inner of second.value) {
      expect(toHex(inner.tagged())).toBe(expected);
      expect(ownsBuffer(inner.tagged())).toBe(true);
      expect(toHex(inner.value as Uint8Array)).toBe(toHex(new Uint8Array(100).fill(8)));
    }
    expect(toHex(second.tagged())).toBe(toHex(middle.tagged()));
    // Items read before any was handed out decode from the decoder's own copy, not from `bytes`.
    const again = decodeCbor(encodeCbor([middle])) as EncodedCbor<EncodedCbor[]>[];
    again[0]!.bytes.fill(0);
    expect(toHex(again[0]!.value[1]!.tagged())).toBe(expected);
  });

  it('a decoded tag-24 item keeps the decode’s input copy alive until tagged() copies it out (as its TSDoc says)', () => {
    const input = encodeCbor([EncodedCbor.fromValue(1), new Uint8Array(50_000).fill(9)]);
    const [item] = decodeCbor(input) as [EncodedCbor, Uint8Array];
    // The item views the decode's copy of the whole input, not the caller's array.
    expect(taggedView(item).buffer.byteLength).toBe(input.length);
    expect(taggedView(item).buffer).not.toBe(input.buffer);
    const bytes = item.bytes;
    expect(ownsBuffer(bytes)).toBe(true);
    expect(taggedView(item).buffer.byteLength).toBe(input.length); // reading bytes lets go of nothing
    const tagged = item.tagged();
    expect(ownsBuffer(tagged)).toBe(true);
    expect(taggedView(item)).toBe(tagged); // the item now holds its own copy, and no view of the input
    expect(toHex(tagged)).toBe('d8184101');
    // Nested in a value read before tagged(): the inner item views the same copy, and keeps it.
    const inner = EncodedCbor.fromValue(2);
    const outer = (
      decodeCbor(encodeCbor([EncodedCbor.fromValue([inner]), new Uint8Array(50_000)])) as [
        EncodedCbor<EncodedCbor[]>,
      ]
    )[0];
    const nested = outer.value[0]!;
    expect(taggedView(nested).buffer).toBe(taggedView(outer).buffer);
    outer.tagged();
    expect(taggedView(outer).buffer.byteLength).toBe(outer.tagged().length);
    expect(taggedView(nested).buffer.byteLength).toBeGreaterThan(50_000);
  });

  it('any decoded value: every byte array in it owns a buffer no other one has', () => {
    const leaf = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.integer(),
      fc.string({ maxLength: 20 }),
      fc.uint8Array({ maxLength: 100 }).map((b) => EncodedCbor.fromValue([b, b])),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 5 })),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        const arrays = byteArrays(decodeCbor(encodeCbor(v)));
        for (const x of arrays) expect(ownsBuffer(x)).toBe(true);
        expect(new Set(arrays.map((x) => x.buffer)).size).toBe(arrays.length);
      }),
      { numRuns: 200 },
    );
  });

  it('CborWriter.finish() owns its buffer and does not change when writing goes on', () => {
    const w = new CborWriter({}, 16);
    w.head(4, 2);
    w.bytes(new Uint8Array(100).fill(6));
    const first = w.finish();
    expect(ownsBuffer(first)).toBe(true);
    const hex = toHex(first);
    w.bytes(new Uint8Array(5000).fill(7));
    expect(toHex(first)).toBe(hex);
    expect(w.length).toBe(first.length + 3 + 5000);
  });

  it.each([node, web])('randomBytes results own their buffers ($cryptoProvider)', (api) => {
    for (const n of [16, 32, 100, 2000]) expect(ownsBuffer(api.randomBytes(n))).toBe(true);
  });
});

describe('a COSE_Key private d is never in a shared buffer', () => {
  it.each(['P-256', 'P-384', 'Ed25519'] as const)('%s: encoded, decoded and re-imported', (curve) => {
    const { privateKey } = web.generateKeyPair({ curve });
    const d = privateKey.d;
    expect(ownsBuffer(d)).toBe(true);
    const coseKey = privateKeyToCoseKey(privateKey);
    const encoded = encodeCoseKey(coseKey);
    expect(ownsBuffer(encoded)).toBe(true);
    // Keys written out of order go through the encoder's sort scratch: the result still owns its bytes.
    const unsorted = new Map([...coseKey].reverse());
    const sorted = encodeCbor(unsorted);
    expect(toHex(sorted)).toBe(toHex(encoded));
    expect(ownsBuffer(sorted)).toBe(true);
    // Whatever is encoded next does not see d in its buffer.
    const next = encodeCbor(new Uint8Array(300));
    expect(toHex(new Uint8Array(next.buffer)).includes(toHex(d))).toBe(false);
    const decoded = decodeCbor(encoded) as Map<number, unknown>;
    const dDecoded = decoded.get(-4) as Uint8Array;
    expect(toHex(dDecoded)).toBe(toHex(d));
    expect(ownsBuffer(dDecoded)).toBe(true);
    expect(ownsBuffer(coseKeyToPrivateKey(decoded).d)).toBe(true);
  });
});

describe('CborWriter hand-over', () => {
  it('an exactly sized writer hands its buffer over; later writes and closes never touch it', () => {
    const w = new CborWriter({}, 16);
    w.head(4, 1);
    const mark = w.beginEmbedded(1);
    w.bytes(new Uint8Array(11).fill(1)); // 2 + 1 + 1 + 12 = 16 bytes: exactly full
    expect(w.length).toBe(16);
    const before = w.finish();
    expect(ownsBuffer(before)).toBe(true);
    const hex = toHex(before);
    w.endEmbedded(mark); // rewrites the bstr head: into a copy
    w.text('more');
    expect(toHex(before)).toBe(hex);
    expect(toHex(w.finish())).not.toBe(hex);
  });
});
