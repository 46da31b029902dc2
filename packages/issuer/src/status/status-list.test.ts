import { inflateSync } from 'node:zlib';
import { StatusList } from '@mdlkit/core/status';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StatusIndexAllocator } from './allocate-status-index.js';

describe('StatusList', () => {
  it('packs entries least-significant bit first (draft-ietf-oauth-status-list §4.1 example)', async () => {
    // The draft's 1-bit example: statuses for indices 0..15 → bytes b9 a3.
    const statuses = [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1];
    const list = new StatusList({ bits: 1, size: 16 });
    for (const [i, s] of statuses.entries()) list.set(i, s);
    expect([...list.bytes]).toEqual([0xb9, 0xa3]);
    const { lst } = await list.encode();
    expect([...inflateSync(lst)]).toEqual([0xb9, 0xa3]);
  });

  it('2-bit entries (draft §4.1 example: c9 44 f9)', () => {
    const statuses = [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3];
    const list = new StatusList({ bits: 2, size: 12 });
    for (const [i, s] of statuses.entries()) list.set(i, s);
    expect([...list.bytes]).toEqual([0xc9, 0x44, 0xf9]);
    expect(statuses.map((_, i) => list.get(i))).toEqual(statuses);
  });

  it('round-trips through ZLIB for any statuses', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: 1, maxLength: 300 }), async (bits) => {
        const list = new StatusList({ bits: 1, size: bits.length });
        for (const [i, b] of bits.entries()) list.set(i, b ? 1 : 0);
        const back = await StatusList.decode(await list.encode());
        return bits.every((b, i) => back.get(i) === (b ? 1 : 0));
      }),
      { numRuns: 30 },
    );
  });

  it('rejects bad input with typed errors', async () => {
    const list = new StatusList({ bits: 1, size: 8 });
    expect(() => list.get(8)).toThrow(expect.objectContaining({ code: 'ERR_STATUS_LIST_INVALID' }));
    expect(() => list.set(0, 2)).toThrow(expect.objectContaining({ code: 'ERR_STATUS_LIST_INVALID' }));
    await expect(StatusList.decode({ bits: 3, lst: new Uint8Array() })).rejects.toMatchObject({
      code: 'ERR_STATUS_LIST_INVALID',
    });
    await expect(StatusList.decode({ bits: 1, lst: new Uint8Array([1, 2, 3]) })).rejects.toMatchObject({
      code: 'ERR_STATUS_LIST_INVALID',
    });
    // A zip bomb is cut off at the output bound.
    const bomb = await new StatusList({ bits: 1, size: 8 * 1024 * 1024 }).encode();
    await expect(StatusList.decode(bomb, 4096)).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_INVALID' });
  });
});

describe('StatusIndexAllocator', () => {
  it('hands out distinct, non-sequential indices until full', () => {
    let seed = 1;
    const prng = (n: number) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        out[i] = seed >>> 24;
      }
      return out;
    };
    const alloc = new StatusIndexAllocator({ capacity: 64, randomBytes: prng, used: [3] });
    const got = Array.from({ length: 63 }, () => alloc.allocate());
    expect(new Set(got).size).toBe(63);
    expect(got).not.toContain(3);
    const ascending = got.slice(0, 10).every((v, i, a) => i === 0 || v === a[i - 1]! + 1);
    expect(ascending).toBe(false);
    expect(() => alloc.allocate()).toThrow(expect.objectContaining({ code: 'ERR_STATUS_LIST_INVALID' }));
  });
});
