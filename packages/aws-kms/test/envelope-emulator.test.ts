/**
 * Envelope encryption of holder records under a KMS key-encryption key, through the real
 * `@aws-sdk/client-kms` over loopback HTTP to the project's emulator.
 */
import { DisableKeyCommand, EnableKeyCommand, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import {
  openHolderRecord,
  rewrapHolderRecord,
  type SealedHolderRecord,
  sealHolderRecord,
  shredHolderRecord,
} from '@mdlkit/issuer';
import { withKms } from '@mdlkit/test-utils/kms';
import { describe, expect, it } from 'vitest';
import { type AwsAuditRecord, createKmsKeyEncryptionKey } from '../src/index.js';

/** The emulator's clock (a key scheduled for deletion is deleted when its waiting period ends). */
let now = new Date('2026-03-01T12:00:00Z');
const aws = withKms({ emulator: { now: () => now }, client: { retry: { maxAttempts: 3 } } });

const plaintext = new TextEncoder().encode('holder 0001: family_name Mustermann, portrait …');

async function kmsKey(spec?: 'ECC_NIST_P256'): Promise<string> {
  return (await aws.createKey(spec === undefined ? {} : { KeySpec: spec, KeyUsage: 'SIGN_VERIFY' })).arn;
}

async function codeOf(action: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await action();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  throw new Error('expected the call to fail');
}

describe('createKmsKeyEncryptionKey', () => {
  it('seals with GenerateDataKey and opens with Decrypt; one redacted audit record per call', async () => {
    const keyArn = await kmsKey();
    const audit: AwsAuditRecord[] = [];
    const kek = createKmsKeyEncryptionKey({ client: aws.client, keyId: keyArn, audit: (r) => audit.push(r) });
    const before = aws.emulator.faults.calls.snapshot();
    const record = await sealHolderRecord({ kek, holderId: 'holder-0001', plaintext });
    expect(record.keyId).toBe(keyArn);
    expect(await openHolderRecord({ kek, record })).toEqual(plaintext);
    const after = aws.emulator.faults.calls.snapshot();
    expect((after.GenerateDataKey ?? 0) - (before.GenerateDataKey ?? 0)).toBe(1);
    expect((after.Decrypt ?? 0) - (before.Decrypt ?? 0)).toBe(1);
    expect(audit.map((r) => `${r.operation}:${r.outcome}`)).toEqual([
      'GenerateDataKey:success',
      'Decrypt:success',
    ]);
    const logged = JSON.stringify(audit);
    expect(logged).toContain('"redacted":"bytes"');
    expect(logged).toContain('mdlkit:holder-id');
    expect(logged).not.toContain('Mustermann');
    // the wrapped key is stored, the plaintext data key never is
    expect(record.wrappedKey!.length).toBeGreaterThan(32);
  });

  it("a record opened as another holder's or purpose, or with a flipped byte: ERR_HOLDER_RECORD_INVALID", async () => {
    const kek = createKmsKeyEncryptionKey({ client: aws.client, keyId: await kmsKey() });
    const record = await sealHolderRecord({ kek, holderId: 'holder-0001', plaintext });
    const flip = (bytes: Uint8Array, i: number) => {
      const out = new Uint8Array(bytes);
      out[i]! ^= 1;
      return out;
    };
    const variants: SealedHolderRecord[] = [
      { ...record, holderId: 'holder-0002' },
      { ...record, purpose: 'portrait' },
      { ...record, wrappedKey: flip(record.wrappedKey!, record.wrappedKey!.length - 1) },
      { ...record, ciphertext: flip(record.ciphertext, 0) },
    ];
    for (const variant of variants) {
      expect(await codeOf(() => openHolderRecord({ kek, record: variant }))).toBe(
        'ERR_HOLDER_RECORD_INVALID',
      );
    }
    // another KMS key named as the wrapping key → IncorrectKeyException → ERR_HOLDER_RECORD_INVALID
    const other = await kmsKey();
    expect(await codeOf(() => openHolderRecord({ kek, record: { ...record, keyId: other } }))).toBe(
      'ERR_HOLDER_RECORD_INVALID',
    );
  });

  it('a disabled KEK or one scheduled for deletion opens nothing (ERR_KEK_DISABLED), with the SDK cause', async () => {
    const keyArn = await kmsKey();
    const kek = createKmsKeyEncryptionKey({ client: aws.client, keyId: keyArn });
    const record = await sealHolderRecord({ kek, holderId: 'holder-0001', plaintext });
    await aws.client.send(new DisableKeyCommand({ KeyId: keyArn }));
    let error: { code?: string; message?: string; cause?: { name?: string } } = {};
    try {
      await openHolderRecord({ kek, record });
    } catch (e) {
      error = e as typeof error;
    }
    expect(error.code).toBe('ERR_KEK_DISABLED');
    expect(error.message).toMatch(/DisabledException/);
    expect(error.cause?.name).toBe('DisabledException');
    expect(await codeOf(() => sealHolderRecord({ kek, holderId: 'holder-0002', plaintext }))).toBe(
      'ERR_KEK_DISABLED',
    );
    await aws.client.send(new EnableKeyCommand({ KeyId: keyArn }));
    expect(await openHolderRecord({ kek, record })).toEqual(plaintext);
    await aws.client.send(new ScheduleKeyDeletionCommand({ KeyId: keyArn, PendingWindowInDays: 7 }));
    expect(await codeOf(() => openHolderRecord({ kek, record }))).toBe('ERR_KEK_DISABLED');
  });

  it('a signing key is refused (ERR_KEK_KEY_USAGE); an unknown key (ERR_KEK_NOT_FOUND)', async () => {
    const signing = createKmsKeyEncryptionKey({ client: aws.client, keyId: await kmsKey('ECC_NIST_P256') });
    expect(await codeOf(() => sealHolderRecord({ kek: signing, holderId: 'h', plaintext }))).toBe(
      'ERR_KEK_KEY_USAGE',
    );
    const missing = createKmsKeyEncryptionKey({ client: aws.client, keyId: 'alias/no-such-key' });
    expect(await codeOf(() => sealHolderRecord({ kek: missing, holderId: 'h', plaintext }))).toBe(
      'ERR_KEK_NOT_FOUND',
    );
  });

  it('a KEK KMS has deleted: ERR_KEK_NOT_FOUND, saying the records under it are gone', async () => {
    const keyArn = await kmsKey();
    const kek = createKmsKeyEncryptionKey({ client: aws.client, keyId: keyArn });
    const record = await sealHolderRecord({ kek, holderId: 'holder-0001', plaintext });
    await aws.client.send(new ScheduleKeyDeletionCommand({ KeyId: keyArn, PendingWindowInDays: 7 }));
    const before = now;
    now = new Date(now.getTime() + 9 * 24 * 3600 * 1000); // past the 7-day waiting period
    try {
      const error = await openHolderRecord({ kek, record }).then(
        () => undefined,
        (e: unknown) => e as { code?: string; message?: string },
      );
      expect(error?.code).toBe('ERR_KEK_NOT_FOUND');
      expect(error?.message).toContain('deleted');
      expect(error?.message).toContain('unrecoverable');
    } finally {
      now = before;
    }
  });

  it('rotation by ReEncrypt: the record opens under the new key after the old one is disabled', async () => {
    const oldKey = await kmsKey();
    const newKey = await kmsKey();
    const kek = createKmsKeyEncryptionKey({ client: aws.client, keyId: oldKey });
    const record = await sealHolderRecord({ kek, holderId: 'holder-0001', plaintext });
    const rewrapped = await rewrapHolderRecord({ kek, record, destinationKeyId: newKey });
    expect(rewrapped.keyId).toBe(newKey);
    expect(rewrapped.ciphertext).toEqual(record.ciphertext);
    await aws.client.send(new DisableKeyCommand({ KeyId: oldKey }));
    const current = createKmsKeyEncryptionKey({ client: aws.client, keyId: newKey });
    expect(await openHolderRecord({ kek: current, record: rewrapped })).toEqual(plaintext);
    expect(await codeOf(() => openHolderRecord({ kek: current, record }))).toBe('ERR_KEK_DISABLED');
  });

  it('crypto-shredding: after the wrapped key is destroyed the record never opens (ERR_HOLDER_RECORD_SHREDDED)', async () => {
    const kek = createKmsKeyEncryptionKey({ client: aws.client, keyId: await kmsKey() });
    const record = await sealHolderRecord({ kek, holderId: 'holder-0001', plaintext });
    const before = aws.emulator.faults.calls.count('Decrypt');
    const shredded = shredHolderRecord(record);
    expect(await codeOf(() => openHolderRecord({ kek, record: shredded }))).toBe(
      'ERR_HOLDER_RECORD_SHREDDED',
    );
    expect(aws.emulator.faults.calls.count('Decrypt')).toBe(before); // no KMS call for a shredded record
  });
});
