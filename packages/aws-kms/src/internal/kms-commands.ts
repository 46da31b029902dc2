import {
  CreateAliasCommand,
  type CreateAliasCommandOutput,
  CreateKeyCommand,
  type CreateKeyCommandOutput,
  DescribeKeyCommand,
  type DescribeKeyCommandOutput,
  GetPublicKeyCommand,
  type GetPublicKeyCommandOutput,
  SignCommand,
  type SignCommandOutput,
  UpdateAliasCommand,
  type UpdateAliasCommandOutput,
} from '@aws-sdk/client-kms';
import { type AwsCallOptions, type AwsClientLike, type AwsCommandLike, invokeAws } from '@mdlkit/aws-common';
import { mapKmsError } from '../errors/map-kms-error.js';

/**
 * @internal The KMS operations mdlkit uses, each through {@link invokeAws} (retries, audit,
 * deadline, error mapping). SDK output types stay inside this module's callers in `src/`; nothing
 * public returns them.
 */

function kms<O>(
  client: AwsClientLike,
  operation: string,
  resourceId: string | undefined,
  _input: object,
  make: () => AwsCommandLike,
  options: AwsCallOptions,
): Promise<O> {
  return invokeAws<O>(
    { service: 'kms', operation, resourceId, client, command: make(), mapError: mapKmsError },
    options,
  );
}

export function kmsSign(
  client: AwsClientLike,
  input: {
    KeyId: string;
    Message: Uint8Array;
    MessageType: 'DIGEST' | 'RAW';
    SigningAlgorithm: string;
  },
  options: AwsCallOptions,
): Promise<SignCommandOutput> {
  return kms(
    client,
    'Sign',
    input.KeyId,
    input,
    () =>
      new SignCommand({
        KeyId: input.KeyId,
        Message: input.Message,
        MessageType: input.MessageType,
        SigningAlgorithm: input.SigningAlgorithm as SignCommand['input']['SigningAlgorithm'],
      }),
    options,
  );
}

export function kmsDescribeKey(
  client: AwsClientLike,
  keyId: string,
  options: AwsCallOptions,
): Promise<DescribeKeyCommandOutput> {
  const input = { KeyId: keyId };
  return kms(client, 'DescribeKey', keyId, input, () => new DescribeKeyCommand(input), options);
}

export function kmsGetPublicKey(
  client: AwsClientLike,
  keyId: string,
  options: AwsCallOptions,
): Promise<GetPublicKeyCommandOutput> {
  const input = { KeyId: keyId };
  return kms(client, 'GetPublicKey', keyId, input, () => new GetPublicKeyCommand(input), options);
}

export function kmsCreateSigningKey(
  client: AwsClientLike,
  input: { KeySpec: string; Description?: string; Tags?: readonly { TagKey: string; TagValue: string }[] },
  options: AwsCallOptions,
): Promise<CreateKeyCommandOutput> {
  const request = {
    KeySpec: input.KeySpec as CreateKeyCommand['input']['KeySpec'],
    KeyUsage: 'SIGN_VERIFY' as const,
    ...(input.Description === undefined ? {} : { Description: input.Description }),
    ...(input.Tags === undefined ? {} : { Tags: input.Tags.map((t) => ({ ...t })) }),
  };
  return kms(client, 'CreateKey', undefined, request, () => new CreateKeyCommand(request), options);
}

export function kmsUpdateAlias(
  client: AwsClientLike,
  input: { AliasName: string; TargetKeyId: string },
  options: AwsCallOptions,
): Promise<UpdateAliasCommandOutput> {
  return kms(
    client,
    'UpdateAlias',
    input.AliasName,
    input,
    () => new UpdateAliasCommand({ ...input }),
    options,
  );
}

export function kmsCreateAlias(
  client: AwsClientLike,
  input: { AliasName: string; TargetKeyId: string },
  options: AwsCallOptions,
): Promise<CreateAliasCommandOutput> {
  return kms(
    client,
    'CreateAlias',
    input.AliasName,
    input,
    () => new CreateAliasCommand({ ...input }),
    options,
  );
}
