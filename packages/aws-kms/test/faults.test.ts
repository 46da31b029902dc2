/**
 * Fault handling (issue #9): the KMS signer and the batch issuer, through the real
 * `@aws-sdk/client-kms` over loopback HTTP, against the emulator's fault injection — throttling,
 * latency spikes, time-outs, lost responses, a key disabled mid-batch, access denied, a failing
 * audit sink. Each test asserts the counts: HTTP attempts seen by the server, audit records,
 * signer calls, retries, successes and errors, the in-flight bound, and that no document comes back
 * half-signed (every `ok` document verifies with the KMS public key and binds its own device key).
 *
 * Back-off sleeps are injected (recorded, not waited) so the file stays fast; only the time-out
 * tests wait for real deadlines (a few hundred milliseconds).
 */
import { CreateKeyCommand, DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { type Emulator, startEmulator } from '@mdlkit/aws-emulator';
import { decodeCbor, type EncodedCbor } from '@mdlkit/core/cbor';
import { decodeCoseSign1, verifyCoseSign1 } from '@mdlkit/core/cose';
import {
  createLocalSigner,
  exportPublicKey,
  generateKeyPair,
  importPublicKey,
  type PublicKey,
  randomBytes,
} from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { type BatchResult, type IssueBatchOptions, issueBatch } from '@mdlkit/issuer';
import { buildDocumentSignerCertificate, buildIacaCertificate } from '@mdlkit/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AwsAuditRecord,
  type AwsClientLike,
  type AwsCommandLike,
  createKmsSigner,
  type KmsSigner,
} from '../src/index.js';

type CborMap = Map<unknown, unknown>;
const NS = 'org.iso.18013.5.1';
const DOCTYPE = 'org.iso.18013.5.1.mDL';
const NOW = new Date('2025-03-01T12:00:00Z');
const credentials = { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' };

let emulator: Emulator;
let client: KMSClient;
let iacaSigner: ReturnType<typeof createLocalSigner>;
let iaca: Uint8Array;

/** mulberry32: a seeded PRNG so the jitter of a run is reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The real SDK client behind a port that measures how many `send`s are in flight at once. */
class InFlightClient implements AwsClientLike {
  inFlight = 0;
  peak = 0;
  sends = 0;
  constructor(private readonly inner: AwsClientLike) {}
  async send(command: AwsCommandLike, options?: { abortSignal?: AbortSignal }): Promise<unknown> {
    this.sends++;
    this.inFlight++;
    this.peak = Math.max(this.peak, this.inFlight);
    try {
      return await this.inner.send(command, options);
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
  readonly kmsSleeps: number[];
  readonly batchSleeps: number[];
  readonly dsCertificate: Uint8Array;
  readonly dsKey: PublicKey;
  readonly signsBefore: number;
}

/** A fresh P-256 KMS key, its DS certificate under the test IACA, and a signer with the given options. */
async function harness(
  options: {
    retry?: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
    timeoutMs?: number;
  } = {},
  audit?: (record: AwsAuditRecord, records: AwsAuditRecord[]) => void,
): Promise<Harness> {
  const created = await client.send(
    new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
  );
  const keyId = created.KeyMetadata!.KeyId!;
  const port = new InFlightClient(client);
  const records: AwsAuditRecord[] = [];
  const kmsSleeps: number[] = [];
  const signer = await createKmsSigner({
    client: port,
    keyId: created.KeyMetadata!.Arn!,
    audit: (record) => {
      records.push(record);
      audit?.(record, records);
    },
    sleep: async (ms) => {
      kmsSleeps.push(ms);
    },
    random: prng(7),
    retry: options.retry ?? { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 200 },
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  const dsCertificate = await buildDocumentSignerCertificate({
    subject: { commonName: 'KMS DS', country: 'US' },
    publicKey: signer.publicKey,
    issuer: { certificate: iaca, signer: iacaSigner },
    crlDistributionPoint: 'https://example.com/iaca.crl',
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2026-01-01T00:00:00Z'),
    randomBytes,
  });
  records.length = 0; // DescribeKey + GetPublicKey at creation are not part of the batch
  port.sends = 0;
  return {
    signer,
    keyId,
    port,
    records,
    kmsSleeps,
    batchSleeps: [],
    dsCertificate,
    dsKey: importPublicKey({ format: 'spki', der: signer.publicKey }),
    signsBefore: emulator.faults.calls.count('Sign'),
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
    retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 40 },
    sleep: async (ms) => {
      h.batchSleeps.push(ms);
    },
    random: prng(11),
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
const signCalls = (h: Harness) => emulator.faults.calls.count('Sign') - h.signsBefore;

beforeAll(async () => {
  emulator = await startEmulator();
  client = new KMSClient({
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials,
    maxAttempts: 1,
  });
  const iacaKey = generateKeyPair({ curve: 'P-256' });
  iacaSigner = createLocalSigner({ privateKey: iacaKey.privateKey, alg: -7 });
  iaca = await buildIacaCertificate({
    subject: { country: 'US', commonName: 'Fault IACA' },
    publicKey: exportPublicKey(iacaKey.publicKey, 'spki'),
    signer: iacaSigner,
    issuerAltName: [{ email: 'iaca@example.com' }],
    crlDistributionPoint: 'https://example.com/iaca.crl',
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2030-01-01T00:00:00Z'),
    randomBytes,
  });
});
afterAll(async () => {
  client.destroy();
  await emulator.close();
});

describe('throttling', () => {
  it('deterministic: the KMS retry loop absorbs throttles, the batch retries what it gives up on', async () => {
    const h = await harness({ retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 200 } });
    emulator.faults.throttleNext(7, { operations: ['Sign'] });
    try {
      const keys = deviceKeys(3);
      const result = await runBatch(h, keys, { concurrency: 1 });
      await expectWholeDocuments(result, h, keys);
      // doc 0: KMS attempts 1–3 throttled → ERR_SIGNER_THROTTLED; batch retry: attempts 4–6 throttled
      // → again; third batch attempt: HTTP 7 throttled, HTTP 8 signs. Docs 1 and 2: one HTTP call each.
      expect(result.summary).toEqual({ total: 3, succeeded: 3, failed: 0, attempts: 5, throttled: 2 });
      expect(result.documents.map((d) => d.attempts)).toEqual([3, 1, 1]);
      expect(signCalls(h)).toBe(10);
      expect(signRecords(h)).toHaveLength(10);
      expect(signRecords(h).map((r) => `${r.attempt}:${r.outcome}`)).toEqual([
        '1:error',
        '2:error',
        '3:error',
        '1:error',
        '2:error',
        '3:error',
        '1:error',
        '2:success',
        '1:success',
        '1:success',
      ]);
      const thrown = signRecords(h).filter((r) => r.errorCode !== undefined);
      expect(thrown.map((r) => r.errorCode)).toEqual(['ERR_SIGNER_THROTTLED', 'ERR_SIGNER_THROTTLED']);
      expect(signRecords(h).filter((r) => r.errorName === 'ThrottlingException')).toHaveLength(7);
      // bounded, jittered back-off: KMS retries after attempts 1, 2 (×3 calls) minus the success
      expect(h.kmsSleeps).toHaveLength(5);
      expect(h.kmsSleeps.every((ms) => ms >= 0 && ms < 40)).toBe(true);
      expect(h.batchSleeps).toHaveLength(2);
      expect(h.batchSleeps[0]).toBeLessThan(10);
      expect(h.batchSleeps[1]).toBeLessThan(20);
    } finally {
      emulator.faults.clear();
    }
  });

  it('a throttle storm (p = 0.45, seeded) under concurrency 6 with latency jitter: counts add up', async () => {
    const h = await harness({ retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 200 } });
    emulator.faults.throttleRate(0.45, { seed: 2026, operations: ['Sign'] });
    emulator.faults.setLatency({ fixedMs: 1, jitterMs: 6, seed: 5, operations: ['Sign'] });
    try {
      const keys = deviceKeys(40);
      const result = await runBatch(h, keys, { concurrency: 6, retry: { maxAttempts: 4, baseDelayMs: 5 } });
      await expectWholeDocuments(result, h, keys);
      const records = signRecords(h);
      const { summary } = result;
      // one audit record per HTTP attempt, one HTTP attempt per record
      expect(records).toHaveLength(signCalls(h));
      expect(h.port.sends).toBe(signCalls(h));
      // every signer call starts at KMS attempt 1; one success per signed document
      expect(records.filter((r) => r.attempt === 1)).toHaveLength(summary.attempts);
      expect(records.filter((r) => r.outcome === 'success')).toHaveLength(summary.succeeded);
      // errors: every failed HTTP attempt was a throttle; final failures are the batch's throttled count
      const errors = records.filter((r) => r.outcome === 'error');
      expect(errors.every((r) => r.errorName === 'ThrottlingException')).toBe(true);
      expect(records.filter((r) => r.errorCode === 'ERR_SIGNER_THROTTLED')).toHaveLength(summary.throttled);
      expect(summary.attempts).toBe(summary.succeeded + summary.throttled);
      for (const doc of result.documents) {
        if (!doc.ok) expect(doc.error.code).toBe('ERR_SIGNER_THROTTLED');
        expect(doc.attempts).toBeGreaterThanOrEqual(1);
        expect(doc.attempts).toBeLessThanOrEqual(4);
      }
      expect(summary.throttled).toBeGreaterThan(0);
      expect(summary.succeeded).toBeGreaterThan(30);
      // the in-flight bound holds, and is reached
      expect(h.port.peak).toBeLessThanOrEqual(6);
      expect(h.port.peak).toBe(6);
      // bounded, jittered: each KMS back-off under its ceiling, and not all the same
      for (const r of records.filter((x) => x.retryDelayMs !== undefined)) {
        expect(r.retryDelayMs!).toBeLessThan(Math.min(200, 20 * 2 ** (r.attempt - 1)));
      }
      expect(new Set(h.kmsSleeps).size).toBeGreaterThan(3);
      expect(Math.max(...records.map((r) => r.attempt))).toBeLessThanOrEqual(3);
    } finally {
      emulator.faults.clear();
    }
  });
});

describe('issue #6: 1,000 MSOs through KMS with 30 % of Sign calls throttled', () => {
  it('every document signed, the in-flight bound held, one redacted audit record per call', async () => {
    const h = await harness({ retry: { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 50 } });
    emulator.faults.throttleRate(0.3, { seed: 1806, operations: ['Sign'] });
    try {
      const keys = deviceKeys(1000);
      const concurrency = 16;
      const result = await runBatch(h, keys, {
        concurrency,
        retry: { maxAttempts: 6, baseDelayMs: 5, maxDelayMs: 40 },
      });
      // every document signed (5 KMS attempts × 6 batch attempts at p = 0.3: a failure is ~1e-16)
      expect(result.summary.succeeded).toBe(1000);
      expect(result.summary.failed).toBe(0);
      await expectWholeDocuments(result, h, keys);
      // the throttling really happened, at roughly the injected rate
      const records = signRecords(h);
      const throttled = records.filter((r) => r.errorName === 'ThrottlingException').length;
      expect(throttled / records.length).toBeGreaterThan(0.25);
      expect(throttled / records.length).toBeLessThan(0.35);
      // one audit record per HTTP call the emulator saw, and one HTTP call per send through the port
      expect(records).toHaveLength(signCalls(h));
      expect(h.port.sends).toBe(signCalls(h));
      expect(records.filter((r) => r.outcome === 'success')).toHaveLength(1000);
      // the in-flight bound: never exceeded, and reached
      expect(h.port.peak).toBeLessThanOrEqual(concurrency);
      expect(h.port.peak).toBe(concurrency);
      // redacted: the digest went out and the signature came back only as lengths
      for (const r of records) {
        const request = r.request as Record<string, unknown>;
        expect(request['Message']).toEqual({ redacted: 'bytes', length: 32 });
        if (r.outcome === 'success') {
          const response = r.response as Record<string, unknown>;
          expect(response['Signature']).toMatchObject({ redacted: 'bytes' });
        }
      }
    } finally {
      emulator.faults.clear();
    }
  });
});

describe('latency spikes and time-outs', () => {
  it('jittered latency under the deadline: every document signed, one HTTP call each', async () => {
    const h = await harness({ timeoutMs: 2_000 });
    emulator.faults.setLatency({ fixedMs: 5, jitterMs: 40, seed: 3, operations: ['Sign'] });
    try {
      const keys = deviceKeys(16);
      const result = await runBatch(h, keys, { concurrency: 8 });
      await expectWholeDocuments(result, h, keys);
      expect(result.summary).toEqual({ total: 16, succeeded: 16, failed: 0, attempts: 16, throttled: 0 });
      expect(signCalls(h)).toBe(16);
      expect(signRecords(h)).toHaveLength(16);
      expect(h.port.peak).toBe(8);
    } finally {
      emulator.faults.clear();
    }
  });

  it('spikes past the deadline → ERR_SIGNER_TIMEOUT for exactly those documents, never retried', async () => {
    const h = await harness({ timeoutMs: 1_000 });
    // the 2nd and 3rd Sign calls stall 4 s (before processing): the client gives up at 1 s (generous, so a loaded CI machine never times out a normal call)
    try {
      const keys = deviceKeys(5);
      let completed = 0;
      const result = await runBatch(h, keys, {
        concurrency: 1,
        onProgress: (p) => {
          completed = p.completed;
          if (p.completed === 1) emulator.faults.holdNext(2, { ms: 4_000, operations: ['Sign'] });
        },
      });
      await expectWholeDocuments(result, h, keys);
      expect(completed).toBe(5);
      expect(result.documents.map((d) => (d.ok ? 'ok' : d.error.code))).toEqual([
        'ok',
        'ERR_SIGNER_TIMEOUT',
        'ERR_SIGNER_TIMEOUT',
        'ok',
        'ok',
      ]);
      expect(result.summary).toEqual({ total: 5, succeeded: 3, failed: 2, attempts: 5, throttled: 0 });
      expect(signCalls(h)).toBe(5);
      expect(signRecords(h)).toHaveLength(5);
      expect(signRecords(h).filter((r) => r.errorCode === 'ERR_SIGNER_TIMEOUT')).toHaveLength(2);
      expect(h.kmsSleeps).toHaveLength(0);
    } finally {
      emulator.faults.clear();
    }
  });

  it('a response lost after KMS signed (afterProcessing): the document is an error, not a guess', async () => {
    const h = await harness({ timeoutMs: 1_000 });
    emulator.faults.holdNext(1, { ms: 4_000, afterProcessing: true, operations: ['Sign'] });
    try {
      const keys = deviceKeys(3);
      const result = await runBatch(h, keys, { concurrency: 1 });
      await expectWholeDocuments(result, h, keys);
      expect(result.documents.map((d) => (d.ok ? 'ok' : d.error.code))).toEqual([
        'ERR_SIGNER_TIMEOUT',
        'ok',
        'ok',
      ]);
      // KMS did the work (the server counted and processed the call) but no signature came back
      expect(signCalls(h)).toBe(3);
      expect(signRecords(h).map((r) => r.outcome)).toEqual(['error', 'success', 'success']);
    } finally {
      emulator.faults.clear();
    }
  });
});

describe('key failures mid-batch', () => {
  it('a key disabled at its 5th call: exactly 4 documents signed, the rest ERR_SIGNER_KEY_DISABLED, no retries', async () => {
    const h = await harness();
    emulator.faults.failKey(h.keyId, { fromCall: 5, mode: 'disabled' });
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
      expect(h.kmsSleeps).toHaveLength(0);
      expect(h.batchSleeps).toHaveLength(0);
      const described = await client.send(new DescribeKeyCommand({ KeyId: h.keyId }));
      expect(described.KeyMetadata?.KeyState).toBe('Disabled');
    } finally {
      emulator.faults.clear();
    }
  });

  it('access denied from the 3rd call: 2 signed, the rest ERR_SIGNER_ACCESS_DENIED naming kms:Sign', async () => {
    const h = await harness();
    emulator.faults.failKey(h.keyId, { fromCall: 3, mode: 'access-denied' });
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
      emulator.faults.clear();
    }
  });

  it('throttling and a key disabled together: a throttled document retried after the disable fails typed', async () => {
    const h = await harness({ retry: { maxAttempts: 2, baseDelayMs: 20, maxDelayMs: 200 } });
    emulator.faults.throttleNext(2, { operations: ['Sign'] });
    // throttled calls are refused before they reach the key, so the key counts HTTP 3 as its 1st call
    emulator.faults.failKey(h.keyId, { fromCall: 2, mode: 'disabled' });
    try {
      const keys = deviceKeys(3);
      const result = await runBatch(h, keys, { concurrency: 1 });
      await expectWholeDocuments(result, h, keys);
      // HTTP 1, 2 throttled (doc 0 gives up at the KMS layer); batch retry: HTTP 3 signs doc 0;
      // doc 1: HTTP 4 → key disabled; doc 2: HTTP 5 → key disabled.
      expect(result.documents.map((d) => (d.ok ? 'ok' : d.error.code))).toEqual([
        'ok',
        'ERR_SIGNER_KEY_DISABLED',
        'ERR_SIGNER_KEY_DISABLED',
      ]);
      expect(result.summary).toEqual({ total: 3, succeeded: 1, failed: 2, attempts: 4, throttled: 1 });
      expect(signCalls(h)).toBe(5);
      expect(signRecords(h)).toHaveLength(5);
    } finally {
      emulator.faults.clear();
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
