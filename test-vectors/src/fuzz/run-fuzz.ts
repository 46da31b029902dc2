/**
 * The fuzz loop: pick a seed, mutate it, feed it to its target, check the properties, count.
 */
import { bytesEqual, fromHex, toHex } from '@mdlkit/core/cbor';
import { type CborLevel, indexCbor } from './cbor-spans.js';
import { type MutationPool, mutate } from './mutate.js';
import { FuzzRandom, inputSeed } from './prng.js';
import type { FuzzContext, FuzzSeed, FuzzTarget, SeedCorpus } from './seeds.js';
import { type FuzzViolation, type PreparedSeed, prepareSeed } from './targets.js';

/** A failing input, saved as JSON under `test-vectors/fuzz/` and replayed by a test. */
export interface FuzzCase {
  readonly format: 'mdlkit-fuzz-case/1';
  readonly target: FuzzTarget;
  readonly seedName: string;
  /** Run seed and input index: `pnpm fuzz --seed <runSeed>` regenerates the same mutations. */
  readonly runSeed: number;
  readonly index: number;
  readonly mutations: readonly string[];
  readonly violation: FuzzViolation;
  /** The mutated input, hex. */
  readonly input: string;
  /** The seed it came from, hex (the false-accept oracle compares against it). */
  readonly reference: string;
  readonly context: FuzzContext;
}

/** Options of {@link runFuzz}. */
export interface RunFuzzOptions {
  readonly corpus: SeedCorpus;
  /** Inputs to run. */
  readonly count: number;
  /** Run seed (any 32-bit integer). */
  readonly seed: number;
  /**
   * Which input indexes to run: `offset`, `offset + stride`, … (default 0 and 1). Shards of one run
   * use the same seed and stride with offsets 0 … stride − 1, so together they run exactly the
   * inputs `0 … count − 1` of a single-process run.
   */
  readonly offset?: number;
  readonly stride?: number;
  /** Mutated inputs are truncated to this many bytes (default 256 KiB). */
  readonly maxInputSize?: number;
  /** Heap in use, in bytes (e.g. `() => process.memoryUsage().heapUsed`); sampled every 500 inputs. */
  readonly heapUsed?: () => number;
  /** Heap above this fails the run (default 1 GiB). */
  readonly heapLimitBytes?: number;
  /** Monotonic milliseconds (e.g. `performance.now`), to find the slowest input. */
  readonly clock?: () => number;
  /** Called for every failing input. */
  readonly onCase?: (failure: FuzzCase) => void;
  /** Called every `progressEvery` inputs. */
  readonly onProgress?: (stats: FuzzStats) => void;
  readonly progressEvery?: number;
}

/** Counts of a run. */
export interface FuzzStats {
  inputs: number;
  /** Inputs per target. */
  readonly targets: Record<string, number>;
  /** Outcomes: typed rejection, parsed but not verified, verified. */
  readonly outcomes: { rejected: number; parsed: number; verified: number };
  /** Typed error codes seen. */
  readonly codes: Record<string, number>;
  /** Mutations applied. */
  readonly mutations: Record<string, number>;
  /** Inputs byte-identical to their seed (not counted as mutated). */
  identical: number;
  /** Verified inputs whose bytes differ from the seed (allowed when no signed byte changed). */
  verifiedMutants: number;
  readonly violations: {
    untypedThrows: number;
    internalErrors: number;
    falseAccepts: number;
    oracleMismatches: number;
  };
  /** Unmutated seeds that verify (the false-accept oracle only bites on these). */
  readonly seedsVerified: string[];
  peakHeapBytes: number;
  heapLimitExceeded: boolean;
  largestInputBytes: number;
  slowestInputMs: number;
  slowestInputIndex: number;
}

const WEIGHT: Readonly<Record<FuzzTarget, number>> = {
  'device-response': 6,
  'device-request': 3,
  'device-engagement': 1,
  'session-establishment': 1,
  'session-data': 1,
};

/**
 * Adds the counts of `b` to `a` (shards of one run).
 *
 * @example
 * ```ts
 * const total = shards.reduce(mergeStats);
 * ```
 */
export function mergeStats(a: FuzzStats, b: FuzzStats): FuzzStats {
  const add = (x: Record<string, number>, y: Record<string, number>): Record<string, number> => {
    const out = { ...x };
    for (const [k, v] of Object.entries(y)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  const slowest = b.slowestInputMs > a.slowestInputMs ? b : a;
  return {
    inputs: a.inputs + b.inputs,
    targets: add(a.targets, b.targets),
    outcomes: add(a.outcomes, b.outcomes) as FuzzStats['outcomes'],
    codes: add(a.codes, b.codes),
    mutations: add(a.mutations, b.mutations),
    identical: a.identical + b.identical,
    verifiedMutants: a.verifiedMutants + b.verifiedMutants,
    violations: add(a.violations, b.violations) as FuzzStats['violations'],
    seedsVerified: [...new Set([...a.seedsVerified, ...b.seedsVerified])],
    peakHeapBytes: Math.max(a.peakHeapBytes, b.peakHeapBytes),
    heapLimitExceeded: a.heapLimitExceeded || b.heapLimitExceeded,
    largestInputBytes: Math.max(a.largestInputBytes, b.largestInputBytes),
    slowestInputMs: slowest.slowestInputMs,
    slowestInputIndex: slowest.slowestInputIndex,
  };
}

/** Total violations of a run (0 for a clean run). */
export function violationCount(stats: FuzzStats): number {
  const v = stats.violations;
  return (
    v.untypedThrows +
    v.internalErrors +
    v.falseAccepts +
    v.oracleMismatches +
    (stats.heapLimitExceeded ? 1 : 0)
  );
}

/**
 * Runs `count` mutated inputs and returns the counts. Never throws for a failing input: failures
 * are counted and handed to `onCase`.
 *
 * @example
 * ```ts
 * const stats = await runFuzz({ corpus, count: 10_000, seed: 1, onCase: save });
 * if (violationCount(stats) > 0) process.exitCode = 1;
 * ```
 */
export async function runFuzz(options: RunFuzzOptions): Promise<FuzzStats> {
  const { corpus, count, seed } = options;
  const maxInputSize = options.maxInputSize ?? 256 * 1024;
  const heapLimit = options.heapLimitBytes ?? 1024 * 1024 * 1024;
  const clock = options.clock ?? (() => 0);
  const every = options.progressEvery ?? 10_000;
  const prepared: PreparedSeed[] = corpus.seeds.map((s) => prepareSeed(s));
  const levels: CborLevel[][] = corpus.seeds.map((s) => indexCbor(s.bytes));
  const pool: MutationPool = { donors: levels, certificates: corpus.certificates };
  const weighted: number[] = [];
  corpus.seeds.forEach((s, i) => {
    for (let w = 0; w < WEIGHT[s.target]; w++) weighted.push(i);
  });
  const stats: FuzzStats = {
    inputs: 0,
    targets: {},
    outcomes: { rejected: 0, parsed: 0, verified: 0 },
    codes: {},
    mutations: {},
    identical: 0,
    verifiedMutants: 0,
    violations: { untypedThrows: 0, internalErrors: 0, falseAccepts: 0, oracleMismatches: 0 },
    seedsVerified: [],
    peakHeapBytes: 0,
    heapLimitExceeded: false,
    largestInputBytes: 0,
    slowestInputMs: 0,
    slowestInputIndex: -1,
  };
  for (const p of prepared) {
    const result = await p.run(p.seed.bytes);
    if (result.outcome.kind === 'verified') stats.seedsVerified.push(p.seed.name);
  }
  const bump = (record: Record<string, number>, key: string): void => {
    record[key] = (record[key] ?? 0) + 1;
  };

  const offset = options.offset ?? 0;
  const stride = Math.max(1, options.stride ?? 1);
  for (let index = offset; index < count; index += stride) {
    const r = new FuzzRandom(inputSeed(seed, index));
    const which = weighted[r.below(weighted.length)]!;
    const p = prepared[which]!;
    const source: FuzzSeed = corpus.seeds[which]!;
    const mutant = mutate(source.bytes, levels[which]!, r, pool, maxInputSize);
    const started = clock();
    const result = await p.run(mutant.bytes);
    const elapsed = clock() - started;
    stats.inputs++;
    bump(stats.targets, source.target);
    for (const m of mutant.mutations) bump(stats.mutations, m);
    stats.largestInputBytes = Math.max(stats.largestInputBytes, mutant.bytes.length);
    if (elapsed > stats.slowestInputMs) {
      stats.slowestInputMs = elapsed;
      stats.slowestInputIndex = index;
    }
    const identical = bytesEqual(mutant.bytes, source.bytes);
    if (identical) stats.identical++;
    const { outcome, violation } = result;
    stats.outcomes[outcome.kind]++;
    if (outcome.kind === 'rejected') bump(stats.codes, outcome.code);
    if (outcome.kind === 'verified' && !identical) stats.verifiedMutants++;
    if (violation !== undefined) {
      if (violation.kind === 'untyped-throw') stats.violations.untypedThrows++;
      else if (violation.kind === 'internal-error') stats.violations.internalErrors++;
      else if (violation.kind === 'false-accept') stats.violations.falseAccepts++;
      else stats.violations.oracleMismatches++;
      options.onCase?.({
        format: 'mdlkit-fuzz-case/1',
        target: source.target,
        seedName: source.name,
        runSeed: seed,
        index,
        mutations: mutant.mutations,
        violation,
        input: toHex(mutant.bytes),
        reference: toHex(source.bytes),
        context: source.context,
      });
    }
    if (options.heapUsed !== undefined && stats.inputs % 500 === 1) {
      const heap = options.heapUsed();
      stats.peakHeapBytes = Math.max(stats.peakHeapBytes, heap);
      if (heap > heapLimit) stats.heapLimitExceeded = true;
    }
    if (options.onProgress !== undefined && stats.inputs % every === 0) options.onProgress(stats);
  }
  return stats;
}

/**
 * Replays a saved case: runs its input against its target with its own context and reference.
 *
 * @example
 * ```ts
 * const result = await replayCase(JSON.parse(readFileSync(file, 'utf8')));
 * expect(result.violation).toBeUndefined();
 * ```
 */
export async function replayCase(failure: FuzzCase): Promise<Awaited<ReturnType<PreparedSeed['run']>>> {
  const prepared = prepareSeed({
    name: failure.seedName,
    target: failure.target,
    bytes: fromHex(failure.reference),
    context: failure.context,
  });
  return prepared.run(fromHex(failure.input));
}
