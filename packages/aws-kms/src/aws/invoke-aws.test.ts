import { MdlError } from '@mdlkit/core/errors';
import { describe, expect, it } from 'vitest';
import { FakeAwsError } from '../../test/support/fake-kms.js';
import type { AwsAuditRecord } from '../audit/audit-record.js';
import { mapKmsError } from '../errors/map-kms-error.js';
import { type AwsCallOptions, invokeAws } from './invoke-aws.js';
import { backoffDelayMs, DEFAULT_RETRY_POLICY } from './retry-policy.js';

function harness(failures: (() => Error)[], extra: Partial<AwsCallOptions> = {}) {
  const records: AwsAuditRecord[] = [];
  const sleeps: number[] = [];
  let sends = 0;
  const options: AwsCallOptions = {
    audit: (r) => records.push(r),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    now: () => new Date('2025-01-01T00:00:00Z'),
    ...extra,
  };
  const run = () =>
    invokeAws(
      {
        service: 'kms',
        operation: 'Sign',
        resourceId: 'alias/ds',
        input: { KeyId: 'alias/ds', Message: new Uint8Array(32) },
        send: async () => {
          const failure = failures[sends++];
          if (failure !== undefined) throw failure();
          return { Signature: new Uint8Array(70), $metadata: { requestId: `ok-${sends}`, attempts: 1 } };
        },
        mapError: mapKmsError,
      },
      options,
    );
  return { run, records, sleeps, sends: () => sends };
}

describe('backoffDelayMs', () => {
  it('grows exponentially up to the cap and scales with the jitter draw', () => {
    const p = DEFAULT_RETRY_POLICY;
    expect([1, 2, 3, 4].map((a) => backoffDelayMs(p, a, () => 0.999_999))).toEqual([49, 99, 199, 399]);
    expect(backoffDelayMs(p, 20, () => 0.5)).toBe(1000);
    expect(backoffDelayMs(p, 3, () => 0)).toBe(0);
    expect(backoffDelayMs(p, 3, () => Number.NaN)).toBe(0);
  });
});

describe('invokeAws', () => {
  const throttle = () => new FakeAwsError('ThrottlingException');

  it('retries throttling with jittered back-off and audits every attempt', async () => {
    const h = harness([throttle, throttle]);
    await expect(h.run()).resolves.toMatchObject({ Signature: expect.any(Uint8Array) });
    expect(h.sends()).toBe(3);
    expect(h.sleeps).toEqual([25, 50]);
    expect(h.records.map((r) => [r.attempt, r.outcome, r.errorName ?? '-'])).toEqual([
      [1, 'error', 'ThrottlingException'],
      [2, 'error', 'ThrottlingException'],
      [3, 'success', '-'],
    ]);
    expect(h.records[2]?.requestId).toBe('ok-3');
    expect(h.records[0]?.retryDelayMs).toBe(25);
  });

  it('gives up after maxAttempts with ERR_SIGNER_THROTTLED', async () => {
    const h = harness(Array(10).fill(throttle), { retry: { maxAttempts: 3 } });
    const error = await h.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MdlError);
    expect((error as MdlError).code).toBe('ERR_SIGNER_THROTTLED');
    expect((error as MdlError).cause).toBeInstanceOf(FakeAwsError);
    expect(h.sends()).toBe(3);
    expect(h.sleeps).toHaveLength(2);
    expect(h.records.at(-1)).toMatchObject({
      attempt: 3,
      outcome: 'error',
      errorCode: 'ERR_SIGNER_THROTTLED',
    });
  });

  it('retries transient server errors but not client errors', async () => {
    const transient = harness([() => new FakeAwsError('KMSInternalException', 500)]);
    await transient.run();
    expect(transient.sends()).toBe(2);

    const denied = harness([() => new FakeAwsError('AccessDeniedException')]);
    await expect(denied.run()).rejects.toMatchObject({ code: 'ERR_SIGNER_ACCESS_DENIED' });
    expect(denied.sends()).toBe(1);
    expect(denied.sleeps).toEqual([]);
  });

  it('aborts an attempt at the deadline and maps it to ERR_SIGNER_TIMEOUT', async () => {
    let attempts = 0;
    const promise = invokeAws(
      {
        service: 'kms',
        operation: 'Sign',
        resourceId: 'k',
        input: {},
        send: (signal) =>
          new Promise((_, reject) => {
            attempts++;
            signal?.addEventListener('abort', () => {
              const e = new Error('aborted');
              e.name = 'AbortError';
              reject(e);
            });
          }),
        mapError: mapKmsError,
      },
      { timeoutMs: 5 },
    );
    await expect(promise).rejects.toMatchObject({ code: 'ERR_SIGNER_TIMEOUT' });
    expect(attempts).toBe(1);
  });
});
