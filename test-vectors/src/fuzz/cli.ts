/**
 * `pnpm fuzz [--count N] [--seed S] [--workers W] [--max-size BYTES] [--no-save]`
 *
 * With `--workers W` the run is split over W child processes (input `i` goes to worker `i mod W`),
 * so the inputs are exactly those of a single-process run with the same seed.
 *
 * Runs the structure-aware fuzzer, prints counts, saves every failing input as a reproducible case
 * under `test-vectors/fuzz/cases/` and exits 1 when any property broke. The Annex D seeds are read
 * from `MDLKIT_VECTORS` or `../shared/vectors` next to the repository.
 */

import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FuzzCase, type FuzzStats, mergeStats, runFuzz, violationCount } from './run-fuzz.js';
import { buildSeedCorpus } from './seeds.js';

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(value) || value < 0) {
    console.error(`${name} needs a non-negative integer`);
    process.exit(2);
  }
  return value;
}

const count = argument('--count', 10_000);
const seed = argument('--seed', 1);
const maxInputSize = argument('--max-size', 256 * 1024);
const workers = Math.max(1, argument('--workers', 1));
const offset = argument('--offset', 0);
const stride = Math.max(1, argument('--stride', 1));
const isWorker = process.argv.includes('--worker');
const save = !process.argv.includes('--no-save');
const here = path.dirname(fileURLToPath(import.meta.url));
const casesDir = path.resolve(here, '../../fuzz/cases');
const vectors =
  process.env.MDLKIT_VECTORS ??
  [process.env.INIT_CWD, process.cwd(), path.resolve(here, '../../..')]
    .filter((d): d is string => d !== undefined)
    .map((d) => path.resolve(d, '../shared/vectors'))
    .find((d) => existsSync(d));
const annexD = vectors === undefined ? undefined : path.join(vectors, 'iso-18013-5-annex-d');

const mib = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MiB`;
function print(stats: FuzzStats, seconds: number): void {
  console.log(
    JSON.stringify(
      {
        inputs: stats.inputs,
        seconds: Number(seconds.toFixed(1)),
        inputsPerSecond: Math.round(stats.inputs / Math.max(seconds, 0.001)),
        violations: stats.violations,
        outcomes: stats.outcomes,
        identicalToSeed: stats.identical,
        verifiedMutants: stats.verifiedMutants,
        seedsVerified: stats.seedsVerified,
        targets: stats.targets,
        peakHeap: mib(stats.peakHeapBytes),
        largestInputBytes: stats.largestInputBytes,
        slowestInputMs: Number(stats.slowestInputMs.toFixed(1)),
        slowestInputIndex: stats.slowestInputIndex,
        codes: Object.fromEntries(Object.entries(stats.codes).sort((a, b) => b[1] - a[1])),
        mutations: stats.mutations,
      },
      null,
      2,
    ),
  );
}

if (workers > 1 && !isWorker) {
  const started = performance.now();
  console.log(`fuzz: ${count} inputs, seed ${seed}, ${workers} workers`);
  const shards = await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const args = [
        '--count',
        String(count),
        '--seed',
        String(seed),
        '--offset',
        String(w),
        '--stride',
        String(workers),
        '--max-size',
        String(maxInputSize),
        '--worker',
      ];
      if (!save) args.push('--no-save');
      const child = fork(process.argv[1]!, args, {
        execArgv: process.execArgv,
        stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      });
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        out += text;
        for (const line of text.split('\n')) if (line.startsWith('…')) console.log(`[worker ${w}] ${line}`);
      });
      return new Promise<FuzzStats>((resolve, reject) => {
        child.on('exit', () => {
          const line = out.split('\n').find((l) => l.startsWith('STATS '));
          if (line === undefined) reject(new Error(`worker ${w} ended without stats`));
          else resolve(JSON.parse(line.slice(6)) as FuzzStats);
        });
      });
    }),
  );
  const total = shards.reduce(mergeStats);
  print(total, (performance.now() - started) / 1000);
  process.exitCode = violationCount(total) > 0 ? 1 : 0;
} else {
  await runOne();
}

async function runOne(): Promise<void> {
  const corpus = await buildSeedCorpus(
    annexD === undefined ? undefined : (name) => readFileSync(path.join(annexD, name), 'utf8'),
  );
  console.log(
    `fuzz: ${count} inputs, seed ${seed}, ${corpus.seeds.length} seeds (${corpus.seeds.map((s) => s.name).join(', ')})`,
  );
  const started = performance.now();
  let saved = 0;
  const stats = await runFuzz({
    corpus,
    count,
    seed,
    offset,
    stride,
    maxInputSize,
    heapUsed: () => process.memoryUsage().heapUsed,
    clock: () => performance.now(),
    progressEvery: 50_000,
    onProgress: (s) => {
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `… ${s.inputs} inputs, ${Math.round(s.inputs / seconds)}/s, violations ${violationCount(s)}, heap ${mib(process.memoryUsage().heapUsed)}`,
      );
    },
    onCase: (failure: FuzzCase) => {
      console.error(
        `VIOLATION #${failure.index} (${failure.seedName}, ${failure.mutations.join('+')}): ${failure.violation.kind} — ${failure.violation.detail}`,
      );
      if (!save || saved >= 200) return;
      mkdirSync(casesDir, { recursive: true });
      const id = createHash('sha256').update(failure.input).digest('hex').slice(0, 16);
      writeFileSync(
        path.join(casesDir, `${failure.target}-${id}.json`),
        `${JSON.stringify(failure, null, 1)}\n`,
      );
      saved++;
    },
  });
  if (isWorker) console.log(`STATS ${JSON.stringify(stats)}`);
  else print(stats, (performance.now() - started) / 1000);
  if (saved > 0) console.log(`saved ${saved} case(s) under ${path.relative(process.cwd(), casesDir)}`);
  process.exitCode = violationCount(stats) > 0 ? 1 : 0;
}
