/**
 * The fixtures themselves: `withKms` starts the emulator before the block and tears it down after
 * it (clients destroyed, the emulator closed, its members unusable), and the error assertions fail
 * when the operation does not fail as stated; `buildTestPki` keeps its fixed dates unless given a
 * validity, and signs with the IACA key it returns.
 */
import { ListKeysCommand } from '@aws-sdk/client-kms';
import type { Emulator } from '@mdlkit/aws-emulator';
import { exportPublicKey, generateKeyPair } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { parseCertificate, TrustStore, validateCertificatePath } from '@mdlkit/pki';
import { describe, expect, it } from 'vitest';
import { expectRejection, expectThrow } from '../src/index.js';
import { type KmsFixture, withKms } from '../src/kms.js';
import { buildTestDs, buildTestIaca, buildTestPki, validAround } from '../src/pki.js';

const mdlError = (code: 'ERR_INVALID_ARGUMENT' | 'ERR_CBOR_TRUNCATED') => new MdlError(code, 'test');

describe('withKms', () => {
  const before = withKms({ emulator: { region: 'eu-west-1' } });
  let seen: Emulator | undefined;
  let endpoint = '';

  let inner: KmsFixture | undefined;
  describe('inside the block', () => {
    const aws = withKms({ client: { retry: { maxAttempts: 2 } } });
    inner = aws;

    it('serves real SDK calls; createKey makes a P-256 signing key by default', async () => {
      seen = aws.emulator;
      endpoint = aws.emulator.endpoint;
      const key = await aws.createKey();
      expect(key.metadata).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
      expect(key.arn).toContain(key.keyId);
      const listed = await aws.client.send(new ListKeysCommand({}));
      expect(listed.Keys?.map((k) => k.KeyId)).toEqual([key.keyId]);
      // a second client sees the same emulator; another block's emulator is another server
      const other = aws.newClient({ region: 'us-east-1' });
      expect((await other.send(new ListKeysCommand({}))).Keys).toHaveLength(1);
      expect(before.emulator.endpoint).not.toBe(endpoint);
      expect(before.emulator.region).toBe('eu-west-1');
    });
  });

  it('after the block: the fixture is unusable and the emulator no longer listens', async () => {
    expect(seen).toBeDefined();
    expect(() => inner!.emulator).toThrow(/from beforeAll to afterAll only/);
    expect(() => inner!.client).toThrow(/from beforeAll to afterAll only/);
    expect(() => inner!.newClient()).toThrow(/from beforeAll to afterAll only/);
    await expect(inner!.createKey()).rejects.toThrow(/from beforeAll to afterAll only/);
    const port = Number(new URL(endpoint).port);
    expect(port).toBeGreaterThan(0);
    const reached = await fetch(endpoint, { method: 'POST' }).then(
      () => true,
      () => false,
    );
    expect(reached).toBe(false);
  });
});

describe('expectRejection / expectThrow', () => {
  it('return the MdlError of the stated code', async () => {
    const error = await expectRejection(
      Promise.reject(mdlError('ERR_INVALID_ARGUMENT')),
      'ERR_INVALID_ARGUMENT',
    );
    expect(error.code).toBe('ERR_INVALID_ARGUMENT');
    expect(
      expectThrow(() => {
        throw mdlError('ERR_INVALID_ARGUMENT');
      }).code,
    ).toBe('ERR_INVALID_ARGUMENT');
  });

  it('fail on success, on another code, and on an error that is not an MdlError', async () => {
    await expect(expectRejection(Promise.resolve(1))).rejects.toThrow();
    await expect(
      expectRejection(Promise.reject(mdlError('ERR_INVALID_ARGUMENT')), 'ERR_CBOR_TRUNCATED'),
    ).rejects.toThrow();
    await expect(expectRejection(Promise.reject(new Error('plain')))).rejects.toThrow();
    expect(() => expectThrow(() => 1)).toThrow();
    expect(() =>
      expectThrow(() => {
        throw mdlError('ERR_INVALID_ARGUMENT');
      }, 'ERR_CBOR_TRUNCATED'),
    ).toThrow();
  });
});

const validityOf = (der: Uint8Array) => {
  const { notBefore, notAfter } = parseCertificate(der);
  return { notBefore, notAfter };
};

describe('buildTestPki', () => {
  it('keeps the fixed 2025 dates by default; its iacaSigner is the IACA key', async () => {
    const fixed = await buildTestPki({ iacaName: 'fixed IACA', dsName: 'fixed DS' });
    expect(validityOf(fixed.iaca)).toEqual({
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2030-01-01T00:00:00Z'),
    });
    expect(validityOf(fixed.ds)).toEqual({
      notBefore: new Date('2025-03-01T00:00:00Z'),
      notAfter: new Date('2026-03-01T00:00:00Z'),
    });
    const other = await buildTestDs({
      iaca: { certificate: fixed.iaca, signer: fixed.iacaSigner },
      publicKey: exportPublicKey(generateKeyPair({ curve: 'P-256' }).publicKey, 'spki'),
    });
    const now = new Date('2025-06-01T00:00:00Z');
    for (const ds of [fixed.ds, other]) {
      expect(
        (
          await validateCertificatePath({
            chain: [ds],
            trustStore: fixed.trust,
            now,
            profile: 'ds',
          })
        ).valid,
      ).toBe(true);
    }
    const stranger = await buildTestIaca('stranger');
    const foreign = await validateCertificatePath({
      chain: [other],
      trustStore: new TrustStore([stranger.certificate]),
      now,
      profile: 'ds',
    });
    expect(foreign.valid).toBe(false);
  });

  it('takes the IACA and DS validity it is given; validAround spans a day before to `days` after', async () => {
    const at = new Date('2031-06-15T12:00:00Z');
    expect(validAround(at, 10)).toEqual({
      notBefore: new Date('2031-06-14T12:00:00Z'),
      notAfter: new Date('2031-06-25T12:00:00Z'),
    });
    const current = await buildTestPki({
      iacaName: 'current IACA',
      dsName: 'current DS',
      iacaValidity: validAround(at, 365),
      dsValidity: validAround(at, 300),
    });
    expect(validityOf(current.iaca)).toEqual(validAround(at, 365));
    expect(validityOf(current.ds)).toEqual(validAround(at, 300));
    const path = await validateCertificatePath({
      chain: [current.ds],
      trustStore: current.trust,
      now: at,
      profile: 'ds',
    });
    expect(path.valid).toBe(true);
  });
});
