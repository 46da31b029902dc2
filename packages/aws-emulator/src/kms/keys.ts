import { randomBytes, randomUUID } from 'node:crypto';
import type { Operation, OperationContext } from '../context.js';
import { AwsError, validationError } from '../errors.js';
import { blob, optBool, optEnum, optInt, optString, reqString, timestamp } from '../internal/input.js';
import { generateKeyMaterial } from './key-material.js';
import {
  ALL_KEY_SPECS,
  ALL_KEY_USAGES,
  SIGNING_ALGORITHMS_BY_SPEC,
  SUPPORTED_KEY_SPECS,
  type SupportedKeySpec,
  USAGE_BY_SPEC,
} from './key-specs.js';
import {
  applyKeyFault,
  findKey,
  keyArn,
  purgeDeletedKeys,
  regionState,
  relatedMultiRegionKeys,
  useKey,
} from './resolve.js';
import type { KmsKey } from './state.js';

/** The `KeyMetadata` structure of a key. */
export function keyMetadata(context: OperationContext, key: KmsKey): Record<string, unknown> {
  const metadata: Record<string, unknown> = {
    AWSAccountId: context.accountId,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: timestamp(key.creationDate),
    Enabled: key.keyState === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.keyState,
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    MultiRegion: key.multiRegionKeyType !== undefined,
  };
  if (key.multiRegionKeyType !== undefined) {
    // DescribeKey of any member lists the whole set: the primary (also when it is this key) and
    // every replica (including this key when it is one).
    const related = relatedMultiRegionKeys(context, key);
    const primary = related.find((k) => k.multiRegionKeyType === 'PRIMARY');
    metadata.MultiRegionConfiguration = {
      MultiRegionKeyType: key.multiRegionKeyType,
      ...(primary === undefined ? {} : { PrimaryKey: { Arn: primary.arn, Region: primary.region } }),
      ReplicaKeys: related
        .filter((k) => k.multiRegionKeyType === 'REPLICA')
        .map((k) => ({ Arn: k.arn, Region: k.region })),
    };
  }
  if (key.keyUsage === 'SIGN_VERIFY') metadata.SigningAlgorithms = SIGNING_ALGORITHMS_BY_SPEC[key.keySpec];
  if (key.keyUsage === 'ENCRYPT_DECRYPT') metadata.EncryptionAlgorithms = ['SYMMETRIC_DEFAULT'];
  if (key.keyState === 'PendingDeletion' && key.deletionDate !== undefined) {
    metadata.DeletionDate = timestamp(key.deletionDate);
    metadata.PendingDeletionWindowInDays = key.pendingWindowInDays;
  }
  return metadata;
}

/** `CreateKey`: ECC / Ed25519 / ML-DSA signing keys and `SYMMETRIC_DEFAULT` encryption keys. */
export const createKey: Operation = (context, input) => {
  const keySpecInput = optEnum(input, 'KeySpec', ALL_KEY_SPECS);
  const legacySpec = optEnum(input, 'CustomerMasterKeySpec', ALL_KEY_SPECS);
  if (keySpecInput !== undefined && legacySpec !== undefined) {
    throw new AwsError(
      'ValidationException',
      'You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec parameter is deprecated. Use KeySpec parameter instead.',
    );
  }
  const keySpec = keySpecInput ?? legacySpec ?? 'SYMMETRIC_DEFAULT';
  const keyUsage = optEnum(input, 'KeyUsage', ALL_KEY_USAGES) ?? 'ENCRYPT_DECRYPT';
  const origin = optString(input, 'Origin') ?? 'AWS_KMS';
  const description = optString(input, 'Description') ?? '';
  if (description.length > 8192) {
    throw validationError('description', 'Member must have length less than or equal to 8192');
  }
  if (origin !== 'AWS_KMS') {
    throw new AwsError('UnsupportedOperationException', `Origin ${origin} is not supported by the emulator.`);
  }
  if (!(SUPPORTED_KEY_SPECS as readonly string[]).includes(keySpec)) {
    throw new AwsError(
      'UnsupportedOperationException',
      `KeySpec ${keySpec} is not supported by the emulator.`,
    );
  }
  const spec = keySpec as SupportedKeySpec;
  if (USAGE_BY_SPEC[spec] !== keyUsage) {
    throw new AwsError(
      'ValidationException',
      `KeyUsage ${keyUsage} is not compatible with KeySpec ${keySpec}`,
    );
  }
  const multiRegion = optBool(input, 'MultiRegion') === true;
  // Multi-Region key ids are `mrk-` and 32 hex digits; the same id names the key in every Region.
  const keyId = multiRegion ? `mrk-${randomBytes(16).toString('hex')}` : randomUUID();
  const key: KmsKey = {
    keyId,
    arn: keyArn(context, keyId),
    region: context.region,
    creationDate: context.now(),
    keySpec: spec,
    keyUsage,
    material: generateKeyMaterial(spec),
    ...(multiRegion ? { multiRegionKeyType: 'PRIMARY' as const } : {}),
    description,
    keyState: 'Enabled',
    rotationEnabled: false,
  };
  regionState(context).keys.set(keyId, key);
  return { KeyMetadata: keyMetadata(context, key) };
};

/** `DescribeKey`: works in every key state; accepts aliases. */
export const describeKey: Operation = (context, input) => {
  const key = findKey(context, reqString(input, 'KeyId', { max: 2048 }));
  applyKeyFault(context, key);
  return { KeyMetadata: keyMetadata(context, key) };
};

/** `GetPublicKey`: DER SubjectPublicKeyInfo plus spec, usage and algorithms. */
export const getPublicKey: Operation = (context, input) => {
  const key = useKey(context, reqString(input, 'KeyId', { max: 2048 }));
  if (key.material.kind === 'symmetric') {
    throw new AwsError(
      'UnsupportedOperationException',
      `${key.arn} key usage is ENCRYPT_DECRYPT and key spec is SYMMETRIC_DEFAULT; GetPublicKey is not supported for symmetric keys.`,
    );
  }
  return {
    KeyId: key.arn,
    PublicKey: blob(key.material.spki),
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    KeyUsage: key.keyUsage,
    SigningAlgorithms: SIGNING_ALGORITHMS_BY_SPEC[key.keySpec],
  };
};

function keyForStateChange(context: OperationContext, keyIdInput: string): KmsKey {
  const key = findKey(context, keyIdInput, 'key-only');
  applyKeyFault(context, key);
  return key;
}

/** `EnableKey`: a key pending deletion cannot be enabled (`KMSInvalidStateException`). */
export const enableKey: Operation = (context, input) => {
  const key = keyForStateChange(context, reqString(input, 'KeyId', { max: 2048 }));
  if (key.keyState === 'PendingDeletion') {
    throw new AwsError('KMSInvalidStateException', `${key.arn} is pending deletion.`);
  }
  key.keyState = 'Enabled';
  return {};
};

/** `DisableKey`. */
export const disableKey: Operation = (context, input) => {
  const key = keyForStateChange(context, reqString(input, 'KeyId', { max: 2048 }));
  if (key.keyState === 'PendingDeletion') {
    throw new AwsError('KMSInvalidStateException', `${key.arn} is pending deletion.`);
  }
  key.keyState = 'Disabled';
  return {};
};

const DAY_MS = 86_400_000;

/** `ScheduleKeyDeletion`: 7–30 day window (default 30); the key becomes `PendingDeletion`. */
export const scheduleKeyDeletion: Operation = (context, input) => {
  const key = keyForStateChange(context, reqString(input, 'KeyId', { max: 2048 }));
  const days = optInt(input, 'PendingWindowInDays') ?? 30;
  if (days < 7) {
    throw validationError(
      'pendingWindowInDays',
      'Member must have value greater than or equal to 7',
      String(days),
    );
  }
  if (days > 30) {
    throw validationError(
      'pendingWindowInDays',
      'Member must have value less than or equal to 30',
      String(days),
    );
  }
  if (key.keyState === 'PendingDeletion') {
    throw new AwsError('KMSInvalidStateException', `${key.arn} is pending deletion.`);
  }
  key.keyState = 'PendingDeletion';
  key.pendingWindowInDays = days;
  // KMS rounds the deletion time up to the end of the day (UTC) after the window.
  const end = new Date(context.now().getTime() + days * DAY_MS);
  end.setUTCHours(0, 0, 0, 0);
  key.deletionDate = new Date(end.getTime() + DAY_MS);
  return {
    KeyId: key.arn,
    DeletionDate: timestamp(key.deletionDate),
    KeyState: key.keyState,
    PendingWindowInDays: days,
  };
};

/** `CancelKeyDeletion`: the key comes back `Disabled`, as in AWS. */
export const cancelKeyDeletion: Operation = (context, input) => {
  const key = keyForStateChange(context, reqString(input, 'KeyId', { max: 2048 }));
  if (key.keyState !== 'PendingDeletion') {
    throw new AwsError('KMSInvalidStateException', `${key.arn} is not pending deletion.`);
  }
  key.keyState = 'Disabled';
  delete key.deletionDate;
  delete key.pendingWindowInDays;
  return { KeyId: key.arn };
};

/** `UpdateKeyDescription`. */
export const updateKeyDescription: Operation = (context, input) => {
  const key = keyForStateChange(context, reqString(input, 'KeyId', { max: 2048 }));
  const description = optString(input, 'Description');
  if (description === undefined) throw validationError('description', 'Member must not be null', 'null');
  if (key.keyState === 'PendingDeletion') {
    throw new AwsError('KMSInvalidStateException', `${key.arn} is pending deletion.`);
  }
  key.description = description;
  return {};
};

/** `ListKeys` (all keys in one page unless `Limit` is given; `Marker` is an offset). */
export const listKeys: Operation = (context, input) => {
  const limit = optInt(input, 'Limit') ?? 1000;
  if (limit < 1 || limit > 1000) throw validationError('limit', 'Member must have value between 1 and 1000');
  const start = Number(optString(input, 'Marker') ?? '0');
  const all = [...regionState(context).keys.values()];
  if (!Number.isInteger(start) || start < 0 || start > all.length) {
    throw new AwsError('InvalidMarkerException', 'Invalid marker');
  }
  const page = all.slice(start, start + limit);
  const truncated = start + limit < all.length;
  return {
    Keys: page.map((key) => ({ KeyId: key.keyId, KeyArn: key.arn })),
    Truncated: truncated,
    ...(truncated ? { NextMarker: String(start + limit) } : {}),
  };
};

function rotatableKey(context: OperationContext, keyIdInput: string): KmsKey {
  const key = findKey(context, keyIdInput, 'key-only');
  applyKeyFault(context, key);
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') {
    throw new AwsError(
      'UnsupportedOperationException',
      `${key.arn} key usage is ${key.keyUsage} and key spec is ${key.keySpec}; key rotation is not supported for asymmetric keys.`,
    );
  }
  if (key.keyState === 'Disabled') throw new AwsError('DisabledException', `${key.arn} is disabled.`);
  if (key.keyState === 'PendingDeletion') {
    throw new AwsError('KMSInvalidStateException', `${key.arn} is pending deletion.`);
  }
  return key;
}

/** `EnableKeyRotation`: symmetric keys only; asymmetric → `UnsupportedOperationException`. */
export const enableKeyRotation: Operation = (context, input) => {
  rotatableKey(context, reqString(input, 'KeyId', { max: 2048 })).rotationEnabled = true;
  return {};
};

/** `DisableKeyRotation`. */
export const disableKeyRotation: Operation = (context, input) => {
  rotatableKey(context, reqString(input, 'KeyId', { max: 2048 })).rotationEnabled = false;
  return {};
};

/** `GetKeyRotationStatus`. */
export const getKeyRotationStatus: Operation = (context, input) => {
  const key = rotatableKey(context, reqString(input, 'KeyId', { max: 2048 }));
  return { KeyRotationEnabled: key.rotationEnabled, KeyId: key.arn };
};

/**
 * `RotateKeyOnDemand`: asymmetric → `UnsupportedOperationException`. For symmetric keys the
 * emulator accepts the call but keeps one key version (see the README).
 */
export const rotateKeyOnDemand: Operation = (context, input) => {
  const key = rotatableKey(context, reqString(input, 'KeyId', { max: 2048 }));
  return { KeyId: key.arn };
};

/** The Region ID pattern of the KMS model (`RegionType`). */
const REGION_ID = /^([a-z]+-){2,3}\d+$/;

/** The key policy KMS attaches when a request gives none (the account may administer and use the key). */
function defaultKeyPolicy(context: OperationContext): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${context.accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  });
}

/**
 * `ReplicateKey`, sent to the primary key's Region: creates a replica of a multi-Region primary key in
 * `ReplicaRegion` — the same key id and key material (so the same public key), its own ARN, key
 * state, description and aliases. Errors as KMS gives them: a key that is not a multi-Region primary
 * (a single-Region key or a replica) → `UnsupportedOperationException`; a disabled primary →
 * `DisabledException`, pending deletion → `KMSInvalidStateException`; a Region that already holds a
 * copy of the key (a replica, or the primary itself) → `AlreadyExistsException`.
 */
export const replicateKey: Operation = (context, input) => {
  const keyIdInput = reqString(input, 'KeyId', { max: 2048 });
  const replicaRegion = reqString(input, 'ReplicaRegion', { max: 32 });
  if (!REGION_ID.test(replicaRegion)) {
    throw validationError(
      'replicaRegion',
      'Member must satisfy regular expression pattern: ^([a-z]+-){2,3}\\d+$',
      replicaRegion,
    );
  }
  const description = optString(input, 'Description') ?? '';
  if (description.length > 8192) {
    throw validationError('description', 'Member must have length less than or equal to 8192');
  }
  const policy = optString(input, 'Policy');
  const primary = findKey(context, keyIdInput, 'key-only');
  applyKeyFault(context, primary);
  if (primary.multiRegionKeyType !== 'PRIMARY') {
    throw new AwsError('UnsupportedOperationException', `${primary.arn} is not a multi-Region primary key.`);
  }
  if (primary.keyState === 'Disabled') throw new AwsError('DisabledException', `${primary.arn} is disabled.`);
  if (primary.keyState === 'PendingDeletion') {
    throw new AwsError('KMSInvalidStateException', `${primary.arn} is pending deletion.`);
  }
  purgeDeletedKeys(context);
  const target = { ...context, region: replicaRegion };
  const existing = regionState(target).keys.get(primary.keyId);
  if (existing !== undefined) {
    throw new AwsError(
      'AlreadyExistsException',
      `${existing.arn} already exists: a multi-Region key has at most one copy per Region.`,
    );
  }
  const replica: KmsKey = {
    keyId: primary.keyId,
    arn: keyArn(target, primary.keyId),
    region: replicaRegion,
    creationDate: context.now(),
    keySpec: primary.keySpec,
    keyUsage: primary.keyUsage,
    material: primary.material,
    multiRegionKeyType: 'REPLICA',
    description,
    keyState: 'Enabled',
    rotationEnabled: primary.rotationEnabled,
  };
  regionState(target).keys.set(replica.keyId, replica);
  const tags = Array.isArray(input.Tags) ? input.Tags : [];
  return {
    ReplicaKeyMetadata: keyMetadata(target, replica),
    ReplicaPolicy: policy ?? defaultKeyPolicy(context),
    ReplicaTags: tags,
  };
};
