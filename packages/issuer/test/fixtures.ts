import { FullDate } from '@mdlkit/core/cbor';
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
  // Annex B certificates are ECDSA-signed: EdDSA and brainpool DS keys sit under a P-256 IACA.
  const nist = curve === 'P-256' || curve === 'P-384' || curve === 'P-521';
  const iacaKey = generateKeyPair({ curve: nist ? curve : 'P-256' });
  const iacaSigner = createLocalSigner({ privateKey: iacaKey.privateKey, alg: nist ? alg : -7 });
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

/** A small JPEG-looking portrait (the schema checks the JPEG signature). */
export const PORTRAIT: Uint8Array = new Uint8Array([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0xff, 0xd9,
]);

/** A complete mDL namespace (every mandatory element of ISO/IEC 18013-5 Table 5) plus age attestations. */
export function sampleMdl(country = 'US'): Map<string, unknown> {
  return new Map<string, unknown>([
    ['family_name', 'Doe'],
    ['given_name', 'Jane'],
    ['birth_date', new FullDate('1990-04-12')],
    ['issue_date', new FullDate('2025-01-15')],
    ['expiry_date', new FullDate('2030-01-15')],
    ['issuing_country', country],
    ['issuing_authority', 'Test DMV'],
    ['document_number', 'D1234567'],
    ['portrait', PORTRAIT],
    [
      'driving_privileges',
      [
        new Map<string, unknown>([
          ['vehicle_category_code', 'B'],
          ['issue_date', new FullDate('2010-05-01')],
        ]),
      ],
    ],
    ['un_distinguishing_sign', 'USA'],
    ['age_over_18', true],
    ['age_over_21', true],
  ]);
}
