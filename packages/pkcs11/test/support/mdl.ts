/** An IACA with a local key, a DS certificate from a CSR, an mDL and a DeviceResponse, for the SoftHSM tests. */
import { decodeCbor, EncodedCbor, encodeCbor, FullDate } from '@mdlkit/core/cbor';
import { signCoseSign1 } from '@mdlkit/core/cose';
import {
  type AnyCoseSigner,
  createLocalSigner,
  exportPublicKey,
  generateKeyPair,
  type KeyPair,
  randomBytes,
} from '@mdlkit/core/crypto';
import { buildDeviceAuthenticationBytes, buildSessionTranscript } from '@mdlkit/core/session';
import { type IssuedMdoc, issueMdoc } from '@mdlkit/issuer';
import { buildDocumentSignerCertificate, buildIacaCertificate, parseCsr, TrustStore } from '@mdlkit/pki';
import { type VerificationReport, verifyDeviceResponse } from '@mdlkit/reader';

export const NOW: Date = new Date('2026-03-01T12:00:00Z');
export const DOCTYPE: string = 'org.iso.18013.5.1.mDL';
export const NS: string = 'org.iso.18013.5.1';
const DAY = 86_400_000;

export interface TestIaca {
  readonly certificate: Uint8Array;
  readonly signer: AnyCoseSigner;
}

/** A P-256 IACA root with a local key (the IACA is not what these tests are about). */
export async function createTestIaca(): Promise<TestIaca> {
  const pair = generateKeyPair({ curve: 'P-256' });
  const signer = createLocalSigner({ privateKey: pair.privateKey, alg: -7 });
  const certificate = await buildIacaCertificate({
    subject: { country: 'US', stateOrProvince: 'US-NY', commonName: 'mdlkit HSM test IACA' },
    publicKey: exportPublicKey(pair.publicKey, 'spki'),
    signer,
    issuerAltName: [{ uri: 'https://dmv.example.gov/mdl' }],
    crlDistributionPoint: 'https://dmv.example.gov/iaca.crl',
    notBefore: new Date(NOW.getTime() - DAY),
    notAfter: new Date(NOW.getTime() + 3650 * DAY),
    randomBytes,
  });
  return { certificate, signer };
}

/** The IACA operator's side: check the CSR's self-signature, then issue the DS certificate for its key. */
export async function dsCertificateFromCsr(iaca: TestIaca, csr: Uint8Array): Promise<Uint8Array> {
  const parsed = await parseCsr(csr);
  if (!parsed.signatureValid) throw new Error('CSR self-signature does not verify');
  return buildDocumentSignerCertificate({
    subject: { country: 'US', stateOrProvince: 'US-NY', commonName: 'mdlkit HSM DS' },
    publicKey: parsed.publicKeyInfo.spki,
    issuer: { certificate: iaca.certificate, signer: iaca.signer },
    crlDistributionPoint: 'https://dmv.example.gov/iaca.crl',
    notBefore: new Date(NOW.getTime() - DAY),
    notAfter: new Date(NOW.getTime() + 365 * DAY),
    randomBytes,
  });
}

/** A holder's device key. */
export const deviceKey: KeyPair = generateKeyPair({ curve: 'P-256' });

/** The mDL elements every test issues. */
export function mdlElements(): Record<string, Record<string, unknown>> {
  const portrait = new Uint8Array(2000);
  portrait.set([0xff, 0xd8, 0xff, 0xe0]);
  portrait.set([0xff, 0xd9], portrait.length - 2);
  return {
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
  };
}

/** Issues the test mDL with the given DS signer and certificate. */
export function issueTestMdl(signer: AnyCoseSigner, dsCertificate: Uint8Array): Promise<IssuedMdoc> {
  return issueMdoc({
    docType: DOCTYPE,
    nameSpaces: mdlElements(),
    deviceKey: deviceKey.publicKey,
    validity: { validUntil: new Date(NOW.getTime() + 30 * DAY) },
    signer,
    dsCertificate,
    now: NOW,
  });
}

/** Presents the mdoc (every element, device signature over an OpenID4VP transcript) and verifies it with the reader. */
export async function presentAndVerify(
  mdoc: IssuedMdoc,
  iacaCertificate: Uint8Array,
): Promise<VerificationReport> {
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
  return verifyDeviceResponse(response, {
    trust: new TrustStore([iacaCertificate]),
    sessionTranscript: transcript.encoded.tagged(),
    now: new Date(NOW.getTime() + DAY),
    policy: 'strict',
  });
}
