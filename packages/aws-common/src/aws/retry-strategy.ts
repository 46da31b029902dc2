import { MdlError } from '@mdlkit/core/errors';
import type { RetryStrategyV2 } from '@smithy/types';
import { AdaptiveRetryStrategy, ConfiguredRetryStrategy, StandardRetryStrategy } from '@smithy/util-retry';
import { BudgetedRetryStrategy } from './budgeted-retry-strategy.js';

/** The SDK retry strategy interface (`RetryStrategyV2` of `@smithy/types`) that clients take as `retryStrategy`. */
export type AwsRetryStrategy = RetryStrategyV2 & { readonly mode?: string };

/** Options of {@link createAwsRetryStrategy}. */
export interface AwsRetryOptions {
  /**
   * `adaptive` (default): the SDK's standard retries plus client-side rate limiting that slows
   * every call of the client when AWS throttles — processes sharing a key back off together.
   * `standard`: retries and the retry budget without the rate limiter.
   */
  readonly mode?: 'adaptive' | 'standard';
  /**
   * Total attempts per call, the first included (1..20). Default {@link DEFAULT_AWS_MAX_ATTEMPTS}.
   * This is the stated bound: no mdlkit layer adds attempts on top.
   */
  readonly maxAttempts?: number;
  /**
   * Back-off before retry `n` (1-based) in milliseconds. Default: the SDK's jittered exponential
   * back-off (100 ms base, 500 ms after throttling, 20 s cap). Tests pass `() => 0`.
   */
  readonly backoffMs?: (retry: number) => number;
  /**
   * Size of the retry budget in tokens (the SDK's rules: 5 per throttling retry, 14 per transient
   * retry, refilled by successes). Default: the SDK's own strategy with its fixed 500 tokens, a
   * circuit breaker that runs dry under a sustained failure rate above about 30 %. A batch issuer
   * that must not lose MSOs in a quota event sizes it (e.g. a few retries per document of the
   * batch), or passes `Infinity` to bound retries by `maxAttempts` alone.
   */
  readonly retryBudget?: number;
}

/** Default attempts per AWS call (the first included): 5 — 4 retries, spread by the SDK's back-off. */
export const DEFAULT_AWS_MAX_ATTEMPTS = 5;

/**
 * Creates the one retry layer of an AWS client: the SDK's own strategy from `@smithy/util-retry`
 * (`AdaptiveRetryStrategy`, `StandardRetryStrategy` or, with `backoffMs`, `ConfiguredRetryStrategy`),
 * which retries throttling, 5xx, timeouts and connection errors (ECONNRESET, EPIPE …) and stops
 * when its retry budget (500 tokens, 5 per retry, 10 per timeout, refilled by successes) runs out.
 * Share one strategy between clients to share the budget and the rate limiter.
 *
 * @throws {@link MdlError} `ERR_AWS_CONFIG_INVALID` for `maxAttempts` outside 1..20.
 * @example
 * ```ts
 * const retryStrategy = createAwsRetryStrategy({ mode: 'adaptive', maxAttempts: 5 });
 * const kms = new KMSClient({ region, retryStrategy });
 * ```
 */
export function createAwsRetryStrategy(options: AwsRetryOptions = {}): AwsRetryStrategy {
  const maxAttempts = options.maxAttempts ?? DEFAULT_AWS_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 20) {
    throw new MdlError('ERR_AWS_CONFIG_INVALID', 'AWS maxAttempts must be an integer from 1 to 20.', {
      details: { maxAttempts },
    });
  }
  const mode = options.mode ?? 'adaptive';
  const backoff = options.backoffMs;
  if (options.retryBudget !== undefined) {
    const budget = options.retryBudget;
    if (!(budget === Number.POSITIVE_INFINITY || (Number.isInteger(budget) && budget >= 0))) {
      throw new MdlError(
        'ERR_AWS_CONFIG_INVALID',
        'AWS retryBudget must be a non-negative integer or Infinity.',
      );
    }
    return new BudgetedRetryStrategy({ mode, maxAttempts, retryBudget: budget, backoffMs: backoff });
  }
  let inner: AwsRetryStrategy;
  if (backoff !== undefined) {
    const computeNextBackoffDelay = (retry: number): number => {
      const ms = backoff(retry);
      return Number.isFinite(ms) && ms > 0 ? Math.floor(ms) : 0;
    };
    inner =
      mode === 'adaptive'
        ? (new AdaptiveRetryStrategy(maxAttempts, {
            backoff: { computeNextBackoffDelay, setDelayBase: () => undefined },
          }) as unknown as AwsRetryStrategy)
        : (new ConfiguredRetryStrategy(maxAttempts, computeNextBackoffDelay) as unknown as AwsRetryStrategy);
  } else {
    inner = (mode === 'adaptive'
      ? new AdaptiveRetryStrategy(maxAttempts)
      : new StandardRetryStrategy(maxAttempts)) as unknown as AwsRetryStrategy;
  }
  return scoped(inner);
}

/**
 * Older SDK clients (the current `@aws-sdk/client-acm-pca` is one) call
 * `acquireInitialRetryToken(undefined)`; the current strategies need a string scope.
 */
function scoped(inner: AwsRetryStrategy): AwsRetryStrategy {
  return {
    ...(inner.mode === undefined ? {} : { mode: inner.mode }),
    acquireInitialRetryToken: (scope: string | undefined) =>
      inner.acquireInitialRetryToken(typeof scope === 'string' ? scope : 'aws'),
    refreshRetryTokenForRetry: (token, errorInfo) => inner.refreshRetryTokenForRetry(token, errorInfo),
    recordSuccess: (token) => inner.recordSuccess(token),
  };
}
