import { FullDate } from '@mdlkit/core/cbor';
import { publicKeyToCoseKey } from '@mdlkit/core/cose';
import {
  CoseAlg,
  createLocalSigner,
  exportPublicKey,
  generateKeyPair,
  type KeyPair,
  randomBytes,
} from '@mdlkit/core/crypto';
import {
  type AnswerDeviceRequestOptions,
  answerDeviceRequest,
  parseDeviceRequest,
  parseIssuedMdoc,
} from '@mdlkit/holder';
import { issueMdoc } from '@mdlkit/issuer';
import { buildDocumentSignerCertificate, buildIacaCertificate, TrustStore } from '@mdlkit/pki';
import { buildDeviceRequest } from '../src/index.js';

export const NOW: Date = new Date('2025-06-01T12:00:00Z');

export interface Pki {
  readonly iaca: Uint8Array;
  readonly ds: Uint8Array;
  readonly dsKey: KeyPair;
  readonly trust: TrustStore;
}

/** An IACA and a DS built with @mdlkit/pki (fresh keys). */
export async function makePki(): Promise<Pki> {
  const iacaKey = generateKeyPair({ curve: 'P-256' });
  const iacaSigner = createLocalSigner({ privateKey: iacaKey.privateKey, alg: CoseAlg.ES256 });
  const iaca = await buildIacaCertificate({
    subject: { country: 'US', stateOrProvince: 'US-NY', commonName: 'reader test IACA' },
    publicKey: exportPublicKey(iacaKey.publicKey, 'spki'),
    signer: iacaSigner,
    issuerAltName: [{ uri: 'https://dmv.example' }],
    crlDistributionPoint: 'https://dmv.example/crl',
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2030-01-01T00:00:00Z'),
    randomBytes,
  });
  const dsKey = generateKeyPair({ curve: 'P-256' });
  const ds = await buildDocumentSignerCertificate({
    subject: { commonName: 'reader test DS' },
    publicKey: exportPublicKey(dsKey.publicKey, 'spki'),
    issuer: { certificate: iaca, signer: iacaSigner },
    crlDistributionPoint: 'https://dmv.example/crl',
    notBefore: new Date('2025-03-01T00:00:00Z'),
    notAfter: new Date('2026-03-01T00:00:00Z'),
    randomBytes,
  });
  return { iaca, ds, dsKey, trust: new TrustStore([iaca]) };
}

export const ELEMENTS: Record<string, unknown> = {
  family_name: 'Mustermann',
  given_name: 'Erika',
  birth_date: new FullDate('1971-09-01'),
  issue_date: new FullDate('2025-04-01'),
  expiry_date: new FullDate('2030-04-01'),
  issuing_country: 'US',
  issuing_authority: 'Test DMV',
  issuing_jurisdiction: 'US-NY',
  document_number: 'D1234567',
  portrait: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]),
  driving_privileges: [],
  un_distinguishing_sign: 'USA',
  age_over_21: true,
};

/** Issue with @mdlkit/issuer, store and answer with @mdlkit/holder, for a request built by the reader. */
export async function issueAndPresent(
  pki: Pki,
  sessionTranscript: AnswerDeviceRequestOptions['sessionTranscript'],
  requested: readonly string[] = [
    'family_name',
    'birth_date',
    'issuing_country',
    'issuing_jurisdiction',
    'portrait',
  ],
): Promise<Uint8Array> {
  const device = generateKeyPair({ curve: 'P-256' });
  const issued = await issueMdoc({
    docType: 'org.iso.18013.5.1.mDL',
    nameSpaces: { 'org.iso.18013.5.1': ELEMENTS },
    deviceKey: publicKeyToCoseKey(device.publicKey),
    validity: { signed: new Date('2025-05-01T00:00:00Z'), validUntil: new Date('2026-01-01T00:00:00Z') },
    signer: createLocalSigner({ privateKey: pki.dsKey.privateKey, alg: CoseAlg.ES256 }),
    dsCertificate: pki.ds,
    now: new Date('2025-05-01T00:00:00Z'),
  });
  const stored = parseIssuedMdoc({
    id: 'mdl',
    issuerSigned: issued.issuerSigned,
    deviceKeyReference: {
      kind: 'signature',
      signer: createLocalSigner({ privateKey: device.privateKey, alg: CoseAlg.ES256 }),
    },
  });
  const { bytes: requestBytes } = await buildDeviceRequest({
    docRequests: [
      {
        docType: 'org.iso.18013.5.1.mDL',
        nameSpaces: { 'org.iso.18013.5.1': Object.fromEntries(requested.map((id) => [id, false])) },
      },
    ],
  });
  const request = await parseDeviceRequest(requestBytes, {});
  const answer = await answerDeviceRequest({ request, documents: [stored], sessionTranscript });
  return answer.bytes;
}
