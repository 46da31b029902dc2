import type { OperationContext } from '../context.js';
import { AwsError } from '../errors.js';
import type { KmsKey } from './state.js';

/** How an operation may name a key: AWS allows aliases in the data-plane and describe operations. */
export type KeyIdForms = 'any' | 'key-only';

function arnPrefix(context: OperationContext): string {
  return `arn:aws:kms:${context.region}:${context.accountId}:`;
}

/** The ARN of a key id in this emulator's region and account. */
export function keyArn(context: OperationContext, keyId: string): string {
  return `${arnPrefix(context)}key/${keyId}`;
}

/** The ARN of an alias name (`alias/...`). */
export function aliasArn(context: OperationContext, aliasName: string): string {
  return `${arnPrefix(context)}${aliasName}`;
}

/** Removes keys whose deletion date has passed (KMS deletes them then). */
export function purgeDeletedKeys(context: OperationContext): void {
  const now = context.now().getTime();
  for (const key of context.state.kms.keys.values()) {
    if (
      key.keyState === 'PendingDeletion' &&
      key.deletionDate !== undefined &&
      key.deletionDate.getTime() <= now
    ) {
      context.state.kms.keys.delete(key.keyId);
      for (const alias of context.state.kms.aliases.values()) {
        if (alias.targetKeyId === key.keyId) context.state.kms.aliases.delete(alias.aliasName);
      }
    }
  }
}

/**
 * Finds a key from a key id, key ARN, alias name or alias ARN.
 * @throws {AwsError} `NotFoundException` when nothing matches.
 */
export function findKey(context: OperationContext, keyIdInput: string, forms: KeyIdForms = 'any'): KmsKey {
  purgeDeletedKeys(context);
  const { keys, aliases } = context.state.kms;
  let keyId: string | undefined;
  const prefix = arnPrefix(context);
  let name = keyIdInput;
  if (name.startsWith('arn:')) {
    if (!name.startsWith(prefix)) {
      if (/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\//.test(name)) {
        throw new AwsError('NotFoundException', `Invalid arn ${context.region}`);
      }
      throw new AwsError('NotFoundException', `Invalid keyId '${keyIdInput}'`);
    }
    name = name.slice(prefix.length);
    if (name.startsWith('key/')) keyId = name.slice(4);
  } else if (!name.startsWith('alias/')) {
    keyId = name;
  }
  if (keyId === undefined) {
    if (forms === 'key-only') throw new AwsError('NotFoundException', `Invalid keyId '${keyIdInput}'`);
    const alias = aliases.get(name);
    if (alias === undefined) {
      throw new AwsError('NotFoundException', `Alias ${aliasArn(context, name)} is not found.`);
    }
    keyId = alias.targetKeyId;
  }
  const key = keys.get(keyId);
  if (key === undefined) {
    throw new AwsError('NotFoundException', `Key '${keyArn(context, keyId)}' does not exist`);
  }
  return key;
}

/**
 * Finds a key for an operation that uses it (sign, verify, encrypt, get public key...), applying
 * injected key faults and the key-state rules: `Disabled` → `DisabledException`, `PendingDeletion`
 * → `KMSInvalidStateException`.
 * @throws {AwsError} `NotFoundException`, `DisabledException`, `KMSInvalidStateException`,
 *   `AccessDeniedException` (injected).
 */
export function useKey(context: OperationContext, keyIdInput: string): KmsKey {
  const key = findKey(context, keyIdInput);
  applyKeyFault(context, key);
  if (key.keyState === 'Disabled') {
    throw new AwsError('DisabledException', `${key.arn} is disabled.`);
  }
  if (key.keyState === 'PendingDeletion') {
    throw new AwsError('KMSInvalidStateException', `${key.arn} is pending deletion.`);
  }
  return key;
}

/** Applies an injected fault for `key` (counting this call). */
export function applyKeyFault(context: OperationContext, key: KmsKey): void {
  const fault = context.faults.keyFault(key.keyId);
  if (fault === 'access-denied') {
    throw new AwsError(
      'AccessDeniedException',
      `User: arn:aws:iam::${context.accountId}:user/emulator is not authorized to perform this operation on resource: ${key.arn} because no identity-based policy allows it`,
    );
  }
  if (fault === 'disabled' && key.keyState === 'Enabled') key.keyState = 'Disabled';
}
