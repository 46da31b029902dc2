/**
 * @module
 * A loopback KMS and ACM-PCA server speaking the AWS JSON 1.1 protocol, for tests and the demo (private;
 * behaves like AWS per the shared spec, driven through the real `@aws-sdk/*` clients).
 */
export type { CaStatus, IssuedCertificate, PcaAuthority, PcaState } from './acm-pca/state.js';
export type { EmulatorState, PcaTimingOptions, S3Options } from './context.js';
export { AwsError } from './errors.js';
export type {
  HoldOptions,
  KeyFaultMode,
  KeyFaultOptions,
  LatencyOptions,
  OperationFilter,
  ThrottleRateOptions,
} from './faults.js';
export { CallCounter, FaultController } from './faults.js';
export type {
  KmsAlias,
  KmsKey,
  KmsKeyState,
  KmsRegionState,
  KmsState,
  MultiRegionKeyType,
} from './kms/state.js';
export type { Emulator, EmulatorOptions } from './server.js';
export { startEmulator } from './server.js';
