import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Operation, OperationContext } from '../context.js';
import { AwsError, validationError } from '../errors.js';
import {
  blob,
  type Input,
  optBool,
  optEnum,
  optInt,
  optObject,
  optString,
  reqBlob,
  reqString,
} from '../internal/input.js';
import { ENCRYPTION_ALGORITHMS } from './key-specs.js';
import { findKey, isKeyIdShape, keyArn, purgeDeletedKeys, regionState, useKey } from './resolve.js';
import type { KmsKey } from './state.js';

// Emulator ciphertext blob (opaque to callers, like KMS's):
//   0x01 ‖ key id (36 ASCII bytes: a UUID or mrk- and 32 hex digits) ‖ IV (12) ‖ GCM tag (16) ‖ AES-256-GCM ciphertext
// The AAD binds the key id and the canonical encryption context, so a different context fails.
const VERSION = 1;
const KEY_ID_LENGTH = 36;
const HEADER = 1 + KEY_ID_LENGTH + 12 + 16;

function encryptionContext(input: Input, member: string): Record<string, string> {
  const context = optObject(input, member) ?? {};
  for (const value of Object.values(context)) {
    if (typeof value !== 'string') {
      throw new AwsError('SerializationException', `${member} values must be strings`);
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

function checkAlgorithm(input: Input, key: KmsKey, member: string): void {
  const algorithm = optEnum(input, member, ENCRYPTION_ALGORITHMS) ?? 'SYMMETRIC_DEFAULT';
  if (algorithm !== 'SYMMETRIC_DEFAULT') {
    throw new AwsError(
      'InvalidKeyUsageException',
      `Algorithm ${algorithm} is incompatible with key spec ${key.keySpec}.`,
    );
  }
}

function dryRun(input: Input, operation: string): void {
  if (optBool(input, 'DryRun') === true) {
    throw new AwsError('DryRunOperationException', `The ${operation} request would have succeeded.`);
  }
}

/** Encrypts `plaintext` under `key` into the emulator's blob format. */
function seal(key: KmsKey, plaintext: Uint8Array, encContext: Record<string, string>): Buffer {
  const material = symmetricKey(key);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', material, iv);
  cipher.setAAD(aad(key.keyId, encContext));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([
    Buffer.from([VERSION]),
    Buffer.from(key.keyId, 'ascii'),
    iv,
    cipher.getAuthTag(),
    body,
  ]);
}

/**
 * Decrypts an emulator blob: the key comes from the blob (a `keyIdInput` naming another key →
 * `IncorrectKeyException`); tampered bytes or another context → `InvalidCiphertextException`;
 * the key's state is checked as for every cryptographic operation.
 */
function open(
  context: OperationContext,
  ciphertext: Uint8Array,
  encContext: Record<string, string>,
  keyIdInput: string | undefined,
  operation: string,
  input: Input,
  algorithmMember: string,
): { key: KmsKey; plaintext: Buffer } {
  if (ciphertext.length < HEADER || ciphertext[0] !== VERSION) {
    throw new AwsError('InvalidCiphertextException', '');
  }
  const embeddedKeyId = Buffer.from(ciphertext.subarray(1, 1 + KEY_ID_LENGTH)).toString('ascii');
  if (!isKeyIdShape(embeddedKeyId)) throw new AwsError('InvalidCiphertextException', '');
  purgeDeletedKeys(context);
  if (!regionState(context).keys.has(embeddedKeyId)) {
    // The blob names a key this Region does not hold (any more): KMS answers as for any unknown key
    // (NotFoundException), which is also what a deleted key-encryption key gives.
    throw new AwsError('NotFoundException', `Key '${keyArn(context, embeddedKeyId)}' does not exist`);
  }
  if (keyIdInput !== undefined && findKey(context, keyIdInput).keyId !== embeddedKeyId) {
    throw new AwsError(
      'IncorrectKeyException',
      'The key ID in the request does not identify a KMS key that can perform this operation.',
    );
  }
  const key = useKey(context, embeddedKeyId);
  const material = symmetricKey(key);
  checkAlgorithm(input, key, algorithmMember);
  dryRun(input, operation);
  const iv = ciphertext.subarray(1 + KEY_ID_LENGTH, 1 + KEY_ID_LENGTH + 12);
  const tag = ciphertext.subarray(1 + KEY_ID_LENGTH + 12, HEADER);
  try {
    const decipher = createDecipheriv('aes-256-gcm', material, iv);
    decipher.setAAD(aad(key.keyId, encContext));
    decipher.setAuthTag(tag);
    return {
      key,
      plaintext: Buffer.concat([decipher.update(ciphertext.subarray(HEADER)), decipher.final()]),
    };
  } catch {
    throw new AwsError('InvalidCiphertextException', '');
  }
}

/** `Encrypt` with a `SYMMETRIC_DEFAULT` key; the encryption context is authenticated. */
export const encrypt: Operation = (context, input) => {
  const keyId = reqString(input, 'KeyId', { max: 2048 });
  const plaintext = reqBlob(input, 'Plaintext', { max: 4096 });
  const encContext = encryptionContext(input, 'EncryptionContext');
  const key = useKey(context, keyId);
  symmetricKey(key);
  checkAlgorithm(input, key, 'EncryptionAlgorithm');
  dryRun(input, 'Encrypt');
  return {
    CiphertextBlob: blob(seal(key, plaintext, encContext)),
    KeyId: key.arn,
    EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
  };
};

/**
 * `Decrypt`: the key comes from the ciphertext (a `KeyId` that names another key →
 * `IncorrectKeyException`); tampered ciphertext or a different context → `InvalidCiphertextException`.
 */
export const decrypt: Operation = (context, input) => {
  const ciphertext = reqBlob(input, 'CiphertextBlob', { max: 6144 });
  const encContext = encryptionContext(input, 'EncryptionContext');
  const { key, plaintext } = open(
    context,
    ciphertext,
    encContext,
    optString(input, 'KeyId'),
    'Decrypt',
    input,
    'EncryptionAlgorithm',
  );
  return { KeyId: key.arn, Plaintext: blob(plaintext), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
};

/** The data key length of a `GenerateDataKey*` request: `KeySpec` AES_256 / AES_128 or `NumberOfBytes` 1..1024. */
function dataKeyLength(input: Input): number {
  const spec = optEnum(input, 'KeySpec', ['AES_256', 'AES_128'] as const);
  const bytes = optInt(input, 'NumberOfBytes');
  if ((spec === undefined) === (bytes === undefined)) {
    throw new AwsError('ValidationException', 'Please specify either number of bytes or key spec.');
  }
  if (bytes !== undefined && (bytes < 1 || bytes > 1024)) {
    throw validationError(
      'numberOfBytes',
      bytes < 1
        ? 'Member must have value greater than or equal to 1'
        : 'Member must have value less than or equal to 1024',
      String(bytes),
    );
  }
  return spec === 'AES_128' ? 16 : (bytes ?? 32);
}

function generate(context: OperationContext, input: Input, operation: string) {
  const keyId = reqString(input, 'KeyId', { max: 2048 });
  const length = dataKeyLength(input);
  const encContext = encryptionContext(input, 'EncryptionContext');
  if (input.Recipient !== undefined && input.Recipient !== null) {
    throw new AwsError(
      'UnsupportedOperationException',
      'Recipient (Nitro Enclaves) is not supported by the emulator.',
    );
  }
  const key = useKey(context, keyId);
  symmetricKey(key);
  dryRun(input, operation);
  const plaintext = randomBytes(length);
  const ciphertext = seal(key, plaintext, encContext);
  return { key, plaintext, ciphertext };
}

/**
 * `GenerateDataKey`: a fresh random data key, returned in plaintext and encrypted under the KMS key
 * (the same blob `Decrypt` takes, bound to the encryption context).
 */
export const generateDataKey: Operation = (context, input) => {
  const { key, plaintext, ciphertext } = generate(context, input, 'GenerateDataKey');
  const out = { CiphertextBlob: blob(ciphertext), Plaintext: blob(plaintext), KeyId: key.arn };
  plaintext.fill(0);
  return out;
};

/** `GenerateDataKeyWithoutPlaintext`: as `GenerateDataKey`, only the encrypted copy is returned. */
export const generateDataKeyWithoutPlaintext: Operation = (context, input) => {
  const { key, plaintext, ciphertext } = generate(context, input, 'GenerateDataKeyWithoutPlaintext');
  plaintext.fill(0);
  return { CiphertextBlob: blob(ciphertext), KeyId: key.arn };
};

/**
 * `ReEncrypt`: decrypts with the source key (from the blob; `SourceKeyId` must name it, else
 * `IncorrectKeyException`) and the source context, and encrypts under `DestinationKeyId` with the
 * destination context — the plaintext never leaves the service.
 */
export const reEncrypt: Operation = (context, input) => {
  const ciphertext = reqBlob(input, 'CiphertextBlob', { max: 6144 });
  const destinationKeyId = reqString(input, 'DestinationKeyId', { max: 2048 });
  const sourceContext = encryptionContext(input, 'SourceEncryptionContext');
  const destinationContext = encryptionContext(input, 'DestinationEncryptionContext');
  const destination = useKey(context, destinationKeyId);
  symmetricKey(destination);
  checkAlgorithm(input, destination, 'DestinationEncryptionAlgorithm');
  const { key: source, plaintext } = open(
    context,
    ciphertext,
    sourceContext,
    optString(input, 'SourceKeyId'),
    'ReEncrypt',
    input,
    'SourceEncryptionAlgorithm',
  );
  const out = seal(destination, plaintext, destinationContext);
  plaintext.fill(0);
  return {
    CiphertextBlob: blob(out),
    SourceKeyId: source.arn,
    KeyId: destination.arn,
    SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
  };
};
