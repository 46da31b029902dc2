import {
  type AnyCoseSigner,
  type CoseAlg,
  type Curve,
  createLocalDigestSigner,
  createLocalSigner,
  exportPublicKey,
  generateKeyPair,
  type KeyPair,
  randomBytes,
} from '@mdlkit/core/crypto';
import { buildDocumentSignerCertificate, buildIacaCertificate } from '@mdlkit/pki';

/** An IACA and a DS under it, with the DS signer. */
export interface TestIssuer {
  readonly iaca: Uint8Array;
  readonly iacaKey: KeyPair;
  readonly ds: Uint8Array;
  readonly dsKey: KeyPair;
  readonly signer: AnyCoseSigner;
  readonly alg: CoseAlg;
}

export const NOT_BEFORE: Date = new Date('2025-01-01T00:00:00Z');
export const NOT_AFTER: Date = new Date('2026-01-01T00:00:00Z');
export const NOW: Date = new Date('2025-03-01T12:00:00Z');

/** Build a test IACA + DS (P-256 by default) valid 2025. */
export async function makeIssuer(
  options: { curve?: Curve; alg?: CoseAlg; digest?: boolean; country?: string; state?: string } = {},
): Promise<TestIssuer> {
  const curve = options.curve ?? 'P-256';
  const alg = options.alg ?? -7;
  // Annex B certificates are ECDSA-signed: an EdDSA DS sits under a P-256 IACA.
  const eddsa = alg === -8;
  const iacaKey = generateKeyPair({ curve: eddsa ? 'P-256' : curve });
  const iacaSigner = createLocalSigner({ privateKey: iacaKey.privateKey, alg: eddsa ? -7 : alg });
  const country = options.country ?? 'US';
  const iaca = await buildIacaCertificate({
    subject: {
      country,
      commonName: 'Test IACA',
      ...(options.state === undefined ? {} : { stateOrProvince: options.state }),
    },
    publicKey: exportPublicKey(iacaKey.publicKey, 'spki'),
    signer: iacaSigner,
    issuerAltName: [{ email: 'iaca@example.com' }],
    crlDistributionPoint: 'https://example.com/iaca.crl',
    notBefore: NOT_BEFORE,
    notAfter: new Date('2030-01-01T00:00:00Z'),
    randomBytes,
  });
  const dsKey = generateKeyPair({ curve });
  const ds = await buildDocumentSignerCertificate({
    subject: { commonName: 'Test DS' },
    publicKey: exportPublicKey(dsKey.publicKey, 'spki'),
    issuer: { certificate: iaca, signer: iacaSigner },
    crlDistributionPoint: 'https://example.com/iaca.crl',
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    randomBytes,
  });
  const signer = options.digest
    ? createLocalDigestSigner({ privateKey: dsKey.privateKey, alg })
    : createLocalSigner({ privateKey: dsKey.privateKey, alg });
  return { iaca, iacaKey, ds, dsKey, signer, alg };
}

/** A small valid mDL namespace. */
export function sampleMdl(country = 'US'): Map<string, unknown> {
  return new Map<string, unknown>([
    ['family_name', 'Doe'],
    ['given_name', 'Jane'],
    ['issuing_country', country],
    ['document_number', 'D1234567'],
    ['age_over_18', true],
    ['age_over_21', true],
  ]);
}
