import type { KeyMaterial } from './key-material.js';
import type { KeyUsage, SupportedKeySpec } from './key-specs.js';

/** `KeyState` values the emulator uses. */
export type KmsKeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';

/** One KMS key as the emulator holds it. */
export interface KmsKey {
  readonly keyId: string;
  readonly arn: string;
  readonly creationDate: Date;
  readonly keySpec: SupportedKeySpec;
  readonly keyUsage: KeyUsage;
  readonly material: KeyMaterial;
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

/** The KMS part of the emulator state. */
export interface KmsState {
  readonly keys: Map<string, KmsKey>;
  /** By alias name (`alias/...`). */
  readonly aliases: Map<string, KmsAlias>;
}

/** An empty KMS state. */
export function createKmsState(): KmsState {
  return { keys: new Map(), aliases: new Map() };
}
