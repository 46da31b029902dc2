import type { MdlError } from '@mdlkit/core/errors';
import {
  type AuditSink,
  type AwsAuditRecord,
  type AwsServiceName,
  redactForAudit,
} from '../audit/audit-record.js';
import {
  awsErrorName,
  isThrottlingError,
  isTimeoutError,
  isTransientServerError,
  sdkMetadata,
} from '../internal/sdk-error.js';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';

/**
 * How mdlkit calls AWS: retries, audit, deadline and the injectable clock / randomness / sleep.
 * Every field is optional; tests inject `sleep`, `random` and `now` so back-off is deterministic and
 * instant.
 */
export interface AwsCallOptions {
  /** Retry policy (merged over {@link DEFAULT_RETRY_POLICY}). */
  readonly retry?: Partial<RetryPolicy>;
  /** Receives one {@link AwsAuditRecord} per attempt. */
  readonly audit?: AuditSink;
  /** Waits between attempts. Default: a `setTimeout` promise. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Uniform random source in [0, 1) for jitter. Default `Math.random` (jitter needs no CSPRNG). */
  readonly random?: () => number;
  /** Clock for audit timestamps and latency. Default `() => new Date()`. */
  readonly now?: () => Date;
  /** Per-attempt deadline in milliseconds; the HTTP request is aborted when it passes. */
  readonly timeoutMs?: number;
}

/** What a failed call tells the error mapper. */
export interface AwsFailureInfo {
  /** The API operation. */
  readonly operation: string;
  /** The key / CA / certificate the request named. */
  readonly resourceId: string | undefined;
  /** Attempts made, including the failed last one. */
  readonly attempts: number;
  /** True when the last error was retryable but the policy's attempts ran out. */
  readonly retriesExhausted: boolean;
}

/** One AWS operation, described for {@link invokeAws}. */
export interface AwsCall<O> {
  /** `kms` or `acm-pca` (for the audit record). */
  readonly service: AwsServiceName;
  /** The API operation name (`Sign` …). */
  readonly operation: string;
  /** The key / CA / certificate the request names. */
  readonly resourceId: string | undefined;
  /** The request input, redacted into the audit record. */
  readonly input: object;
  /** Sends a fresh command; called once per attempt. */
  readonly send: (abortSignal: AbortSignal | undefined) => Promise<O>;
  /** Turns the final SDK error into an {@link MdlError} (keeping the SDK error as `cause`). */
  readonly mapError: (error: unknown, info: AwsFailureInfo) => MdlError;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const defaultNow = (): Date => new Date();

/**
 * Runs one AWS operation with bounded, jittered exponential back-off on throttling and transient
 * server errors, an optional per-attempt deadline, and one audit record per attempt. The building
 * block of every KMS and ACM-PCA call in mdlkit; exported for adapters that need other operations.
 *
 * @throws {@link MdlError} whatever `call.mapError` returns for the final error.
 * @example
 * ```ts
 * const out = await invokeAws({
 *   service: 'kms', operation: 'DescribeKey', resourceId: keyId, input,
 *   send: (abortSignal) => client.send(new DescribeKeyCommand(input), { abortSignal }),
 *   mapError: (e, info) => mapKmsError(e, info),
 * }, { audit: (r) => logger.info(r) });
 * ```
 */
export async function invokeAws<O>(call: AwsCall<O>, options: AwsCallOptions = {}): Promise<O> {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const maxAttempts = Math.max(1, Math.floor(policy.maxAttempts));
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? defaultNow;
  const request = redactForAudit(call.input);

  for (let attempt = 1; ; attempt++) {
    const started = now();
    const controller = options.timeoutMs === undefined ? undefined : new AbortController();
    const timer =
      controller === undefined ? undefined : setTimeout(() => controller.abort(), options.timeoutMs);
    let output: O;
    try {
      output = await call.send(controller?.signal);
    } catch (error) {
      const latencyMs = now().getTime() - started.getTime();
      const retryable = !isTimeoutError(error) && (isThrottlingError(error) || isTransientServerError(error));
      const base = {
        timestamp: started.toISOString(),
        service: call.service,
        operation: call.operation,
        resourceId: call.resourceId,
        requestId: sdkMetadata(error).requestId,
        latencyMs,
        outcome: 'error' as const,
        attempt,
        sdkAttempts: sdkMetadata(error).attempts,
        errorName: awsErrorName(error),
        request,
      };
      if (retryable && attempt < maxAttempts) {
        const retryDelayMs = backoffDelayMs(policy, attempt, random);
        options.audit?.({ ...base, retryDelayMs });
        await sleep(retryDelayMs);
        continue;
      }
      const mapped = call.mapError(error, {
        operation: call.operation,
        resourceId: call.resourceId,
        attempts: attempt,
        retriesExhausted: retryable,
      });
      options.audit?.({ ...base, errorCode: mapped.code });
      throw mapped;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
    const record: AwsAuditRecord = {
      timestamp: started.toISOString(),
      service: call.service,
      operation: call.operation,
      resourceId: call.resourceId,
      requestId: sdkMetadata(output).requestId,
      latencyMs: now().getTime() - started.getTime(),
      outcome: 'success',
      attempt,
      sdkAttempts: sdkMetadata(output).attempts,
      request,
      response: redactForAudit(output),
    };
    options.audit?.(record);
    return output;
  }
}
