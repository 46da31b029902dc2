import {
  CoseAlg,
  createLocalSigner,
  exportPublicKey,
  generateKeyPair,
  type KeyPair,
  randomBytes,
} from '@mdlkit/core/crypto';
import type { StoredMdoc } from '@mdlkit/holder';
import { buildReaderAuthCertificate, buildReaderRootCertificate, TrustStore } from '@mdlkit/pki';
import { issueStoredMdl } from '@mdlkit/test-utils/mdoc';
import type { PresentationIntent } from '../src/oid4vp/index.js';
import { makePki, NOW, type Pki } from './fixtures.js';

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
  const mdl = await issueStoredMdl({ pki, device: generateKeyPair({ curve: 'P-256' }) });
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
