import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fromHex } from '@mdlkit/core/cbor';
import { isMdlError } from '@mdlkit/core/errors';
import { lintCertificate, pemToDer, TrustStore, validateCertificatePath, verifyVical } from '@mdlkit/pki';
import { assertVerified, verifyDeviceResponse } from '@mdlkit/reader';
import { buildVerifierOptions, loadNegativeCases, type NegativeCase } from '@mdlkit/test-vectors';
import { CheckFailure, expectThat, type VectorCheck } from './check.js';

/** AAMVA VICAL of 2025-11-18: accepted on its day, stale after nextUpdate, rejected after the signer expires. */
export function aamvaVicalChecks(vectorsDir: string): VectorCheck[] {
  const dir = path.join(vectorsDir, 'aamva-vical');
  if (!existsSync(dir)) return [];
  const vical = (): Uint8Array =>
    fromHex(readFileSync(path.join(dir, 'aamva-vical-2025-11-18.hex'), 'utf8').trim());
  const trust = (): TrustStore =>
    new TrustStore([readFileSync(path.join(dir, 'aamva-dts-root-ca.pem'), 'utf8')]);
  const at = (iso: string) => verifyVical({ vical: vical(), trustStore: trust(), now: new Date(iso) });
  const suite = 'aamva-vical';
  return [
    {
      suite,
      id: 'accept',
      clause: 'Annex C',
      title: 'VICAL accepted at 2025-11-18T20:00Z: 14 IACAs, signer chain to the DTS root',
      run: async () => {
        const r = await at('2025-11-18T20:00:00Z');
        expectThat(r.valid, `not valid: ${r.findings.map((x) => x.code).join(', ')}`);
        expectThat(r.vical.certificateInfos.length === 14, `${r.vical.certificateInfos.length} entries`);
      },
    },
    {
      suite,
      id: 'stale',
      clause: 'Annex C (nextUpdate)',
      title: 'VICAL stale after nextUpdate 2025-11-19T18:38:12Z',
      run: async () => {
        const r = await at('2025-11-20T00:00:00Z');
        expectThat(
          r.stale && r.findings.some((x) => x.code === 'ERR_VICAL_STALE'),
          'expected ERR_VICAL_STALE',
        );
      },
    },
    {
      suite,
      id: 'signer-expired',
      clause: 'Annex C, C.1.8',
      title: 'VICAL rejected after the signer certificate expires (2026-04-18)',
      run: async () => {
        const r = await at('2026-05-01T00:00:00Z');
        expectThat(
          !r.valid && r.findings.some((x) => x.code === 'ERR_VICAL_UNTRUSTED'),
          'expected ERR_VICAL_UNTRUSTED',
        );
      },
    },
  ];
}

/** Annex B certificate-profile samples: a valid IACA → DS pair and the chains that must be rejected. */
export function profileSampleChecks(vectorsDir: string): VectorCheck[] {
  const dir = path.join(vectorsDir, 'pki-profile-samples');
  if (!existsSync(dir)) return [];
  const cert = (name: string): Uint8Array => pemToDer(readFileSync(path.join(dir, name), 'utf8'));
  const now = new Date('2024-06-01T00:00:00Z');
  const suite = 'pki-samples';
  const path1 = (chain: string[], profile: 'ds' = 'ds') =>
    validateCertificatePath({
      chain: chain.map(cert),
      trustStore: new TrustStore([cert('isomdl-iaca-root.pem')]),
      now,
      profile,
      policy: 'strict',
    });
  return [
    {
      suite,
      id: 'isomdl-ds-valid',
      clause: 'B.1.1, B.1.3',
      title: 'isomdl IACA → DS is a valid pair at 2024-06-01 (strict); the DS lints clean',
      run: async () => {
        const r = await path1(['isomdl-ds.pem']);
        expectThat(r.valid, `path invalid: ${r.findings.map((x) => x.code).join(', ')}`);
        const lint = lintCertificate(cert('isomdl-ds.pem'), { issuer: cert('isomdl-iaca-root.pem') });
        expectThat(lint.ok, `DS lint: ${lint.findings.map((x) => x.rule).join(', ')}`);
      },
    },
    {
      suite,
      id: 'ds-ca-true-rejected',
      clause: 'B.1.3 (basicConstraints)',
      title: 'a DS with CA:TRUE is rejected and linted as an error',
      run: async () => {
        const r = await path1(['isomdl-ds-ca-true.pem']);
        expectThat(!r.valid, 'expected the CA:TRUE DS to be rejected');
        const lint = lintCertificate(cert('isomdl-ds-ca-true.pem'), { profile: 'ds' });
        expectThat(!lint.ok, 'expected lint errors');
      },
    },
    {
      suite,
      id: 'intermediate-rejected',
      clause: '9.3.3 (no intermediates), B.1.1',
      title: 'a chain through an intermediate CA is rejected',
      run: async () => {
        const r = await path1(['isomdl-leaf-under-intermediate.pem', 'isomdl-intermediate.pem']);
        expectThat(!r.valid, 'expected the chain through an intermediate to be rejected');
      },
    },
  ];
}

async function runCase(c: NegativeCase): Promise<void> {
  const e = c.expect;
  let report: Awaited<ReturnType<typeof verifyDeviceResponse>>;
  try {
    // The catalogue's own loader: it verifies a case's VICAL first and throws its code, as a reader app would.
    report = await verifyDeviceResponse(fromHex(c.deviceResponse), await buildVerifierOptions(c.options));
  } catch (err) {
    if ('throws' in e && isMdlError(err) && err.code === e.throws) return;
    throw err;
  }
  if ('throws' in e) throw new CheckFailure(`expected ${e.throws} to be thrown, got a report`);
  if ('verified' in e) {
    const failed = report.documents.flatMap((d) => d.checks.filter((x) => x.status === 'failed'));
    expectThat(report.verified, `not verified: ${failed.map((x) => `${x.id} ${x.code}`).join(', ')}`);
    return;
  }
  if ('assert' in e) {
    expectThat(!report.verified, 'expected the report not to verify');
    try {
      assertVerified(report);
    } catch (err) {
      if (isMdlError(err) && err.code === e.assert) return;
      throw new CheckFailure(
        `assertVerified threw ${isMdlError(err) ? err.code : String(err)}, expected ${e.assert}`,
      );
    }
    throw new CheckFailure('assertVerified did not throw');
  }
  const check = report.documents[0]?.checks.find((x) => x.id === e.check);
  const status = e.status ?? 'failed';
  expectThat(
    check?.status === status && check.code === e.code,
    `${e.check}: got ${check?.status ?? 'absent'} ${check?.code ?? ''}, expected ${status} ${e.code}`,
  );
}

/**
 * The project's own vectors: the negative catalogue in `test-vectors/negative/*.json` (read with
 * the catalogue's own loader), each run through `verifyDeviceResponse` and compared with the error
 * code it names.
 */
export function negativeCatalogueChecks(repoRoot: string | undefined): VectorCheck[] {
  if (repoRoot === undefined) return [];
  const dir = path.join(repoRoot, 'test-vectors', 'negative');
  if (!existsSync(dir)) return [];
  let cases: NegativeCase[];
  try {
    cases = loadNegativeCases(dir);
  } catch (e) {
    return [
      {
        suite: 'negative',
        id: 'catalogue',
        clause: '',
        title: 'read the negative catalogue',
        run: () => {
          throw new CheckFailure(`cannot read ${dir}: ${(e as Error).message}`);
        },
      },
    ];
  }
  return cases.map((c) => ({
    suite: 'negative',
    id: c.id,
    clause: c.clause,
    title: c.title,
    run: () => runCase(c),
  }));
}
