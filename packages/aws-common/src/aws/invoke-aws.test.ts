/**
 * The one retry layer, through the real SDK clients over loopback HTTP against the emulator: the
 * SDK's strategy retries throttling and connection resets, the audit middleware records each HTTP
 * attempt, per-attempt timeouts turn a stalled request into a retried attempt, the overall deadline
 * ends the call, and a mapped error keeps its cause.
 */
import { ACMPCAClient, ListCertificateAuthoritiesCommand } from '@aws-sdk/client-acm-pca';
import { KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { type Emulator, startEmulator } from '@mdlkit/aws-emulator';
import { MdlError, type MdlErrorCode } from '@mdlkit/core/errors';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AwsAuditRecord } from '../audit/audit-record.js';
import { describeAwsCause } from '../internal/sdk-error.js';
import { awsClientDefaults } from './client-defaults.js';
import { type AwsFailureInfo, invokeAws } from './invoke-aws.js';
import { createAwsRetryStrategy } from './retry-strategy.js';

const credentials = { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' };
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.faults.clear();
  emulator.faults.calls.reset();
});

const fail = (error: unknown, info: AwsFailureInfo): MdlError<MdlErrorCode> =>
  new MdlError('ERR_AWS_REQUEST_FAILED', `${info.operation} failed: ${describeAwsCause(error)}`, {
    cause: error,
    details: { attempts: info.attempts, exhausted: info.retriesExhausted, deadline: info.deadlineExceeded },
  });

function kms(extra: Parameters<typeof awsClientDefaults>[0] = {}, endpoint = emulator.endpoint): KMSClient {
  return new KMSClient({
    endpoint,
    region: 'us-east-1',
    credentials,
    ...awsClientDefaults({ mode: 'standard', maxAttempts: 4, backoffMs: () => 0, ...extra }),
  });
}

function listKeys(
  client: KMSClient | ACMPCAClient,
  audit?: (r: AwsAuditRecord) => void,
  deadlineMs?: number,
) {
  const isKms = client instanceof KMSClient;
  return invokeAws<{ $metadata: { attempts?: number } }>(
    {
      service: isKms ? 'kms' : 'acm-pca',
      operation: isKms ? 'ListKeys' : 'ListCertificateAuthorities',
      resourceId: undefined,
      client,
      command: isKms ? new ListKeysCommand({}) : new ListCertificateAuthoritiesCommand({}),
      mapError: fail,
    },
    { ...(audit === undefined ? {} : { audit }), ...(deadlineMs === undefined ? {} : { deadlineMs }) },
  );
}

describe('one retry layer: the SDK strategy', () => {
  it('retries throttling up to maxAttempts; one audit record per HTTP attempt', async () => {
    const records: AwsAuditRecord[] = [];
    emulator.faults.throttleNext(3, { operations: ['ListKeys'] });
    const out = await listKeys(kms(), (r) => records.push(r));
    expect(out.$metadata.attempts).toBe(4);
    expect(emulator.faults.calls.count('ListKeys')).toBe(4);
    expect(records.map((r) => [r.attempt, r.outcome, r.errorName ?? '-'])).toEqual([
      [1, 'error', 'ThrottlingException'],
      [2, 'error', 'ThrottlingException'],
      [3, 'error', 'ThrottlingException'],
      [4, 'success', '-'],
    ]);
    expect(records[3]?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('stops at maxAttempts and says so: ERR with attempts and the SDK cause', async () => {
    const records: AwsAuditRecord[] = [];
    emulator.faults.throttleNext(10, { operations: ['ListKeys'] });
    const error = (await listKeys(kms(), (r) => records.push(r)).catch((e: unknown) => e)) as MdlError;
    expect(error.code).toBe('ERR_AWS_REQUEST_FAILED');
    expect(error.details).toMatchObject({ attempts: 4, exhausted: true, deadline: false });
    expect((error.cause as Error).name).toBe('ThrottlingException');
    expect(error.message).toContain('ThrottlingException (Rate exceeded)');
    expect(emulator.faults.calls.count('ListKeys')).toBe(4);
    expect(records).toHaveLength(4);
  });

  it('retries a connection reset (ECONNRESET), which maxAttempts: 1 used to report as outcome unknown', async () => {
    const records: AwsAuditRecord[] = [];
    emulator.faults.resetNext(2, { operations: ['ListKeys'] });
    const out = await listKeys(kms(), (r) => records.push(r));
    expect(out.$metadata.attempts).toBe(3);
    expect(records.map((r) => r.networkError ?? r.outcome)).toEqual(['ECONNRESET', 'ECONNRESET', 'success']);
  });

  it('a stalled attempt times out per attempt (requestTimeoutMs) and the retry succeeds', async () => {
    const records: AwsAuditRecord[] = [];
    emulator.faults.holdNext(1, { operations: ['ListKeys'] });
    const out = await listKeys(kms({ requestTimeoutMs: 150 }), (r) => records.push(r));
    expect(out.$metadata.attempts).toBe(2);
    expect(records.map((r) => r.errorName ?? r.outcome)).toEqual(['TimeoutError', 'success']);
  });

  it('the overall deadline ends a call whose every attempt stalls', async () => {
    emulator.faults.holdNext(20, { operations: ['ListKeys'] });
    const error = (await listKeys(kms({ requestTimeoutMs: 5_000 }), undefined, 200).catch(
      (e: unknown) => e,
    )) as MdlError;
    expect(error.code).toBe('ERR_AWS_REQUEST_FAILED');
    expect(error.details).toMatchObject({ deadline: true });
    expect(emulator.faults.calls.count('ListKeys')).toBe(1);
  });

  it('an unreachable endpoint keeps its cause (ENOTFOUND) in the message and as cause', async () => {
    const client = kms({ maxAttempts: 1 }, 'http://kms.mdlkit-test.invalid');
    const error = (await listKeys(client).catch((e: unknown) => e)) as MdlError;
    expect(error.code).toBe('ERR_AWS_REQUEST_FAILED');
    expect(error.message).toMatch(/ENOTFOUND|EAI_AGAIN/);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('the older ACM-PCA client works with the same strategy instance (shared budget)', async () => {
    const retryStrategy = createAwsRetryStrategy({ mode: 'standard', maxAttempts: 3, backoffMs: () => 0 });
    const pca = new ACMPCAClient({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      credentials,
      ...awsClientDefaults({ retryStrategy }),
    });
    const records: AwsAuditRecord[] = [];
    emulator.faults.throttleNext(2, { operations: ['ListCertificateAuthorities'] });
    await listKeys(pca, (r) => records.push(r));
    expect(records.map((r) => [r.service, r.attempt, r.outcome])).toEqual([
      ['acm-pca', 1, 'error'],
      ['acm-pca', 2, 'error'],
      ['acm-pca', 3, 'success'],
    ]);
  });

  it('adaptive mode is the default and retries too', async () => {
    const client = new KMSClient({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      credentials,
      ...awsClientDefaults({ backoffMs: () => 0 }),
    });
    emulator.faults.throttleNext(2, { operations: ['ListKeys'] });
    const out = await listKeys(client);
    expect(out.$metadata.attempts).toBe(3);
  });

  it('refuses maxAttempts outside 1..20', () => {
    expect(() => createAwsRetryStrategy({ maxAttempts: 0 })).toThrow(
      expect.objectContaining({ code: 'ERR_AWS_CONFIG_INVALID' }),
    );
    expect(() => awsClientDefaults({ requestTimeoutMs: 0 })).toThrow(
      expect.objectContaining({ code: 'ERR_AWS_CONFIG_INVALID' }),
    );
  });
});
