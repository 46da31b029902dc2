import { MdlError } from '@mdlkit/core/errors';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { type AwsRetryOptions, type AwsRetryStrategy, createAwsRetryStrategy } from './retry-strategy.js';

/** Options of {@link awsClientDefaults}. */
export interface AwsClientDefaultsOptions extends AwsRetryOptions {
  /** Per-attempt limit on waiting for the response, in milliseconds (then the attempt fails and is retried). Default 5,000. */
  readonly requestTimeoutMs?: number;
  /** Per-attempt limit on opening the connection, in milliseconds. Default 2,000. */
  readonly connectionTimeoutMs?: number;
  /** A strategy to share with other clients (one budget, one rate limiter); overrides the retry options. */
  readonly retryStrategy?: AwsRetryStrategy;
}

/** What {@link awsClientDefaults} returns: spread it into an SDK client's configuration. */
export interface AwsClientDefaults {
  /** The one retry layer (see {@link createAwsRetryStrategy}). */
  readonly retryStrategy: AwsRetryStrategy;
  /** A Node HTTP handler with per-attempt connection and request timeouts that fail the attempt. */
  readonly requestHandler: NodeHttpHandler;
}

function checkMs(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1 || value > 600_000) {
    throw new MdlError('ERR_AWS_CONFIG_INVALID', `${name} must be an integer from 1 to 600000.`, {
      details: { option: name },
    });
  }
  return value;
}

/**
 * The client configuration mdlkit expects: the SDK's adaptive retry strategy (one retry layer,
 * bounded attempts, a retry budget, client-side rate limiting) and a request handler whose
 * per-attempt timeouts turn a stalled request into a retried `TimeoutError` instead of a call that
 * never settles. Spread it into `new KMSClient({...})` / `new ACMPCAClient({...})`.
 *
 * @throws {@link MdlError} `ERR_AWS_CONFIG_INVALID` for out-of-range options.
 * @example
 * ```ts
 * const kms = new KMSClient({ region: 'eu-west-1', ...awsClientDefaults({ requestTimeoutMs: 3000 }) });
 * ```
 */
export function awsClientDefaults(options: AwsClientDefaultsOptions = {}): AwsClientDefaults {
  const requestTimeout = checkMs(options.requestTimeoutMs ?? 5_000, 'requestTimeoutMs');
  const connectionTimeout = checkMs(options.connectionTimeoutMs ?? 2_000, 'connectionTimeoutMs');
  return {
    retryStrategy: options.retryStrategy ?? createAwsRetryStrategy(options),
    requestHandler: new NodeHttpHandler({ requestTimeout, connectionTimeout, throwOnRequestTimeout: true }),
  };
}
