/** An IACA with a local key, a DS certificate from a CSR, an mDL and a DeviceResponse, for the SoftHSM tests. */
import {
  type AnyCoseSigner,
  createLocalSigner,
  exportPublicKey,
  generateKeyPair,
  type KeyPair,
  randomBytes,
} from '@mdlkit/core/crypto';
import { type IssuedMdoc, issueMdoc } from '@mdlkit/issuer';
import { buildDocumentSignerCertificate, buildIacaCertificate, parseCsr, TrustStore } from '@mdlkit/pki';
import { type VerificationReport, verifyDeviceResponse } from '@mdlkit/reader';
import { janeDoeElements, presentWithDeviceSignature } from '@mdlkit/test-utils/mdoc';

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

/** The mDL elements every test issues (a 2,000-byte portrait). */
export function mdlElements(): Record<string, Record<string, unknown>> {
  return janeDoeElements(2000);
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
  const { deviceResponse, sessionTranscript } = await presentWithDeviceSignature({
    issuerSigned: mdoc.issuerSigned,
    device: deviceKey,
    docType: DOCTYPE,
  });
  return verifyDeviceResponse(deviceResponse, {
    trust: new TrustStore([iacaCertificate]),
    sessionTranscript,
    now: new Date(NOW.getTime() + DAY),
    policy: 'strict',
  });
}
