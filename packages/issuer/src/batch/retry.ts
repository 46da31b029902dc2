import { isMdlError } from '@mdlkit/core/errors';

/**
 * Back-off policy for a signer that reports throttling (`ERR_SIGNER_THROTTLED`). Delays use
 * "full jitter": attempt *n* waits `random() × min(maxDelayMs, baseDelayMs × 2^(n-1))`.
 */
export interface RetryPolicy {
  /** Total attempts including the first (≥ 1). Default 6. */
  readonly maxAttempts?: number;
  /** First back-off ceiling in milliseconds. Default 50. */
  readonly baseDelayMs?: number;
  /** Largest back-off ceiling in milliseconds. Default 5,000. */
  readonly maxDelayMs?: number;
}

/** Injectable time and randomness for {@link withRetry} (tests pass fakes; nothing here reads globals). */
export interface RetryDependencies {
  /** Waits `ms` milliseconds. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Uniform random number in [0, 1). */
  readonly random: () => number;
}

/** The resolved defaults of {@link RetryPolicy}. */
export const DEFAULT_RETRY_POLICY: Required<RetryPolicy> = {
  maxAttempts: 6,
  baseDelayMs: 50,
  maxDelayMs: 5_000,
};

/** Outcome bookkeeping of {@link withRetry}. */
export interface RetryStats {
  /** Attempts made (≥ 1). */
  attempts: number;
  /** Attempts that failed with `ERR_SIGNER_THROTTLED`. */
  throttled: number;
}

/** True for the errors a remote signer reports as transient (throttling). */
export function isThrottlingError(error: unknown): boolean {
  return isMdlError(error, 'ERR_SIGNER_THROTTLED');
}

/**
 * Run `operation`, retrying only on throttling with bounded, jittered exponential back-off.
 * Any other error, or throttling on the last attempt, is re-thrown unchanged.
 *
 * @example
 * ```ts
 * const sig = await withRetry(() => signer.sign(tbs), {}, { sleep, random: Math.random }, stats);
 * ```
 * @throws whatever `operation` throws last.
 */
export async function withRetry<T>(
  operation: () => Promise<T>,
  policy: RetryPolicy,
  deps: RetryDependencies,
  stats: RetryStats = { attempts: 0, throttled: 0 },
): Promise<T> {
  const maxAttempts = Math.max(1, Math.floor(policy.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts));
  const base = Math.max(0, policy.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs);
  const max = Math.max(base, policy.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs);
  for (let attempt = 1; ; attempt++) {
    stats.attempts++;
    try {
      return await operation();
    } catch (error) {
      if (!isThrottlingError(error)) throw error;
      stats.throttled++;
      if (attempt >= maxAttempts) throw error;
      const ceiling = Math.min(max, base * 2 ** (attempt - 1));
      await deps.sleep(Math.floor(deps.random() * ceiling));
    }
  }
}
