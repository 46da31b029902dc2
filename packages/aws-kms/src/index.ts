/**
 * @module
 * AWS KMS signer (DIGEST mode), key ring and envelope encryption of holder records for mdlkit.
 */
export {
  type AuditSink,
  type AwsAuditRecord,
  type AwsCallOptions,
  type AwsClientLike,
  awsClientDefaults,
  createAwsRetryStrategy,
} from '@mdlkit/aws-common';
export { type EnvRecord, fromEnv, type KmsEnvConfig } from './config/from-env.js';
export {
  createKmsKeyEncryptionKey,
  type KmsKeyEncryptionKeyOptions,
} from './envelope/kms-key-encryption-key.js';
export { mapKmsEnvelopeError } from './envelope/map-kms-envelope-error.js';
export { mapKmsError } from './errors/map-kms-error.js';
export {
  type KmsFailoverEvent,
  type KmsFailoverOptions,
  type KmsFailoverSigner,
  KmsKeyRing,
  type KmsKeyRingOptions,
  type KmsKeyRingRotateOptions,
  type KmsSigningKey,
  type KmsVerificationKey,
  type RetiredKmsKey,
} from './key-ring/kms-key-ring.js';
export {
  type RotateKmsKeyOptions,
  type RotateKmsKeyResult,
  rotateKmsKey,
} from './key-ring/rotate-kms-key.js';
export {
  createKmsSigner,
  type KmsDigestSigner,
  type KmsMessageSigner,
  type KmsSigner,
  type KmsSignerInfo,
  type KmsSignerOptions,
} from './signer/create-kms-signer.js';
export {
  KMS_KEY_SPECS,
  KMS_MAX_RAW_MESSAGE_BYTES,
  type KmsKeySpecProfile,
  type KmsSigningKeySpec,
  toSigningKeySpec,
} from './signer/kms-key-spec.js';
export {
  createKmsWebCrypto,
  type KmsWebCrypto,
  type KmsWebCryptoOptions,
} from './webcrypto/kms-web-crypto.js';
