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
 * Maps an error from a KMS envelope call (GenerateDataKey, Decrypt, ReEncrypt) to an
 * {@link MdlError}, keeping the SDK error as `cause` and naming it at the end of the message.
 *
 * | AWS error | code |
 * |---|---|
 * | InvalidCiphertextException, IncorrectKeyException | `ERR_HOLDER_RECORD_INVALID` |
 * | DisabledException, KMSInvalidStateException | `ERR_KEK_DISABLED` |
 * | NotFoundException | `ERR_KEK_NOT_FOUND` |
 * | AccessDeniedException | `ERR_KEK_ACCESS_DENIED` (names `kms:<Operation>`) |
 * | InvalidKeyUsageException | `ERR_KEK_KEY_USAGE` |
 * | throttling, timeouts, network failures, anything else | `ERR_KEK_FAILED` |
 *
 * @example
 * ```ts
 * mapKmsEnvelopeError(sdkError, info).code; // 'ERR_KEK_DISABLED'
 * ```
 */
export function mapKmsEnvelopeError(error: unknown, info: AwsFailureInfo): MdlError<MdlErrorCode> {
  if (error instanceof MdlError) return error;
  const awsError = awsErrorName(error);
  const key = info.resourceId ?? '(the key in the ciphertext)';
  const network = networkErrorCode(error);
  const options = {
    cause: error,
    details: {
      awsError,
      operation: info.operation,
      keyId: info.resourceId,
      attempts: info.attempts,
      ...(network === undefined ? {} : { networkError: network }),
    },
  };
  const cause = ` Cause: ${describeAwsCause(error)}.`;
  if (isThrottlingError(error) || info.deadlineExceeded || network !== undefined || isTimeoutError(error)) {
    return new MdlError(
      'ERR_KEK_FAILED',
      `KMS ${info.operation} on ${key} did not complete after ${info.attempts} attempt(s) ` +
        `(${isThrottlingError(error) ? 'throttled' : network !== undefined ? `network: ${network}` : 'timed out'}); ` +
        'it is safe to repeat.' +
        cause,
      options,
    );
  }
  switch (awsError) {
    case 'InvalidCiphertextException':
    case 'IncorrectKeyException':
      return new MdlError(
        'ERR_HOLDER_RECORD_INVALID',
        `KMS refused to ${info.operation} the wrapped data key: it was altered, was wrapped for another holder or ` +
          'purpose (encryption context), or under another key.' +
          cause,
        options,
      );
    case 'DisabledException':
    case 'KMSInvalidStateException':
      return new MdlError(
        'ERR_KEK_DISABLED',
        `KMS key ${key} is disabled or pending deletion: records wrapped under it cannot be opened until it is ` +
          'enabled again (kms:CancelKeyDeletion, kms:EnableKey); once deleted they are gone for good.' +
          cause,
        options,
      );
    case 'NotFoundException':
      return new MdlError(
        'ERR_KEK_NOT_FOUND',
        `KMS key ${key} was not found: check the key id / alias and that the client's Region and account are the key's. ` +
          'If the key was deleted (its waiting period ended), every record wrapped under it is unrecoverable.' +
          cause,
        options,
      );
    case 'AccessDeniedException':
      return new MdlError(
        'ERR_KEK_ACCESS_DENIED',
        `KMS denied kms:${info.operation} on ${key}: allow it for the calling principal (key policy, IAM policy or grant).` +
          cause,
        options,
      );
    case 'InvalidKeyUsageException':
      return new MdlError(
        'ERR_KEK_KEY_USAGE',
        `KMS key ${key} cannot ${info.operation}: a key-encryption key must be a symmetric ENCRYPT_DECRYPT key (SYMMETRIC_DEFAULT).` +
          cause,
        options,
      );
    default:
      return new MdlError(
        'ERR_KEK_FAILED',
        `KMS ${info.operation} on ${key} failed with ${awsError} after ${info.attempts} attempt(s).${cause}`,
        options,
      );
  }
}
