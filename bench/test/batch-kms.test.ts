import { startEmulator } from '@mdlkit/aws-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BenchIssuer, makeBenchIssuer } from '../src/fixtures/reference.js';
import { batchCases, batchId, faultArgs } from '../src/suites/batch-kms.js';

// The batch bench's attempt count must be real: against an emulator that throttles Sign calls it
// must see more Sign requests than MSOs (and, with no faults, exactly one per MSO).
let issuer: BenchIssuer;
let emulator: Awaited<ReturnType<typeof startEmulator>>;
beforeAll(async () => {
  issuer = await makeBenchIssuer();
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});

describe('batch bench (KMS signer → emulator)', () => {
  it('counts one Sign request per MSO without faults, more under throttling and resets, every MSO issued', async () => {
    const size = 24;
    const { cases, client, attempts } = await batchCases(issuer, emulator, size, [4], { faults: true });
    try {
      const [faulted] = cases;
      expect(faulted!.id).toBe(batchId(4, true));
      expect(await faulted!.run()).toBe(true);
      const clean = attempts(faulted!.id);
      expect(clean).toEqual({ msos: size, signAttempts: size });

      emulator.faults.throttleRate(0.3, { operations: ['Sign'], seed: 19 });
      emulator.faults.resetRate(0.02, { operations: ['Sign'], seed: 20 });
      expect(await faulted!.run()).toBe(true);
      const after = attempts(faulted!.id);
      expect(after.msos).toBe(2 * size);
      const faultedAttempts = after.signAttempts - clean.signAttempts;
      expect(faultedAttempts).toBeGreaterThan(size);
      expect(faultedAttempts).toBeLessThanOrEqual(5 * size); // the SDK's default maxAttempts, nothing on top
      expect(emulator.faults.calls.count('Sign')).toBeLessThanOrEqual(after.signAttempts);
    } finally {
      emulator.faults.clear();
      client.destroy();
    }
  }, 60_000);

  it('faultArgs gives the emulator CLI flags for Sign-only faults', () => {
    expect(faultArgs({ throttleRate: 0.3, resetRate: 0.02 })).toEqual([
      '--throttle-rate',
      '0.3',
      '--reset-rate',
      '0.02',
      '--operations',
      'Sign',
      '--seed',
      '19',
    ]);
  });
});
