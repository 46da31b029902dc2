/**
 * Must-show tests: the ACM-PCA flows through the real `@aws-sdk/client-acm-pca` (and the KMS client
 * for the DS key) over loopback HTTP to the project's emulator, started per file on port 0.
 */
import { execFileSync } from 'node:child_process';
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateCertificateAuthorityCommand,
  DescribeCertificateAuthorityCommand,
} from '@aws-sdk/client-acm-pca';
import { type AwsAuditRecord, createKmsSigner, type KmsSigner } from '@mdlkit/aws-kms';
import { buildSigStructure, signCoseSign1, verifyCoseSign1 } from '@mdlkit/core/cose';
import { importPublicKey } from '@mdlkit/core/crypto';
import type { MdlError } from '@mdlkit/core/errors';
import { lintCertificate, MdlEku, parseCertificate } from '@mdlkit/pki';
import { expectRejection } from '@mdlkit/test-utils';
import { withAcmPca } from '@mdlkit/test-utils/acm-pca';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  acmPcaCrlUri,
  CertificateProfileViolationError,
  createIaca,
  type IacaResult,
  issueDocumentSigner,
} from '../src/index.js';

const noWait = { sleep: async () => {} };
const NOW = new Date('2026-03-01T12:00:00Z');

// the CA's CSR and every certificate stay "in progress" for two polls, as on AWS
const aws = withAcmPca({
  emulator: { now: () => NOW, pca: { csrPendingPolls: 2, certificatePendingPolls: 2 } },
});
let iaca: IacaResult;
let dsSigner: KmsSigner;
const audit: AwsAuditRecord[] = [];

async function newSigner(keySpec: 'ECC_NIST_P256' | 'ECC_NIST_P384' = 'ECC_NIST_P256'): Promise<KmsSigner> {
  const key = await aws.createKey({ KeySpec: keySpec, KeyUsage: 'SIGN_VERIFY' });
  return createKmsSigner({ client: aws.client, keyId: key.arn });
}

function openssl(args: string[], files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mdlkit-pca-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  iaca = await createIaca({
    client: aws.pca,
    subject: { country: 'US', stateOrProvince: 'US-NY', organization: 'NY DMV', commonName: 'NY mDL IACA' },
    issuerAltName: [{ uri: 'https://dmv.example.gov/mdl' }, { email: 'mdl-pki@dmv.example.gov' }],
    crl: { s3BucketName: 'ny-mdl-crl', customCname: 'crl.dmv.example.gov' },
    now: () => NOW,
    audit: (r) => audit.push(r),
    ...noWait,
  });
  dsSigner = await newSigner();
});

describe('createIaca', () => {
  it('creates an ACTIVE IACA whose root passes the strict Annex B (Table B.1) linter', async () => {
    expect(iaca.lint.ok).toBe(true);
    const lint = lintCertificate(iaca.certificate, { profile: 'iaca' });
    expect(lint.findings.filter((f) => f.severity === 'error')).toEqual([]);

    const cert = parseCertificate(iaca.certificate);
    expect(cert.selfIssued).toBe(true);
    expect(cert.basicConstraints).toEqual({ ca: true, pathLen: 0 });
    expect([...(cert.keyUsage ?? [])].sort()).toEqual(['cRLSign', 'keyCertSign']);
    expect(cert.extensions.find((e) => e.oid === '2.5.29.15')?.critical).toBe(true);
    expect(cert.subject.country).toBe('US');
    expect(cert.subject.stateOrProvince).toBe('US-NY');
    expect(cert.issuerAltName?.map((n) => n.form)).toEqual(['uniformResourceIdentifier', 'rfc822Name']);
    expect(cert.crlDistributionPoints?.[0]?.fullName[0]?.value).toBe(
      acmPcaCrlUri(iaca.caArn, { s3BucketName: 'ny-mdl-crl', customCname: 'crl.dmv.example.gov' }),
    );
    expect(cert.notBefore.toISOString()).toBe(NOW.toISOString());
    expect((cert.notAfter.getTime() - cert.notBefore.getTime()) / 86_400_000).toBe(3285);

    const described = await aws.pca.send(
      new DescribeCertificateAuthorityCommand({ CertificateAuthorityArn: iaca.caArn }),
    );
    expect(described.CertificateAuthority?.Status).toBe('ACTIVE');
    // bounded waits: two in-progress polls each for the CSR and the certificate, then the answer
    const ops = audit.map((r) => r.operation);
    expect(ops.filter((o) => o === 'GetCertificateAuthorityCsr')).toHaveLength(3);
    expect(ops.filter((o) => o === 'GetCertificate')).toHaveLength(3);
  });

  it('the audit log holds one redacted record per ACM-PCA call', () => {
    expect(audit.length).toBeGreaterThan(8);
    expect(audit.every((r) => r.service === 'acm-pca' && r.attempt === 1)).toBe(true);
    const issue = audit.find((r) => r.operation === 'IssueCertificate');
    expect(issue?.request).toMatchObject({ Csr: { redacted: 'bytes' } });
    const got = audit.filter((r) => r.operation === 'GetCertificate' && r.outcome === 'success');
    expect(got[0]?.response).toMatchObject({ Certificate: { redacted: 'text' } });
    expect(JSON.stringify(audit)).not.toContain('BEGIN CERTIFICATE');
  });

  it('refuses inputs Annex B forbids before any call', async () => {
    const before = aws.emulator.faults.calls.count();
    const base = {
      client: aws.pca,
      subject: { country: 'US', commonName: 'X' },
      issuerAltName: [{ uri: 'https://x.example' }],
      crlDistributionPointUri: 'http://x.example/crl',
    };
    expect((await expectRejection(createIaca({ ...base, validityDays: 7306 }))).code).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    expect(
      (await expectRejection(createIaca({ ...base, subject: { country: 'us', commonName: 'X' } }))).code,
    ).toBe('ERR_INVALID_ARGUMENT');
    expect((await expectRejection(createIaca({ ...base, issuerAltName: [] }))).code).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    const { crlDistributionPointUri: _, ...noCdp } = base;
    expect((await expectRejection(createIaca(noCdp))).code).toBe('ERR_INVALID_ARGUMENT');
    expect(aws.emulator.faults.calls.count()).toBe(before);
  });
});

describe('issueDocumentSigner', () => {
  it('issues a DS for a KMS key (CSR signed by KMS) that passes the strict Annex B (Table B.3) linter and chains to the IACA', async () => {
    const ds = await issueDocumentSigner({
      client: aws.pca,
      caArn: iaca.caArn,
      signer: dsSigner,
      subject: { commonName: 'NY DS 2026-1' },
      now: () => NOW,
      ...noWait,
    });
    expect(ds.lint.ok).toBe(true);
    const lint = lintCertificate(ds.certificate, { profile: 'ds', issuer: iaca.certificate });
    expect(lint.findings.filter((f) => f.severity === 'error')).toEqual([]);

    const cert = parseCertificate(ds.certificate);
    expect(cert.publicKeyInfo.spki).toEqual(dsSigner.publicKey);
    expect(cert.keyUsage).toEqual(['digitalSignature']);
    expect(cert.extKeyUsage).toEqual([MdlEku.documentSigner]);
    expect(cert.extensions.find((e) => e.oid === '2.5.29.37')?.critical).toBe(true);
    expect(cert.subject.country).toBe('US');
    expect(cert.subject.stateOrProvince).toBe('US-NY');
    expect(cert.authorityKeyIdentifier?.keyIdentifier).toEqual(
      parseCertificate(iaca.certificate).subjectKeyIdentifier,
    );
    expect(cert.crlDistributionPoints).toHaveLength(1);
    expect(cert.issuerAltName?.length).toBe(2);
    expect((cert.notAfter.getTime() - cert.notBefore.getTime()) / 86_400_000).toBe(365);

    // independent check: OpenSSL verifies the chain at the issuance time
    const out = openssl(
      ['verify', '-attime', String(NOW.getTime() / 1000 + 60), '-CAfile', 'iaca.pem', 'ds.pem'],
      {
        'iaca.pem': iaca.certificatePem,
        'ds.pem': ds.certificatePem,
      },
    );
    expect(out.trim()).toBe('ds.pem: OK');

    // and an MSO-sized COSE_Sign1 signed by the same KMS key in DIGEST mode verifies with the DS certificate's key
    const payload = new Uint8Array(6000).fill(0x5a);
    const { message } = await signCoseSign1({
      signer: dsSigner,
      payload,
      unprotectedHeaders: new Map([[33, ds.certificate]]),
    });
    const key = importPublicKey({ format: 'spki', der: cert.publicKeyInfo.spki });
    expect(await verifyCoseSign1({ message, key })).toBe(true);
    const node = createPublicKey({ key: Buffer.from(ds.certificatePem), format: 'pem' });
    const data = buildSigStructure({ protectedBytes: message.protectedBytes, payload });
    expect(nodeVerify('sha256', data, { key: node, dsaEncoding: 'ieee-p1363' }, message.signature)).toBe(
      true,
    );
  });

  it('refuses a validity over 457 days (the AWS blog’s 1825 breaks Annex B) before any call', async () => {
    const before = aws.emulator.faults.calls.count();
    const error = await expectRejection(
      issueDocumentSigner({
        client: aws.pca,
        caArn: iaca.caArn,
        signer: dsSigner,
        subject: { commonName: 'DS' },
        validityDays: 1825,
      }),
    );
    expect(error.code).toBe('ERR_X509_VALIDITY_TOO_LONG');
    expect(error.message).toContain('457');
    expect(aws.emulator.faults.calls.count()).toBe(before);
  });

  it('rejects a subject whose country or state differs from the IACA', async () => {
    const wrongCountry = await expectRejection(
      issueDocumentSigner({
        client: aws.pca,
        caArn: iaca.caArn,
        signer: dsSigner,
        subject: { country: 'CA', commonName: 'DS' },
        ...noWait,
      }),
    );
    expect(wrongCountry.code).toBe('ERR_X509_COUNTRY_MISMATCH');
    const wrongState = await expectRejection(
      issueDocumentSigner({
        client: aws.pca,
        caArn: iaca.caArn,
        signer: dsSigner,
        subject: { stateOrProvince: 'US-NJ', commonName: 'DS' },
        ...noWait,
      }),
    );
    expect(wrongState.code).toBe('ERR_X509_STATE_MISMATCH');
  });

  it('a misconfiguration that yields a non-compliant certificate fails the strict lint with the findings', async () => {
    // an IACA set up for the second edition (no CRL distribution point) …
    const ed2 = await createIaca({
      client: aws.pca,
      subject: { country: 'US', commonName: 'ed2 IACA' },
      issuerAltName: [{ uri: 'https://dmv.example.gov' }],
      edition: 'ed2',
      now: () => NOW,
      ...noWait,
    });
    // … issuing a DS that is then checked against the 2021 profile, where Table B.3 requires one
    const error = await expectRejection(
      issueDocumentSigner({
        client: aws.pca,
        caArn: ed2.caArn,
        signer: dsSigner,
        subject: { commonName: 'DS' },
        now: () => NOW,
        ...noWait,
      }),
    );
    expect(error).toBeInstanceOf(CertificateProfileViolationError);
    expect(error.code).toBe('ERR_X509_PROFILE_VIOLATION');
    expect((error as CertificateProfileViolationError).findings.map((f) => f.rule)).toContain(
      'crldp.missing',
    );

    const report = await issueDocumentSigner({
      client: aws.pca,
      caArn: ed2.caArn,
      signer: dsSigner,
      subject: { commonName: 'DS' },
      lint: 'report',
      now: () => NOW,
      ...noWait,
    });
    expect(report.lint.ok).toBe(false);
    // the fix: give the DS a distribution point of its own
    const fixed = await issueDocumentSigner({
      client: aws.pca,
      caArn: ed2.caArn,
      signer: dsSigner,
      subject: { commonName: 'DS' },
      crlDistributionPointUri: 'http://crl.dmv.example.gov/ed2.crl',
      now: () => NOW,
      ...noWait,
    });
    expect(fixed.lint.ok).toBe(true);
  });

  it('retries a throttled IssueCertificate and maps an unknown CA to ERR_AWS_CONFIG_INVALID', async () => {
    const records: AwsAuditRecord[] = [];
    const before = aws.emulator.faults.calls.count('IssueCertificate');
    aws.emulator.faults.throttleNext(2, { operations: ['IssueCertificate'] });
    const ds = await issueDocumentSigner({
      client: aws.pca,
      caArn: iaca.caArn,
      signer: dsSigner,
      subject: { commonName: 'DS throttled' },
      audit: (r) => records.push(r),
      now: () => NOW,
      ...noWait,
    });
    expect(ds.lint.ok).toBe(true);
    expect(aws.emulator.faults.calls.count('IssueCertificate') - before).toBe(3);
    expect(records.filter((r) => r.operation === 'IssueCertificate').map((r) => r.outcome)).toEqual([
      'error',
      'error',
      'success',
    ]);

    const unknown = iaca.caArn.replace(/[0-9a-f]{12}$/, '000000000000');
    const error = await expectRejection(
      issueDocumentSigner({
        client: aws.pca,
        caArn: unknown,
        signer: dsSigner,
        subject: { commonName: 'DS' },
        ...noWait,
      }),
    );
    expect(error.code).toBe('ERR_AWS_CONFIG_INVALID');
  });

  it('refuses to issue from a CA that is not ACTIVE', async () => {
    const created = await aws.pca.send(
      new CreateCertificateAuthorityCommand({
        CertificateAuthorityType: 'ROOT',
        CertificateAuthorityConfiguration: {
          KeyAlgorithm: 'EC_prime256v1',
          SigningAlgorithm: 'SHA256WITHECDSA',
          Subject: { Country: 'US', CommonName: 'pending' },
        },
      }),
    );
    const before = aws.emulator.faults.calls.count('IssueCertificate');
    const error = await expectRejection(
      issueDocumentSigner({
        client: aws.pca,
        caArn: created.CertificateAuthorityArn!,
        signer: dsSigner,
        subject: { commonName: 'DS' },
        ...noWait,
      }),
    );
    expect(error.code).toBe('ERR_AWS_REQUEST_FAILED');
    expect(error.message).toContain('not ACTIVE');
    expect(aws.emulator.faults.calls.count('IssueCertificate')).toBe(before);
  });
});

describe('bounded waits', () => {
  // a second emulator whose CA CSR stays "in progress" for 100 polls
  const slow = withAcmPca({ emulator: { now: () => NOW, pca: { csrPendingPolls: 100 } } });

  it('gives up with ERR_AWS_WAIT_TIMEOUT and the last error when the certificate never comes', async () => {
    const error = await expectRejection(
      createIaca({
        client: slow.pca,
        subject: { country: 'US', commonName: 'slow' },
        issuerAltName: [{ uri: 'https://x.example' }],
        crlDistributionPointUri: 'http://x.example/crl',
        wait: { maxPolls: 4, intervalMs: 10 },
        ...noWait,
      }),
    );
    expect(error.code).toBe('ERR_AWS_WAIT_TIMEOUT');
    expect(error.message).toContain('RequestInProgressException');
    expect(((error.cause as MdlError).cause as Error).name).toBe('RequestInProgressException');
    expect(slow.emulator.faults.calls.count('GetCertificateAuthorityCsr')).toBe(4);
  });
});
