import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Operation } from '../context.js';
import { AwsError } from '../errors.js';
import {
  blob,
  type Input,
  optBool,
  optEnum,
  optObject,
  optString,
  reqBlob,
  reqString,
} from '../internal/input.js';
import { ENCRYPTION_ALGORITHMS } from './key-specs.js';
import { findKey, useKey } from './resolve.js';
import type { KmsKey } from './state.js';

// Emulator ciphertext blob (opaque to callers, like KMS's):
//   0x01 ‖ key id (36 ASCII bytes) ‖ IV (12) ‖ GCM tag (16) ‖ AES-256-GCM ciphertext
// The AAD binds the key id and the canonical encryption context, so a different context fails.
const VERSION = 1;
const KEY_ID_LENGTH = 36;
const HEADER = 1 + KEY_ID_LENGTH + 12 + 16;

function encryptionContext(input: Input): Record<string, string> {
  const context = optObject(input, 'EncryptionContext') ?? {};
  for (const value of Object.values(context)) {
    if (typeof value !== 'string') {
      throw new AwsError('SerializationException', 'EncryptionContext values must be strings');
    }
  }
  return context as Record<string, string>;
}

function aad(keyId: string, context: Record<string, string>): Buffer {
  const entries = Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify([keyId, entries]), 'utf8');
}

function symmetricKey(key: KmsKey): Uint8Array {
  if (key.material.kind !== 'symmetric') {
    throw new AwsError(
      'InvalidKeyUsageException',
      `${key.arn} key usage is ${key.keyUsage} which is not valid for this operation.`,
    );
  }
  return key.material.key;
}

function checkAlgorithm(input: Input, key: KmsKey): void {
  const algorithm = optEnum(input, 'EncryptionAlgorithm', ENCRYPTION_ALGORITHMS) ?? 'SYMMETRIC_DEFAULT';
  if (algorithm !== 'SYMMETRIC_DEFAULT') {
    throw new AwsError(
      'InvalidKeyUsageException',
      `Algorithm ${algorithm} is incompatible with key spec ${key.keySpec}.`,
    );
  }
}

/** `Encrypt` with a `SYMMETRIC_DEFAULT` key; the encryption context is authenticated. */
export const encrypt: Operation = (context, input) => {
  const keyId = reqString(input, 'KeyId', { max: 2048 });
  const plaintext = reqBlob(input, 'Plaintext', { max: 4096 });
  const encContext = encryptionContext(input);
  const key = useKey(context, keyId);
  const material = symmetricKey(key);
  checkAlgorithm(input, key);
  if (optBool(input, 'DryRun') === true) {
    throw new AwsError('DryRunOperationException', 'The Encrypt request would have succeeded.');
  }
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', material, iv);
  cipher.setAAD(aad(key.keyId, encContext));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const ciphertext = Buffer.concat([
    Buffer.from([VERSION]),
    Buffer.from(key.keyId, 'ascii'),
    iv,
    cipher.getAuthTag(),
    body,
  ]);
  return { CiphertextBlob: blob(ciphertext), KeyId: key.arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
};

/**
 * `Decrypt`: the key comes from the ciphertext (a `KeyId` that names another key →
 * `IncorrectKeyException`); tampered ciphertext or a different context → `InvalidCiphertextException`.
 */
export const decrypt: Operation = (context, input) => {
  const ciphertext = reqBlob(input, 'CiphertextBlob', { max: 6144 });
  const encContext = encryptionContext(input);
  const keyIdInput = optString(input, 'KeyId');
  if (ciphertext.length < HEADER || ciphertext[0] !== VERSION) {
    throw new AwsError('InvalidCiphertextException', '');
  }
  const embeddedKeyId = Buffer.from(ciphertext.subarray(1, 1 + KEY_ID_LENGTH)).toString('ascii');
  if (!context.state.kms.keys.has(embeddedKeyId)) throw new AwsError('InvalidCiphertextException', '');
  if (keyIdInput !== undefined && findKey(context, keyIdInput).keyId !== embeddedKeyId) {
    throw new AwsError(
      'IncorrectKeyException',
      'The key ID in the request does not identify a KMS key that can perform this operation.',
    );
  }
  const key = useKey(context, embeddedKeyId);
  const material = symmetricKey(key);
  checkAlgorithm(input, key);
  if (optBool(input, 'DryRun') === true) {
    throw new AwsError('DryRunOperationException', 'The Decrypt request would have succeeded.');
  }
  const iv = ciphertext.subarray(1 + KEY_ID_LENGTH, 1 + KEY_ID_LENGTH + 12);
  const tag = ciphertext.subarray(1 + KEY_ID_LENGTH + 12, HEADER);
  try {
    const decipher = createDecipheriv('aes-256-gcm', material, iv);
    decipher.setAAD(aad(key.keyId, encContext));
    decipher.setAuthTag(tag);
    const plaintext = Buffer.concat([decipher.update(ciphertext.subarray(HEADER)), decipher.final()]);
    return { KeyId: key.arn, Plaintext: blob(plaintext), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  } catch {
    throw new AwsError('InvalidCiphertextException', '');
  }
};
