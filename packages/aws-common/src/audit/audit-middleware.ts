import { awsErrorName, networkErrorCode, sdkMetadata } from '../internal/sdk-error.js';
import type { AuditSink, AwsServiceName, RedactedValue } from './audit-record.js';
import { redactForAudit } from './audit-record.js';

/** @internal The name of mdlkit's audit middleware on a command's stack. */
export const AUDIT_MIDDLEWARE_NAME = 'mdlkitAuditMiddleware';

interface AuditContext {
  readonly service: AwsServiceName;
  readonly operation: string;
  readonly resourceId: string | undefined;
  readonly request: RedactedValue;
  readonly sink: AuditSink;
  readonly now: () => Date;
}

/** `amz-sdk-request: attempt=2; max=5` — set by the SDK's retry middleware on every attempt. */
function attemptOf(request: unknown): number | undefined {
  const headers = (request as { headers?: Record<string, string> } | undefined)?.headers;
  const value = headers?.['amz-sdk-request'];
  const match = typeof value === 'string' ? /attempt=(\d+)/.exec(value) : null;
  return match === null ? undefined : Number(match[1]);
}

function invocationOf(request: unknown): string | undefined {
  const headers = (request as { headers?: Record<string, string> } | undefined)?.headers;
  return headers?.['amz-sdk-invocation-id'];
}

function requestIdOf(response: unknown): string | undefined {
  const headers = (response as { headers?: Record<string, string> } | undefined)?.headers;
  return headers?.['x-amzn-requestid'];
}

/**
 * @internal A `finalizeRequest` middleware placed after the SDK's retry middleware, so it runs once
 * per HTTP attempt and sees each attempt's outcome (the SDK error, or the network error) before the
 * retry strategy decides. The sink is called synchronously; if it throws, the attempt fails (fail
 * closed: no unaudited signature reaches the caller).
 */
export function auditMiddleware(context: AuditContext) {
  // biome-ignore lint/suspicious/noExplicitAny: SDK handler types differ between SDK versions
  return (next: (args: any) => Promise<any>) =>
    // biome-ignore lint/suspicious/noExplicitAny: as above
    async (args: any): Promise<any> => {
      const started = context.now();
      const base = {
        timestamp: started.toISOString(),
        service: context.service,
        operation: context.operation,
        resourceId: context.resourceId,
        attempt: attemptOf(args.request) ?? 1,
        invocationId: invocationOf(args.request),
        request: context.request,
      };
      let result: { response?: unknown; output?: unknown };
      try {
        result = await next(args);
      } catch (error) {
        const code = networkErrorCode(error);
        context.sink({
          ...base,
          requestId: sdkMetadata(error).requestId,
          latencyMs: context.now().getTime() - started.getTime(),
          outcome: 'error',
          errorName: awsErrorName(error),
          ...(code === undefined ? {} : { networkError: code }),
        });
        throw error;
      }
      context.sink({
        ...base,
        requestId: requestIdOf(result.response) ?? sdkMetadata(result.output).requestId,
        latencyMs: context.now().getTime() - started.getTime(),
        outcome: 'success',
        response: redactForAudit(result.output),
      });
      return result;
    };
}
