import { describe, expect, it } from 'vitest';
import { CborBudget } from './budget.js';
import { decodeCbor } from './decode.js';
import { encodeCbor } from './encode.js';
import { EncodedCbor } from './encoded-cbor.js';
import { RawCbor } from './types.js';

/** `[n × {}]` */
function emptyMaps(n: number): Uint8Array {
  const head = encodeCbor(new Array(n).fill(0)).subarray(0, n < 24 ? 1 : n < 256 ? 2 : 3);
  const out = new Uint8Array(head.length + n).fill(0xa0);
  out.set(head, 0);
  return out;
}

/** An array of `count` tag-24 items, each holding `[per × {}]`. */
function nested(count: number, per: number): Uint8Array {
  return encodeCbor(Array.from({ length: count }, () => EncodedCbor.fromBytes(emptyMaps(per))));
}

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('CborBudget', () => {
  it('counts the items of every tag-24 item decoded later against one maxItems', () => {
    const bytes = nested(4, 900);
    // Without a budget each item restarts the count: all four decode under maxItems 1,000.
    const free = decodeCbor(bytes, { maxItems: 1000 }) as EncodedCbor[];
    for (const item of free) expect((item.value as unknown[]).length).toBe(900);
    // With one budget the second item exhausts it.
    const budget = new CborBudget();
    const shared = decodeCbor(bytes, { maxItems: 1000, budget }) as EncodedCbor[];
    expect((shared[0]!.value as unknown[]).length).toBe(900);
    expect(codeOf(() => shared[1]!.value)).toBe('ERR_CBOR_ITEM_COUNT_EXCEEDED');
    expect(budget.itemsUsed).toBeGreaterThan(900);
  });

  it('charges readFields like value', () => {
    const item = EncodedCbor.fromValue(new Map([['a', new RawCbor(emptyMaps(600))]]));
    const bytes = encodeCbor([item, item]);
    const budget = new CborBudget();
    const [a, b] = decodeCbor(bytes, { maxItems: 1000, budget }) as EncodedCbor[];
    expect(Object.keys(a!.readFields(['a'])!)).toEqual(['a']);
    expect(codeOf(() => b!.readFields(['a']))).toBe('ERR_CBOR_ITEM_COUNT_EXCEEDED');
  });

  it('bounds the bytes decoded in total', () => {
    const bytes = nested(3, 100);
    const budget = new CborBudget({ maxBytes: bytes.length + 150 });
    const items = decodeCbor(bytes, { budget }) as EncodedCbor[];
    expect((items[0]!.value as unknown[]).length).toBe(100);
    expect(codeOf(() => items[1]!.value)).toBe('ERR_CBOR_INPUT_TOO_LARGE');
    expect(budget.bytesUsed).toBe(bytes.length + 102);
  });

  it('carries nesting depth through tag 24 into the item', () => {
    // [24(<<[[1]]>>)]: depth 1 (array) + 1 (tag) + 2 inside = 4.
    const bytes = encodeCbor([EncodedCbor.fromValue([[1]])]);
    const [item] = decodeCbor(bytes, { maxDepth: 3 }) as EncodedCbor[];
    expect(codeOf(() => item!.value)).toBe('ERR_CBOR_DEPTH_EXCEEDED');
    const [ok] = decodeCbor(bytes, { maxDepth: 4 }) as EncodedCbor[];
    expect(ok!.value).toEqual([[1]]);
  });

  it('rejects a bad maxBytes', () => {
    expect(codeOf(() => new CborBudget({ maxBytes: -1 }))).toBe('ERR_INVALID_ARGUMENT');
  });
});
