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

const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
]);

/** The Node network error code of `error` (or of its `cause`), if it is a network failure. */
export function networkErrorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === 'object' && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True for what the SDK's retry strategy retries: throttling, 5xx, timeouts, connection errors. */
export function isRetryableAwsError(error: unknown): boolean {
  return (
    isThrottlingError(error) ||
    isTimeoutError(error) ||
    isTransientServerError(error) ||
    networkErrorCode(error) !== undefined
  );
}

/**
 * A short, secret-free description of the underlying failure for error messages: the AWS error
 * name, the network code and the first line of the SDK's message (at most 200 characters), e.g.
 * `Error (ENOTFOUND: getaddrinfo ENOTFOUND kms.example.invalid)`.
 */
export function describeAwsCause(error: unknown): string {
  const name = awsErrorName(error);
  const code = networkErrorCode(error);
  const raw =
    typeof (error as { message?: unknown } | null)?.message === 'string' ? (error as Error).message : '';
  const message = raw.split('\n', 1)[0]!.slice(0, 200);
  const inner = [code, message].filter((s) => s !== undefined && s.length > 0).join(': ');
  return inner.length === 0 ? name : `${name} (${inner})`;
}
