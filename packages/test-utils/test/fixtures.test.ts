/**
 * The fixtures themselves: `withKms` starts the emulator before the block and tears it down after
 * it (clients destroyed, the emulator closed, its members unusable), and the error assertions fail
 * when the operation does not fail as stated.
 */
import { ListKeysCommand } from '@aws-sdk/client-kms';
import type { Emulator } from '@mdlkit/aws-emulator';
import { MdlError } from '@mdlkit/core/errors';
import { describe, expect, it } from 'vitest';
import { expectRejection, expectThrow } from '../src/index.js';
import { type KmsFixture, withKms } from '../src/kms.js';

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
