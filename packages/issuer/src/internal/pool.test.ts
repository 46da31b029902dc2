import { describe, expect, it } from 'vitest';
import { runPool } from './pool.js';

describe('runPool', () => {
  it('keeps at most `concurrency` workers in flight and preserves order', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await runPool(25, 4, async (i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return i * 2;
    });
    expect(peak).toBe(4);
    expect(results).toEqual(Array.from({ length: 25 }, (_, i) => i * 2));
  });

  it('handles zero items', async () => {
    expect(await runPool(0, 8, async () => 1)).toEqual([]);
  });
});
