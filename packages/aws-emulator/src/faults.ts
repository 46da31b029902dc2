import { seededRandom } from './internal/random.js';

/** How a key fault shows: the key really becomes `Disabled`, or calls get `AccessDeniedException`. */
export type KeyFaultMode = 'disabled' | 'access-denied';

/** Limits a fault to some operations (action names such as `Sign` or `IssueCertificate`) and Regions. */
export interface OperationFilter {
  /** Operation names the fault applies to; every operation when absent. */
  readonly operations?: readonly string[];
  /**
   * Regions the fault applies to (the request's SigV4 Region for KMS; the emulator's Region for
   * ACM-PCA) — e.g. throttle one Region's KMS endpoint while its replica Region answers; every
   * Region when absent.
   */
  readonly regions?: readonly string[];
}

/** Options for {@link FaultController.throttleRate}. */
export interface ThrottleRateOptions extends OperationFilter {
  /** PRNG seed, so a run is repeatable (default 1). */
  readonly seed?: number;
}

/** Options for {@link FaultController.setLatency}. */
export interface LatencyOptions extends OperationFilter {
  /** Added to every matching call, in milliseconds. */
  readonly fixedMs?: number;
  /** A uniformly distributed extra delay in `[0, jitterMs)`, from a seeded PRNG. */
  readonly jitterMs?: number;
  /** PRNG seed for the jitter (default 1). */
  readonly seed?: number;
}

/** Options for {@link FaultController.holdNext}. */
export interface HoldOptions extends OperationFilter {
  /**
   * How long to hold, in milliseconds; when absent the response never comes (until the client gives
   * up or the emulator closes), which is what a client-side timeout test needs.
   */
  readonly ms?: number;
  /**
   * `true`: run the operation, then hold its response (the work is done but the caller never learns
   * it, like a response lost on the network). Default `false`: hold before running it.
   */
  readonly afterProcessing?: boolean;
}

/** Options for {@link FaultController.failKey}. */
export interface KeyFaultOptions {
  /** 1-based: the `fromCall`-th call naming this key, and every later one, fails. */
  readonly fromCall: number;
  /** See {@link KeyFaultMode}. */
  readonly mode: KeyFaultMode;
}

/** What the server does with one incoming call, decided before dispatch. */
export interface CallDecision {
  readonly delayMs: number;
  readonly throttle: boolean;
  /** Drop the TCP connection without an answer (a connection reset, `ECONNRESET` at the client). */
  readonly reset: boolean;
  readonly hold?: { readonly ms?: number; readonly afterProcessing: boolean };
}

function matches(
  filter: OperationFilter | undefined,
  operation: string,
  region: string | undefined,
): boolean {
  return (
    (filter?.operations === undefined || filter.operations.includes(operation)) &&
    (filter?.regions === undefined || (region !== undefined && filter.regions.includes(region)))
  );
}

/**
 * Counts every HTTP call (every SDK attempt, including throttled and failed ones) per operation.
 *
 * @example
 * ```ts
 * expect(emulator.faults.calls.count('Sign')).toBe(3); // 2 throttled attempts + 1 success
 * ```
 */
export class CallCounter {
  readonly #counts = new Map<string, number>();
  readonly #inFlight = new Map<string, number>();
  readonly #peak = new Map<string, number>();
  readonly #byRegion = new Map<string, number>();

  /** @internal A call of `operation` started being processed. */
  enter(operation: string): void {
    const n = (this.#inFlight.get(operation) ?? 0) + 1;
    this.#inFlight.set(operation, n);
    if (n > (this.#peak.get(operation) ?? 0)) this.#peak.set(operation, n);
  }

  /** @internal A call of `operation` finished (answered, reset or abandoned). */
  leave(operation: string): void {
    this.#inFlight.set(operation, Math.max(0, (this.#inFlight.get(operation) ?? 0) - 1));
  }

  /** Calls of `operation` being processed right now. */
  inFlight(operation: string): number {
    return this.#inFlight.get(operation) ?? 0;
  }

  /** The most calls of `operation` ever processed at once (since the last {@link CallCounter.reset}). */
  peakInFlight(operation: string): number {
    return this.#peak.get(operation) ?? 0;
  }

  /** Records one call. */
  record(operation: string): void {
    this.#counts.set(operation, (this.#counts.get(operation) ?? 0) + 1);
  }

  /** @internal Records one authenticated call of `operation` in `region`. */
  recordRegion(region: string, operation: string): void {
    const key = `${region} ${operation}`;
    this.#byRegion.set(key, (this.#byRegion.get(key) ?? 0) + 1);
  }

  /** Calls of `operation` signed for `region` (KMS: the request's Region). */
  countInRegion(region: string, operation: string): number {
    return this.#byRegion.get(`${region} ${operation}`) ?? 0;
  }

  /** Calls of one operation, or of all operations when `operation` is absent. */
  count(operation?: string): number {
    if (operation !== undefined) return this.#counts.get(operation) ?? 0;
    let total = 0;
    for (const n of this.#counts.values()) total += n;
    return total;
  }

  /** A copy of all counters. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }

  /** Sets every counter (and the in-flight peaks) back to zero. */
  reset(): void {
    this.#counts.clear();
    this.#peak.clear();
    this.#byRegion.clear();
  }
}

interface CountedFault<T> {
  remaining: number;
  readonly options: T | undefined;
}

/**
 * Fault injection on a running emulator: throttling and connection resets (next N calls or a
 * seeded fraction), latency
 * (fixed or jittered), held responses (client timeouts), and per-key failures from the k-th call on.
 * Faults apply in this order: latency, hold, reset, throttle, then key faults inside the operation.
 *
 * @example
 * ```ts
 * emulator.faults.throttleNext(2, { operations: ['Sign'] });
 * emulator.faults.failKey(keyId, { fromCall: 5, mode: 'disabled' });
 * ```
 */
export class FaultController {
  /** Per-operation call counters. */
  readonly calls: CallCounter = new CallCounter();
  #throttleNext: CountedFault<OperationFilter>[] = [];
  #throttleRate:
    | { probability: number; random: () => number; options: ThrottleRateOptions | undefined }
    | undefined;
  #resetNext: CountedFault<OperationFilter>[] = [];
  #resetRate:
    | { probability: number; random: () => number; options: ThrottleRateOptions | undefined }
    | undefined;
  #latency: { options: LatencyOptions; random: () => number } | undefined;
  #holds: CountedFault<HoldOptions>[] = [];
  readonly #keyFaults = new Map<string, { options: KeyFaultOptions; seen: number }>();

  /**
   * Answers the next `count` matching calls with `ThrottlingException`.
   * @throws {RangeError} when `count` is not a non-negative integer.
   */
  throttleNext(count: number, options?: OperationFilter): void {
    if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a non-negative integer');
    this.#throttleNext.push({ remaining: count, options });
  }

  /**
   * Throttles each matching call with probability `probability` (seeded, repeatable); 0 turns it off.
   * @throws {RangeError} when `probability` is outside [0, 1].
   */
  throttleRate(probability: number, options?: ThrottleRateOptions): void {
    if (!(probability >= 0 && probability <= 1)) throw new RangeError('probability must be in [0, 1]');
    this.#throttleRate =
      probability === 0 ? undefined : { probability, random: seededRandom(options?.seed ?? 1), options };
  }

  /**
   * Resets the connection of the next `count` matching calls: the server destroys the socket
   * without answering, before running the operation (the client sees `ECONNRESET`).
   * @throws {RangeError} when `count` is not a non-negative integer.
   */
  resetNext(count: number, options?: OperationFilter): void {
    if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a non-negative integer');
    this.#resetNext.push({ remaining: count, options });
  }

  /**
   * Resets the connection of each matching call with probability `probability` (seeded, repeatable,
   * drawn independently of {@link FaultController.throttleRate}); 0 turns it off.
   * @throws {RangeError} when `probability` is outside [0, 1].
   */
  resetRate(probability: number, options?: ThrottleRateOptions): void {
    if (!(probability >= 0 && probability <= 1)) throw new RangeError('probability must be in [0, 1]');
    this.#resetRate =
      probability === 0 ? undefined : { probability, random: seededRandom(options?.seed ?? 2), options };
  }

  /**
   * Adds latency to matching calls; `setLatency({})` turns it off.
   * @throws {RangeError} when a delay is negative.
   */
  setLatency(options: LatencyOptions): void {
    if ((options.fixedMs ?? 0) < 0 || (options.jitterMs ?? 0) < 0)
      throw new RangeError('delays must be >= 0');
    this.#latency =
      (options.fixedMs ?? 0) === 0 && (options.jitterMs ?? 0) === 0
        ? undefined
        : { options, random: seededRandom(options.seed ?? 1) };
  }

  /**
   * Holds the responses of the next `count` matching calls (see {@link HoldOptions}).
   * @throws {RangeError} when `count` is not a non-negative integer.
   */
  holdNext(count: number, options?: HoldOptions): void {
    if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a non-negative integer');
    this.#holds.push({ remaining: count, options });
  }

  /**
   * Makes a KMS key fail from its `fromCall`-th call on. `keyId` is the key id (UUID); calls are
   * counted per key over every operation that names it, whatever form (ARN, alias) names it.
   * @throws {RangeError} when `fromCall` is not a positive integer.
   */
  failKey(keyId: string, options: KeyFaultOptions): void {
    if (!Number.isInteger(options.fromCall) || options.fromCall < 1) {
      throw new RangeError('fromCall must be a positive integer');
    }
    this.#keyFaults.set(keyId, { options, seen: 0 });
  }

  /** Removes every fault (counters are kept; see {@link CallCounter.reset}). */
  clear(): void {
    this.#throttleNext = [];
    this.#throttleRate = undefined;
    this.#resetNext = [];
    this.#resetRate = undefined;
    this.#latency = undefined;
    this.#holds = [];
    this.#keyFaults.clear();
  }

  /** @internal Called by the server for each call, after counting it. */
  decide(operation: string, region?: string): CallDecision {
    let delayMs = 0;
    const latency = this.#latency;
    if (latency !== undefined && matches(latency.options, operation, region)) {
      delayMs = (latency.options.fixedMs ?? 0) + latency.random() * (latency.options.jitterMs ?? 0);
    }
    let hold: CallDecision['hold'];
    const pendingHold = this.#holds.find((h) => h.remaining > 0 && matches(h.options, operation, region));
    if (pendingHold !== undefined) {
      pendingHold.remaining -= 1;
      const ms = pendingHold.options?.ms;
      hold = {
        afterProcessing: pendingHold.options?.afterProcessing ?? false,
        ...(ms === undefined ? {} : { ms }),
      };
    }
    let throttle = false;
    const next = this.#throttleNext.find((t) => t.remaining > 0 && matches(t.options, operation, region));
    if (next !== undefined) {
      next.remaining -= 1;
      throttle = true;
    } else if (this.#throttleRate !== undefined && matches(this.#throttleRate.options, operation, region)) {
      throttle = this.#throttleRate.random() < this.#throttleRate.probability;
    }
    let reset = false;
    const nextReset = this.#resetNext.find((t) => t.remaining > 0 && matches(t.options, operation, region));
    if (nextReset !== undefined) {
      nextReset.remaining -= 1;
      reset = true;
    } else if (this.#resetRate !== undefined && matches(this.#resetRate.options, operation, region)) {
      reset = this.#resetRate.random() < this.#resetRate.probability;
    }
    return hold === undefined ? { delayMs, throttle, reset } : { delayMs, throttle, reset, hold };
  }

  /** @internal Called by KMS operations each time a call names `keyId`. */
  keyFault(keyId: string): KeyFaultMode | undefined {
    const fault = this.#keyFaults.get(keyId);
    if (fault === undefined) return undefined;
    fault.seen += 1;
    return fault.seen >= fault.options.fromCall ? fault.options.mode : undefined;
  }
}
