import {
  type AwsFailureInfo,
  awsErrorName,
  describeAwsCause,
  isThrottlingError,
  isTimeoutError,
  networkErrorCode,
} from '@mdlkit/aws-common';
import { MdlError, type MdlErrorCode } from '@mdlkit/core/errors';

/**
 * Maps an error from a KMS call to an {@link MdlError} with an actionable message, keeping the SDK
 * error as `cause` and its type name in `details.awsError`. Every message ends with the SDK / network
 * cause (`ThrottlingException (Rate exceeded)`, `Error (ENOTFOUND: …)`). Messages name the key and the
 * missing IAM action, never message or signature bytes.
 *
 * | AWS error | code |
 * |---|---|
 * | AccessDeniedException | `ERR_SIGNER_ACCESS_DENIED` (names `kms:<Operation>`) |
 * | DisabledException, KMSInvalidStateException | `ERR_SIGNER_KEY_DISABLED` |
 * | InvalidKeyUsageException | `ERR_SIGNER_KEY_USAGE` |
 * | ThrottlingException (after the SDK's attempts or retry budget ran out) | `ERR_SIGNER_THROTTLED` |
 * | abort / HTTP timeout / our deadline / DependencyTimeoutException | `ERR_SIGNER_TIMEOUT` |
 * | network failure after the SDK's retries (ECONNRESET, ENOTFOUND …) | `ERR_SIGNER_UNAVAILABLE` |
 * | NotFoundException | `ERR_AWS_CONFIG_INVALID` |
 * | anything else | `ERR_SIGNER_FAILED` |
 *
 * @example
 * ```ts
 * const mdl = mapKmsError(sdkError, { operation: 'Sign', resourceId: 'alias/ds', attempts: 1, retriesExhausted: false });
 * mdl.code; // 'ERR_SIGNER_ACCESS_DENIED'
 * ```
 */
export function mapKmsError(error: unknown, info: AwsFailureInfo): MdlError<MdlErrorCode> {
  if (error instanceof MdlError) return error;
  const awsError = awsErrorName(error);
  const key = info.resourceId ?? '(no key id)';
  const action = `kms:${info.operation}`;
  const network = networkErrorCode(error);
  const details = {
    awsError,
    operation: info.operation,
    keyId: info.resourceId,
    attempts: info.attempts,
    ...(network === undefined ? {} : { networkError: network }),
  };
  const options = { cause: error, details };
  const cause = ` Cause: ${describeAwsCause(error)}.`;

  if (isThrottlingError(error)) {
    return new MdlError(
      'ERR_SIGNER_THROTTLED',
      `KMS throttled ${info.operation} on ${key} after ${info.attempts} attempt(s): the account's request quota ` +
        '(shared by all keys in the Region) is exhausted. Lower the number of requests in flight, or ask for a ' +
        'quota increase in Service Quotas.' +
        cause,
      options,
    );
  }
  // A per-attempt request timeout (smithy: TimeoutError with code ETIMEDOUT) is a timeout, not
  // "unreachable"; smithy also names a connection reset TimeoutError, so the network code decides.
  if (
    info.deadlineExceeded ||
    network === 'ETIMEDOUT' ||
    network === 'ESOCKETTIMEDOUT' ||
    (network === undefined && isTimeoutError(error))
  ) {
    return new MdlError(
      'ERR_SIGNER_TIMEOUT',
      `KMS ${info.operation} on ${key} did not complete ${info.deadlineExceeded ? 'within the deadline' : 'in time'} ` +
        `after ${info.attempts} attempt(s). Check network reachability of the KMS endpoint, the request timeout and ` +
        'the deadline; signing is safe to repeat.' +
        cause,
      options,
    );
  }
  if (network !== undefined) {
    return new MdlError(
      'ERR_SIGNER_UNAVAILABLE',
      `KMS ${info.operation} on ${key} failed on the network (${network}) after ${info.attempts} attempt(s): check ` +
        "the endpoint, DNS and the client's Region." +
        cause,
      options,
    );
  }
  switch (awsError) {
    case 'AccessDeniedException':
      return new MdlError(
        'ERR_SIGNER_ACCESS_DENIED',
        `KMS denied ${action} on ${key}: allow "${action}" for the calling principal on this key ` +
          '(key policy, IAM policy or grant); check also that no SCP or permissions boundary denies it.' +
          cause,
        options,
      );
    case 'DisabledException':
      return new MdlError(
        'ERR_SIGNER_KEY_DISABLED',
        `KMS key ${key} is disabled: enable it (kms:EnableKey) or point the signer at the active key of the key ring.` +
          cause,
        options,
      );
    case 'KMSInvalidStateException':
      return new MdlError(
        'ERR_SIGNER_KEY_DISABLED',
        `KMS key ${key} is not in a usable state (pending deletion, pending import or unavailable): cancel the ` +
          'deletion (kms:CancelKeyDeletion) and enable it, or use another key.' +
          cause,
        options,
      );
    case 'InvalidKeyUsageException':
      return new MdlError(
        'ERR_SIGNER_KEY_USAGE',
        `KMS key ${key} cannot ${info.operation} with this algorithm: it must be an asymmetric SIGN_VERIFY key whose ` +
          'key spec matches the signing algorithm (ECC_NIST_P256 → ECDSA_SHA_256, P384 → ECDSA_SHA_384, ' +
          'P521 → ECDSA_SHA_512, ECC_NIST_EDWARDS25519 → ED25519_SHA_512).' +
          cause,
        options,
      );
    case 'NotFoundException':
      return new MdlError(
        'ERR_AWS_CONFIG_INVALID',
        `KMS key ${key} was not found: check the key id / alias and that the client's Region and account are the ` +
          "key's." +
          cause,
        options,
      );
    default:
      return new MdlError(
        'ERR_SIGNER_FAILED',
        `KMS ${info.operation} on ${key} failed with ${awsError} after ${info.attempts} attempt(s).${cause}`,
        options,
      );
  }
}
