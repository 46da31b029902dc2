import { type AwsCallOptions, type AwsClientLike, pickAwsCallOptions } from '@mdlkit/aws-common';
import { isMdlError, MdlError } from '@mdlkit/core/errors';
import {
  kmsCreateAlias,
  kmsCreateSigningKey,
  kmsDescribeKey,
  kmsUpdateAlias,
} from '../internal/kms-commands.js';
import { createKmsSigner, type KmsSigner } from '../signer/create-kms-signer.js';
import type { KmsSigningKeySpec } from '../signer/kms-key-spec.js';

/** Options for {@link rotateKmsKey}. */
export interface RotateKmsKeyOptions extends AwsCallOptions {
  /** An injected KMS client. */
  readonly client: AwsClientLike;
  /** The alias signers use (`alias/…`); created if it does not exist yet. */
  readonly aliasName: string;
  /** Key spec of the new key. */
  readonly keySpec: KmsSigningKeySpec;
  /** Description of the new key. */
  readonly description?: string;
  /** Tags of the new key. */
  readonly tags?: readonly { readonly TagKey: string; readonly TagValue: string }[];
  /**
   * Runs after the new key exists and before the alias moves — issue the new key's document signer
   * certificate here (CSR signed by the new key, ACM-PCA), so the alias never points at a key
   * without a certificate. If it throws, the alias is left where it was and the error propagates.
   */
  readonly beforeAliasUpdate?: (signer: KmsSigner) => Promise<void>;
}

/** The outcome of {@link rotateKmsKey}. */
export interface RotateKmsKeyResult {
  /** A signer for the new key (pinned to its ARN). */
  readonly signer: KmsSigner;
  /** The key ARN the alias pointed at before, if it existed. */
  readonly previousKeyId: string | undefined;
}

/**
 * Rotates an asymmetric signing key the only way KMS allows: `CreateKey` (SIGN_VERIFY, same or new
 * spec), `GetPublicKey`, the `beforeAliasUpdate` hook (issue its certificate), then `UpdateAlias`
 * (or `CreateAlias` the first time). The previous key is left enabled and untouched: retire it in
 * your {@link KmsKeyRing}, and disable it once no process signs with it (see the runbook in
 * docs/aws.md). IAM: `kms:CreateKey`, `kms:TagResource` (with tags), `kms:DescribeKey`,
 * `kms:GetPublicKey`, `kms:UpdateAlias` / `kms:CreateAlias` on the alias and on both keys.
 *
 * @throws {@link MdlError} `ERR_AWS_CONFIG_INVALID` (alias name malformed), the mapped KMS errors
 *   (`ERR_SIGNER_ACCESS_DENIED` naming the action …), or whatever `beforeAliasUpdate` throws.
 * @example
 * ```ts
 * const { signer, previousKeyId } = await rotateKmsKey({
 *   client, aliasName: 'alias/mdl-ds', keySpec: 'ECC_NIST_P256',
 *   beforeAliasUpdate: async (s) => { await issueDocumentSigner({ ..., signer: s }); },
 * });
 * ring.rotate(signer);
 * ```
 */
export async function rotateKmsKey(options: RotateKmsKeyOptions): Promise<RotateKmsKeyResult> {
  const { client, aliasName } = options;
  if (
    typeof aliasName !== 'string' ||
    !/^alias\/[a-zA-Z0-9:/_-]{1,250}$/.test(aliasName) ||
    aliasName.startsWith('alias/aws/')
  ) {
    throw new MdlError(
      'ERR_AWS_CONFIG_INVALID',
      'KMS key rotation needs a customer alias name "alias/<name>" (letters, digits, / _ - :; not alias/aws/…).',
    );
  }
  const callOptions = pickAwsCallOptions(options);
  let previousKeyId: string | undefined;
  try {
    const described = await kmsDescribeKey(client, aliasName, callOptions);
    previousKeyId = described.KeyMetadata?.Arn ?? described.KeyMetadata?.KeyId;
  } catch (error) {
    if (!(isMdlError(error) && error.details['awsError'] === 'NotFoundException')) throw error;
  }
  const created = await kmsCreateSigningKey(
    client,
    {
      KeySpec: options.keySpec,
      ...(options.description === undefined ? {} : { Description: options.description }),
      ...(options.tags === undefined ? {} : { Tags: options.tags }),
    },
    callOptions,
  );
  const newKeyId = created.KeyMetadata?.Arn ?? created.KeyMetadata?.KeyId;
  if (newKeyId === undefined) {
    throw new MdlError('ERR_SIGNER_FAILED', 'KMS CreateKey returned no key id.');
  }
  const signer = await createKmsSigner({ ...callOptions, client, keyId: newKeyId, keySpec: options.keySpec });
  if (options.beforeAliasUpdate !== undefined) await options.beforeAliasUpdate(signer);
  if (previousKeyId === undefined) {
    await kmsCreateAlias(client, { AliasName: aliasName, TargetKeyId: signer.keyId }, callOptions);
  } else {
    await kmsUpdateAlias(client, { AliasName: aliasName, TargetKeyId: signer.keyId }, callOptions);
  }
  return { signer, previousKeyId };
}
