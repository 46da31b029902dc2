/**
 * `pnpm --filter @mdlkit/bench run bench:pkcs11`: a batch of 1,000 reference MSOs (`issueBatch`,
 * a fresh device key each) signed three ways in one process, side by side in alternating rounds —
 * a local P-256 key (node:crypto), the KMS signer against the project's emulator in its own process
 * (real `@aws-sdk/client-kms` over loopback HTTP, with and without 10 ms added per call), and the
 * PKCS#11 signer against SoftHSM (`CKM_ECDSA` through pkcs11js on Node's worker threads) at 1 and
 * 4 sessions. Writes `pkcs11-results.json` and prints the table docs/pkcs11.md quotes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { createKmsSigner } from '@mdlkit/aws-kms';
import { type AnyCoseSigner, generateKeyPair, type PublicKey, randomBytes } from '@mdlkit/core/crypto';
import { issueBatch } from '@mdlkit/issuer';
import {
  createPkcs11DsCertificate,
  createPkcs11Signer,
  generatePkcs11Key,
  openPkcs11Token,
  Pkcs11Module,
  type Pkcs11Token,
} from '@mdlkit/pkcs11';
import { buildDocumentSignerCertificate } from '@mdlkit/pki';
import { issueOptions, makeBenchIssuer, REFERENCE_SHAPE } from './fixtures/reference.js';
import { type BenchCase, type CaseResult, measureAlternating } from './harness.js';
import { startEmulatorProcess } from './suites/batch-kms.js';

const BATCH = Number(process.env['MDLKIT_BENCH_PKCS11_BATCH'] ?? 1000);
const ROUNDS = Number(process.env['MDLKIT_BENCH_PKCS11_ROUNDS'] ?? 3);
const CONCURRENCY = 16;
const SOFTHSM = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so'].find(
  (p) => existsSync(p),
);
const here = path.dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  if (SOFTHSM === undefined) throw new Error('SoftHSM is not installed (apt-get install softhsm2)');
  const issuer = await makeBenchIssuer();
  const deviceKeys: PublicKey[] = Array.from(
    { length: BATCH },
    () => generateKeyPair({ curve: 'P-256' }).publicKey,
  );
  const {
    deviceKey: _unused,
    signer: localSigner,
    dsCertificate: localDs,
    ...base
  } = issueOptions(issuer, REFERENCE_SHAPE, deviceKeys[0]!);
  const batchCase = (
    id: string,
    signer: AnyCoseSigner,
    dsCertificate: Uint8Array,
    concurrency: number,
  ): BenchCase => ({
    id,
    opsPerCall: BATCH,
    minCalls: 1,
    run: async () => {
      const { summary } = await issueBatch({ ...base, signer, dsCertificate, deviceKeys, concurrency });
      return summary.succeeded === BATCH && summary.failed === 0;
    },
  });

  // SoftHSM in a temporary token directory of its own
  const dir = mkdtempSync(path.join(tmpdir(), 'mdlkit-bench-softhsm-'));
  mkdirSync(path.join(dir, 'tokens'));
  const conf = path.join(dir, 'softhsm2.conf');
  writeFileSync(
    conf,
    `directories.tokendir = ${path.join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`,
  );
  process.env['SOFTHSM2_CONF'] = conf;
  const pin = '1357911';
  for (const label of ['bench-1', 'bench-4']) {
    execFileSync(
      'softhsm2-util',
      ['--init-token', '--free', '--label', label, '--so-pin', `so-${pin}`, '--pin', pin],
      {
        stdio: 'ignore',
      },
    );
  }
  const module = Pkcs11Module.load({ path: SOFTHSM });
  const emulator = await startEmulatorProcess(10);
  const fast = await startEmulatorProcess(0);
  const clients: KMSClient[] = [];
  const tokens: Pkcs11Token[] = [];
  try {
    const cases: BenchCase[] = [batchCase('local', localSigner, issuer.dsDer, CONCURRENCY)];
    for (const [id, em, concurrency] of [
      ['kms-0ms', fast, CONCURRENCY],
      ['kms-10ms', emulator, 64],
    ] as const) {
      const client = new KMSClient({
        endpoint: em.endpoint,
        region: em.region,
        credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' },
        maxAttempts: 1,
      });
      clients.push(client);
      const key = await client.send(
        new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
      );
      const signer = await createKmsSigner({ client, keyId: key.KeyMetadata!.Arn! });
      const ds = await buildDocumentSignerCertificate({
        subject: { commonName: 'mdlkit bench KMS DS' },
        publicKey: signer.publicKey,
        issuer: { certificate: issuer.iacaDer, signer: issuer.iacaSigner },
        crlDistributionPoint: 'https://example.com/iaca.crl',
        notBefore: new Date(issuer.now.getTime() - 86_400_000),
        notAfter: new Date(issuer.now.getTime() + 365 * 86_400_000),
        randomBytes,
      });
      cases.push(batchCase(id, signer, ds, concurrency));
    }
    for (const sessions of [1, 4]) {
      const token = await openPkcs11Token({
        module,
        tokenLabel: `bench-${sessions}`,
        pin,
        maxSessions: sessions,
      });
      tokens.push(token);
      await generatePkcs11Key({ token, curve: 'P-256', label: 'bench-ds' });
      const signer = await createPkcs11Signer({ token, key: { label: 'bench-ds' } });
      const { certificate } = await createPkcs11DsCertificate({
        signer,
        subject: { commonName: 'mdlkit bench HSM DS' },
        issuer: { certificate: issuer.iacaDer, signer: issuer.iacaSigner },
        crlDistributionPoint: 'https://example.com/iaca.crl',
        notBefore: new Date(issuer.now.getTime() - 86_400_000),
        notAfter: new Date(issuer.now.getTime() + 365 * 86_400_000),
        randomBytes,
      });
      cases.push(batchCase(`pkcs11-s${sessions}`, signer, certificate, CONCURRENCY));
    }
    const load = loadavg()[0]!;
    const results = await measureAlternating(cases, { rounds: ROUNDS, roundMs: 0, warmupMs: 0 });
    const row = (id: string, label: string): Record<string, unknown> => {
      const r = results.get(id) as CaseResult;
      return {
        id,
        label,
        wallMedian: Math.round(r.perWallSecond.median),
        wallMin: Math.round(r.perWallSecond.min),
        wallMax: Math.round(r.perWallSecond.max),
        cpuMedian: Math.round(r.perCpuSecond.median),
      };
    };
    const rows = [
      row('local', `local P-256 key (node:crypto), ${CONCURRENCY} in flight`),
      row('kms-0ms', `KMS signer → emulator, no added latency, ${CONCURRENCY} in flight`),
      row('kms-10ms', 'KMS signer → emulator, 10 ms per call, 64 in flight'),
      row('pkcs11-s1', `PKCS#11 → SoftHSM, 1 session, ${CONCURRENCY} in flight`),
      row('pkcs11-s4', `PKCS#11 → SoftHSM, 4 sessions, ${CONCURRENCY} in flight`),
    ];
    const out = {
      measured: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      loadAverageAtStart: load,
      loadAverageAtEnd: loadavg()[0],
      batch: BATCH,
      rounds: ROUNDS,
      rows,
    };
    writeFileSync(path.resolve(here, '../pkcs11-results.json'), `${JSON.stringify(out, null, 2)}\n`);
    console.log(
      `\n${BATCH} MSOs per batch, ${ROUNDS} rounds, Node ${process.version}, load ${load.toFixed(1)} → ${out.loadAverageAtEnd!.toFixed(1)}`,
    );
    console.log('| signer | MSOs/s (wall, median) | min–max | MSOs per CPU-second |');
    console.log('| --- | ---: | --- | ---: |');
    for (const r of rows)
      console.log(
        `| ${r['label']} | ${r['wallMedian']} | ${r['wallMin']}–${r['wallMax']} | ${r['cpuMedian']} |`,
      );
  } finally {
    for (const t of tokens) await t.close();
    await module.close();
    for (const c of clients) c.destroy();
    await emulator.close();
    await fast.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
