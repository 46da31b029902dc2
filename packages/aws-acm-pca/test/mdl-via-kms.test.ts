/**
 * End to end on the AWS flow: IACA in ACM-PCA, DS key in KMS with its certificate from ACM-PCA, an
 * mDL (with a portrait) issued with the MSO signed by KMS in DIGEST mode — verified by the reader
 * against the IACA. Real SDK clients over loopback HTTP to the emulator.
 */
import { createKmsSigner, type KmsSigner } from '@mdlkit/aws-kms';
import { generateKeyPair } from '@mdlkit/core/crypto';
import { issueMdoc } from '@mdlkit/issuer';
import { TrustStore } from '@mdlkit/pki';
import { assertVerified, CheckId, verifyDeviceResponse } from '@mdlkit/reader';
import { withAcmPca } from '@mdlkit/test-utils/acm-pca';
import { janeDoeElements, presentWithDeviceSignature } from '@mdlkit/test-utils/mdoc';
import { describe, expect, it } from 'vitest';
import { createIaca, issueDocumentSigner } from '../src/index.js';

const noWait = { sleep: async () => {} };
const NOW = new Date('2026-03-01T12:00:00Z');
const DOCTYPE = 'org.iso.18013.5.1.mDL';

const aws = withAcmPca({ emulator: { now: () => NOW } });

describe('an mDL signed through KMS verifies with the reader', () => {
  it.each(['ECC_NIST_P256', 'ECC_NIST_P384'] as const)('DS key %s', async (keySpec) => {
    const iaca = await createIaca({
      client: aws.pca,
      subject: { country: 'US', stateOrProvince: 'US-NY', commonName: `NY mDL IACA ${keySpec}` },
      issuerAltName: [{ uri: 'https://dmv.example.gov/mdl' }],
      crlDistributionPointUri: 'http://crl.dmv.example.gov/iaca.crl',
      now: () => NOW,
      ...noWait,
    });
    const key = await aws.createKey({ KeySpec: keySpec, KeyUsage: 'SIGN_VERIFY' });
    const signer: KmsSigner = await createKmsSigner({ client: aws.client, keyId: key.arn });
    const ds = await issueDocumentSigner({
      client: aws.pca,
      caArn: iaca.caArn,
      signer,
      subject: { commonName: 'NY DS' },
      validityDays: 90,
      now: () => NOW,
      ...noWait,
    });

    const deviceKey = generateKeyPair({ curve: 'P-256' });
    const portraitLength = 4000;
    const signsBefore = aws.emulator.faults.calls.count('Sign');
    const mdoc = await issueMdoc({
      docType: DOCTYPE,
      nameSpaces: janeDoeElements(portraitLength),
      deviceKey: deviceKey.publicKey,
      validity: { validUntil: new Date('2026-04-01T00:00:00Z') },
      signer,
      dsCertificate: ds.certificate,
      now: NOW,
    });
    // one KMS Sign per MSO; the MSO holds digests, so the 4 KB portrait does not enlarge what is signed
    expect(aws.emulator.faults.calls.count('Sign') - signsBefore).toBe(1);
    expect(mdoc.issuerAuth.length - ds.certificate.length).toBeLessThan(portraitLength);

    const { deviceResponse: response, sessionTranscript } = await presentWithDeviceSignature({
      issuerSigned: mdoc.issuerSigned,
      device: deviceKey,
      docType: DOCTYPE,
    });

    const report = await verifyDeviceResponse(response, {
      trust: new TrustStore([iaca.certificatePem]),
      sessionTranscript,
      now: new Date('2026-03-02T00:00:00Z'),
      policy: 'strict',
    });
    const doc = report.documents[0]!;
    expect(doc.checks.filter((c) => c.status === 'failed')).toEqual([]);
    expect(Object.fromEntries(doc.checks.map((c) => [c.id, c.status]))).toMatchObject({
      [CheckId.DS_CERTIFICATE_PATH]: 'passed',
      [CheckId.ISSUER_AUTH_SIGNATURE]: 'passed',
      [CheckId.VALUE_DIGESTS]: 'passed',
      [CheckId.DEVICE_AUTH]: 'passed',
    });
    expect(report.verified).toBe(true);
    expect(() => assertVerified(report)).not.toThrow();

    // the same response under a different IACA does not verify
    const other = await createIaca({
      client: aws.pca,
      subject: { country: 'US', stateOrProvince: 'US-NY', commonName: 'another IACA' },
      issuerAltName: [{ uri: 'https://other.example.gov' }],
      crlDistributionPointUri: 'http://crl.other.example.gov/iaca.crl',
      now: () => NOW,
      ...noWait,
    });
    const untrusted = await verifyDeviceResponse(response, {
      trust: new TrustStore([other.certificatePem]),
      sessionTranscript,
      now: new Date('2026-03-02T00:00:00Z'),
      policy: 'strict',
    });
    expect(untrusted.verified).toBe(false);
  });
});
