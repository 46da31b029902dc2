/**
 * Fault handling (issues #9, #19): the KMS signer and the batch issuer, through the real
 * `@aws-sdk/client-kms` over loopback HTTP, against the emulator's fault injection — throttling,
 * connection resets, lost responses, a key disabled mid-batch, access denied, a failing audit sink.
 * One retry layer: the SDK's retry strategy (here `standard` with no back-off, so the file stays
 * fast; production uses `adaptive` with the SDK's back-off). The batch retries nothing. Each test
 * asserts the counts: HTTP attempts seen by the server, audit records per SDK invocation, the
 * in-flight bound seen by the server, and that no document comes back half-signed (every `ok`
 * document verifies with the KMS public key and binds its own device key).
 */
import { DescribeKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { AwsCommandLike } from '@mdlkit/aws-common';
import { decodeCbor, type EncodedCbor } from '@mdlkit/core/cbor';
import { decodeCoseSign1, verifyCoseSign1 } from '@mdlkit/core/cose';
import { generateKeyPair, importPublicKey, type PublicKey } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { type BatchResult, type IssueBatchOptions, issueBatch } from '@mdlkit/issuer';
import { withKms } from '@mdlkit/test-utils/kms';
import { buildTestDs, buildTestIaca, type TestIaca } from '@mdlkit/test-utils/pki';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AwsAuditRecord,
  type AwsClientLike,
  type awsClientDefaults,
  createKmsSigner,
  type KmsSigner,
} from '../src/index.js';

type CborMap = Map<unknown, unknown>;
const NS = 'org.iso.18013.5.1';
const DOCTYPE = 'org.iso.18013.5.1.mDL';
const NOW = new Date('2025-03-01T12:00:00Z');

let iaca: TestIaca;

/**
 * The stated bound: attempts per Sign call (the first included); nothing retries on top. With 32 %
 * of attempts failing, a document needs n attempts with probability 0.32^(n-1)·0.68: at 15, the
 * chance that any of 10,000 runs out is about 4·10⁻⁴.
 */
const MAX_ATTEMPTS = 15;

const aws = withKms({
  client: { retry: { maxAttempts: MAX_ATTEMPTS, retryBudget: Number.POSITIVE_INFINITY } },
});
const sdkClient = (maxAttempts: number, extra: Parameters<typeof awsClientDefaults>[0] = {}): KMSClient =>
  aws.newClient({ retry: { maxAttempts, ...extra } });

/** Audit records of Sign grouped by SDK invocation (one invocation = one signature request). */
function attemptsPerInvocation(records: readonly AwsAuditRecord[]): Map<string, AwsAuditRecord[]> {
  const groups = new Map<string, AwsAuditRecord[]>();
  for (const r of records) {
    if (r.operation !== 'Sign') continue;
    const id = r.invocationId ?? 'none';
    const group = groups.get(id);
    if (group === undefined) groups.set(id, [r]);
    else group.push(r);
  }
  return groups;
}

/** The real SDK client behind a port that measures how many `send`s are in flight at once. */
class InFlightClient implements AwsClientLike {
  inFlight = 0;
  peak = 0;
  sends = 0;
  /** HTTP attempts the SDK reports it made (`$metadata.attempts` of every result and error). */
  sdkAttempts = 0;
  constructor(private readonly inner: AwsClientLike) {}
  async send(command: AwsCommandLike, options?: { abortSignal?: AbortSignal }): Promise<unknown> {
    this.sends++;
    this.inFlight++;
    this.peak = Math.max(this.peak, this.inFlight);
    try {
      const out = await this.inner.send(command, options);
      this.sdkAttempts += (out as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
      return out;
    } catch (error) {
      this.sdkAttempts += (error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
      throw error;
    } finally {
      this.inFlight--;
    }
  }
}

interface Harness {
  readonly signer: KmsSigner;
  readonly keyId: string;
  readonly port: InFlightClient;
  readonly records: AwsAuditRecord[];
  readonly dsCertificate: Uint8Array;
  readonly dsKey: PublicKey;
  readonly signsBefore: number;
}

/** A fresh P-256 KMS key, its DS certificate under the test IACA, and a signer with the given options. */
async function harness(
  options: { client?: KMSClient } = {},
  audit?: (record: AwsAuditRecord, records: AwsAuditRecord[]) => void,
): Promise<Harness> {
  const created = await aws.createKey();
  const keyId = created.keyId;
  const port = new InFlightClient(options.client ?? aws.client);
  const records: AwsAuditRecord[] = [];
  const signer = await createKmsSigner({
    client: port,
    keyId: created.arn,
    audit: (record) => {
      records.push(record);
      audit?.(record, records);
    },
  });
  const dsCertificate = await buildTestDs({ iaca, publicKey: signer.publicKey });
  records.length = 0; // DescribeKey + GetPublicKey at creation are not part of the batch
  port.sends = 0;
  port.sdkAttempts = 0;
  return {
    signer,
    keyId,
    port,
    records,
    dsCertificate,
    dsKey: importPublicKey({ format: 'spki', der: signer.publicKey }),
    signsBefore: aws.emulator.faults.calls.count('Sign'),
  };
}

function deviceKeys(n: number): PublicKey[] {
  return Array.from({ length: n }, () => generateKeyPair({ curve: 'P-256' }).publicKey);
}

async function runBatch(
  h: Harness,
  keys: readonly PublicKey[],
  extra: Partial<IssueBatchOptions> = {},
): Promise<BatchResult> {
  return issueBatch({
    docType: DOCTYPE,
    nameSpaces: {
      [NS]: new Map<string, unknown>([
        ['family_name', 'Doe'],
        ['issuing_country', 'US'],
        ['age_over_18', true],
      ]),
    },
    // fault handling, not data completeness: a three-element namespace keeps the batch small
    requireMandatory: false,
    deviceKeys: keys,
    validity: { validUntil: new Date('2025-06-01T00:00:00Z') },
    signer: h.signer,
    dsCertificate: h.dsCertificate,
    now: NOW,
    concurrency: 4,
    ...extra,
  });
}

/** Nothing half-signed: every `ok` document verifies with the KMS key and binds its own device key. */
async function expectWholeDocuments(
  result: BatchResult,
  h: Harness,
  keys: readonly PublicKey[],
): Promise<void> {
  expect(result.documents).toHaveLength(keys.length);
  expect(result.summary.succeeded + result.summary.failed).toBe(keys.length);
  for (const [i, doc] of result.documents.entries()) {
    expect(doc.index).toBe(i);
    if (!doc.ok) {
      expect(doc.error).toBeInstanceOf(MdlError);
      expect('mdoc' in doc).toBe(false);
      continue;
    }
    const sign1 = decodeCoseSign1(doc.mdoc.issuerAuth);
    expect(await verifyCoseSign1({ message: sign1, key: h.dsKey })).toBe(true);
    const mso = (decodeCbor(sign1.payload!) as EncodedCbor).value as CborMap;
    const deviceKey = (mso.get('deviceKeyInfo') as CborMap).get('deviceKey') as CborMap;
    expect(deviceKey.get(-2)).toEqual(keys[i]!.x);
    // the IssuerSigned handed to the holder carries exactly this IssuerAuth
    const issuerSigned = decodeCbor(doc.mdoc.issuerSigned) as CborMap;
    expect(issuerSigned.get('nameSpaces')).toBeInstanceOf(Map);
  }
}

const signRecords = (h: Harness) => h.records.filter((r) => r.operation === 'Sign');
const signCalls = (h: Harness) => aws.emulator.faults.calls.count('Sign') - h.signsBefore;

beforeAll(async () => {
  iaca = await buildTestIaca('Fault IACA');
});

describe('issue #19: 10,000 MSOs through KMS with 30 % of Sign calls throttled and 2 % reset', () => {
  it('zero lost, at most MAX_ATTEMPTS per MSO, the in-flight bound held, one audit record per attempt', async () => {
    const h = await harness();
    const N = 10_000;
    const CONCURRENCY = 16;
    const keys = deviceKeys(N);
    aws.emulator.faults.calls.reset();
    aws.emulator.faults.throttleRate(0.3, { operations: ['Sign'], seed: 19 });
    aws.emulator.faults.resetRate(0.02, { operations: ['Sign'], seed: 20 });
    let result: BatchResult;
    try {
      result = await runBatch(h, keys, { concurrency: CONCURRENCY });
    } finally {
      aws.emulator.faults.clear();
    }
    // zero lost: every MSO signed, whole, with its own device key
    const lost = result.documents
      .filter((d) => !d.ok)
      .map((d) => (d.ok ? '' : `${d.error.code} ${d.error.message}`));
    expect(lost.slice(0, 3)).toEqual([]);
    expect(result.summary).toMatchObject({ total: N, succeeded: N, failed: 0, attempts: N, throttled: 0 });
    await expectWholeDocuments(result, h, keys);
    // one audit record per HTTP attempt the SDK made; the server saw all of them but the few
    // a reset killed on a reused connection before they arrived
    const httpAttempts = h.port.sdkAttempts;
    expect(h.records).toHaveLength(httpAttempts);
    const serverSaw = aws.emulator.faults.calls.count('Sign');
    expect(serverSaw).toBeLessThanOrEqual(httpAttempts);
    expect(httpAttempts - serverSaw).toBeLessThan(httpAttempts * 0.01);
    // one SDK invocation per MSO, at most MAX_ATTEMPTS attempts each, numbered 1..n, the last a success
    const groups = attemptsPerInvocation(h.records);
    expect(groups.size).toBe(N);
    const histogram = new Map<number, number>();
    for (const attempts of groups.values()) {
      expect(attempts.length).toBeLessThanOrEqual(MAX_ATTEMPTS);
      expect(attempts.map((r) => r.attempt)).toEqual(attempts.map((_, i) => i + 1));
      expect(attempts.at(-1)?.outcome).toBe('success');
      histogram.set(attempts.length, (histogram.get(attempts.length) ?? 0) + 1);
    }
    // faults really happened at about the injected rates
    const throttled = h.records.filter((r) => r.errorName === 'ThrottlingException').length;
    const resets = h.records.filter((r) => r.networkError === 'ECONNRESET').length;
    expect(throttled / httpAttempts).toBeGreaterThan(0.27);
    expect(throttled / httpAttempts).toBeLessThan(0.33);
    expect(resets / httpAttempts).toBeGreaterThan(0.01);
    expect(resets / httpAttempts).toBeLessThan(0.03);
    // the in-flight bound, as the server saw it and as the client port saw it
    expect(aws.emulator.faults.calls.peakInFlight('Sign')).toBeLessThanOrEqual(CONCURRENCY);
    expect(h.port.peak).toBeLessThanOrEqual(CONCURRENCY);
    expect(h.port.sends).toBe(N);
    // no record carries message or signature bytes
    expect(h.records.every((r) => JSON.stringify(r.request).includes('"redacted":"bytes"'))).toBe(true);
    console.log(
      `10,000 MSOs: ${httpAttempts} Sign attempts, ${serverSaw} reached the server (${(httpAttempts / N).toFixed(3)} per MSO, max ${Math.max(...histogram.keys())}), ` +
        `${throttled} throttled, ${resets} resets; attempts histogram ${JSON.stringify([...histogram].sort((a, b) => a[0] - b[0]))}`,
    );
  }, 180_000);
});

describe('lost responses', () => {
  it('a response lost after KMS signed: the per-attempt timeout fails the attempt and the SDK signs again', async () => {
    const fast = sdkClient(3, { requestTimeoutMs: 200 });
    try {
      const h = await harness({ client: fast });
      aws.emulator.faults.holdNext(1, { ms: 4_000, afterProcessing: true, operations: ['Sign'] });
      const keys = deviceKeys(3);
      const result = await runBatch(h, keys, { concurrency: 1 });
      await expectWholeDocuments(result, h, keys);
      expect(result.summary).toMatchObject({ succeeded: 3, failed: 0, attempts: 3 });
      expect(signCalls(h)).toBe(4);
      expect(signRecords(h).map((r) => r.errorName ?? r.outcome)).toEqual([
        'TimeoutError',
        'success',
        'success',
        'success',
      ]);
    } finally {
      fast.destroy();
      aws.emulator.faults.clear();
    }
  });
});

describe('key failures mid-batch', () => {
  it('a key disabled at its 5th call: exactly 4 documents signed, the rest ERR_SIGNER_KEY_DISABLED, no retries', async () => {
    const h = await harness();
    aws.emulator.faults.failKey(h.keyId, { fromCall: 5, mode: 'disabled' });
    try {
      const keys = deviceKeys(12);
      const result = await runBatch(h, keys, { concurrency: 3 });
      await expectWholeDocuments(result, h, keys);
      expect(result.summary).toEqual({ total: 12, succeeded: 4, failed: 8, attempts: 12, throttled: 0 });
      for (const doc of result.documents) {
        if (!doc.ok) {
          expect(doc.error.code).toBe('ERR_SIGNER_KEY_DISABLED');
          expect(doc.error.details['awsError']).toBe('DisabledException');
          expect(doc.attempts).toBe(1);
        }
      }
      expect(signCalls(h)).toBe(12);
      expect(signRecords(h)).toHaveLength(12);
      const described = await aws.client.send(new DescribeKeyCommand({ KeyId: h.keyId }));
      expect(described.KeyMetadata?.KeyState).toBe('Disabled');
    } finally {
      aws.emulator.faults.clear();
    }
  });

  it('access denied from the 3rd call: 2 signed, the rest ERR_SIGNER_ACCESS_DENIED naming kms:Sign', async () => {
    const h = await harness();
    aws.emulator.faults.failKey(h.keyId, { fromCall: 3, mode: 'access-denied' });
    try {
      const keys = deviceKeys(6);
      const result = await runBatch(h, keys, { concurrency: 2 });
      await expectWholeDocuments(result, h, keys);
      expect(result.summary).toEqual({ total: 6, succeeded: 2, failed: 4, attempts: 6, throttled: 0 });
      const failures = result.documents.filter((d) => !d.ok);
      for (const doc of failures) {
        expect(doc.error.code).toBe('ERR_SIGNER_ACCESS_DENIED');
        expect(doc.error.message).toContain('kms:Sign');
      }
      expect(signCalls(h)).toBe(6);
      expect(signRecords(h).filter((r) => r.errorName === 'AccessDeniedException')).toHaveLength(4);
    } finally {
      aws.emulator.faults.clear();
    }
  });
});

describe('audit fails closed', () => {
  it('an audit sink that throws on a success record: that document is an error, never an unaudited signature', async () => {
    let armed = false;
    const h = await harness(undefined, (record, records) => {
      if (!armed || record.outcome !== 'success') return;
      if (records.filter((r) => r.outcome === 'success').length === 2) {
        throw new Error('audit store unavailable');
      }
    });
    armed = true;
    const keys = deviceKeys(4);
    const result = await runBatch(h, keys, { concurrency: 1 });
    await expectWholeDocuments(result, h, keys);
    expect(result.documents.map((d) => d.ok)).toEqual([true, false, true, true]);
    const failed = result.documents[1]!;
    if (failed.ok) throw new Error('expected a failure');
    expect(failed.error).toBeInstanceOf(MdlError);
    expect(failed.error.code).toBe('ERR_SIGNER_FAILED');
    // every signed document has exactly one success record delivered to the sink
    expect(signRecords(h).filter((r) => r.outcome === 'success')).toHaveLength(4);
    expect(result.summary.succeeded).toBe(3);
  });
});
