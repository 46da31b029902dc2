/**
 * `pnpm bench [--quick]`: mdlkit vs the raw crypto limits and the TypeScript peers, measured side by
 * side in one process (issue #8). Full runs write `bench/results.json` and `docs/performance.md`;
 * quick runs (a smoke check, under two minutes) write `bench/results.quick.json` only.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  GENERIC_DOCTYPE,
  MDL_DOCTYPE,
  makeBenchIssuer,
  makeReferenceResponse,
  REFERENCE_SHAPE,
  type ReferenceResponse,
  type ReferenceShape,
} from './fixtures/reference.js';
import { type BenchCase, type CaseResult, type MeasureOptions, measureAlternating } from './harness.js';
import { carryEarlierRuns } from './report/earlier-runs.js';
import { renderMarkdown } from './report/markdown.js';
import type { BatchRow, BenchResults, CaseFigures, EarlierRun, MachineInfo, ScalingRow } from './results.js';
import { isSupportedNode } from './runtime.js';
import {
  type BatchAttempts,
  type BatchFaults,
  batchCases,
  batchId,
  FAULT_RETRY,
  faultArgs,
  startEmulatorProcess,
} from './suites/batch-kms.js';
import { IssuerCase, issuerCases, issueScalingCases, issueScalingId } from './suites/issuer.js';
import { RawCase, rawLimitCases } from './suites/raw-limits.js';
import {
  freshHolderCase,
  freshResponses,
  PEERS,
  ReaderCase,
  readerCases,
  verifyScalingCases,
  verifyScalingId,
} from './suites/reader.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const benchDir = path.resolve(here, '..');
const repoDir = path.resolve(benchDir, '..');

interface Mode {
  readonly name: 'full' | 'quick';
  readonly measure: MeasureOptions;
  readonly freshPool: number;
  readonly batchSize: number;
  readonly batchRounds: number;
  readonly concurrencies: readonly number[];
  /** The in-flight bound of the batch run against the faulty emulator (one of `concurrencies`). */
  readonly faultConcurrency: number;
}

const MODES: Readonly<Record<'full' | 'quick', Mode>> = {
  full: {
    name: 'full',
    measure: { rounds: 9, roundMs: 400, warmupMs: 300 },
    // More holders than the node provider's shared key cache (1,024 keys) and the reader's MSO memo
    // (64) hold, so every response pays its key import and MSO decode, as at a gate.
    freshPool: 1500,
    batchSize: 128,
    batchRounds: 3,
    concurrencies: [1, 4, 16, 64],
    faultConcurrency: 16,
  },
  quick: {
    name: 'quick',
    measure: { rounds: 3, roundMs: 120, warmupMs: 80 },
    freshPool: 1500,
    batchSize: 32,
    batchRounds: 1,
    concurrencies: [1, 8, 32],
    faultConcurrency: 8,
  },
};

/** Latency the emulator adds to each KMS call, standing in for the network round trip to KMS. */
const KMS_LATENCY_MS = 10;

/** The faulted batch: a KMS quota event (30 % of Sign calls throttled) on a flaky network (2 % reset). */
const BATCH_FAULTS: BatchFaults = { throttleRate: 0.3, resetRate: 0.02 };

const LABELS: Readonly<Record<string, string>> = {
  [RawCase.nodeSign]: 'node:crypto ECDSA P-256 sign',
  [RawCase.nodeVerify]: 'node:crypto ECDSA P-256 verify',
  [RawCase.webSign]: 'WebCrypto ECDSA P-256 sign',
  [RawCase.webVerify]: 'WebCrypto ECDSA P-256 verify',
  [ReaderCase.mdlkit]: 'mdlkit verifyDeviceResponse',
  [ReaderCase.mdlkitFresh]: 'mdlkit verifyDeviceResponse, a different holder each call',
  [IssuerCase.mdlkit]: 'mdlkit issueMdoc',
  [ReaderCase.mdlkitWithPeers]: 'mdlkit verifyDeviceResponse (in the peer alternation)',
  [IssuerCase.mdlkitWithPeers]: 'mdlkit issueMdoc (in the peer alternation)',
};

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function machineInfo(loadStart: number): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    logicalCpus: cpus.length,
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: os.platform(),
    release: os.release(),
    arch: os.arch(),
    node: process.versions.node,
    v8: process.versions.v8,
    openssl: process.versions.openssl,
    loadAverage: { start: loadStart, end: os.loadavg()[0]! },
  };
}

function currentCommit(): string | null {
  try {
    const out = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
      cwd: repoDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return out === '' ? null : out;
  } catch {
    return null;
  }
}

/** {@link carryEarlierRuns} over the `results.json` this run replaces (none if it is absent or unreadable). */
function earlierRuns(file: string, commit: string | null): EarlierRun[] {
  let old: unknown;
  try {
    old = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
  return carryEarlierRuns(old, commit, process.versions.node);
}

function peerVersions(): Record<string, string> {
  const require = createRequire(path.join(benchDir, 'package.json'));
  const out: Record<string, string> = {};
  for (const name of PEERS) out[name] = (require(`${name}/package.json`) as { version: string }).version;
  return out;
}

async function measure(
  title: string,
  cases: readonly BenchCase[],
  options: MeasureOptions,
): Promise<Map<string, CaseResult>> {
  const started = Date.now();
  log(`${title}: ${cases.length} cases × ${options.rounds} rounds …`);
  // Each group starts from a collected heap (`pnpm bench` runs node with --expose-gc): the garbage a
  // group's fixtures leave (1,500 distinct-holder responses, the peers' per-call megabytes) is not
  // collected on the next group's time.
  (globalThis as { gc?: () => void }).gc?.();
  const result = await measureAlternating(cases, options);
  for (const [id, r] of result) {
    log(
      `  ${id.padEnd(40)} ${r.perCpuSecond.median.toFixed(0).padStart(7)} /CPU-s  (${r.perCpuSecond.min.toFixed(0)}–${r.perCpuSecond.max.toFixed(0)})  wall ${r.perWallSecond.median.toFixed(0)}/s`,
    );
  }
  log(`  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return result;
}

function disclosedShape(disclosed: number, portraitBytes = 2048): ReferenceShape {
  return { docType: MDL_DOCTYPE, issued: Math.max(11, disclosed), disclosed, portraitBytes };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } }, strict: true });
  const mode = values.quick ? MODES.quick : MODES.full;
  const loadStart = os.loadavg()[0]!;
  log(
    `mdlkit bench (${mode.name}) on ${os.cpus()[0]?.model.trim()} ×${os.cpus().length}, Node ${process.version}`,
  );
  if (!isSupportedNode()) {
    log(
      `note: Node ${process.version} is outside the supported range (>= 22.12). Its OpenSSL ` +
        `${process.versions.openssl} imports an EC public key several times slower than Node 22's, which ` +
        'weighs on the distinct-holder case; `npx -p node@22 pnpm bench` measures the supported runtime.',
    );
  }

  // Fixtures: one IACA → DS chain; the reference response; responses from distinct holders.
  const issuer = await makeBenchIssuer();
  const ref = await makeReferenceResponse(issuer, REFERENCE_SHAPE);

  // 1. Raw limits, mdlkit reader and issuer in one alternation, so their ratios share the noise —
  // before any peer code has run: the peers leave megabytes of garbage per call, which V8 then
  // collects during whatever runs next (measured: 4–7 points off mdlkit's ratios). The peers get
  // their own alternation with mdlkit repeated in it (4.).
  const [mdlkitReader, ...peerReaders] = await readerCases(issuer, ref);
  const [mdlkitIssuer, ...peerIssuers] = issuerCases(issuer, REFERENCE_SHAPE);
  const main = await measure(
    'raw limits, mdlkit reader and issuer',
    [...(await rawLimitCases()), mdlkitReader!, mdlkitIssuer!],
    mode.measure,
  );

  // 1b. Distinct holders, against the raw verify in their own alternation: 1,500 responses and a
  // key import per call would otherwise weigh on every case measured after them.
  let holders: Map<string, CaseResult>;
  let freshPoolSize: number;
  {
    const fresh = await freshResponses(issuer, REFERENCE_SHAPE, mode.freshPool);
    freshPoolSize = fresh.length;
    const rawVerify = (await rawLimitCases()).filter((c) => c.id === RawCase.nodeVerify);
    holders = await measure('distinct holders', [...rawVerify, freshHolderCase(issuer, fresh)], mode.measure);
  }

  // 2. Scaling (mdlkit), with the raw verify as the yardstick in the same alternation.
  const verifyShapes = new Map<string, ReferenceShape>([
    ['1 element, 2 KiB portrait (not disclosed)', disclosedShape(1)],
    ['10 elements, 2 KiB portrait', disclosedShape(10)],
    ['50 elements, 2 KiB portrait', disclosedShape(50)],
    ['10 elements, 100 KiB portrait', disclosedShape(10, 100 * 1024)],
  ]);
  const verifyResponses = new Map<string, ReferenceResponse>();
  for (const [label, shape] of verifyShapes)
    verifyResponses.set(label, await makeReferenceResponse(issuer, shape));
  const issueShapes = new Map<string, ReferenceShape>([
    [
      '1 element (generic docType)',
      { docType: GENERIC_DOCTYPE, issued: 1, disclosed: 1, portraitBytes: 2048 },
    ],
    [
      '10 elements (generic docType)',
      { docType: GENERIC_DOCTYPE, issued: 10, disclosed: 10, portraitBytes: 2048 },
    ],
    [
      '50 elements (generic docType)',
      { docType: GENERIC_DOCTYPE, issued: 50, disclosed: 50, portraitBytes: 2048 },
    ],
    ['11 mDL elements, 100 KiB portrait', { ...REFERENCE_SHAPE, portraitBytes: 100 * 1024 }],
  ]);
  const raw = (await rawLimitCases()).filter((c) => c.id === RawCase.nodeVerify || c.id === RawCase.nodeSign);
  const scaling = await measure(
    'scaling',
    [...raw, ...verifyScalingCases(issuer, verifyResponses), ...issueScalingCases(issuer, issueShapes)],
    mode.measure,
  );

  // 4. The peers, each against mdlkit on the same bytes, in one alternation.
  const peers = await measure(
    'peers (with mdlkit)',
    [
      { ...mdlkitReader!, id: ReaderCase.mdlkitWithPeers },
      ...peerReaders,
      { ...mdlkitIssuer!, id: IssuerCase.mdlkitWithPeers },
      ...peerIssuers,
    ],
    mode.measure,
  );

  // 3. Batch issuance through the KMS signer (emulator in its own process, fixed latency per call),
  // then once more against an emulator that throttles and resets Sign calls: the attempts per MSO
  // show that one retry layer (the SDK's) is all there is.
  const batch = new Map<string, CaseResult>();
  const batchAttempts = new Map<string, BatchAttempts>();
  for (const faults of [undefined, BATCH_FAULTS]) {
    const emulator = await startEmulatorProcess(
      KMS_LATENCY_MS,
      faults === undefined ? [] : faultArgs(faults),
    );
    try {
      const concurrencies = faults === undefined ? mode.concurrencies : [mode.faultConcurrency];
      const { cases, client, attempts } = await batchCases(issuer, emulator, mode.batchSize, concurrencies, {
        faults: faults !== undefined,
      });
      try {
        const title =
          faults === undefined
            ? 'batch issuance (KMS signer → emulator)'
            : `batch issuance, ${100 * faults.throttleRate} % of Sign throttled and ${100 * faults.resetRate} % reset`;
        const m = await measure(title, cases, { rounds: mode.batchRounds, roundMs: 0, warmupMs: 0 });
        for (const [id, r] of m) {
          batch.set(id, r);
          const a = attempts(id);
          batchAttempts.set(id, a);
          log(
            `  ${id}: ${(a.signAttempts / a.msos).toFixed(3)} Sign requests per MSO (${a.signAttempts} for ${a.msos})`,
          );
        }
      } finally {
        client.destroy();
      }
    } finally {
      await emulator.close();
    }
  }

  const assembled = assemble(
    mode,
    loadStart,
    ref,
    freshPoolSize,
    main,
    holders,
    peers,
    scaling,
    verifyShapes,
    verifyResponses,
    issueShapes,
    batch,
    batchAttempts,
  );
  const outFile = path.join(benchDir, mode.name === 'full' ? 'results.json' : 'results.quick.json');
  const commit = currentCommit();
  const results: BenchResults = { ...assembled, commit, earlierRuns: earlierRuns(outFile, commit) };
  writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
  log(`wrote ${path.relative(repoDir, outFile)}`);
  if (mode.name === 'full') {
    const doc = path.join(repoDir, 'docs', 'performance.md');
    writeFileSync(doc, renderMarkdown(results));
    log(`wrote ${path.relative(repoDir, doc)}`);
  }
  const r = results.ratios;
  log(
    `reader ${(100 * r.readerVsLimit).toFixed(0)} % of limit (fresh holders ${(100 * r.readerFreshVsLimit).toFixed(0)} %), ` +
      `${r.readerVsPeer['@auth0/mdl']?.toFixed(1)}× @auth0/mdl; issuer ${(100 * r.issuerVsRawSign).toFixed(0)} % of raw sign`,
  );
}

function assemble(
  mode: Mode,
  loadStart: number,
  ref: ReferenceResponse,
  freshPoolSize: number,
  main: Map<string, CaseResult>,
  holders: Map<string, CaseResult>,
  peers: Map<string, CaseResult>,
  scaling: Map<string, CaseResult>,
  verifyShapes: Map<string, ReferenceShape>,
  verifyResponses: Map<string, ReferenceResponse>,
  issueShapes: Map<string, ReferenceShape>,
  batch: Map<string, CaseResult>,
  batchAttempts: Map<string, BatchAttempts>,
): Omit<BenchResults, 'commit' | 'earlierRuns'> {
  const med = (m: Map<string, CaseResult>, id: string): number => {
    const r = m.get(id);
    if (r === undefined) throw new Error(`no result for ${id}`);
    return r.perCpuSecond.median;
  };
  const nodeVerify = med(main, RawCase.nodeVerify);
  const nodeSign = med(main, RawCase.nodeSign);
  const readerLimit = nodeVerify / 2;
  const reader = med(main, ReaderCase.mdlkit);
  const issue = med(main, IssuerCase.mdlkit);
  const readerVsPeer: Record<string, number> = {};
  const issuerVsPeer: Record<string, number> = {};
  const readerWithPeers = med(peers, ReaderCase.mdlkitWithPeers);
  const issueWithPeers = med(peers, IssuerCase.mdlkitWithPeers);
  for (const p of PEERS) {
    readerVsPeer[p] = readerWithPeers / med(peers, ReaderCase[p]);
    issuerVsPeer[p] = issueWithPeers / med(peers, IssuerCase[p]);
  }
  const cases: Record<string, CaseFigures> = {};
  for (const m of [main, holders, peers, scaling, batch]) {
    for (const [id, r] of m) if (!(id in cases)) cases[id] = { label: LABELS[id] ?? id, ...r };
  }
  for (const p of PEERS) {
    cases[ReaderCase[p]] = { ...cases[ReaderCase[p]]!, label: `${p} Verifier` };
    cases[IssuerCase[p]] = { ...cases[IssuerCase[p]]!, label: `${p} issue` };
  }
  const verifyRows: ScalingRow[] = [...verifyShapes].map(([label, shape]) => {
    const id = verifyScalingId(label);
    const perSecond = med(scaling, id);
    return {
      id,
      label,
      elements: shape.disclosed,
      portraitBytes: shape.portraitBytes,
      bytes: verifyResponses.get(label)!.deviceResponse.length,
      perSecond,
      microseconds: 1e6 / perSecond,
    };
  });
  const issueRows: ScalingRow[] = [...issueShapes].map(([label, shape]) => {
    const id = issueScalingId(label);
    const perSecond = med(scaling, id);
    return {
      id,
      label,
      elements: shape.issued,
      portraitBytes: shape.portraitBytes,
      bytes: 0,
      perSecond,
      microseconds: 1e6 / perSecond,
    };
  });
  const batchRow = (concurrency: number, faults: BatchFaults | undefined): BatchRow => {
    const id = batchId(concurrency, faults !== undefined);
    const r = batch.get(id)!.perWallSecond;
    const a = batchAttempts.get(id)!;
    return {
      id,
      concurrency,
      batchSize: mode.batchSize,
      perSecond: r.median,
      min: r.min,
      max: r.max,
      signAttemptsPerMso: a.signAttempts / a.msos,
      ...(faults === undefined ? {} : { faults, retry: FAULT_RETRY }),
    };
  };
  const batchRows: BatchRow[] = [
    ...mode.concurrencies.map((concurrency) => batchRow(concurrency, undefined)),
    batchRow(mode.faultConcurrency, BATCH_FAULTS),
  ];
  const readerVsLimit = reader / readerLimit;
  const readerFreshVsLimit = med(holders, ReaderCase.mdlkitFresh) / (med(holders, RawCase.nodeVerify) / 2);
  const issuerVsRawSign = issue / nodeSign;
  return {
    schema: 1,
    generatedAt: new Date().toISOString(),
    mode: mode.name,
    machine: machineInfo(loadStart),
    method: {
      ...mode.measure,
      primary: 'operations per CPU-second',
      batchRounds: mode.batchRounds,
      kmsLatencyMs: KMS_LATENCY_MS,
    },
    reference: {
      docType: REFERENCE_SHAPE.docType,
      elementsIssued: REFERENCE_SHAPE.issued,
      elementsDisclosed: REFERENCE_SHAPE.disclosed,
      portraitBytes: REFERENCE_SHAPE.portraitBytes,
      deviceResponseBytes: ref.deviceResponse.length,
      issuerSignedBytes: ref.issuerSigned.length,
      freshPoolSize,
    },
    peers: peerVersions(),
    limits: {
      nodeVerify,
      nodeSign,
      webCryptoVerify: med(main, RawCase.webVerify),
      webCryptoSign: med(main, RawCase.webSign),
      readerLimit,
    },
    ratios: {
      readerVsLimit,
      readerFreshVsLimit,
      issuerVsRawSign,
      readerVsPeer,
      issuerVsPeer,
    },
    // Issue #20's floors; issue #8's peer target.
    targets: {
      readerVsLimit: { target: 0.65, met: readerVsLimit >= 0.65 },
      readerFreshVsLimit: { target: 0.5, met: readerFreshVsLimit >= 0.5 },
      readerVsAuth0: { target: 15, met: (readerVsPeer['@auth0/mdl'] ?? 0) >= 15 },
      issuerVsRawSign: { target: 0.4, met: issuerVsRawSign >= 0.4 },
    },
    cases,
    scaling: { verify: verifyRows, issue: issueRows },
    batch: batchRows,
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
