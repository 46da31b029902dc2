import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fromHex } from '@mdlkit/core/cbor';
import { type Curve, importPrivateKey } from '@mdlkit/core/crypto';
import { isMdlError } from '@mdlkit/core/errors';
import { lintCertificate, pemToDer, TrustStore, validateCertificatePath, verifyVical } from '@mdlkit/pki';
import { assertVerified, type VerifyDeviceResponseOptions, verifyDeviceResponse } from '@mdlkit/reader';
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

/** A negative-catalogue case file (`test-vectors/negative/<id>.json`), as the catalogue writes it. */
interface NegativeCaseFile {
  readonly id: string;
  readonly title: string;
  readonly clause: string;
  readonly deviceResponse: string;
  readonly options: {
    readonly now: string;
    readonly clockSkewSeconds?: number;
    readonly sessionTranscript: string | null;
    readonly eReaderKey?: { readonly curve: Curve; readonly d: string };
    readonly trustAnchors: readonly (
      | string
      | { readonly pem: string; readonly docTypes: readonly string[] }
    )[];
    readonly pinned?: readonly string[];
    readonly policy?: 'strict' | 'lenient';
    readonly ruleset?: 'iso' | 'aamva';
    readonly limits?: Record<string, number>;
    readonly revocation?: {
      readonly crls?: readonly string[];
      readonly statusLists?: Readonly<Record<string, string>>;
      readonly undeterminedPolicy?: 'accept' | 'reject';
    };
  };
  readonly expect:
    | { readonly throws: string }
    | { readonly check: string; readonly code: string; readonly status?: 'failed' | 'undetermined' }
    | { readonly assert: string }
    | { readonly verified: true };
}

function caseOptions(o: NegativeCaseFile['options']): VerifyDeviceResponseOptions {
  const trust = new TrustStore();
  for (const a of o.trustAnchors) {
    if (typeof a === 'string') trust.add(a);
    else trust.add(a.pem, { docTypes: a.docTypes });
  }
  for (const p of o.pinned ?? []) trust.addPinned(p);
  const rev = o.revocation;
  return {
    trust,
    now: new Date(o.now),
    sessionTranscript: o.sessionTranscript === null ? null : fromHex(o.sessionTranscript),
    ...(o.eReaderKey === undefined
      ? {}
      : {
          eReaderKey: importPrivateKey({
            format: 'raw',
            curve: o.eReaderKey.curve,
            d: fromHex(o.eReaderKey.d),
          }),
        }),
    ...(o.clockSkewSeconds === undefined ? {} : { clockSkewSeconds: o.clockSkewSeconds }),
    ...(o.policy === undefined ? {} : { policy: o.policy }),
    ...(o.ruleset === undefined ? {} : { ruleset: o.ruleset }),
    ...(o.limits === undefined ? {} : { limits: o.limits }),
    ...(rev === undefined
      ? {}
      : {
          revocation: {
            ...(rev.crls === undefined ? {} : { crls: rev.crls.map((c) => fromHex(c)) }),
            ...(rev.statusLists === undefined
              ? {}
              : { statusLists: new Map(Object.entries(rev.statusLists).map(([u, h]) => [u, fromHex(h)])) }),
            ...(rev.undeterminedPolicy === undefined ? {} : { undeterminedPolicy: rev.undeterminedPolicy }),
          },
        }),
  };
}

async function runCase(c: NegativeCaseFile): Promise<void> {
  const e = c.expect;
  let report: Awaited<ReturnType<typeof verifyDeviceResponse>>;
  try {
    report = await verifyDeviceResponse(fromHex(c.deviceResponse), caseOptions(c.options));
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
 * The project's own vectors: the negative catalogue in `test-vectors/negative/*.json`, each run
 * through `verifyDeviceResponse` and compared with the error code it names.
 */
export function negativeCatalogueChecks(repoRoot: string | undefined): VectorCheck[] {
  if (repoRoot === undefined) return [];
  const dir = path.join(repoRoot, 'test-vectors', 'negative');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      let c: NegativeCaseFile | undefined;
      try {
        c = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as NegativeCaseFile;
      } catch {
        c = undefined;
      }
      return {
        suite: 'negative',
        id: c?.id ?? file,
        clause: c?.clause ?? '',
        title: c?.title ?? file,
        run: async () => {
          if (c === undefined) throw new CheckFailure(`${file}: not valid JSON`);
          await runCase(c);
        },
      };
    });
}
