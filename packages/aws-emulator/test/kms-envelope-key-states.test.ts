import {
  CreateKeyCommand,
  DecryptCommand,
  DisabledException,
  DisableKeyCommand,
  EnableKeyCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  InvalidCiphertextException,
  KMSInvalidStateException,
  NotFoundException,
  ReEncryptCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { errorOf, kmsClient } from './helpers.js';

// The key-state rules of the envelope operations (AWS KMS "Key states of AWS KMS keys": a disabled
// key → DisabledException, pending deletion → KMSInvalidStateException), one test per operation and
// state, and a deleted key, through the real @aws-sdk/client-kms.

const DAY = 86_400_000;
let now = new Date('2026-03-01T12:00:00Z');
let emulator: Emulator;
let kms: ReturnType<typeof kmsClient>;
const context = { 'mdlkit:holder-id': 'holder-0002', 'mdlkit:purpose': 'holder-record' };

beforeAll(async () => {
  emulator = await startEmulator({ now: () => now });
  kms = kmsClient(emulator);
});
afterAll(async () => {
  kms.destroy();
  await emulator.close();
});

async function wrapped(): Promise<{ keyArn: string; blob: Uint8Array }> {
  const key = await kms.send(new CreateKeyCommand({}));
  const keyArn = key.KeyMetadata!.Arn!;
  const made = await kms.send(
    new GenerateDataKeyWithoutPlaintextCommand({
      KeyId: keyArn,
      KeySpec: 'AES_256',
      EncryptionContext: context,
    }),
  );
  return { keyArn, blob: made.CiphertextBlob! };
}

const disable = (keyArn: string) => kms.send(new DisableKeyCommand({ KeyId: keyArn }));
const scheduleDeletion = (keyArn: string) =>
  kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyArn, PendingWindowInDays: 7 }));

describe('GenerateDataKey / GenerateDataKeyWithoutPlaintext', () => {
  it('GenerateDataKey of a key pending deletion → KMSInvalidStateException', async () => {
    const { keyArn } = await wrapped();
    await scheduleDeletion(keyArn);
    const error = await errorOf(() =>
      kms.send(new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256' })),
    );
    expect(error).toBeInstanceOf(KMSInvalidStateException);
    expect(error.message).toBe(`${keyArn} is pending deletion.`);
  });

  it('GenerateDataKeyWithoutPlaintext of a disabled key → DisabledException; enabled again it works', async () => {
    const { keyArn } = await wrapped();
    await disable(keyArn);
    const error = await errorOf(() =>
      kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyArn, KeySpec: 'AES_256' })),
    );
    expect(error).toBeInstanceOf(DisabledException);
    await kms.send(new EnableKeyCommand({ KeyId: keyArn }));
    const made = await kms.send(
      new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyArn, KeySpec: 'AES_256' }),
    );
    expect(made.CiphertextBlob!.length).toBeGreaterThan(32);
  });

  it('GenerateDataKeyWithoutPlaintext of a key pending deletion → KMSInvalidStateException', async () => {
    const { keyArn } = await wrapped();
    await scheduleDeletion(keyArn);
    const error = await errorOf(() =>
      kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyArn, KeySpec: 'AES_256' })),
    );
    expect(error).toBeInstanceOf(KMSInvalidStateException);
  });
});

describe('ReEncrypt', () => {
  it('a disabled source key → DisabledException', async () => {
    const { keyArn, blob } = await wrapped();
    const destination = (await wrapped()).keyArn;
    await disable(keyArn);
    const error = await errorOf(() =>
      kms.send(
        new ReEncryptCommand({
          CiphertextBlob: blob,
          SourceEncryptionContext: context,
          DestinationKeyId: destination,
        }),
      ),
    );
    expect(error).toBeInstanceOf(DisabledException);
    expect(error.message).toBe(`${keyArn} is disabled.`);
  });

  it('a source key pending deletion → KMSInvalidStateException', async () => {
    const { keyArn, blob } = await wrapped();
    const destination = (await wrapped()).keyArn;
    await scheduleDeletion(keyArn);
    const error = await errorOf(() =>
      kms.send(
        new ReEncryptCommand({
          CiphertextBlob: blob,
          SourceEncryptionContext: context,
          DestinationKeyId: destination,
        }),
      ),
    );
    expect(error).toBeInstanceOf(KMSInvalidStateException);
  });

  it('a disabled destination key → DisabledException; pending deletion → KMSInvalidStateException', async () => {
    const { blob } = await wrapped();
    const disabled = (await wrapped()).keyArn;
    const pending = (await wrapped()).keyArn;
    await disable(disabled);
    await scheduleDeletion(pending);
    const toDisabled = await errorOf(() =>
      kms.send(
        new ReEncryptCommand({
          CiphertextBlob: blob,
          SourceEncryptionContext: context,
          DestinationKeyId: disabled,
        }),
      ),
    );
    expect(toDisabled).toBeInstanceOf(DisabledException);
    const toPending = await errorOf(() =>
      kms.send(
        new ReEncryptCommand({
          CiphertextBlob: blob,
          SourceEncryptionContext: context,
          DestinationKeyId: pending,
        }),
      ),
    );
    expect(toPending).toBeInstanceOf(KMSInvalidStateException);
  });
});

describe('a deleted key', () => {
  it('Decrypt and ReEncrypt of a blob whose key KMS has deleted → NotFoundException naming the key', async () => {
    const { keyArn, blob } = await wrapped();
    const destination = (await wrapped()).keyArn;
    await scheduleDeletion(keyArn);
    now = new Date(now.getTime() + 9 * DAY); // past the 7-day window (rounded to the end of the day)
    try {
      const decrypt = await errorOf(() =>
        kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: context })),
      );
      expect(decrypt).toBeInstanceOf(NotFoundException);
      expect(decrypt.message).toBe(`Key '${keyArn}' does not exist`);
      const reEncrypt = await errorOf(() =>
        kms.send(
          new ReEncryptCommand({
            CiphertextBlob: blob,
            SourceEncryptionContext: context,
            DestinationKeyId: destination,
          }),
        ),
      );
      expect(reEncrypt).toBeInstanceOf(NotFoundException);
      expect(emulator.state.kms.keys.has(keyArn.split('/')[1]!)).toBe(false);
    } finally {
      now = new Date(now.getTime() - 9 * DAY);
    }
  });

  it('a blob that names no key id KMS could have issued → InvalidCiphertextException', async () => {
    const { blob } = await wrapped();
    const forged = blob.slice();
    forged.set(new TextEncoder().encode('not-a-key-id-xxxxxxxxxxxxxxxxxxxxxxx'), 1);
    const error = await errorOf(() =>
      kms.send(new DecryptCommand({ CiphertextBlob: forged, EncryptionContext: context })),
    );
    expect(error).toBeInstanceOf(InvalidCiphertextException);
  });
});
