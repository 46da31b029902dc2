import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { assignDigestIds, DIGEST_ID_LIMIT, randomBelow } from './digest-ids.js';

const rb = (n: number) => new Uint8Array(randomBytes(n));

describe('assignDigestIds', () => {
  it('random: distinct ids below 2^31', () => {
    const ids = assignDigestIds({ nameSpace: 'ns', count: 200, strategy: 'random', randomBytes: rb });
    expect(new Set(ids).size).toBe(200);
    for (const id of ids) expect(id >= 0 && id < DIGEST_ID_LIMIT && Number.isInteger(id)).toBe(true);
  });

  it.each([3, 40])('random: a repeated draw is drawn again (%i ids)', (count) => {
    // First call: every id the same (0x80000001 masks to 1); later calls: fresh bytes.
    const calls: number[] = [];
    const source = (n: number) => {
      calls.push(n);
      return calls.length === 1
        ? new Uint8Array(n).map((_, i) => (i % 4 === 0 ? 0x80 : i % 4 === 3 ? 1 : 0))
        : rb(n);
    };
    const ids = assignDigestIds({ nameSpace: 'ns', count, strategy: 'random', randomBytes: source });
    expect(ids).toHaveLength(count);
    expect(new Set(ids).size).toBe(count);
    expect(ids[0]).toBe(1);
    expect(calls).toEqual([4 * count, 4 * (count - 1)]);
  });

  it('shuffled: a permutation of 0..n-1', () => {
    const ids = assignDigestIds({ nameSpace: 'ns', count: 50, strategy: 'shuffled', randomBytes: rb });
    expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('custom strategies are validated', () => {
    const run = (ids: number[]) => () =>
      assignDigestIds({ nameSpace: 'ns', count: 2, strategy: () => ids, randomBytes: rb });
    expect(run([0, 1])()).toEqual([0, 1]);
    expect(run([1, 1])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(run([0, 2 ** 31])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(run([0])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it('randomBelow rejects instead of biasing', () => {
    // First draw 0xffffffff is in the biased tail for bound 3 (2^32 mod 3 = 1) and must be rejected.
    const draws = [new Uint8Array([0xff, 0xff, 0xff, 0xff]), new Uint8Array([0, 0, 0, 5])];
    expect(randomBelow(3, () => draws.shift()!)).toBe(2);
    expect(() => randomBelow(0, rb)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});
