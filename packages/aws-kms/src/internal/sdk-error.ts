/**
 * Reading SDK v3 errors without importing SDK types. AWS JSON 1.1 errors arrive as HTTP 4xx/5xx with
 * `{"__type": "<Name>", "message": …}`; the SDK turns them into an Error whose `name` is that type
 * name. Several of the names mdlkit handles (ThrottlingException, AccessDeniedException,
 * ValidationException) are not modeled classes in the KMS client, so matching is by name, never by
 * `instanceof`.
 */

/** The error's AWS type name (`ThrottlingException` …), or `Error` when it is not an SDK error. */
export function awsErrorName(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string' && name.length > 0) return name;
  }
  return 'Error';
}

interface SdkMetadata {
  readonly httpStatusCode?: number;
  readonly requestId?: string;
  readonly attempts?: number;
}

/** `$metadata` of an SDK output or error, if present. */
export function sdkMetadata(value: unknown): SdkMetadata {
  if (typeof value === 'object' && value !== null) {
    const metadata = (value as { $metadata?: unknown }).$metadata;
    if (typeof metadata === 'object' && metadata !== null) return metadata as SdkMetadata;
  }
  return {};
}

const THROTTLING_NAMES: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

/** True for AWS throttling (a request quota was exceeded). */
export function isThrottlingError(error: unknown): boolean {
  return THROTTLING_NAMES.has(awsErrorName(error)) || sdkMetadata(error).httpStatusCode === 429;
}

const TIMEOUT_NAMES: ReadonlySet<string> = new Set([
  'AbortError',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'DependencyTimeoutException',
]);

/** True when the call timed out (our deadline, the HTTP handler's, or a KMS dependency timeout). */
export function isTimeoutError(error: unknown): boolean {
  if (TIMEOUT_NAMES.has(awsErrorName(error))) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT';
}

const TRANSIENT_NAMES: ReadonlySet<string> = new Set([
  'KMSInternalException',
  'InternalFailure',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);

/** True for server-side failures that a retry can fix (5xx, KMSInternalException). */
export function isTransientServerError(error: unknown): boolean {
  if (TRANSIENT_NAMES.has(awsErrorName(error))) return true;
  const status = sdkMetadata(error).httpStatusCode;
  return typeof status === 'number' && status >= 500 && status <= 599;
}
