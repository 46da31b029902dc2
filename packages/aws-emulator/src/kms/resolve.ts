import type { OperationContext } from '../context.js';
import { AwsError } from '../errors.js';
import { type KmsKey, type KmsRegionState, kmsRegion } from './state.js';

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

/** The keys and aliases of the request's Region (from its SigV4 credential scope). */
export function regionState(context: OperationContext): KmsRegionState {
  return kmsRegion(context.state.kms, context.region);
}

/** True for a key id KMS could have issued: a UUID, or `mrk-` and 32 hex digits (multi-Region). */
export function isKeyIdShape(keyId: string): boolean {
  return (
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(keyId) ||
    /^mrk-[0-9a-f]{32}$/.test(keyId)
  );
}

/** Removes keys whose deletion date has passed (KMS deletes them then), in every Region. */
export function purgeDeletedKeys(context: OperationContext): void {
  const now = context.now().getTime();
  for (const regional of context.state.kms.regions.values()) {
    for (const key of regional.keys.values()) {
      if (
        key.keyState === 'PendingDeletion' &&
        key.deletionDate !== undefined &&
        key.deletionDate.getTime() <= now
      ) {
        regional.keys.delete(key.keyId);
        for (const alias of regional.aliases.values()) {
          if (alias.targetKeyId === key.keyId) regional.aliases.delete(alias.aliasName);
        }
      }
    }
  }
}

/**
 * The other Regions' copies of a multi-Region key (primary and replicas with the same `mrk-` id),
 * primary first. Empty for a single-Region key.
 */
export function relatedMultiRegionKeys(context: OperationContext, key: KmsKey): KmsKey[] {
  if (key.multiRegionKeyType === undefined) return [];
  const related: KmsKey[] = [];
  for (const regional of context.state.kms.regions.values()) {
    const other = regional.keys.get(key.keyId);
    if (other !== undefined && other.multiRegionKeyType !== undefined) related.push(other);
  }
  return related.sort((a, b) =>
    a.multiRegionKeyType === b.multiRegionKeyType
      ? a.region < b.region
        ? -1
        : a.region > b.region
          ? 1
          : 0
      : a.multiRegionKeyType === 'PRIMARY'
        ? -1
        : 1,
  );
}

/**
 * Finds a key from a key id, key ARN, alias name or alias ARN.
 * @throws {AwsError} `NotFoundException` when nothing matches.
 */
export function findKey(context: OperationContext, keyIdInput: string, forms: KeyIdForms = 'any'): KmsKey {
  purgeDeletedKeys(context);
  const { keys, aliases } = regionState(context);
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
