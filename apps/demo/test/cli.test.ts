/**
 * The CLI as a user runs it: every test spawns `mdlkit` as a separate Node process (the TypeScript
 * entry through tsx with the `@mdlkit/source` condition, so no build is needed) and checks the
 * exit code and the output, human or `--json`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ANNEX_D,
  annexDVerifyArgs,
  NODE_ARGS,
  ROOT,
  type Run,
  mdlkit as runMdlkit,
  VECTORS,
  verifyArgs,
} from './run-cli.js';

const SAMPLES = path.join(VECTORS, 'pki-profile-samples');
const AAMVA = path.join(VECTORS, 'aamva-vical');

/** `mdlkit …args` in `cwd`; `MDLKIT_INVOKED_AS` unset, so the hints name the command as a user's run would. */
const mdlkit = (
  args: readonly string[],
  cwd: string = ROOT,
  env: Record<string, string> = {},
): Promise<Run> => runMdlkit(args, { cwd, env: { MDLKIT_INVOKED_AS: '', ...env } });

const json = (run: Run): any => JSON.parse(run.stdout);

let work: string;
let demoOut: string;
let demo: Run;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'mdlkit-cli-'));
  demoOut = path.join(work, 'demo');
  demo = await mdlkit(['demo', '--out', demoOut, '--batch', '8', '--json']);
}, 180_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('usage', () => {
  const names = [
    'demo',
    'issue',
    'request',
    'present',
    'verify',
    'inspect',
    'vectors',
    'lint-cert',
    'vical',
    'crl',
    'emulator',
  ];

  it('every command prints --help and exits 0; the overview lists them all', async () => {
    const runs = await Promise.all([...names.map((n) => mdlkit([n, '--help'])), mdlkit(['--help'])]);
    names.forEach((name, i) => {
      expect(runs[i]!.code, name).toBe(0);
      expect(runs[i]!.stdout).toContain(`mdlkit ${name}`);
      expect(runs[i]!.stdout).toContain('Exit codes');
    });
    const overview = runs[names.length]!;
    expect(overview.code).toBe(0);
    for (const name of names) expect(overview.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
  });

  it('no command, an unknown command, an unknown option or a missing value exit 2', async () => {
    const [none, unknown, option, missing, badChoice] = await Promise.all([
      mdlkit([]),
      mdlkit(['frobnicate']),
      mdlkit(['verify', '--no-such-option']),
      mdlkit(['verify', '--trust', path.join(ANNEX_D, 'iaca-cert.pem')]),
      mdlkit(['verify', '--device-response', 'x', '--trust', 'y', '--policy', 'sloppy']),
    ]);
    expect(none.code).toBe(2);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    expect(option.code).toBe(2);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--device-response is required');
    expect(badChoice.code).toBe(2);
    expect(badChoice.stderr).toContain('--policy must be one of');
  });
});

describe('demo', () => {
  it('runs the whole story on the embedded emulator and exits 0', () => {
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
    const report = json(demo);
    expect(report.ok).toBe(true);
    expect(report.steps.map((s: { id: string }) => s.id)).toEqual([
      'iaca',
      'document-signer',
      'issue',
      'batch',
      'reader-setup',
      'engagement',
      'request',
      'response',
      'verify',
      'revocation',
      'holder-record',
      'online',
      'vectors',
    ]);
    expect(report.steps.every((s: { status: string }) => s.status === 'passed')).toBe(true);
    // the folder explains itself, and holds the verification as a page
    const readme = readFileSync(path.join(demoOut, 'README.md'), 'utf8');
    expect(readme).toContain('| `device-response.cbor` |');
    expect(readme).toContain('verify --device-response device-response.cbor');
    expect(readFileSync(path.join(demoOut, 'report.html'), 'utf8')).toContain(
      '<h1 class="verdict pass">VERIFIED</h1>',
    );
    // the AWS story went through the SDK: the IACA, the DS certificate and one Sign per MSO
    expect(report.awsCalls['acm-pca:CreateCertificateAuthority']).toBe(1);
    expect(report.awsCalls['kms:Sign']).toBeGreaterThanOrEqual(9);
    // the holder record: sealed under a KMS key-encryption key, opened once, shredded, refused
    expect(report.awsCalls['kms:GenerateDataKey']).toBe(1);
    expect(report.awsCalls['kms:Decrypt']).toBe(1);
    const holder = report.steps.find((s: { id: string }) => s.id === 'holder-record');
    expect(holder.notes.join('\n')).toMatch(/re-issuing now fails: ERR_HOLDER_RECORD_SHREDDED/);
    // the revoked batch member failed on exactly the MSO revocation check
    const revoked = report.revokedVerification.documents[0].checks.filter(
      (c: { status: string }) => c.status === 'failed',
    );
    expect(revoked.map((c: { id: string; code: string }) => [c.id, c.code])).toEqual([
      ['mso-revocation', 'ERR_MSO_REVOKED'],
    ]);
  });

  it("the commands in the output folder's README work pasted inside that folder", async () => {
    const readme = readFileSync(path.join(demoOut, 'README.md'), 'utf8').replace(/\\\n\s*/g, ' ');
    const argsOf = (command: string): string[] => {
      const span =
        new RegExp(`\`([^\`\\n]* ${command} [^\`\\n]*)\``).exec(readme)?.[1] ??
        readme.split('\n').find((l) => l.startsWith('    ') && l.includes(` ${command} `));
      expect(span, command).toBeDefined();
      const words = span!.trim().split(/\s+/);
      return words.slice(words.indexOf(command));
    };
    const verifyArgs = argsOf('verify');
    expect(verifyArgs).toContain('device-response.cbor');
    // as `pnpm mdlkit …` typed inside the folder runs it: started in the root, INIT_CWD the folder
    const inFolder = { npm_lifecycle_event: 'mdlkit', INIT_CWD: demoOut };
    const [inspected, verified] = await Promise.all([
      mdlkit(argsOf('inspect'), ROOT, inFolder),
      mdlkit(verifyArgs, ROOT, inFolder),
    ]);
    expect(inspected.code, inspected.stderr).toBe(0);
    expect(inspected.stdout).toContain('DeviceResponse');
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/^VERIFIED/);
  });

  it('writes the artifacts the issue lists', () => {
    for (const name of [
      'iaca.pem',
      'ds.pem',
      'reader-root.pem',
      'reader.pem',
      'device-response.cbor',
      'session-transcript.cbor',
      'device-request.cbor',
      'status-list.cwt',
      'status-list-signer.pem',
      'report.json',
    ]) {
      expect(existsSync(path.join(demoOut, name)), name).toBe(true);
    }
    // SessionTranscriptBytes: tag 24 (d8 18) around a byte string
    const st = readFileSync(path.join(demoOut, 'session-transcript.cbor'));
    expect([st[0], st[1]]).toEqual([0xd8, 0x18]);
    expect(readFileSync(path.join(demoOut, 'iaca.pem'), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });
});

describe('verify', () => {
  const annexD = annexDVerifyArgs;

  it("the demo's own artifacts verify (strict policy, status list), with the report as --json", async () => {
    const args = verifyArgs(
      {
        deviceResponse: path.join(demoOut, 'device-response.cbor'),
        sessionTranscript: path.join(demoOut, 'session-transcript.cbor'),
        trust: path.join(demoOut, 'iaca.pem'),
      },
      ['--status-list', path.join(demoOut, 'status-list.cwt'), '--policy', 'strict'],
    );
    const [human, machine] = await Promise.all([mdlkit(args), mdlkit([...args, '--json'])]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('VERIFIED: DeviceResponse 1.0');
    expect(machine.code).toBe(0);
    const report = json(machine);
    expect(report.verified).toBe(true);
    const [doc] = report.documents;
    expect(doc.docType).toBe('org.iso.18013.5.1.mDL');
    expect(doc.deviceAuthMethod).toBe('signature');
    for (const check of doc.checks) {
      expect(Object.keys(check)).toEqual(expect.arrayContaining(['id', 'status', 'message']));
    }
    const status = Object.fromEntries(
      doc.checks.map((c: { id: string; status: string }) => [c.id, c.status]),
    );
    expect(status).toMatchObject({
      'device-auth': 'passed',
      'mso-revocation': 'passed',
      'value-digests': 'passed',
    });
    // exactly the requested elements, nothing more (selective disclosure)
    expect(doc.elements.map((e: { identifier: string }) => e.identifier).sort()).toEqual([
      'age_over_21',
      'family_name',
      'given_name',
      'issuing_country',
      'issuing_jurisdiction',
      'portrait',
    ]);
    expect(doc.elements[0]).toMatchObject({
      nameSpace: 'org.iso.18013.5.1',
      source: 'issuer',
      verified: true,
    });
  });

  it('the same artifacts as hex and base64url text verify too (input auto-detection)', async () => {
    const bytes = readFileSync(path.join(demoOut, 'device-response.cbor'));
    const st = readFileSync(path.join(demoOut, 'session-transcript.cbor'));
    writeFileSync(path.join(work, 'response.hex'), `${bytes.toString('hex')}\n`);
    writeFileSync(path.join(work, 'transcript.b64u'), st.toString('base64url'));
    const run = await mdlkit(
      verifyArgs({
        deviceResponse: path.join(work, 'response.hex'),
        sessionTranscript: path.join(work, 'transcript.b64u'),
        trust: path.join(demoOut, 'iaca.pem'),
      }),
    );
    expect(run.code).toBe(0);
  });

  it('Annex D verifies at 2021-01-01 with the Annex D IACA and reader key (DeviceMac)', async () => {
    const run = await mdlkit(annexD(['--now', '2021-01-01T00:00:00Z', '--json']));
    expect(run.code).toBe(0);
    const report = json(run);
    expect(report.verified).toBe(true);
    expect(report.documents[0].deviceAuthMethod).toBe('mac');
    expect(report.documents[0].elements).toHaveLength(6);
  });

  it('Annex D without --now exits 1 and names the expired checks', async () => {
    const [human, machine] = await Promise.all([mdlkit(annexD([])), mdlkit(annexD(['--json']))]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain(
      'failed checks: ds-certificate-validity (ERR_X509_EXPIRED), mso-validity (ERR_MSO_EXPIRED)',
    );
    expect(machine.code).toBe(1);
    const failed = json(machine).documents[0].checks.filter((c: { status: string }) => c.status === 'failed');
    expect(failed.map((c: { id: string; code: string }) => [c.id, c.code])).toEqual([
      ['ds-certificate-validity', 'ERR_X509_EXPIRED'],
      ['mso-validity', 'ERR_MSO_EXPIRED'],
    ]);
  });

  it('Annex D under the strict policy fails the DS path (its certificates break Annex B)', async () => {
    const run = await mdlkit(annexD(['--now', '2021-01-01T00:00:00Z', '--policy', 'strict', '--json']));
    expect(run.code).toBe(1);
    const path0 = json(run).documents[0].checks.find((c: { id: string }) => c.id === 'ds-certificate-path');
    expect(path0).toMatchObject({ status: 'failed', code: 'ERR_X509_PROFILE_VIOLATION' });
  });

  it('garbage, a missing file and a certificate as the response exit 2', async () => {
    const garbage = path.join(work, 'garbage.bin');
    writeFileSync(
      garbage,
      Uint8Array.from({ length: 300 }, (_, i) => (i * 151 + 7) & 0xff),
    );
    const text = path.join(work, 'garbage.txt');
    writeFileSync(text, 'this is not a device response\n');
    const trust = ['--trust', path.join(ANNEX_D, 'iaca-cert.pem')];
    const runs = await Promise.all([
      mdlkit(['verify', '--device-response', garbage, ...trust]),
      mdlkit(['verify', '--device-response', text, ...trust]),
      mdlkit(['verify', '--device-response', path.join(work, 'missing.cbor'), ...trust]),
      mdlkit(['verify', '--device-response', path.join(ANNEX_D, 'ds-cert.pem'), ...trust]),
      mdlkit(['verify', '--device-response', path.join(ANNEX_D, 'device-response.hex'), '--trust', garbage]),
    ]);
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/^mdlkit verify: /);
      expect(run.stderr).not.toContain('unexpected error');
    }
  });
});

describe('lint-cert', () => {
  it('the isomdl DS under its IACA lints clean (exit 0, --json findings shape)', async () => {
    const run = await mdlkit([
      'lint-cert',
      path.join(SAMPLES, 'isomdl-ds.pem'),
      '--issuer',
      path.join(SAMPLES, 'isomdl-iaca-root.pem'),
      '--json',
    ]);
    expect(run.code).toBe(0);
    const out = json(run);
    expect(out.ok).toBe(true);
    expect(out.certificates).toHaveLength(1);
    expect(out.certificates[0]).toMatchObject({ profile: 'ds', ok: true, index: 0 });
  });

  it('a CA:TRUE DS and a negative serial are errors with rule id, severity, clause and message', async () => {
    const run = await mdlkit([
      'lint-cert',
      path.join(SAMPLES, 'isomdl-ds-ca-true.pem'),
      path.join(SAMPLES, 'multipaz-ds-p256-by-p384.pem'),
      '--profile',
      'ds',
      '--json',
    ]);
    expect(run.code).toBe(1);
    const [caTrue, negative] = json(run).certificates;
    expect(caTrue.ok).toBe(false);
    expect(caTrue.findings.some((f: { rule: string }) => f.rule.startsWith('bc.'))).toBe(true);
    const serial = negative.findings.find((f: { rule: string }) => f.rule === 'serial.negative');
    expect(serial).toMatchObject({ severity: 'error' });
    expect(Object.keys(serial).sort()).toEqual(['clause', 'message', 'rule', 'severity']);
  });

  it('a folder is linted file by file; the human table names rule and clause', async () => {
    const run = await mdlkit(['lint-cert', SAMPLES]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/FAIL {2}.*isomdl-ds-ca-true\.pem/);
    expect(run.stdout).toMatch(/PASS {2}.*isomdl-iaca-root\.pem/);
    expect(run.stdout).toContain('severity');
    expect(run.stdout).toMatch(/certificate\(s\) pass 2021 Annex B/);
  });

  it('the demo certificates from ACM-PCA pass the strict profiles', async () => {
    const run = await mdlkit([
      'lint-cert',
      path.join(demoOut, 'ds.pem'),
      '--issuer',
      path.join(demoOut, 'iaca.pem'),
    ]);
    expect(run.code).toBe(0);
    const iaca = await mdlkit(['lint-cert', path.join(demoOut, 'iaca.pem'), '--json']);
    expect(json(iaca).certificates[0]).toMatchObject({ profile: 'iaca', ok: true });
    // the status-list signer also comes from the ACM-PCA IACA (ed2 Table B.9)
    const statusSigner = await mdlkit([
      'lint-cert',
      path.join(demoOut, 'status-list-signer.pem'),
      '--issuer',
      path.join(demoOut, 'iaca.pem'),
      '--profile',
      'status-list-signer',
      '--json',
    ]);
    expect(json(statusSigner).certificates[0]).toMatchObject({ profile: 'status-list-signer', ok: true });
  });
});

describe('vectors', () => {
  it('the Annex D suite, the samples, the AAMVA VICAL and the negative catalogue all pass', async () => {
    const [machine, human] = await Promise.all([
      mdlkit(['vectors', '--json']),
      mdlkit(['vectors', '--suite', 'annex-d']),
    ]);
    expect(machine.code).toBe(0);
    const out = json(machine);
    expect(out.ok).toBe(true);
    expect(out.suites['annex-d'].failed).toBe(0);
    expect(out.suites['annex-d'].passed).toBeGreaterThanOrEqual(14);
    expect(out.results[0]).toMatchObject({ suite: 'annex-d', status: 'passed' });
    expect(Object.keys(out.results[0])).toEqual(
      expect.arrayContaining(['suite', 'id', 'clause', 'title', 'status']),
    );
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/PASS {2}annex-d {2}device-response-accept/);
  });

  it('a missing vectors folder exits 2', async () => {
    const run = await mdlkit(['vectors', '--dir', path.join(work, 'nowhere')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('vectors folder not found');
  });
});

describe('vical and crl', () => {
  const vical = path.join(AAMVA, 'aamva-vical-2025-11-18.hex');
  const root = path.join(AAMVA, 'aamva-dts-root-ca.pem');

  it('the AAMVA VICAL is valid on its day, and not after its signer expired', async () => {
    const exportDir = path.join(work, 'iacas');
    const [ok, late] = await Promise.all([
      mdlkit([
        'vical',
        'verify',
        vical,
        '--trust',
        root,
        '--now',
        '2025-11-18T20:00:00Z',
        '--export-iacas',
        exportDir,
        '--json',
      ]),
      mdlkit(['vical', 'verify', vical, '--trust', root, '--now', '2026-05-01T00:00:00Z']),
    ]);
    expect(ok.code).toBe(0);
    const out = json(ok);
    expect(out.valid).toBe(true);
    expect(out.vical.vicalProvider).toBe('AAMVA');
    expect(out.vical.certificateInfos).toHaveLength(14);
    expect(existsSync(path.join(exportDir, 'iaca-14.pem'))).toBe(true);
    expect(late.code).toBe(1);
    expect(late.stdout).toContain('ERR_VICAL_UNTRUSTED');
  });

  it('creates an IACA CRL with the Annex D IACA key and checks the DS against it', async () => {
    const iaca = path.join(ANNEX_D, 'iaca-cert.pem');
    const key = path.join(ANNEX_D, 'iaca-private-key-d.hex');
    const ds = path.join(ANNEX_D, 'ds-cert.pem');
    const revokedCrl = path.join(work, 'revoked.crl');
    const emptyCrl = path.join(work, 'empty.crl');
    const window = ['--this-update', '2021-01-01T00:00:00Z', '--days', '30'];
    const [made, madeEmpty] = await Promise.all([
      mdlkit([
        'crl',
        'create',
        '--issuer',
        iaca,
        '--issuer-key',
        key,
        '--revoke',
        ds,
        '--out',
        revokedCrl,
        ...window,
        '--json',
      ]),
      mdlkit([
        'crl',
        'create',
        '--issuer',
        iaca,
        '--issuer-key',
        key,
        '--out',
        emptyCrl,
        '--crl-number',
        '2',
        ...window,
      ]),
    ]);
    expect(made.code, made.stderr).toBe(0);
    expect(json(made).revoked).toHaveLength(1);
    expect(madeEmpty.code, madeEmpty.stderr).toBe(0);
    const at = ['--now', '2021-01-10T00:00:00Z'];
    const [revoked, good, stale] = await Promise.all([
      mdlkit(['crl', 'check', '--cert', ds, '--crl', revokedCrl, '--issuer', iaca, ...at, '--json']),
      mdlkit(['crl', 'check', '--cert', ds, '--crl', emptyCrl, '--issuer', iaca, ...at]),
      mdlkit([
        'crl',
        'check',
        '--cert',
        ds,
        '--crl',
        emptyCrl,
        '--issuer',
        iaca,
        '--now',
        '2021-06-01T00:00:00Z',
      ]),
    ]);
    expect(revoked.code).toBe(1);
    expect(json(revoked)).toMatchObject({ status: 'revoked', code: 'ERR_CERT_REVOKED' });
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/^good: not revoked/);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toMatch(/^undetermined: /);
  });

  it('crl and vical without an action are usage errors', async () => {
    const [crl, vicalRun] = await Promise.all([mdlkit(['crl']), mdlkit(['vical', 'sign'])]);
    expect(crl.code).toBe(2);
    expect(vicalRun.code).toBe(2);
    expect(vicalRun.stderr).toContain("unknown action 'sign'");
  });
});

describe('emulator', () => {
  it('prints its endpoint as one JSON line, serves AWS JSON, and stops on SIGTERM with exit 0', async () => {
    const child: ChildProcess = spawn(process.execPath, [...NODE_ARGS, 'emulator', '--port', '0', '--json'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let buffer = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const end = buffer.indexOf('\n');
        if (end >= 0) resolve(buffer.slice(0, end));
      });
      child.on('exit', (code) => reject(new Error(`emulator exited early with ${code}`)));
    });
    const info = JSON.parse(line);
    expect(info.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const kms = new KMSClient({
      endpoint: info.endpoint,
      region: info.region,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    const listed = await kms.send(new ListKeysCommand({}));
    kms.destroy();
    expect(listed.Keys).toEqual([]);
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});
