import type { KeyMaterial } from './key-material.js';
import type { KeyUsage, SupportedKeySpec } from './key-specs.js';

/** `KeyState` values the emulator uses. */
export type KmsKeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';

/** The multi-Region role of a key (`MultiRegionKeyType`). */
export type MultiRegionKeyType = 'PRIMARY' | 'REPLICA';

/** One KMS key as the emulator holds it (one Region's copy; a multi-Region key has one per Region). */
export interface KmsKey {
  readonly keyId: string;
  readonly arn: string;
  /** The Region this key lives in (a replica's own Region). */
  readonly region: string;
  readonly creationDate: Date;
  readonly keySpec: SupportedKeySpec;
  readonly keyUsage: KeyUsage;
  /** Shared by a multi-Region primary and its replicas (same key material, same public key). */
  readonly material: KeyMaterial;
  /** Set for multi-Region keys (`mrk-…` key ids): `PRIMARY` or `REPLICA`. */
  readonly multiRegionKeyType?: MultiRegionKeyType;
  description: string;
  keyState: KmsKeyState;
  deletionDate?: Date;
  pendingWindowInDays?: number;
  rotationEnabled: boolean;
}

/** One alias. */
export interface KmsAlias {
  readonly aliasName: string;
  readonly aliasArn: string;
  targetKeyId: string;
  readonly creationDate: Date;
  lastUpdatedDate: Date;
}

/** The keys and aliases of one Region (KMS keys and aliases are Regional resources). */
export interface KmsRegionState {
  /** By key id. */
  readonly keys: Map<string, KmsKey>;
  /** By alias name (`alias/...`). */
  readonly aliases: Map<string, KmsAlias>;
}

/**
 * The KMS part of the emulator state. Each request works in the Region of its SigV4 credential
 * scope, as a Regional KMS endpoint does; `keys` and `aliases` are the default Region's (the
 * emulator's `region` option), kept at the top for assertions.
 */
export interface KmsState extends KmsRegionState {
  /** Every Region that has been used, by Region name. */
  readonly regions: Map<string, KmsRegionState>;
}

/** An empty KMS state whose default Region is `defaultRegion`. */
export function createKmsState(defaultRegion = 'us-east-1'): KmsState {
  const home: KmsRegionState = { keys: new Map(), aliases: new Map() };
  return { ...home, regions: new Map([[defaultRegion, home]]) };
}

/** The state of `region`, created on first use. */
export function kmsRegion(state: KmsState, region: string): KmsRegionState {
  let regional = state.regions.get(region);
  if (regional === undefined) {
    regional = { keys: new Map(), aliases: new Map() };
    state.regions.set(region, regional);
  }
  return regional;
}
