import type { Operation } from '../context.js';
import { createAlias, deleteAlias, listAliases, updateAlias } from './aliases.js';
import { decrypt, encrypt, generateDataKey, generateDataKeyWithoutPlaintext, reEncrypt } from './encrypt.js';
import {
  cancelKeyDeletion,
  createKey,
  describeKey,
  disableKey,
  disableKeyRotation,
  enableKey,
  enableKeyRotation,
  getKeyRotationStatus,
  getPublicKey,
  listKeys,
  replicateKey,
  rotateKeyOnDemand,
  scheduleKeyDeletion,
  updateKeyDescription,
} from './keys.js';
import { sign, verify } from './sign.js';

/** KMS operations by action name (`X-Amz-Target: TrentService.<name>`). */
export const KMS_OPERATIONS: Readonly<Record<string, Operation>> = {
  CancelKeyDeletion: cancelKeyDeletion,
  CreateAlias: createAlias,
  CreateKey: createKey,
  Decrypt: decrypt,
  DeleteAlias: deleteAlias,
  DescribeKey: describeKey,
  DisableKey: disableKey,
  DisableKeyRotation: disableKeyRotation,
  EnableKey: enableKey,
  EnableKeyRotation: enableKeyRotation,
  Encrypt: encrypt,
  GenerateDataKey: generateDataKey,
  GenerateDataKeyWithoutPlaintext: generateDataKeyWithoutPlaintext,
  GetKeyRotationStatus: getKeyRotationStatus,
  GetPublicKey: getPublicKey,
  ListAliases: listAliases,
  ListKeys: listKeys,
  ReEncrypt: reEncrypt,
  ReplicateKey: replicateKey,
  RotateKeyOnDemand: rotateKeyOnDemand,
  ScheduleKeyDeletion: scheduleKeyDeletion,
  Sign: sign,
  UpdateAlias: updateAlias,
  UpdateKeyDescription: updateKeyDescription,
  Verify: verify,
};
