import type { MdlError, MdlErrorCode } from '@mdlkit/core/errors';
import { AUDIT_MIDDLEWARE_NAME, auditMiddleware } from '../audit/audit-middleware.js';
import { type AuditSink, type AwsServiceName, redactForAudit } from '../audit/audit-record.js';
import { isRetryableAwsError, sdkMetadata } from '../internal/sdk-error.js';
import type { AwsClientLike, AwsCommandLike } from './aws-client-like.js';

/**
 * How mdlkit calls AWS: the overall deadline, the audit sink and the clock. Retries are not here —
 * they are the SDK client's (see `awsClientDefaults`).
 */
export interface AwsCallOptions {
  /** Receives one {@link AwsAuditRecord} per HTTP attempt (from SDK middleware, inside the SDK's retry loop). */
  readonly audit?: AuditSink;
  /** Clock for audit timestamps and latency. Default `() => new Date()`. */
  readonly now?: () => Date;
  /**
   * Overall deadline of one call, every SDK attempt and back-off included, in milliseconds; the
   * call is aborted when it passes. Default {@link DEFAULT_AWS_DEADLINE_MS}.
   */
  readonly deadlineMs?: number;
  /** Cancels the call (with every pending attempt) from outside. */
  readonly abortSignal?: AbortSignal;
}

/** Default overall deadline of one AWS call: 30 s. */
export const DEFAULT_AWS_DEADLINE_MS = 30_000;

/** What a failed call tells the error mapper. */
export interface AwsFailureInfo {
  /** The API operation. */
  readonly operation: string;
  /** The key / CA / certificate the request named. */
  readonly resourceId: string | undefined;
  /** Attempts the SDK made, the failed last one included (from `$metadata.attempts`, else 1). */
  readonly attempts: number;
  /** True when the last error was retryable, so the SDK's attempts or retry budget ran out. */
  readonly retriesExhausted: boolean;
  /** True when our overall deadline (not the service) ended the call. */
  readonly deadlineExceeded: boolean;
}

/** One AWS operation, described for {@link invokeAws}. */
export interface AwsCall {
  /** `kms` or `acm-pca` (for the audit record). */
  readonly service: AwsServiceName;
  /** The API operation name (`Sign` …). */
  readonly operation: string;
  /** The key / CA / certificate the request names. */
  readonly resourceId: string | undefined;
  /** The client to send with (its retry strategy is the only retry layer). */
  readonly client: AwsClientLike;
  /** The SDK command to send (one object; the SDK re-sends it per attempt). */
  readonly command: AwsCommandLike;
  /** Turns the final SDK error into an {@link MdlError} (keeping the SDK error as `cause`). */
  readonly mapError: (error: unknown, info: AwsFailureInfo) => MdlError<MdlErrorCode>;
}

/**
 * Picks the {@link AwsCallOptions} fields of a larger options object, so a client or key id never
 * travels further than it should.
 *
 * @example
 * ```ts
 * const call = pickAwsCallOptions({ client, keyId, audit, deadlineMs: 10_000 }); // { audit, deadlineMs }
 * ```
 */
export function pickAwsCallOptions(options: AwsCallOptions): AwsCallOptions {
  return {
    ...(options.audit === undefined ? {} : { audit: options.audit }),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
    ...(options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal }),
  };
}

/**
 * Sends one AWS command through the client's own retry strategy, with an overall deadline, an
 * audit record per HTTP attempt (SDK middleware on the command, so throttled and reset attempts
 * inside the SDK's loop are each recorded) and the final error mapped to an {@link MdlError} whose
 * message names the SDK / network cause and whose `cause` is the SDK error. The building block of
 * every KMS and ACM-PCA call in mdlkit; exported for adapters that need other operations.
 *
 * @throws {@link MdlError} whatever `call.mapError` returns for the final error.
 * @example
 * ```ts
 * const out = await invokeAws({
 *   service: 'kms', operation: 'DescribeKey', resourceId: keyId, client,
 *   command: new DescribeKeyCommand({ KeyId: keyId }), mapError: mapKmsError,
 * }, { audit: (r) => logger.info(r) });
 * ```
 */
export async function invokeAws<O>(call: AwsCall, options: AwsCallOptions = {}): Promise<O> {
  const deadlineMs = options.deadlineMs ?? DEFAULT_AWS_DEADLINE_MS;
  const deadline = AbortSignal.timeout(Math.max(1, deadlineMs));
  const signal =
    options.abortSignal === undefined ? deadline : AbortSignal.any([deadline, options.abortSignal]);
  if (options.audit !== undefined) {
    call.command.middlewareStack?.add(
      auditMiddleware({
        service: call.service,
        operation: call.operation,
        resourceId: call.resourceId,
        request: redactForAudit(call.command.input),
        sink: options.audit,
        now: options.now ?? (() => new Date()),
      }),
      { step: 'finalizeRequest', priority: 'low', name: AUDIT_MIDDLEWARE_NAME, override: true },
    );
  }
  try {
    return (await call.client.send(call.command, { abortSignal: signal })) as O;
  } catch (error) {
    const attempts = sdkMetadata(error).attempts ?? 1;
    throw call.mapError(error, {
      operation: call.operation,
      resourceId: call.resourceId,
      attempts,
      retriesExhausted: isRetryableAwsError(error),
      deadlineExceeded: deadline.aborted,
    });
  }
}
