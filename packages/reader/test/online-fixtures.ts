import { publicKeyToCoseKey } from '@mdlkit/core/cose';
import {
  CoseAlg,
  createLocalSigner,
  exportPublicKey,
  generateKeyPair,
  type KeyPair,
  randomBytes,
} from '@mdlkit/core/crypto';
import { parseIssuedMdoc, type StoredMdoc } from '@mdlkit/holder';
import { issueMdoc } from '@mdlkit/issuer';
import { buildReaderAuthCertificate, buildReaderRootCertificate, TrustStore } from '@mdlkit/pki';
import type { PresentationIntent } from '../src/oid4vp/index.js';
import { ELEMENTS, makePki, NOW, type Pki } from './fixtures.js';

export { NOW };

export interface OnlineWorld {
  readonly pki: Pki;
  readonly mdl: StoredMdoc;
  readonly reader: {
    readonly key: KeyPair;
    readonly chain: readonly Uint8Array[];
    readonly trust: TrustStore;
  };
}

export const INTENT: PresentationIntent = {
  docType: 'org.iso.18013.5.1.mDL',
  elements: { 'org.iso.18013.5.1': { family_name: false, age_over_21: false, portrait: true } },
};

export async function makeOnlineWorld(): Promise<OnlineWorld> {
  const pki = await makePki();
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
  const mdl = parseIssuedMdoc({
    id: 'mdl',
    issuerSigned: issued.issuerSigned,
    deviceKeyReference: {
      kind: 'signature',
      signer: createLocalSigner({ privateKey: device.privateKey, alg: CoseAlg.ES256 }),
    },
  });
  const rootKey = generateKeyPair({ curve: 'P-256' });
  const rootSigner = createLocalSigner({ privateKey: rootKey.privateKey, alg: CoseAlg.ES256 });
  const root = await buildReaderRootCertificate({
    subject: { country: 'US', commonName: 'online reader root' },
    issuerAltName: [{ uri: 'https://verifier.example' }],
    publicKey: exportPublicKey(rootKey.publicKey, 'spki'),
    signer: rootSigner,
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2030-01-01T00:00:00Z'),
    randomBytes,
  });
  const key = generateKeyPair({ curve: 'P-256' });
  const leaf = await buildReaderAuthCertificate({
    subject: { commonName: 'verifier.example' },
    publicKey: exportPublicKey(key.publicKey, 'spki'),
    issuer: { certificate: root, signer: rootSigner },
    crlDistributionPoint: 'https://verifier.example/crl',
    dnsNames: ['verifier.example'],
    notBefore: new Date('2025-02-01T00:00:00Z'),
    notAfter: new Date('2026-02-01T00:00:00Z'),
    randomBytes,
  });
  return { pki, mdl, reader: { key, chain: [leaf], trust: new TrustStore([root]) } };
}
