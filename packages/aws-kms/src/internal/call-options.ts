import type { AwsCallOptions } from '../aws/invoke-aws.js';

/** @internal Copies only the {@link AwsCallOptions} fields of a larger options object. */
export function pickCallOptions(options: AwsCallOptions): AwsCallOptions {
  return {
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.audit === undefined ? {} : { audit: options.audit }),
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    ...(options.random === undefined ? {} : { random: options.random }),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
}
