import {
  DecryptCommand,
  type DecryptCommandOutput,
  GenerateDataKeyCommand,
  type GenerateDataKeyCommandOutput,
  ReEncryptCommand,
  type ReEncryptCommandOutput,
} from '@aws-sdk/client-kms';
import {
  type AwsCallOptions,
  type AwsClientLike,
  type AwsCommandLike,
  invokeAws,
  pickAwsCallOptions,
} from '@mdlkit/aws-common';
import type {
  DecryptDataKeyOptions,
  EncryptionContext,
  GenerateDataKeyOptions,
  GeneratedDataKey,
  KeyEncryptionKey,
  RewrapDataKeyOptions,
} from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { mapKmsEnvelopeError } from './map-kms-envelope-error.js';

/** Options of {@link createKmsKeyEncryptionKey}. */
export interface KmsKeyEncryptionKeyOptions extends AwsCallOptions {
  /** A KMS client (`@aws-sdk/client-kms`), ideally configured with `awsClientDefaults()`. */
  readonly client: AwsClientLike;
  /** A symmetric `ENCRYPT_DECRYPT` KMS key: key id, key ARN, alias name or alias ARN. */
  readonly keyId: string;
}

/**
 * Takes the plaintext out of an SDK response into a buffer of its own and zeroes the SDK's copy (the
 * SDK may decode base64 into Node's shared `Buffer` pool).
 */
function ownSecret(bytes: Uint8Array | undefined, operation: string): Uint8Array {
  if (bytes === undefined || bytes.length !== 32) {
    bytes?.fill(0);
    throw new MdlError('ERR_KEK_FAILED', `KMS ${operation} returned no 32-byte data key`, {
      details: { operation },
    });
  }
  const own = new Uint8Array(32);
  own.set(bytes);
  bytes.fill(0);
  return own;
}

function owned(bytes: Uint8Array | undefined, operation: string): Uint8Array {
  if (bytes === undefined) {
    throw new MdlError('ERR_KEK_FAILED', `KMS ${operation} returned no ciphertext`, {
      details: { operation },
    });
  }
  return new Uint8Array(bytes);
}

function contextOf(context: EncryptionContext): Record<string, string> {
  return { ...context };
}

/**
 * A key-encryption key in AWS KMS for envelope encryption of holder records: `GenerateDataKey`
 * (AES_256, bound to the encryption context) for new data keys, `Decrypt` (with the context and the
 * expected key id) to open them, `ReEncrypt` to re-wrap under another key without the plaintext data
 * key leaving KMS. Every call goes through the client's retry strategy with a deadline and one audit
 * record per attempt (plaintext and ciphertext redacted); the plaintext data key is copied out of
 * the SDK response into a buffer of its own and the SDK's copy zeroed.
 *
 * IAM: `kms:GenerateDataKey`, `kms:Decrypt`, and for rotation `kms:ReEncryptFrom` on the old key and
 * `kms:ReEncryptTo` on the new one (conditions on `kms:EncryptionContext:mdlkit:purpose` work).
 *
 * @example
 * ```ts
 * const kek = createKmsKeyEncryptionKey({ client: kms, keyId: 'alias/mdl-holder-records', audit });
 * const sealed = await sealHolderRecord({ kek, holderId: 'holder-0001', plaintext });
 * ```
 */
export function createKmsKeyEncryptionKey(options: KmsKeyEncryptionKeyOptions): KeyEncryptionKey {
  const { client, keyId } = options;
  if (typeof keyId !== 'string' || keyId.length === 0) {
    throw new MdlError('ERR_AWS_CONFIG_INVALID', 'createKmsKeyEncryptionKey needs a keyId');
  }
  const call = pickAwsCallOptions(options);
  const send = <O>(operation: string, resourceId: string | undefined, command: AwsCommandLike): Promise<O> =>
    invokeAws<O>(
      { service: 'kms', operation, resourceId, client, command, mapError: mapKmsEnvelopeError },
      call,
    );

  return {
    keyId,
    async generateDataKey(o: GenerateDataKeyOptions): Promise<GeneratedDataKey> {
      const out = await send<GenerateDataKeyCommandOutput>(
        'GenerateDataKey',
        keyId,
        new GenerateDataKeyCommand({
          KeyId: keyId,
          KeySpec: 'AES_256',
          EncryptionContext: contextOf(o.context),
        }),
      );
      const plaintext = ownSecret(out.Plaintext, 'GenerateDataKey');
      try {
        return {
          plaintext,
          wrapped: owned(out.CiphertextBlob, 'GenerateDataKey'),
          keyId: out.KeyId ?? keyId,
        };
      } catch (error) {
        plaintext.fill(0);
        throw error;
      }
    },
    async decryptDataKey(o: DecryptDataKeyOptions): Promise<Uint8Array> {
      const expected = o.keyId ?? keyId;
      const out = await send<DecryptCommandOutput>(
        'Decrypt',
        expected,
        new DecryptCommand({
          CiphertextBlob: new Uint8Array(o.wrapped),
          EncryptionContext: contextOf(o.context),
          KeyId: expected,
        }),
      );
      return ownSecret(out.Plaintext, 'Decrypt');
    },
    async rewrapDataKey(o: RewrapDataKeyOptions): Promise<{ wrapped: Uint8Array; keyId: string }> {
      const destination = o.destinationKeyId ?? keyId;
      const out = await send<ReEncryptCommandOutput>(
        'ReEncrypt',
        destination,
        new ReEncryptCommand({
          CiphertextBlob: new Uint8Array(o.wrapped),
          SourceEncryptionContext: contextOf(o.context),
          DestinationKeyId: destination,
          DestinationEncryptionContext: contextOf(o.context),
        }),
      );
      return { wrapped: owned(out.CiphertextBlob, 'ReEncrypt'), keyId: out.KeyId ?? destination };
    },
  };
}
