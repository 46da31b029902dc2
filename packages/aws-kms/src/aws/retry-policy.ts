/**
 * Bounded, jittered exponential back-off for AWS calls.
 *
 * Attempt `n` (1-based) that fails with a retryable error waits
 * `random() × min(maxDelayMs, baseDelayMs × 2^(n−1))` ("full jitter") before attempt `n + 1`, and
 * the loop stops after `maxAttempts`. Full jitter spreads the retries of many issuer processes that
 * were throttled together, instead of having them hit the shared KMS quota again in lockstep.
 */
export interface RetryPolicy {
  /** Total attempts including the first (≥ 1). Default 5. */
  readonly maxAttempts: number;
  /** Back-off base in milliseconds. Default 50. */
  readonly baseDelayMs: number;
  /** Upper bound of one back-off in milliseconds. Default 2000. */
  readonly maxDelayMs: number;
}

/**
 * The default policy: 5 attempts, 50 ms base, 2 s cap — at most ≈ 3 s spent backing off per call.
 *
 * @example
 * ```ts
 * const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 8 };
 * ```
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 50,
  maxDelayMs: 2000,
});

/**
 * The back-off before the attempt after `attempt` (1-based), with full jitter.
 *
 * @param random - a uniform source in [0, 1)
 * @example
 * ```ts
 * backoffDelayMs(DEFAULT_RETRY_POLICY, 3, () => 0.5); // 0.5 × min(2000, 50 × 4) = 100
 * ```
 */
export function backoffDelayMs(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const r = random();
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.floor(unit * ceiling);
}
