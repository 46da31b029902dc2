import type { AwsCallOptions } from './invoke-aws.js';

/**
 * Copies only the {@link AwsCallOptions} fields (retry, audit, sleep, random, now, timeoutMs) of a
 * larger options object, so a client or key id never travels further than it should.
 *
 * @example
 * ```ts
 * const call = pickAwsCallOptions({ client, keyId, audit, retry: { maxAttempts: 3 } }); // { audit, retry }
 * ```
 */
export function pickAwsCallOptions(options: AwsCallOptions): AwsCallOptions {
  return {
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.audit === undefined ? {} : { audit: options.audit }),
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    ...(options.random === undefined ? {} : { random: options.random }),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
}
