import type { CaseResult, MeasureOptions } from './harness.js';

/** Machine and runtime the figures come from. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly logicalCpus: number;
  readonly totalMemoryGiB: number;
  readonly platform: string;
  readonly release: string;
  readonly arch: string;
  readonly node: string;
  readonly v8: string;
  readonly openssl: string;
  /** 1-minute load average at the start and the end of the run (other work on the machine). */
  readonly loadAverage: { readonly start: number; readonly end: number };
}

/** The headline ratios of an earlier full run (see {@link BenchResults.earlierRuns}). */
export interface EarlierRun {
  readonly generatedAt: string;
  readonly ratios: {
    readonly readerVsLimit: number;
    readonly readerFreshVsLimit: number;
    readonly issuerVsRawSign: number;
  };
}

/** One measured case. */
export interface CaseFigures extends CaseResult {
  readonly label: string;
}

/** Scaling rows (mdlkit only). */
export interface ScalingRow {
  readonly id: string;
  readonly label: string;
  readonly elements: number;
  readonly portraitBytes: number;
  /** Size of the DeviceResponse (verify) or IssuerSigned (issue), bytes. */
  readonly bytes: number;
  /** Median operations per CPU-second. */
  readonly perSecond: number;
  /** Median CPU microseconds per operation. */
  readonly microseconds: number;
}

/** Batch issuance through the KMS signer at one in-flight bound. */
export interface BatchRow {
  readonly id: string;
  readonly concurrency: number;
  readonly batchSize: number;
  /** Median MSOs per second, wall clock (the signer is remote: latency-bound). */
  readonly perSecond: number;
  readonly min: number;
  readonly max: number;
  /** Sign requests the SDK sent per MSO issued (every attempt, retries included; 1 without faults). */
  readonly signAttemptsPerMso: number;
  /** Present for the run against an emulator injecting these faults into Sign calls. */
  readonly faults?: { readonly throttleRate: number; readonly resetRate: number };
  /** The client's retry layer when it is not the default (`awsClientDefaults` options). */
  readonly retry?: { readonly mode: string; readonly maxAttempts: number; readonly retryBudget: number };
}

/** What `pnpm bench` writes to `bench/results.json`. */
export interface BenchResults {
  readonly schema: 1;
  readonly generatedAt: string;
  /** `git rev-parse --short=12 HEAD` of the measured checkout (`null` outside a git checkout). */
  readonly commit: string | null;
  readonly mode: 'full' | 'quick';
  readonly machine: MachineInfo;
  readonly method: MeasureOptions & {
    readonly primary: 'operations per CPU-second';
    readonly batchRounds: number;
    readonly kmsLatencyMs: number;
  };
  readonly reference: {
    readonly docType: string;
    readonly elementsIssued: number;
    readonly elementsDisclosed: number;
    readonly portraitBytes: number;
    readonly deviceResponseBytes: number;
    readonly issuerSignedBytes: number;
    readonly freshPoolSize: number;
  };
  readonly peers: Readonly<Record<string, string>>;
  readonly limits: {
    readonly nodeVerify: number;
    readonly nodeSign: number;
    readonly webCryptoVerify: number;
    readonly webCryptoSign: number;
    /** node:crypto verify rate ÷ 2 (two signatures per response once the DS chain is cached). */
    readonly readerLimit: number;
  };
  readonly ratios: {
    readonly readerVsLimit: number;
    /** The same, over responses from distinct holders (a fresh device key every time). */
    readonly readerFreshVsLimit: number;
    readonly issuerVsRawSign: number;
    readonly readerVsPeer: Readonly<Record<string, number>>;
    readonly issuerVsPeer: Readonly<Record<string, number>>;
  };
  /** Issue #20's floors (reader, distinct holders, issuer) and issue #8's peer target. */
  readonly targets: {
    readonly readerVsLimit: { readonly target: number; readonly met: boolean };
    readonly readerFreshVsLimit: { readonly target: number; readonly met: boolean };
    readonly readerVsAuth0: { readonly target: number; readonly met: boolean };
    readonly issuerVsRawSign: { readonly target: number; readonly met: boolean };
  };
  /**
   * The headline ratios of the earlier full runs of the same commit on the same Node version (newest
   * first, at most four), carried over from the `results.json` each run replaces, so a table can
   * state the targets from more than one run.
   */
  readonly earlierRuns: readonly EarlierRun[];
  readonly cases: Readonly<Record<string, CaseFigures>>;
  readonly scaling: { readonly verify: readonly ScalingRow[]; readonly issue: readonly ScalingRow[] };
  readonly batch: readonly BatchRow[];
}
