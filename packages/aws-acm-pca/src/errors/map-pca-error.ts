import { type AwsFailureInfo, describeAwsCause, networkErrorCode } from '@mdlkit/aws-common';
import { MdlError, type MdlErrorCode } from '@mdlkit/core/errors';

const awsName = (error: unknown): string => {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name.length > 0 ? name : 'Error';
};

const THROTTLING: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'Throttling',
]);
const TIMEOUT: ReadonlySet<string> = new Set(['AbortError', 'TimeoutError', 'RequestTimeout']);

/**
 * Maps an error from an AWS Private CA call to an {@link MdlError}, keeping the SDK error as `cause`
 * and its type name in `details.awsError` (the waits match `RequestInProgressException` on it). Every
 * message ends with the SDK / network cause (`Error (ENOTFOUND: getaddrinfo ENOTFOUND …)`).
 *
 * | AWS error | code |
 * |---|---|
 * | ResourceNotFoundException, InvalidArnException | `ERR_AWS_CONFIG_INVALID` |
 * | MalformedCSRException, MalformedCertificateException, CertificateMismatchException | `ERR_X509_MALFORMED` |
 * | anything else (AccessDenied names `acm-pca:<Operation>`; InvalidState says the CA status is wrong) | `ERR_AWS_REQUEST_FAILED` |
 *
 * @example
 * ```ts
 * mapPcaError(sdkError, { operation: 'IssueCertificate', resourceId: caArn, attempts: 1, retriesExhausted: false, deadlineExceeded: false });
 * ```
 */
export function mapPcaError(error: unknown, info: AwsFailureInfo): MdlError<MdlErrorCode> {
  if (error instanceof MdlError) return error;
  const awsError = awsName(error);
  const resource = info.resourceId ?? '(no resource)';
  const options = {
    cause: error,
    details: { awsError, operation: info.operation, resourceId: info.resourceId, attempts: info.attempts },
  };
  const cause = ` Cause: ${describeAwsCause(error)}.`;
  const fail = (message: string): MdlError<MdlErrorCode> =>
    new MdlError('ERR_AWS_REQUEST_FAILED', message + cause, options);
  const network = networkErrorCode(error);
  if (network !== undefined && !info.deadlineExceeded) {
    return fail(
      `AWS Private CA ${info.operation} on ${resource} failed on the network (${network}) after ${info.attempts} ` +
        "attempt(s): check the endpoint, DNS and the client's Region.",
    );
  }
  if (THROTTLING.has(awsError)) {
    return fail(
      `AWS Private CA throttled ${info.operation} on ${resource} after ${info.attempts} attempt(s) ` +
        '(IssueCertificate 25/s, GetCertificate 75/s by default): issue fewer certificates at once.',
    );
  }
  if (info.deadlineExceeded || TIMEOUT.has(awsError)) {
    return fail(
      `AWS Private CA ${info.operation} on ${resource} did not complete ${info.deadlineExceeded ? 'within the deadline' : 'in time'} ` +
        `after ${info.attempts} attempt(s); the outcome is unknown (retry with the same idempotency token).`,
    );
  }
  switch (awsError) {
    case 'AccessDeniedException':
      return fail(
        `AWS Private CA denied acm-pca:${info.operation} on ${resource}: allow "acm-pca:${info.operation}" for the ` +
          'calling principal on this CA (see docs/aws.md for the least-privilege policies).',
      );
    case 'InvalidStateException':
      return fail(
        `AWS Private CA cannot ${info.operation} on ${resource} in its current state (an end-entity certificate ` +
          'needs an ACTIVE CA; the CA certificate can only be imported while PENDING_CERTIFICATE).',
      );
    case 'ResourceNotFoundException':
    case 'InvalidArnException':
      return new MdlError(
        'ERR_AWS_CONFIG_INVALID',
        `AWS Private CA resource ${resource} was not found (${awsError}): check the ARN, Region and account.` +
          cause,
        options,
      );
    case 'MalformedCSRException':
    case 'MalformedCertificateException':
    case 'CertificateMismatchException':
      return new MdlError(
        'ERR_X509_MALFORMED',
        `AWS Private CA rejected the ${info.operation} input as ${awsError}.${cause}`,
        options,
      );
    default:
      return fail(`AWS Private CA ${info.operation} on ${resource} failed with ${awsError}.`);
  }
}
