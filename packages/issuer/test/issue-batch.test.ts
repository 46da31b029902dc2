import { generateKeyPairSync } from 'node:crypto';
import { decodeCbor, type EncodedCbor } from '@mdlkit/core/cbor';
import { decodeCoseSign1, verifyCoseSign1 } from '@mdlkit/core/cose';
import { type CoseSigner, digest, generateKeyPair, importPublicKey, type Jwk } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BatchProgress, issueBatch } from '../src/batch/issue-batch.js';
import { makeIssuer, NOW, sampleMdl, type TestIssuer } from './fixtures.js';

type CborMap = Map<unknown, unknown>;
const NS = 'org.iso.18013.5.1';

/** node:crypto key generation is ~30× faster than a portable one; the test needs 1,000 keys. */
function fastP256PublicKey() {
  const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
  return importPublicKey({ format: 'jwk', jwk: jwk as Jwk });
}

/** Deterministic PRNG (mulberry32) so failures reproduce. */
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

describe('issueBatch', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await makeIssuer();
  });

  it('1,000 MSOs with a signer that throttles or fails at random: every document signed or an error', async () => {
    const rnd = prng(42);
    const inner = issuer.signer as CoseSigner;
    const outcomes = { calls: 0, throttles: 0, failures: 0, garbage: 0, crashes: 0 };
    let inFlight = 0;
    let peak = 0;
    const flaky: CoseSigner = {
      kind: 'message',
      alg: inner.alg,
      async sign(tbs) {
        outcomes.calls++;
        inFlight++;
        peak = Math.max(peak, inFlight);
        try {
          await new Promise((r) => setImmediate(r));
          const r = rnd();
          if (r < 0.2) {
            outcomes.throttles++;
            throw new MdlError('ERR_SIGNER_THROTTLED', 'throttled');
          }
          if (r < 0.23) {
            outcomes.failures++;
            throw new MdlError('ERR_SIGNER_FAILED', 'boom');
          }
          if (r < 0.24) {
            outcomes.garbage++;
            return new Uint8Array(10);
          }
          if (r < 0.25) {
            outcomes.crashes++;
            throw new TypeError('socket hang up');
          }
          return inner.sign(tbs);
        } finally {
          inFlight--;
        }
      },
    };
    const deviceKeys = Array.from({ length: 1000 }, () => fastP256PublicKey());
    const progress: BatchProgress[] = [];
    const { documents, summary } = await issueBatch({
      docType: 'org.iso.18013.5.1.mDL',
      nameSpaces: { [NS]: sampleMdl() },
      deviceKeys,
      validity: { validUntil: new Date('2025-06-01T00:00:00Z') },
      signer: flaky,
      dsCertificate: issuer.ds,
      now: NOW,
      concurrency: 8,
      onProgress: (p) => progress.push(p),
    });

    expect(documents).toHaveLength(1000);
    expect(peak).toBeLessThanOrEqual(8);
    expect(summary.total).toBe(1000);
    expect(summary.succeeded + summary.failed).toBe(1000);
    expect(summary.attempts).toBe(outcomes.calls);
    expect(summary.throttled).toBe(outcomes.throttles);
    expect(summary.failed).toBeGreaterThan(0);
    expect(summary.succeeded).toBe(
      1000 - outcomes.throttles - outcomes.failures - outcomes.garbage - outcomes.crashes,
    );
    // one signer call per document: the batch retries nothing
    expect(outcomes.calls).toBe(1000);
    expect(progress).toHaveLength(1000);
    expect(progress.at(-1)).toEqual({
      total: 1000,
      completed: 1000,
      succeeded: summary.succeeded,
      failed: summary.failed,
    });

    const codes = new Map<string, number>();
    for (const [i, doc] of documents.entries()) {
      expect(doc.index).toBe(i);
      if (!doc.ok) {
        expect(doc.error).toBeInstanceOf(MdlError);
        codes.set(doc.error.code, (codes.get(doc.error.code) ?? 0) + 1);
        expect('mdoc' in doc).toBe(false);
        continue;
      }
      // Fully signed: the signature verifies and the MSO binds this document's own device key.
      const sign1 = decodeCoseSign1(doc.mdoc.issuerAuth);
      expect(await verifyCoseSign1({ message: sign1, key: issuer.dsKey.publicKey })).toBe(true);
      const mso = (decodeCbor(sign1.payload!) as EncodedCbor).value as CborMap;
      const dk = (mso.get('deviceKeyInfo') as CborMap).get('deviceKey') as CborMap;
      expect(dk.get(-2)).toEqual(deviceKeys[i]!.x);
    }
    // Every injected failure kind surfaced as a typed error; garbage never passed as a signature.
    // (core's signWithPort wraps a signer's non-MdlError into ERR_SIGNER_FAILED.)
    expect([...codes.keys()].sort()).toEqual(['ERR_SIGNER_FAILED', 'ERR_SIGNER_THROTTLED']);
    expect(codes.get('ERR_SIGNER_FAILED')).toBe(outcomes.failures + outcomes.garbage + outcomes.crashes);
  });

  it('validates once, before any signing', async () => {
    let calls = 0;
    const counting: CoseSigner = {
      kind: 'message',
      alg: -7,
      sign: async (t) => {
        calls++;
        return (issuer.signer as CoseSigner).sign(t);
      },
    };
    await expect(
      issueBatch({
        docType: 'org.iso.18013.5.1.mDL',
        nameSpaces: { [NS]: sampleMdl('FR') },
        deviceKeys: [generateKeyPair({ curve: 'P-256' }).publicKey],
        validity: { validUntil: new Date('2025-06-01T00:00:00Z') },
        signer: counting,
        dsCertificate: issuer.ds,
        now: NOW,
      }),
    ).rejects.toMatchObject({ code: 'ERR_ISSUE_COUNTRY_MISMATCH' });
    expect(calls).toBe(0);
    await expect(
      issueBatch({
        docType: 'org.iso.18013.5.1.mDL',
        nameSpaces: { [NS]: sampleMdl() },
        deviceKeys: [],
        validity: { validUntil: new Date('2025-06-01T00:00:00Z') },
        signer: counting,
        dsCertificate: issuer.ds,
      }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });

  it('verifySignatures catches a signer that signs with the wrong key', async () => {
    const other = await makeIssuer();
    const { documents } = await issueBatch({
      docType: 'org.iso.18013.5.1.mDL',
      nameSpaces: { [NS]: sampleMdl() },
      deviceKeys: [generateKeyPair({ curve: 'P-256' }).publicKey],
      validity: { validUntil: new Date('2025-06-01T00:00:00Z') },
      signer: other.signer,
      dsCertificate: issuer.ds,
      now: NOW,
      verifySignatures: true,
    });
    expect(documents[0]).toMatchObject({ ok: false, error: { code: 'ERR_SIGNER_FAILED' } });
  });

  it('items of a batch document hash to their MSO digests', async () => {
    const { documents } = await issueBatch({
      docType: 'org.iso.18013.5.1.mDL',
      nameSpaces: { [NS]: sampleMdl() },
      deviceKeys: [
        generateKeyPair({ curve: 'P-256' }).publicKey,
        generateKeyPair({ curve: 'P-256' }).publicKey,
      ],
      validity: { validUntil: new Date('2025-06-01T00:00:00Z') },
      signer: issuer.signer,
      dsCertificate: issuer.ds,
      now: NOW,
    });
    for (const doc of documents) {
      if (!doc.ok) throw doc.error;
      for (const item of doc.mdoc.nameSpaces.get(NS)!) {
        expect(doc.mdoc.mso.valueDigests.get(NS)!.get(item.digestID)).toEqual(
          digest('SHA-256', item.bytes.tagged()),
        );
      }
    }
  });
  const common = () => ({
    docType: 'org.iso.18013.5.1.mDL',
    nameSpaces: { [NS]: sampleMdl() },
    validity: { validUntil: new Date('2025-06-01T00:00:00Z') },
    signer: issuer.signer,
    dsCertificate: issuer.ds,
    now: NOW,
  });
  const msoOf = (issuerAuth: Uint8Array): CborMap =>
    (decodeCbor(decodeCoseSign1(issuerAuth).payload!) as EncodedCbor).value as CborMap;
  const deviceX = (mso: CborMap): Uint8Array =>
    ((mso.get('deviceKeyInfo') as CborMap).get('deviceKey') as CborMap).get(-2) as Uint8Array;

  it('count: one fresh key per document from the injected generator, in index order', async () => {
    const pairs: ReturnType<typeof generateKeyPair>[] = [];
    const indices: number[] = [];
    const { documents, summary } = await issueBatch({
      ...common(),
      count: 3,
      generateDeviceKey: (index) => {
        indices.push(index);
        const pair = generateKeyPair({ curve: 'P-256' });
        pairs.push(pair);
        return pair.publicKey;
      },
    });
    expect(indices).toEqual([0, 1, 2]);
    expect(summary.succeeded).toBe(3);
    const xs = documents.map((doc) => {
      if (!doc.ok) throw doc.error;
      const x = deviceX(msoOf(doc.mdoc.issuerAuth));
      expect(Buffer.from(x).toString('hex')).toBe(Buffer.from(pairs[doc.index]!.publicKey.x).toString('hex'));
      return Buffer.from(x).toString('hex');
    });
    expect(new Set(xs).size).toBe(3);
  });

  it('count: rejects bad counts, a missing generator, both key sources, and wraps a throwing generator', async () => {
    const gen = () => generateKeyPair({ curve: 'P-256' }).publicKey;
    const key = gen();
    const cases: [Parameters<typeof issueBatch>[0], string][] = [
      [{ ...common(), count: 0, generateDeviceKey: gen }, 'ERR_INVALID_ARGUMENT'],
      [{ ...common(), count: 1.5, generateDeviceKey: gen }, 'ERR_INVALID_ARGUMENT'],
      [{ ...common(), count: 2 }, 'ERR_INVALID_ARGUMENT'],
      [{ ...common(), count: 1, generateDeviceKey: gen, deviceKeys: [key] }, 'ERR_INVALID_ARGUMENT'],
      [{ ...common() }, 'ERR_INVALID_ARGUMENT'],
      [
        {
          ...common(),
          count: 2,
          generateDeviceKey: () => {
            throw new Error('hsm offline');
          },
        },
        'ERR_INVALID_ARGUMENT',
      ],
      [
        {
          ...common(),
          count: 2,
          generateDeviceKey: () => {
            throw new MdlError('ERR_SIGNER_ACCESS_DENIED', 'key service down');
          },
        },
        'ERR_SIGNER_ACCESS_DENIED',
      ],
    ];
    for (const [options, code] of cases) {
      await expect(issueBatch(options)).rejects.toMatchObject({ code });
    }
  });

  it('statuses: each document carries its own status-list index; a length mismatch is a typed error', async () => {
    const uri = 'https://example.com/status/7';
    const deviceKeys = [0, 1, 2].map(() => generateKeyPair({ curve: 'P-256' }).publicKey);
    const { documents } = await issueBatch({
      ...common(),
      deviceKeys,
      statuses: [10, 11, 42].map((idx) => ({ statusList: { idx, uri } })),
    });
    const idx = documents.map((doc) => {
      if (!doc.ok) throw doc.error;
      const list = (msoOf(doc.mdoc.issuerAuth).get('status') as CborMap).get('status_list') as CborMap;
      expect(list.get('uri')).toBe(uri);
      return list.get('idx');
    });
    expect(idx).toEqual([10, 11, 42]);
    let signed = 0;
    const counting: CoseSigner = {
      kind: 'message',
      alg: -7,
      sign: (tbs) => {
        signed++;
        return (issuer.signer as CoseSigner).sign(tbs);
      },
    };
    await expect(
      issueBatch({
        ...common(),
        signer: counting,
        deviceKeys,
        statuses: [{ statusList: { idx: 1, uri } }],
      }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect(signed).toBe(0);
  });
});
