import type { Operation, OperationContext } from '../context.js';
import { AwsError, validationError } from '../errors.js';
import { optInt, optString, reqString, timestamp } from '../internal/input.js';
import { aliasArn, applyKeyFault, findKey, purgeDeletedKeys, regionState } from './resolve.js';
import type { KmsKey } from './state.js';

const ALIAS_NAME = /^alias\/[a-zA-Z0-9/_-]+$/;

function checkAliasName(name: string): void {
  if (!ALIAS_NAME.test(name)) {
    throw validationError(
      'aliasName',
      'Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$',
      name,
    );
  }
  if (name.startsWith('alias/aws/')) {
    throw new AwsError('InvalidAliasNameException', 'Alias names that begin with alias/aws/ are reserved.');
  }
}

function targetKey(context: OperationContext, keyIdInput: string): KmsKey {
  const key = findKey(context, keyIdInput, 'key-only');
  applyKeyFault(context, key);
  if (key.keyState === 'PendingDeletion') {
    throw new AwsError('KMSInvalidStateException', `${key.arn} is pending deletion.`);
  }
  return key;
}

/** `CreateAlias`: `alias/<name>`; an existing name → `AlreadyExistsException`. */
export const createAlias: Operation = (context, input) => {
  const aliasName = reqString(input, 'AliasName', { max: 256 });
  const target = reqString(input, 'TargetKeyId', { max: 2048 });
  checkAliasName(aliasName);
  purgeDeletedKeys(context);
  if (regionState(context).aliases.has(aliasName)) {
    throw new AwsError(
      'AlreadyExistsException',
      `An alias with the name ${aliasArn(context, aliasName)} already exists`,
    );
  }
  const key = targetKey(context, target);
  const now = context.now();
  regionState(context).aliases.set(aliasName, {
    aliasName,
    aliasArn: aliasArn(context, aliasName),
    targetKeyId: key.keyId,
    creationDate: now,
    lastUpdatedDate: now,
  });
  return {};
};

/**
 * `UpdateAlias`: points an alias at another key of the same type and key usage (the asymmetric
 * "rotation" path: new key, alias moved, old public key kept).
 */
export const updateAlias: Operation = (context, input) => {
  const aliasName = reqString(input, 'AliasName', { max: 256 });
  const target = reqString(input, 'TargetKeyId', { max: 2048 });
  purgeDeletedKeys(context);
  const alias = regionState(context).aliases.get(aliasName);
  if (alias === undefined) {
    throw new AwsError('NotFoundException', `Alias ${aliasArn(context, aliasName)} is not found.`);
  }
  const key = targetKey(context, target);
  const current = regionState(context).keys.get(alias.targetKeyId);
  if (current !== undefined) {
    const symmetric = (k: KmsKey) => k.keySpec === 'SYMMETRIC_DEFAULT';
    if (symmetric(current) !== symmetric(key) || current.keyUsage !== key.keyUsage) {
      throw new AwsError(
        'ValidationException',
        `${key.arn} is not compatible with the current key of ${aliasName}: the key type and key usage must match.`,
      );
    }
  }
  alias.targetKeyId = key.keyId;
  alias.lastUpdatedDate = context.now();
  return {};
};

/** `DeleteAlias`. */
export const deleteAlias: Operation = (context, input) => {
  const aliasName = reqString(input, 'AliasName', { max: 256 });
  purgeDeletedKeys(context);
  if (!regionState(context).aliases.delete(aliasName)) {
    throw new AwsError('NotFoundException', `Alias ${aliasArn(context, aliasName)} is not found.`);
  }
  return {};
};

/** `ListAliases`, optionally for one key; `Limit` 1..100 with `Marker` paging. */
export const listAliases: Operation = (context, input) => {
  const keyIdInput = optString(input, 'KeyId');
  const limit = optInt(input, 'Limit') ?? 50;
  if (limit < 1 || limit > 100) throw validationError('limit', 'Member must have value between 1 and 100');
  purgeDeletedKeys(context);
  let aliases = [...regionState(context).aliases.values()];
  if (keyIdInput !== undefined) {
    const key = findKey(context, keyIdInput, 'key-only');
    aliases = aliases.filter((alias) => alias.targetKeyId === key.keyId);
  }
  const start = Number(optString(input, 'Marker') ?? '0');
  if (!Number.isInteger(start) || start < 0 || start > aliases.length) {
    throw new AwsError('InvalidMarkerException', 'Invalid marker');
  }
  const page = aliases.slice(start, start + limit);
  const truncated = start + limit < aliases.length;
  return {
    Aliases: page.map((alias) => ({
      AliasName: alias.aliasName,
      AliasArn: alias.aliasArn,
      TargetKeyId: alias.targetKeyId,
      CreationDate: timestamp(alias.creationDate),
      LastUpdatedDate: timestamp(alias.lastUpdatedDate),
    })),
    Truncated: truncated,
    ...(truncated ? { NextMarker: String(start + limit) } : {}),
  };
};
