import { isMdlError, MdlError } from '@mdlkit/core/errors';

/** Bounds of one asynchronous wait (CSR creation, certificate issuance, CA activation). */
export interface WaitOptions {
  /** Polls before giving up (default 60). */
  readonly maxPolls?: number;
  /** Pause between polls in milliseconds (default 1000; AWS typically needs a few seconds). */
  readonly intervalMs?: number;
}

/** What one poll saw: the value, or why it is not ready yet. */
export type PollResult<T> =
  | { readonly ready: true; readonly value: T }
  | { readonly ready: false; readonly state: string };

const DEFAULT_MAX_POLLS = 60;
const DEFAULT_INTERVAL_MS = 1000;

/**
 * @internal Polls until `poll` reports ready, at most `maxPolls` times. A `RequestInProgressException`
 * (mapped by `mapPcaError`) counts as "not ready"; other errors propagate at once.
 *
 * @throws {@link MdlError} `ERR_AWS_WAIT_TIMEOUT` naming what was awaited and the last state seen,
 *   with the last error as `cause`.
 */
export async function waitUntil<T>(
  what: string,
  poll: () => Promise<PollResult<T>>,
  options: WaitOptions & { readonly sleep: (ms: number) => Promise<void> },
): Promise<T> {
  const maxPolls = Math.max(1, Math.floor(options.maxPolls ?? DEFAULT_MAX_POLLS));
  const intervalMs = Math.max(0, options.intervalMs ?? DEFAULT_INTERVAL_MS);
  let lastState = 'no answer';
  let lastError: unknown;
  for (let n = 1; n <= maxPolls; n++) {
    try {
      const result = await poll();
      if (result.ready) return result.value;
      lastState = result.state;
      lastError = undefined;
    } catch (error) {
      if (!(isMdlError(error) && error.details['awsError'] === 'RequestInProgressException')) throw error;
      lastState = 'RequestInProgressException';
      lastError = error;
    }
    if (n < maxPolls) await options.sleep(intervalMs);
  }
  throw new MdlError(
    'ERR_AWS_WAIT_TIMEOUT',
    `Gave up waiting for ${what} after ${maxPolls} poll(s) ${intervalMs} ms apart; last state: ${lastState}. ` +
      'Raise wait.maxPolls / wait.intervalMs, or check the CA in the AWS console.',
    { cause: lastError, details: { what, polls: maxPolls, lastState } },
  );
}
