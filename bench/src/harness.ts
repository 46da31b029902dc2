import { performance } from 'node:perf_hooks';

/** One operation to measure. `run` must return `true` on success; anything else aborts the bench. */
export interface BenchCase {
  readonly id: string;
  /** Operations done by one call of `run` (e.g. a batch of 64 signatures). Default 1. */
  readonly opsPerCall?: number;
  /** Fewest calls per round (default 3, so slow cases still give a rate). */
  readonly minCalls?: number;
  readonly run: () => boolean | Promise<boolean>;
}

/** How long to measure. */
export interface MeasureOptions {
  /** Alternation rounds (A B C, A B C, …). */
  readonly rounds: number;
  /** Time per case per round, in milliseconds. */
  readonly roundMs: number;
  /** Warm-up time per case before the first round, in milliseconds. */
  readonly warmupMs: number;
}

/** Throughput of one case over the rounds, operations per second. */
export interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly q1: number;
  readonly q3: number;
  /** Per-round rates, in round order. */
  readonly samples: readonly number[];
  /** Operations measured in total (excluding warm-up). */
  readonly operations: number;
}

/**
 * Both views of a case. Rates per CPU-second (the process's user + system time, worker threads
 * included) are the primary figures: on a shared, overloaded machine the wall clock mostly
 * measures the scheduler, while CPU time measures the work. Wall-clock rates are kept beside them.
 */
export interface CaseResult {
  readonly perCpuSecond: Stats;
  readonly perWallSecond: Stats;
}

/** Thrown when a measured call does not report success: a bench of a failing path is worthless. */
export class BenchFailure extends Error {
  constructor(
    readonly caseId: string,
    cause?: unknown,
  ) {
    super(`benchmark case ${caseId} did not succeed`, cause === undefined ? undefined : { cause });
    this.name = 'BenchFailure';
  }
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 1) return sorted[0]!;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Summarises per-round rates. */
export function summarize(samples: readonly number[], operations: number): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    samples,
    operations,
  };
}

async function runFor(
  c: BenchCase,
  ms: number,
): Promise<{ ops: number; seconds: number; cpuSeconds: number }> {
  const perCall = c.opsPerCall ?? 1;
  const minCalls = c.minCalls ?? 3;
  let calls = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const end = start + ms;
  let now = start;
  while (now < end || calls < minCalls) {
    let ok: boolean;
    try {
      const r = c.run();
      ok = typeof r === 'boolean' ? r : await r;
    } catch (error) {
      throw new BenchFailure(c.id, error);
    }
    if (ok !== true) throw new BenchFailure(c.id);
    calls++;
    now = performance.now();
  }
  const cpu = process.cpuUsage(cpuStart);
  return { ops: calls * perCall, seconds: (now - start) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/**
 * Measures the cases in alternation — warm-up each, then `rounds` rounds of A B C … (the order
 * rotates every round so no case always runs right after the same neighbour) — and returns the
 * median and spread of the per-round rates. Cases measured together share the machine's noise, so
 * their ratios are what to compare.
 */
export async function measureAlternating(
  cases: readonly BenchCase[],
  options: MeasureOptions,
): Promise<Map<string, CaseResult>> {
  for (const c of cases) await runFor(c, options.warmupMs);
  const cpu = new Map<string, number[]>(cases.map((c) => [c.id, []]));
  const wall = new Map<string, number[]>(cases.map((c) => [c.id, []]));
  const ops = new Map<string, number>(cases.map((c) => [c.id, 0]));
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < cases.length; k++) {
      const c = cases[(k + round) % cases.length]!;
      const r = await runFor(c, options.roundMs);
      cpu.get(c.id)!.push(r.ops / Math.max(r.cpuSeconds, 1e-6));
      wall.get(c.id)!.push(r.ops / r.seconds);
      ops.set(c.id, ops.get(c.id)! + r.ops);
    }
  }
  return new Map(
    cases.map((c) => [
      c.id,
      {
        perCpuSecond: summarize(cpu.get(c.id)!, ops.get(c.id)!),
        perWallSecond: summarize(wall.get(c.id)!, ops.get(c.id)!),
      },
    ]),
  );
}
