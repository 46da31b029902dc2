import { MdlError } from '@mdlkit/core/errors';
import { describe, expect, it } from 'vitest';
import { withRetry } from './retry.js';

const throttled = () => new MdlError('ERR_SIGNER_THROTTLED', 'slow down');

describe('withRetry', () => {
  it('retries throttling with bounded, jittered exponential back-off', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const stats = { attempts: 0, throttled: 0 };
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 4) throw throttled();
        return 'ok';
      },
      { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 250 },
      { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
      stats,
    );
    expect(result).toBe('ok');
    expect(stats).toEqual({ attempts: 4, throttled: 3 });
    // ceilings 100, 200, 250 (capped) × random 0.5
    expect(sleeps).toEqual([50, 100, 125]);
  });

  it('gives up after maxAttempts and re-throws the throttling error', async () => {
    let calls = 0;
    const err = await withRetry(
      async () => {
        calls++;
        throw throttled();
      },
      { maxAttempts: 3 },
      { sleep: async () => undefined, random: () => 0 },
    ).catch((e: unknown) => e);
    expect(calls).toBe(3);
    expect((err as MdlError).code).toBe('ERR_SIGNER_THROTTLED');
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    const err = await withRetry(
      async () => {
        calls++;
        throw new MdlError('ERR_SIGNER_ACCESS_DENIED', 'no');
      },
      {},
      { sleep: async () => undefined, random: () => 0 },
    ).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect((err as MdlError).code).toBe('ERR_SIGNER_ACCESS_DENIED');
  });
});
