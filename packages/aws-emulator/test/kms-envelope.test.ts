import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  CreateKeyCommand,
  DecryptCommand,
  DisabledException,
  DisableKeyCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  IncorrectKeyException,
  InvalidCiphertextException,
  InvalidKeyUsageException,
  KMSInvalidStateException,
  ReEncryptCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { errorOf, kmsClient } from './helpers.js';

// Envelope encryption as AWS KMS does it, through the real @aws-sdk/client-kms client.

let emulator: Emulator;
let kms: ReturnType<typeof kmsClient>;

beforeAll(async () => {
  emulator = await startEmulator();
  kms = kmsClient(emulator);
});
afterAll(async () => {
  kms.destroy();
  await emulator.close();
});

async function symmetricKey(): Promise<string> {
  const out = await kms.send(new CreateKeyCommand({}));
  return out.KeyMetadata!.Arn!;
}

const context = { 'mdlkit:holder-id': 'holder-0001', 'mdlkit:purpose': 'holder-record' };

describe('GenerateDataKey / GenerateDataKeyWithoutPlaintext', () => {
  it('returns a fresh AES-256 key and a blob that Decrypt opens only with the same context', async () => {
    const keyArn = await symmetricKey();
    const one = await kms.send(
      new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256', EncryptionContext: context }),
    );
    expect(one.KeyId).toBe(keyArn);
    expect(one.Plaintext!.length).toBe(32);
    expect(Buffer.from(one.CiphertextBlob!).includes(Buffer.from(one.Plaintext!))).toBe(false);
    const two = await kms.send(
      new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256', EncryptionContext: context }),
    );
    expect(Buffer.from(two.Plaintext!).equals(Buffer.from(one.Plaintext!))).toBe(false);

    // the data key really is an AES-256 key: encrypt locally, decrypt with the unwrapped copy
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', one.Plaintext!, iv);
    const body = Buffer.concat([cipher.update('holder record'), cipher.final()]);
    const tag = cipher.getAuthTag();
    const unwrapped = await kms.send(
      new DecryptCommand({ CiphertextBlob: one.CiphertextBlob!, EncryptionContext: context }),
    );
    expect(unwrapped.KeyId).toBe(keyArn);
    const decipher = createDecipheriv('aes-256-gcm', unwrapped.Plaintext!, iv);
    decipher.setAuthTag(tag);
    expect(Buffer.concat([decipher.update(body), decipher.final()]).toString()).toBe('holder record');

    // another context, no context, a flipped byte → InvalidCiphertextException
    for (const EncryptionContext of [{ ...context, 'mdlkit:holder-id': 'holder-0002' }, undefined]) {
      const error = await errorOf(() =>
        kms.send(new DecryptCommand({ CiphertextBlob: one.CiphertextBlob!, EncryptionContext })),
      );
      expect(error).toBeInstanceOf(InvalidCiphertextException);
    }
    const tampered = new Uint8Array(one.CiphertextBlob!);
    tampered[tampered.length - 1]! ^= 1;
    const bad = await errorOf(() =>
      kms.send(new DecryptCommand({ CiphertextBlob: tampered, EncryptionContext: context })),
    );
    expect(bad).toBeInstanceOf(InvalidCiphertextException);
  });

  it('KeySpec AES_128 or NumberOfBytes, exactly one of them; WithoutPlaintext returns no plaintext', async () => {
    const keyArn = await symmetricKey();
    const aes128 = await kms.send(new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_128' }));
    expect(aes128.Plaintext!.length).toBe(16);
    const bytes = await kms.send(new GenerateDataKeyCommand({ KeyId: keyArn, NumberOfBytes: 64 }));
    expect(bytes.Plaintext!.length).toBe(64);
    for (const input of [{}, { KeySpec: 'AES_256' as const, NumberOfBytes: 32 }, { NumberOfBytes: 1025 }]) {
      const error = await errorOf(() => kms.send(new GenerateDataKeyCommand({ KeyId: keyArn, ...input })));
      expect(error.name).toBe('ValidationException');
    }
    const without = await kms.send(
      new GenerateDataKeyWithoutPlaintextCommand({
        KeyId: keyArn,
        KeySpec: 'AES_256',
        EncryptionContext: context,
      }),
    );
    expect((without as { Plaintext?: unknown }).Plaintext).toBeUndefined();
    const opened = await kms.send(
      new DecryptCommand({ CiphertextBlob: without.CiphertextBlob!, EncryptionContext: context }),
    );
    expect(opened.Plaintext!.length).toBe(32);
  });

  it('an asymmetric key → InvalidKeyUsageException; disabled → DisabledException; pending deletion → KMSInvalidStateException', async () => {
    const signing = await kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    const usage = await errorOf(() =>
      kms.send(new GenerateDataKeyCommand({ KeyId: signing.KeyMetadata!.Arn!, KeySpec: 'AES_256' })),
    );
    expect(usage).toBeInstanceOf(InvalidKeyUsageException);

    const keyArn = await symmetricKey();
    const made = await kms.send(
      new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256', EncryptionContext: context }),
    );
    await kms.send(new DisableKeyCommand({ KeyId: keyArn }));
    const disabled = await errorOf(() =>
      kms.send(new DecryptCommand({ CiphertextBlob: made.CiphertextBlob!, EncryptionContext: context })),
    );
    expect(disabled).toBeInstanceOf(DisabledException);
    const generate = await errorOf(() =>
      kms.send(new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256' })),
    );
    expect(generate).toBeInstanceOf(DisabledException);
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyArn, PendingWindowInDays: 7 }));
    const pending = await errorOf(() =>
      kms.send(new DecryptCommand({ CiphertextBlob: made.CiphertextBlob!, EncryptionContext: context })),
    );
    expect(pending).toBeInstanceOf(KMSInvalidStateException);
  });
});

describe('ReEncrypt', () => {
  it('re-wraps under another key and context; the source context and key must match', async () => {
    const source = await symmetricKey();
    const destination = await symmetricKey();
    const made = await kms.send(
      new GenerateDataKeyCommand({ KeyId: source, KeySpec: 'AES_256', EncryptionContext: context }),
    );
    const moved = await kms.send(
      new ReEncryptCommand({
        CiphertextBlob: made.CiphertextBlob!,
        SourceEncryptionContext: context,
        DestinationKeyId: destination,
        DestinationEncryptionContext: context,
      }),
    );
    expect(moved.SourceKeyId).toBe(source);
    expect(moved.KeyId).toBe(destination);
    const opened = await kms.send(
      new DecryptCommand({
        CiphertextBlob: moved.CiphertextBlob!,
        EncryptionContext: context,
        KeyId: destination,
      }),
    );
    expect(Buffer.from(opened.Plaintext!).equals(Buffer.from(made.Plaintext!))).toBe(true);
    // the re-wrapped blob is the destination key's: naming the source key fails
    const wrongKey = await errorOf(() =>
      kms.send(
        new DecryptCommand({
          CiphertextBlob: moved.CiphertextBlob!,
          EncryptionContext: context,
          KeyId: source,
        }),
      ),
    );
    expect(wrongKey).toBeInstanceOf(IncorrectKeyException);
    const wrongContext = await errorOf(() =>
      kms.send(
        new ReEncryptCommand({
          CiphertextBlob: made.CiphertextBlob!,
          SourceEncryptionContext: { ...context, 'mdlkit:purpose': 'other' },
          DestinationKeyId: destination,
        }),
      ),
    );
    expect(wrongContext).toBeInstanceOf(InvalidCiphertextException);
    const wrongSource = await errorOf(() =>
      kms.send(
        new ReEncryptCommand({
          CiphertextBlob: made.CiphertextBlob!,
          SourceEncryptionContext: context,
          SourceKeyId: destination,
          DestinationKeyId: destination,
        }),
      ),
    );
    expect(wrongSource).toBeInstanceOf(IncorrectKeyException);
  });
});
