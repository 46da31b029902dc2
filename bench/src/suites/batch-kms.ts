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
export async function startEmulatorProcess(latencyMs: number): Promise<EmulatorProcess> {
  const cli = path.resolve(here, '../../../packages/aws-emulator/src/cli.ts');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@mdlkit/source', cli, '--port', '0', '--latency', String(latencyMs)],
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

/** A batch case id. */
export const batchId = (concurrency: number): string => `batch.kms.c${concurrency}`;

/**
 * Batch issuance through the KMS signer (real `@aws-sdk/client-kms` → emulator, DIGEST mode):
 * `issueBatch` of `size` reference MSOs, fresh device key each, at each in-flight bound.
 */
export async function batchCases(
  issuer: BenchIssuer,
  emulator: EmulatorProcess,
  size: number,
  concurrencies: readonly number[],
): Promise<{ cases: BenchCase[]; client: KMSClient }> {
  const client = new KMSClient({
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' },
    ...awsClientDefaults(),
  });
  const created = await client.send(
    new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
  );
  const signer = await createKmsSigner({ client, keyId: created.KeyMetadata!.Arn! });
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
  const cases = concurrencies.map(
    (concurrency): BenchCase => ({
      id: batchId(concurrency),
      opsPerCall: size,
      minCalls: 1,
      run: async () => {
        const { summary } = await issueBatch({
          ...base,
          signer,
          dsCertificate: dsDer,
          deviceKeys,
          concurrency,
        });
        return summary.succeeded === size && summary.failed === 0;
      },
    }),
  );
  return { cases, client };
}
