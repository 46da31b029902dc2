/**
 * Batch issuance under signer faults (issue #9), with scripted signers and no network: the batch
 * calls the signer once per document and retries nothing (retries belong to the signer), signers that throw synchronously or
 * return garbage, a progress callback that throws, and the in-flight bound. The same behaviour
 * through the real KMS client and the emulator is in `packages/aws-kms/test/faults.test.ts`.
 */
import { decodeCoseSign1, verifyCoseSign1 } from '@mdlkit/core/cose';
import { type CoseSigner, exportPublicKey, generateKeyPair, type PublicKey } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BatchResult, type IssueBatchOptions, issueBatch } from '../src/batch/issue-batch.js';
import { makeIssuer, NOW, sampleMdl, type TestIssuer } from './fixtures.js';

const NS = 'org.iso.18013.5.1';
let issuer: TestIssuer;
let keys: PublicKey[];

beforeAll(async () => {
  issuer = await makeIssuer();
  keys = Array.from({ length: 12 }, () => generateKeyPair({ curve: 'P-256' }).publicKey);
});

function batch(signer: CoseSigner, extra: Partial<IssueBatchOptions> = {}): Promise<BatchResult> {
  return issueBatch({
    docType: 'org.iso.18013.5.1.mDL',
    nameSpaces: { [NS]: sampleMdl() },
    deviceKeys: keys,
    validity: { validUntil: new Date('2025-06-01T00:00:00Z') },
    signer,
    dsCertificate: issuer.ds,
    now: NOW,
    ...extra,
  });
}

/** A signer scripted per call: 'ok' signs, anything else is thrown / returned as told. */
function scripted(
  script: (call: number) => 'ok' | 'throttle' | 'sync-throw' | 'garbage',
): CoseSigner & { calls: number } {
  const inner = issuer.signer as CoseSigner;
  const signer = {
    kind: 'message' as const,
    alg: inner.alg,
    calls: 0,
    sign(tbs: Uint8Array): Promise<Uint8Array> {
      const step = script(++signer.calls);
      if (step === 'sync-throw') throw new TypeError('signer exploded synchronously');
      if (step === 'throttle') return Promise.reject(new MdlError('ERR_SIGNER_THROTTLED', 'slow down'));
      if (step === 'garbage') return Promise.resolve(new Uint8Array(3));
      return inner.sign(tbs);
    },
  };
  return signer;
}

async function expectSigned(result: BatchResult): Promise<void> {
  for (const doc of result.documents) {
    if (!doc.ok) {
      expect(doc.error).toBeInstanceOf(MdlError);
      expect('mdoc' in doc).toBe(false);
      continue;
    }
    const sign1 = decodeCoseSign1(doc.mdoc.issuerAuth);
    expect(await verifyCoseSign1({ message: sign1, key: issuer.dsKey.publicKey })).toBe(true);
  }
}

describe('issueBatch under signer faults', () => {
  it('throttling that never ends: one signer call per document, never retried on top of the signer', async () => {
    const signer = scripted(() => 'throttle');
    const result = await batch(signer, { concurrency: 3 });
    expect(result.summary).toEqual({ total: 12, succeeded: 0, failed: 12, attempts: 12, throttled: 12 });
    expect(signer.calls).toBe(12);
    for (const doc of result.documents) {
      expect(doc).toMatchObject({ ok: false, attempts: 1, error: { code: 'ERR_SIGNER_THROTTLED' } });
    }
  });

  it('a signer that gave up throttled on two documents: those two are errors, the rest are signed', async () => {
    const signer = scripted((call) => (call <= 2 ? 'throttle' : 'ok'));
    const result = await batch(signer, { concurrency: 1 });
    await expectSigned(result);
    expect(result.summary).toEqual({ total: 12, succeeded: 10, failed: 2, attempts: 12, throttled: 2 });
    expect(result.documents.slice(0, 3).map((d) => d.ok)).toEqual([false, false, true]);
  });

  it('a signer whose stated public key is not the DS certificate key is refused before any signing', async () => {
    const other = generateKeyPair({ curve: 'P-256' }).publicKey;
    const inner = scripted(() => 'ok');
    const wrong = Object.assign(inner, { publicKey: exportPublicKey(other, 'spki') });
    const error = await batch(wrong).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_SIGNER_KEY_MISMATCH' });
    expect(inner.calls).toBe(0);
    const right = Object.assign(
      scripted(() => 'ok'),
      { publicKey: exportPublicKey(issuer.dsKey.publicKey, 'spki') },
    );
    const result = await batch(right);
    expect(result.summary.succeeded).toBe(12);
  });

  it('a signer that throws synchronously or returns garbage fails only its documents, typed, never retried', async () => {
    const signer = scripted((call) => (call === 3 ? 'sync-throw' : call === 7 ? 'garbage' : 'ok'));
    const result = await batch(signer, { concurrency: 1 });
    await expectSigned(result);
    expect(result.summary).toEqual({ total: 12, succeeded: 10, failed: 2, attempts: 12, throttled: 0 });
    expect(result.documents.filter((d) => !d.ok).map((d) => [d.index, d.ok ? '' : d.error.code])).toEqual([
      [2, 'ERR_SIGNER_FAILED'],
      [6, 'ERR_SIGNER_FAILED'],
    ]);
  });

  it('a progress callback that throws does not stop or corrupt the batch', async () => {
    let calls = 0;
    const result = await batch(
      scripted(() => 'ok'),
      {
        concurrency: 4,
        onProgress: () => {
          calls++;
          throw new Error('UI went away');
        },
      },
    );
    await expectSigned(result);
    expect(calls).toBe(12);
    expect(result.summary.succeeded).toBe(12);
  });

  it('the in-flight bound holds and is reached', async () => {
    const inner = issuer.signer as CoseSigner;
    let inFlight = 0;
    let peak = 0;
    const slow: CoseSigner = {
      kind: 'message',
      alg: inner.alg,
      async sign(tbs) {
        inFlight++;
        peak = Math.max(peak, inFlight);
        try {
          for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
          return await inner.sign(tbs);
        } finally {
          inFlight--;
        }
      },
    };
    const result = await batch(slow, { concurrency: 5 });
    await expectSigned(result);
    expect(peak).toBe(5);
    expect(inFlight).toBe(0);
  });
});
