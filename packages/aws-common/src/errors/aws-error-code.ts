/**
 * The stable error codes of the AWS adapters (`@mdlkit/aws-kms`, `@mdlkit/aws-acm-pca`), thrown as
 * `MdlError`s. They live here, beside the AWS plumbing, and are registered in core's
 * `ErrorDetailsByCode`, so `new MdlError('ERR_AWS_…')` and `isMdlError(e, 'ERR_AWS_…')` type their
 * details like core's own codes. Codes never change meaning once released.
 */
export const AwsErrorCode = {
  /** An AWS call failed for a reason none of the signer / KEK codes names (a CA not ACTIVE, a missing ARN in a response). */
  ERR_AWS_REQUEST_FAILED: 'ERR_AWS_REQUEST_FAILED',
  /** A waiter gave up: the resource did not reach the awaited state in time (`details.what`, `details.lastState`). */
  ERR_AWS_WAIT_TIMEOUT: 'ERR_AWS_WAIT_TIMEOUT',
  /** Unusable AWS configuration (an option out of range, a malformed ARN, a missing environment variable). */
  ERR_AWS_CONFIG_INVALID: 'ERR_AWS_CONFIG_INVALID',
} as const;
/** One of {@link AwsErrorCode}. */
export type AwsErrorCode = (typeof AwsErrorCode)[keyof typeof AwsErrorCode];

/** What an `ERR_AWS_*` error says about the call: the resource, the SDK error behind it, the state seen. */
export type AwsErrorDetails = Readonly<Record<string, string | number | boolean | undefined>> & {
  /** The AWS error name (`ResourceNotFoundException` …) when an SDK error is behind it. */
  readonly awsError?: string | undefined;
  readonly caArn?: string | undefined;
  readonly certificateArn?: string | undefined;
  readonly keyId?: string | undefined;
};

/** What `ERR_AWS_WAIT_TIMEOUT` says: what was awaited, how often it was polled and the last state seen. */
export type AwsWaitTimeoutDetails = {
  readonly what: string;
  readonly polls: number;
  readonly lastState?: string | undefined;
};

declare module '@mdlkit/core/errors' {
  interface ErrorDetailsByCode {
    ERR_AWS_REQUEST_FAILED: AwsErrorDetails;
    ERR_AWS_WAIT_TIMEOUT: AwsWaitTimeoutDetails;
    ERR_AWS_CONFIG_INVALID: AwsErrorDetails;
  }
}
