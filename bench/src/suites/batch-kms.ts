import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { awsClientDefaults, createKmsSigner } from '@mdlkit/aws-kms';
import { generateKeyPair, type PublicKey, randomBytes } from '@mdlkit/core/crypto';
import { issueBatch } from '@mdlkit/issuer';
import { buildDocumentSignerCertificate } from '@mdlkit/pki';
import { type BenchIssuer, issueOptions, REFERENCE_SHAPE } from '../fixtures/reference.js';
import type { BenchCase } from '../harness.js';

/** A KMS emulator running in its own process (KMS is a remote service; it must not share our event loop). */
export interface EmulatorProcess {
  readonly endpoint: string;
  readonly region: string;
  close(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Starts the project's AWS emulator CLI (`packages/aws-emulator/src/cli.ts`) in a child process on a
 * free port, with a fixed latency added to every call to stand in for the network round trip.
 */
export async function startEmulatorProcess(
  latencyMs: number,
  extraArgs: readonly string[] = [],
): Promise<EmulatorProcess> {
  const cli = path.resolve(here, '../../../packages/aws-emulator/src/cli.ts');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=@mdlkit/source',
      cli,
      '--port',
      '0',
      '--latency',
      String(latencyMs),
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], cwd: path.resolve(here, '../..') },
  );
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the emulator exited (${code}) before it was ready`)));
    lines.once('line', resolve);
  });
  const ready = JSON.parse(first) as { endpoint?: string; url?: string; region?: string };
  const endpoint = ready.endpoint ?? ready.url;
  if (endpoint === undefined) throw new Error('the emulator did not report its endpoint');
  return {
    endpoint,
    region: ready.region ?? 'us-east-1',
    close: () =>
      new Promise((resolve) => {
        lines.close();
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A batch case id (`faults`: the run against an emulator that throttles and resets Sign calls). */
export const batchId = (concurrency: number, faults = false): string =>
  `batch.kms.${faults ? 'faults.' : ''}c${concurrency}`;

/** Faults the emulator injects into Sign calls for the faulted batch (`--throttle-rate`, `--reset-rate`). */
export interface BatchFaults {
  /** Fraction of Sign calls answered ThrottlingException. */
  readonly throttleRate: number;
  /** Fraction of Sign calls whose connection is dropped unanswered (ECONNRESET at the client). */
  readonly resetRate: number;
}

/** The emulator CLI arguments for `faults`, limited to Sign. */
export function faultArgs(faults: BatchFaults): string[] {
  return [
    '--throttle-rate',
    String(faults.throttleRate),
    '--reset-rate',
    String(faults.resetRate),
    '--operations',
    'Sign',
    '--seed',
    '19',
  ];
}

/** Sign requests the SDK sent (one audit record per HTTP attempt) and MSOs issued, per case. */
export interface BatchAttempts {
  readonly msos: number;
  readonly signAttempts: number;
}

/**
 * The retry layer of the faulted batch's client, sized as docs/aws.md advises a batch issuer that
 * must not lose MSOs in a quota event. With the defaults (adaptive, 5 attempts, the SDK's 500-token
 * budget) MSOs are lost at 30 % throttling and 2 % resets: the budget runs dry (docs/aws.md: 149 of
 * 10,000), and 5 attempts alone fail one call in 0.32^5 ≈ 300. 10 attempts fail one in
 * 0.32^10 ≈ 90,000; the budget is docs/aws.md's 20,000 tokens. `standard`, because the emulator
 * throttles a fixed share of calls whatever the rate: the adaptive rate limiter, which finds the
 * rate under a real quota, here only slows the client until calls pass the signer's deadline
 * (measured: 97 of 128 MSOs signed in 97 s, the rest ERR_SIGNER_TIMEOUT after one attempt;
 * standard: 128 of 128 in 11 s, 1.45 Sign requests per MSO).
 */
export const FAULT_RETRY = { mode: 'standard', maxAttempts: 10, retryBudget: 20_000 } as const;

/**
 * Batch issuance through the KMS signer (real `@aws-sdk/client-kms` → emulator, DIGEST mode):
 * `issueBatch` of `size` reference MSOs, fresh device key each, at each in-flight bound.
 */
export async function batchCases(
  issuer: BenchIssuer,
  emulator: EmulatorProcess,
  size: number,
  concurrencies: readonly number[],
  options: { readonly faults?: boolean } = {},
): Promise<{ cases: BenchCase[]; client: KMSClient; attempts: (id: string) => BatchAttempts }> {
  const client = new KMSClient({
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' },
    ...awsClientDefaults(options.faults === true ? FAULT_RETRY : {}),
  });
  const created = await client.send(
    new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
  );
  // Every SDK attempt leaves one audit record (the one retry layer's middleware): counted per case.
  let signAttempts = 0;
  const signer = await createKmsSigner({
    client,
    keyId: created.KeyMetadata!.Arn!,
    audit: (record) => {
      if (record.operation === 'Sign') signAttempts++;
    },
  });
  const counts = new Map<string, { msos: number; signAttempts: number }>();
  const dsDer = await buildDocumentSignerCertificate({
    subject: { commonName: 'mdlkit bench KMS DS' },
    publicKey: signer.publicKey,
    issuer: { certificate: issuer.iacaDer, signer: issuer.iacaSigner },
    crlDistributionPoint: 'https://example.com/iaca.crl',
    notBefore: new Date(issuer.now.getTime() - 86_400_000),
    notAfter: new Date(issuer.now.getTime() + 365 * 86_400_000),
    randomBytes,
  });
  const deviceKeys: PublicKey[] = [];
  for (let i = 0; i < size; i++) deviceKeys.push(generateKeyPair({ curve: 'P-256' }).publicKey);
  const { deviceKey: _unused, ...base } = issueOptions(issuer, REFERENCE_SHAPE, deviceKeys[0]!);
  const cases = concurrencies.map((concurrency): BenchCase => {
    const id = batchId(concurrency, options.faults === true);
    const count = { msos: 0, signAttempts: 0 };
    counts.set(id, count);
    return {
      id,
      opsPerCall: size,
      minCalls: 1,
      run: async () => {
        const before = signAttempts;
        const { summary } = await issueBatch({
          ...base,
          signer,
          dsCertificate: dsDer,
          deviceKeys,
          concurrency,
        });
        count.msos += summary.succeeded;
        count.signAttempts += signAttempts - before;
        return summary.succeeded === size && summary.failed === 0;
      },
    };
  });
  const attempts = (id: string): BatchAttempts => {
    const count = counts.get(id);
    if (count === undefined) throw new Error(`no batch case ${id}`);
    return { ...count };
  };
  return { cases, client, attempts };
}
