import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';
import {
  DefaultRateLimiter,
  INITIAL_RETRY_TOKENS,
  MAXIMUM_RETRY_DELAY,
  NO_RETRY_INCREMENT,
  Retry,
} from '@smithy/util-retry';

/** @internal The options {@link BudgetedRetryStrategy} is built from (already validated). */
export interface BudgetedRetryOptions {
  readonly mode: 'adaptive' | 'standard';
  readonly maxAttempts: number;
  /** Retry tokens (the SDK's default is 500); `Infinity` turns the budget off. */
  readonly retryBudget: number;
  readonly backoffMs: ((retry: number) => number) | undefined;
}

class Token implements RetryToken {
  constructor(
    private readonly count: number,
    private readonly delay: number,
    readonly cost: number | undefined,
  ) {}
  getRetryCount(): number {
    return this.count;
  }
  getRetryDelay(): number {
    return this.delay;
  }
  getRetryCost(): number | undefined {
    return this.cost;
  }
}

/**
 * @internal The SDK's standard / adaptive retry strategy with a retry budget of a chosen size.
 *
 * `@smithy/util-retry` fixes the budget at 500 tokens (5 per throttling retry, 14 per transient
 * retry, refilled by successes). That is a circuit breaker: under a sustained failure rate above
 * about 30 % it runs dry and calls fail after fewer than `maxAttempts` attempts — for a batch
 * issuer, lost MSOs (measured: 149 of 10,000 under 30 % throttling and 2 % resets). This strategy
 * keeps the SDK's rules — the same retryable error types (THROTTLING, TRANSIENT as the SDK's retry
 * middleware classifies them), the same costs and refunds (`Retry.cost()`, `Retry.throttlingCost()`),
 * the SDK's `DefaultRateLimiter` in adaptive mode, the SDK's back-off base and cap — and lets the
 * caller size the budget. See docs/decisions/0019-one-aws-retry-layer.md.
 */
export class BudgetedRetryStrategy implements RetryStrategyV2 {
  readonly mode: 'adaptive' | 'standard';
  readonly #options: BudgetedRetryOptions;
  readonly #limiter: DefaultRateLimiter | undefined;
  #capacity: number;

  constructor(options: BudgetedRetryOptions) {
    this.#options = options;
    this.mode = options.mode;
    this.#limiter = options.mode === 'adaptive' ? new DefaultRateLimiter() : undefined;
    this.#capacity = options.retryBudget;
  }

  /** Retry tokens left (for monitoring). */
  get capacity(): number {
    return this.#capacity;
  }

  async acquireInitialRetryToken(_scope: string): Promise<RetryToken> {
    await this.#limiter?.getSendToken();
    return new Token(0, 0, undefined);
  }

  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    this.#limiter?.updateClientSendingRate(errorInfo);
    const type = errorInfo.errorType;
    const retryable = type === 'THROTTLING' || type === 'TRANSIENT';
    const cost = type === Retry.modifiedCostType() ? Retry.throttlingCost() : Retry.cost();
    const count = token.getRetryCount();
    if (!retryable || count + 1 >= this.#options.maxAttempts || this.#capacity < cost) {
      throw new Error('No retry token available');
    }
    this.#capacity -= cost;
    const delay = this.#delay(count, type === 'THROTTLING', errorInfo.retryAfterHint);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    await this.#limiter?.getSendToken();
    return new Token(count + 1, 0, cost);
  }

  recordSuccess(token: RetryToken): void {
    this.#limiter?.updateClientSendingRate({});
    const ceiling = Math.max(this.#options.retryBudget, INITIAL_RETRY_TOKENS);
    this.#capacity = Math.min(
      ceiling,
      this.#capacity + ((token as Partial<Token>).getRetryCost?.() ?? NO_RETRY_INCREMENT),
    );
  }

  #delay(retry: number, throttling: boolean, hint: Date | undefined): number {
    const custom = this.#options.backoffMs;
    if (custom !== undefined) {
      const ms = custom(retry + 1);
      return Number.isFinite(ms) && ms > 0 ? Math.floor(ms) : 0;
    }
    // the SDK's DefaultRetryBackoffStrategy: full jitter over base × 2^retry, capped
    const base = throttling ? Retry.throttlingDelay() : Retry.delay();
    const delay = Math.floor(Math.random() * Math.min(base * 2 ** retry, MAXIMUM_RETRY_DELAY));
    if (hint instanceof Date) {
      return Math.max(delay, Math.min(hint.getTime() - Date.now(), delay + 5_000));
    }
    return delay;
  }
}
