/**
 * End to end on the AWS flow: IACA in ACM-PCA, DS key in KMS with its certificate from ACM-PCA, an
 * mDL (with a portrait) issued with the MSO signed by KMS in DIGEST mode — verified by the reader
 * against the IACA. Real SDK clients over loopback HTTP to the emulator.
 */
import { createKmsSigner, type KmsSigner } from '@mdlkit/aws-kms';
import { decodeCbor, EncodedCbor, encodeCbor, FullDate } from '@mdlkit/core/cbor';
import { signCoseSign1 } from '@mdlkit/core/cose';
import { createLocalSigner, generateKeyPair } from '@mdlkit/core/crypto';
import { buildDeviceAuthenticationBytes, buildSessionTranscript } from '@mdlkit/core/session';
import { issueMdoc } from '@mdlkit/issuer';
import { TrustStore } from '@mdlkit/pki';
import { assertVerified, CheckId, verifyDeviceResponse } from '@mdlkit/reader';
import { withAcmPca } from '@mdlkit/test-utils/acm-pca';
import { describe, expect, it } from 'vitest';
import { createIaca, issueDocumentSigner } from '../src/index.js';

const noWait = { sleep: async () => {} };
const NOW = new Date('2026-03-01T12:00:00Z');
const NS = 'org.iso.18013.5.1';
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
    const portrait = new Uint8Array(4000);
    portrait.set([0xff, 0xd8, 0xff, 0xe0]);
    portrait.set([0xff, 0xd9], portrait.length - 2);
    const signsBefore = aws.emulator.faults.calls.count('Sign');
    const mdoc = await issueMdoc({
      docType: DOCTYPE,
      nameSpaces: {
        [NS]: {
          family_name: 'Doe',
          given_name: 'Jane',
          birth_date: new FullDate('1990-04-12'),
          issue_date: new FullDate('2026-02-01'),
          expiry_date: new FullDate('2031-02-01'),
          issuing_country: 'US',
          issuing_jurisdiction: 'US-NY',
          issuing_authority: 'NY DMV',
          document_number: 'D1234567',
          portrait,
          driving_privileges: [new Map<string, unknown>([['vehicle_category_code', 'B']])],
          un_distinguishing_sign: 'USA',
          age_over_21: true,
        },
      },
      deviceKey: deviceKey.publicKey,
      validity: { validUntil: new Date('2026-04-01T00:00:00Z') },
      signer,
      dsCertificate: ds.certificate,
      now: NOW,
    });
    // one KMS Sign per MSO; the MSO holds digests, so the 4 KB portrait does not enlarge what is signed
    expect(aws.emulator.faults.calls.count('Sign') - signsBefore).toBe(1);
    expect(mdoc.issuerAuth.length - ds.certificate.length).toBeLessThan(portrait.length);

    const transcript = buildSessionTranscript({
      deviceEngagementBytes: null,
      eReaderKeyBytes: null,
      handover: { kind: 'openid4vp', infoHash: new Uint8Array(32).fill(7) },
    });
    const deviceNameSpacesBytes = EncodedCbor.fromValue(new Map());
    const deviceAuthentication = buildDeviceAuthenticationBytes({
      sessionTranscript: transcript,
      docType: DOCTYPE,
      deviceNameSpacesBytes,
    });
    const deviceSignature = await signCoseSign1({
      signer: createLocalSigner({ privateKey: deviceKey.privateKey, alg: -7 }),
      payload: deviceAuthentication.tagged(),
      detached: true,
    });
    const response = encodeCbor(
      new Map<string, unknown>([
        ['version', '1.0'],
        [
          'documents',
          [
            new Map<string, unknown>([
              ['docType', DOCTYPE],
              ['issuerSigned', decodeCbor(mdoc.issuerSigned)],
              [
                'deviceSigned',
                new Map<string, unknown>([
                  ['nameSpaces', deviceNameSpacesBytes],
                  ['deviceAuth', new Map([['deviceSignature', decodeCbor(deviceSignature.bytes)]])],
                ]),
              ],
            ]),
          ],
        ],
        ['status', 0],
      ]),
    );

    const report = await verifyDeviceResponse(response, {
      trust: new TrustStore([iaca.certificatePem]),
      sessionTranscript: transcript.encoded.tagged(),
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
      sessionTranscript: transcript.encoded.tagged(),
      now: new Date('2026-03-02T00:00:00Z'),
      policy: 'strict',
    });
    expect(untrusted.verified).toBe(false);
  });
});
