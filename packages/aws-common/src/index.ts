/**
 * @module
 * Shared AWS plumbing for the mdlkit adapters: one SDK retry layer, deadlines, per-attempt audit, error causes.
 */
export {
  type AuditSink,
  type AwsAuditRecord,
  type AwsServiceName,
  type RedactedValue,
  redactForAudit,
} from './audit/audit-record.js';
export type { AwsClientLike, AwsCommandLike, AwsMiddlewareOptions } from './aws/aws-client-like.js';
export {
  type AwsClientDefaults,
  type AwsClientDefaultsOptions,
  awsClientDefaults,
} from './aws/client-defaults.js';
export {
  type AwsCall,
  type AwsCallOptions,
  type AwsFailureInfo,
  DEFAULT_AWS_DEADLINE_MS,
  invokeAws,
  pickAwsCallOptions,
} from './aws/invoke-aws.js';
export {
  type AwsRetryOptions,
  type AwsRetryStrategy,
  createAwsRetryStrategy,
  DEFAULT_AWS_MAX_ATTEMPTS,
} from './aws/retry-strategy.js';
export { AwsErrorCode, type AwsErrorDetails, type AwsWaitTimeoutDetails } from './errors/aws-error-code.js';
export {
  awsErrorName,
  describeAwsCause,
  isRetryableAwsError,
  isThrottlingError,
  isTimeoutError,
  isTransientServerError,
  networkErrorCode,
  sdkMetadata,
} from './internal/sdk-error.js';
