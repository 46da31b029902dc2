import { MdlError } from '@mdlkit/core/errors';
import type { AwsFailureInfo } from '../aws/invoke-aws.js';
import { awsErrorName, isThrottlingError, isTimeoutError } from '../internal/sdk-error.js';

/**
 * Maps an error from a KMS call to an {@link MdlError} with an actionable message, keeping the SDK
 * error as `cause` and its type name in `details.awsError`. Messages name the key and the missing
 * IAM action, never message or signature bytes.
 *
 * | AWS error | code |
 * |---|---|
 * | AccessDeniedException | `ERR_SIGNER_ACCESS_DENIED` (names `kms:<Operation>`) |
 * | DisabledException, KMSInvalidStateException | `ERR_SIGNER_KEY_DISABLED` |
 * | InvalidKeyUsageException | `ERR_SIGNER_KEY_USAGE` |
 * | ThrottlingException (after the retry policy ran out) | `ERR_SIGNER_THROTTLED` |
 * | abort / HTTP timeout / DependencyTimeoutException | `ERR_SIGNER_TIMEOUT` |
 * | NotFoundException | `ERR_AWS_CONFIG_INVALID` |
 * | anything else | `ERR_SIGNER_FAILED` |
 *
 * @example
 * ```ts
 * const mdl = mapKmsError(sdkError, { operation: 'Sign', resourceId: 'alias/ds', attempts: 1, retriesExhausted: false });
 * mdl.code; // 'ERR_SIGNER_ACCESS_DENIED'
 * ```
 */
export function mapKmsError(error: unknown, info: AwsFailureInfo): MdlError {
  if (error instanceof MdlError) return error;
  const awsError = awsErrorName(error);
  const key = info.resourceId ?? '(no key id)';
  const action = `kms:${info.operation}`;
  const details = { awsError, operation: info.operation, keyId: info.resourceId, attempts: info.attempts };
  const options = { cause: error, details };

  if (isThrottlingError(error)) {
    return new MdlError(
      'ERR_SIGNER_THROTTLED',
      `KMS throttled ${info.operation} on ${key} after ${info.attempts} attempt(s): the account's request quota ` +
        '(shared by all keys in the Region) is exhausted. Lower the number of requests in flight, or ask for a ' +
        'quota increase in Service Quotas.',
      options,
    );
  }
  if (isTimeoutError(error)) {
    return new MdlError(
      'ERR_SIGNER_TIMEOUT',
      `KMS ${info.operation} on ${key} timed out (${awsError}); the outcome is unknown. Check network reachability ` +
        'of the KMS endpoint and the configured deadline, then retry.',
      options,
    );
  }
  switch (awsError) {
    case 'AccessDeniedException':
      return new MdlError(
        'ERR_SIGNER_ACCESS_DENIED',
        `KMS denied ${action} on ${key}: allow "${action}" for the calling principal on this key ` +
          '(key policy, IAM policy or grant); check also that no SCP or permissions boundary denies it.',
        options,
      );
    case 'DisabledException':
      return new MdlError(
        'ERR_SIGNER_KEY_DISABLED',
        `KMS key ${key} is disabled: enable it (kms:EnableKey) or point the signer at the active key of the key ring.`,
        options,
      );
    case 'KMSInvalidStateException':
      return new MdlError(
        'ERR_SIGNER_KEY_DISABLED',
        `KMS key ${key} is not in a usable state (pending deletion, pending import or unavailable): cancel the ` +
          'deletion (kms:CancelKeyDeletion) and enable it, or use another key.',
        options,
      );
    case 'InvalidKeyUsageException':
      return new MdlError(
        'ERR_SIGNER_KEY_USAGE',
        `KMS key ${key} cannot ${info.operation} with this algorithm: it must be an asymmetric SIGN_VERIFY key whose ` +
          'key spec matches the signing algorithm (ECC_NIST_P256 → ECDSA_SHA_256, P384 → ECDSA_SHA_384, ' +
          'P521 → ECDSA_SHA_512, ECC_NIST_EDWARDS25519 → ED25519_SHA_512).',
        options,
      );
    case 'NotFoundException':
      return new MdlError(
        'ERR_AWS_CONFIG_INVALID',
        `KMS key ${key} was not found: check the key id / alias and that the client's Region and account are the ` +
          "key's.",
        options,
      );
    default:
      return new MdlError(
        'ERR_SIGNER_FAILED',
        `KMS ${info.operation} on ${key} failed with ${awsError} after ${info.attempts} attempt(s).`,
        options,
      );
  }
}
