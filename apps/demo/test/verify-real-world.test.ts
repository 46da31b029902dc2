/**
 * Issue 16 through the CLI: every real-world sample gets its manifest verdict from `mdlkit verify`
 * under the default policy (the library's default); warnings are printed and carried by `--json`;
 * under `--policy strict` the deviations fail with their codes. Without `--policy` the CLI gives the
 * library's default verdict on every sample (issue 15: the CLI defaulted to lenient, the library to
 * strict).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromHex } from '@mdlkit/core/cbor';
import { TrustStore } from '@mdlkit/pki';
import { verifyDeviceResponse } from '@mdlkit/reader';
import { describe, expect, it } from 'vitest';
import { mdlkit, VECTORS, verifyArgs } from './run-cli.js';

const REAL = path.join(VECTORS, 'real-world');

const sample = (id: string, transcript: string, trust: string, now: string, extra: string[] = []) =>
  verifyArgs(
    {
      deviceResponse: path.join(REAL, `${id}.device-response.hex`),
      sessionTranscript: path.join(REAL, transcript),
      trust: path.join(REAL, trust),
    },
    ['--now', now, ...extra],
  );
const google = (extra: string[] = []) =>
  sample(
    '00-google-test-mdl-android-handover',
    '00-google-test-mdl-android-handover.session-transcript.hex',
    '00-google-test-mdl-android-handover.ds.pem',
    '2024-01-30T09:00:00Z',
    extra,
  );
const payground = (extra: string[] = []) =>
  sample(
    '06-payground-oid4vp-dcapi',
    '06-payground-oid4vp-dcapi.session-transcript.hex',
    '06-payground-oid4vp-dcapi.ds.pem',
    '2025-06-10T23:59:59Z',
    extra,
  );
const auth0 = (n: 1 | 3, extra: string[] = []) =>
  sample(
    `auth0-example${n}`,
    `auth0-example${n}.session-transcript-bytes.hex`,
    'auth0-ny-dmv-issuer.pem',
    '2024-01-01T00:00:00Z',
    extra,
  );

describe('mdlkit verify on the real-world samples', () => {
  it('default policy: 00, 06 and auth0-example1 verify (exit 0); auth0-example3 does not (digest)', async () => {
    const [g, p, a1, a3] = await Promise.all([
      mdlkit(google(['--json'])),
      mdlkit(payground(['--json'])),
      mdlkit(auth0(1, ['--json'])),
      mdlkit(auth0(3, ['--json'])),
    ]);
    expect(g.code, g.stderr).toBe(0);
    expect(p.code, p.stderr).toBe(0);
    expect(a1.code, a1.stderr).toBe(0);
    expect(a3.code).toBe(1);
    const r1 = JSON.parse(a1.stdout);
    expect(r1.policy).toBe('interop');
    expect(r1.findings.map((f: { code: string }) => f.code)).toContain('ERR_CBOR_NON_PREFERRED');
    expect(r1.documents[0].findings.map((f: { code: string }) => f.code)).toEqual(
      expect.arrayContaining(['ERR_X509_EKU_MISSING', 'ERR_DEVICE_SIGNATURE_PAYLOAD_ATTACHED']),
    );
    const r3 = JSON.parse(a3.stdout);
    expect(r3.documents[0].checks.find((c: { id: string }) => c.id === 'value-digests')).toMatchObject({
      status: 'failed',
      code: 'ERR_MSO_DIGEST_MISMATCH',
    });
    expect(JSON.parse(g.stdout).sessionTranscript.handover).toBe('android-v1');
  });

  it('--json carries every finding: the element entries of the two mistyped auth0 values say so', async () => {
    const run = await mdlkit(auth0(1, ['--json']));
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout).documents[0];
    const flagged = doc.elements.filter((e: { findings?: unknown[] }) => e.findings !== undefined);
    expect(flagged.map((e: { identifier: string }) => e.identifier).sort()).toEqual([
      'driving_privileges',
      'portrait',
    ]);
    for (const e of flagged) {
      expect(e.verified).toBe(true);
      expect(e.findings).toEqual([
        expect.objectContaining({ code: 'ERR_DATA_ELEMENT_TYPE', severity: 'warning', source: 'schema' }),
      ]);
    }
    // The document findings hold them too, beside the certificate and device-auth findings.
    const codes = doc.findings.map((f: { code: string }) => f.code);
    expect(codes.filter((c: string) => c === 'ERR_DATA_ELEMENT_TYPE')).toHaveLength(2);
    expect(doc.checks.find((c: { id: string }) => c.id === 'element-types')).toMatchObject({
      status: 'passed',
    });
    // Under strict the same values fail element-types (with the encoding allowed, so the report is reached).
    const strict = await mdlkit(auth0(1, ['--policy', 'strict', '--non-preferred', 'on', '--json']));
    expect(strict.code).toBe(1);
    expect(
      JSON.parse(strict.stdout).documents[0].checks.find((c: { id: string }) => c.id === 'element-types'),
    ).toMatchObject({ status: 'failed', code: 'ERR_DATA_ELEMENT_TYPE' });
  });

  it('a wrong transcript fails device-auth with ERR_DEVICE_SIGNATURE_INVALID through the CLI', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mdlkit-rw-'));
    try {
      const hex = readFileSync(
        path.join(REAL, '06-payground-oid4vp-dcapi.session-transcript.hex'),
        'utf8',
      ).trim();
      const last = (Number.parseInt(hex.slice(-2), 16) ^ 1).toString(16).padStart(2, '0');
      const wrong = path.join(dir, 'wrong-transcript.hex');
      writeFileSync(wrong, `${hex.slice(0, -2)}${last}\n`);
      const args = payground(['--json']);
      args[args.indexOf('--session-transcript') + 1] = wrong;
      const run = await mdlkit(args);
      expect(run.code).toBe(1);
      const doc = JSON.parse(run.stdout).documents[0];
      expect(doc.checks.find((c: { id: string }) => c.id === 'device-auth')).toMatchObject({
        status: 'failed',
        code: 'ERR_DEVICE_SIGNATURE_INVALID',
      });
      expect(doc.elements.every((e: { verified: boolean }) => !e.verified)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints the warnings without --json', async () => {
    const run = await mdlkit(auth0(1));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/warning: ERR_CBOR_NON_PREFERRED/);
    expect(run.stdout).toMatch(/warning: document 0 ERR_X509_EKU_MISSING/);
    expect(run.stdout).toContain('with the interop policy');
    // A mistyped element is marked 'warn', never a clean 'ok'.
    expect(run.stdout).toMatch(/^\s*warn\s+issuer\s+portrait\b/m);
    expect(run.stdout).toMatch(/^\s*ok\s+issuer\s+family_name\b/m);
  });

  it('--policy strict: the profile deviation and the encoding fail with their codes', async () => {
    const [g, a1, a1lenient] = await Promise.all([
      mdlkit(google(['--policy', 'strict', '--json'])),
      mdlkit(auth0(1, ['--policy', 'strict', '--json'])),
      mdlkit(auth0(1, ['--policy', 'strict', '--non-preferred', 'on', '--json'])),
    ]);
    expect(g.code).toBe(1);
    expect(
      JSON.parse(g.stdout).documents[0].checks.find((c: { id: string }) => c.id === 'ds-certificate-path'),
    ).toMatchObject({
      status: 'failed',
      code: 'ERR_X509_PROFILE_VIOLATION',
    });
    expect(a1.code).not.toBe(0);
    expect(`${a1.stdout}${a1.stderr}`).toContain('ERR_CBOR_NON_PREFERRED');
    expect(a1lenient.code).toBe(1);
    const errors = JSON.parse(a1lenient.stdout)
      .documents[0].findings.filter((f: { severity: string }) => f.severity === 'error')
      .map((f: { code: string }) => f.code);
    expect(errors).toContain('ERR_X509_EKU_MISSING');
  });

  it('--non-preferred off under the default policy refuses the auth0 sample', async () => {
    const run = await mdlkit(auth0(1, ['--non-preferred', 'off', '--json']));
    expect(run.code).not.toBe(0);
    expect(`${run.stdout}${run.stderr}`).toContain('ERR_CBOR_NON_PREFERRED');
  });
});

describe('one default policy for the CLI and the library', () => {
  /** A verdict: verified, the failed checks with their codes, or the code of a refusal. */
  type Verdict = { verified: boolean; failed?: string[]; refused?: string };
  const verdictOf = (r: {
    verified: boolean;
    readonly documents: readonly {
      readonly checks: readonly { id: string; status: string; code?: string }[];
    }[];
  }): Verdict => ({
    verified: r.verified,
    failed: r.documents.flatMap((d) =>
      d.checks.filter((c) => c.status === 'failed').map((c) => `${c.id} ${c.code}`),
    ),
  });
  const read = (file: string) => readFileSync(path.join(REAL, file), 'utf8').trim();
  const cases = [
    ['00-google-test-mdl-android-handover', google(['--json']), 'session-transcript', 'pinned'],
    ['06-payground-oid4vp-dcapi', payground(['--json']), 'session-transcript', 'pinned'],
    ['auth0-example1', auth0(1, ['--json']), 'session-transcript-bytes', 'anchor'],
    ['auth0-example3', auth0(3, ['--json']), 'session-transcript-bytes', 'anchor'],
  ] as const;

  it.each(cases)(
    '%s: mdlkit verify without --policy gives the library default verdict',
    async (id, args, transcript, kind) => {
      const run = await mdlkit(args);
      const json = JSON.parse(run.stdout);
      const cli: Verdict = json.error ? { verified: false, refused: json.error.code } : verdictOf(json);
      const pem = read(args[args.indexOf('--trust') + 1]!.split('/').at(-1)!);
      const trust = kind === 'anchor' ? new TrustStore([pem]) : new TrustStore();
      if (kind === 'pinned') trust.addPinned(pem);
      let lib: Verdict;
      try {
        lib = verdictOf(
          await verifyDeviceResponse(fromHex(read(`${id}.device-response.hex`)), {
            trust,
            now: new Date(args[args.indexOf('--now') + 1]!),
            sessionTranscript: fromHex(read(`${id}.${transcript}.hex`)),
          }),
        );
      } catch (e) {
        lib = { verified: false, refused: (e as { code?: string }).code ?? String(e) };
      }
      expect(cli).toEqual(lib);
    },
  );
});
