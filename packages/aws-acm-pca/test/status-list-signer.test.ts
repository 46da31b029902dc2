/**
 * The MSO revocation-list (status list) signer certificate from the IACA in ACM-PCA, for a KMS key:
 * real SDK clients over loopback HTTP to the emulator; the certificate passes the strict
 * `status-list-signer` lint and chains to the IACA, and a Token Status List signed by KMS verifies
 * with its key.
 */
import { createKmsSigner, type KmsSigner } from '@mdlkit/aws-kms';
import { importPublicKey } from '@mdlkit/core/crypto';
import { buildStatusListToken, parseStatusListToken, StatusList, verifyStatusToken } from '@mdlkit/issuer';
import {
  ExtensionOid,
  lintCertificate,
  parseCertificate,
  TrustStore,
  validateCertificatePath,
} from '@mdlkit/pki';
import { expectRejection } from '@mdlkit/test-utils';
import { withAcmPca } from '@mdlkit/test-utils/acm-pca';
import { beforeAll, describe, expect, it } from 'vitest';
import { createIaca, type IacaResult, issueStatusListSigner } from '../src/index.js';

const noWait = { sleep: async () => {} };
const NOW = new Date('2026-03-01T12:00:00Z');
const URI = 'https://status.dmv.example.gov/mdl/1';

const aws = withAcmPca({ emulator: { now: () => NOW } });
let iaca: IacaResult;
let signer: KmsSigner;

beforeAll(async () => {
  iaca = await createIaca({
    client: aws.pca,
    subject: { country: 'US', stateOrProvince: 'US-NY', commonName: 'NY mDL IACA' },
    issuerAltName: [{ uri: 'https://dmv.example.gov/mdl' }],
    crlDistributionPointUri: 'http://crl.dmv.example.gov/iaca.crl',
    now: () => NOW,
    ...noWait,
  });
  const key = await aws.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
  signer = await createKmsSigner({ client: aws.client, keyId: key.arn });
});
describe('issueStatusListSigner', () => {
  it('issues a Table B.9 certificate under the IACA that signs a verifiable status list', async () => {
    const issued = await issueStatusListSigner({
      client: aws.pca,
      caArn: iaca.caArn,
      signer,
      subject: { commonName: 'NY status list signer' },
      validityDays: 400,
      now: () => NOW,
      ...noWait,
    });
    expect(issued.lint.ok).toBe(true);
    const strict = lintCertificate(issued.certificate, {
      profile: 'status-list-signer',
      issuer: iaca.certificate,
    });
    expect(strict.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const cert = parseCertificate(issued.certificate);
    expect(cert.subject.country).toBe('US');
    expect(cert.subject.stateOrProvince).toBe('US-NY');
    expect(cert.basicConstraints?.ca).toBe(false);
    expect(cert.keyUsage).toEqual(['digitalSignature']);
    expect(cert.extensions.some((e) => e.oid === ExtensionOid.extKeyUsage)).toBe(false);
    expect((cert.notAfter.getTime() - cert.notBefore.getTime()) / 86_400_000).toBe(400);
    expect(issued.iacaCertificate).toEqual(iaca.certificate);

    const path = await validateCertificatePath({
      chain: [issued.certificate],
      trustStore: new TrustStore([iaca.certificate]),
      now: NOW,
      profile: 'status-list-signer',
      policy: 'strict',
    });
    expect(path.valid).toBe(true);

    const token = await buildStatusListToken({
      statusList: new StatusList({ bits: 1, size: 64 }),
      uri: URI,
      now: NOW,
      expiresAt: new Date(NOW.getTime() + 86_400_000),
      signer,
      certificateChain: [issued.certificate],
    });
    const parsed = await parseStatusListToken(token);
    expect(parsed.certificateChain).toEqual([issued.certificate]);
    const key = importPublicKey({ format: 'spki', der: cert.publicKeyInfo.spki });
    await expect(
      verifyStatusToken({ token: parsed, key, now: NOW, expectedUri: URI }),
    ).resolves.not.toThrow();
  });

  it('adds requested EKU OIDs non-critical', async () => {
    const issued = await issueStatusListSigner({
      client: aws.pca,
      caArn: iaca.caArn,
      signer,
      subject: { commonName: 'NY status list signer (EKU)' },
      ekuOids: ['1.0.18013.5.1.99'],
      now: () => NOW,
      ...noWait,
    });
    const eku = parseCertificate(issued.certificate).extensions.find(
      (e) => e.oid === ExtensionOid.extKeyUsage,
    );
    expect(eku?.critical).toBe(false);
  });

  it('refuses more than 1187 days, a foreign country, and a signer without its public key', async () => {
    const base = {
      client: aws.pca,
      caArn: iaca.caArn,
      signer,
      subject: { commonName: 'x' },
      now: () => NOW,
      ...noWait,
    };
    const tooLong = await expectRejection(issueStatusListSigner({ ...base, validityDays: 1188 }));
    expect(tooLong.code).toBe('ERR_X509_VALIDITY_TOO_LONG');
    expect(tooLong.message).toContain('1187');
    const country = await expectRejection(
      issueStatusListSigner({ ...base, subject: { country: 'CA', commonName: 'x' } }),
    );
    expect(country.code).toBe('ERR_X509_COUNTRY_MISMATCH');
    const noKey = await expectRejection(
      issueStatusListSigner({ ...base, signer: { ...signer, publicKey: undefined } as unknown as KmsSigner }),
    );
    expect(noKey.code).toBe('ERR_INVALID_ARGUMENT');
  });
});
