/**
 * @module
 * A local test PKI: an IACA with an in-memory P-256 key and Document Signer certificates under it,
 * for tests whose subject is not the PKI itself (a KMS or HSM signer, an issuance run).
 */
import {
  type CoseSigner,
  createLocalSigner,
  exportPublicKey,
  generateKeyPair,
  randomBytes,
} from '@mdlkit/core/crypto';
import { buildDocumentSignerCertificate, buildIacaCertificate } from '@mdlkit/pki';

/** An IACA certificate and the local signer of its key. */
export interface TestIaca {
  /** The IACA certificate (DER). */
  readonly certificate: Uint8Array;
  /** Signs with the IACA's private key (ES256). */
  readonly signer: CoseSigner;
}

/**
 * A self-signed IACA (18013-5 Table B.1) named `C=US, CN=<commonName>`, with a fresh P-256 key,
 * valid from 2025-01-01 to 2030-01-01, issuer alternative name `iaca@example.com` and CRL
 * distribution point `https://example.com/iaca.crl`.
 */
export async function buildTestIaca(commonName: string): Promise<TestIaca> {
  const key = generateKeyPair({ curve: 'P-256' });
  const signer = createLocalSigner({ privateKey: key.privateKey, alg: -7 });
  const certificate = await buildIacaCertificate({
    subject: { country: 'US', commonName },
    publicKey: exportPublicKey(key.publicKey, 'spki'),
    signer,
    issuerAltName: [{ email: 'iaca@example.com' }],
    crlDistributionPoint: 'https://example.com/iaca.crl',
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2030-01-01T00:00:00Z'),
    randomBytes,
  });
  return { certificate, signer };
}

/** Options of {@link buildTestDs}. */
export interface TestDsOptions {
  /** The issuing IACA. */
  readonly iaca: TestIaca;
  /** The DS key (SubjectPublicKeyInfo DER), for example a KMS or PKCS#11 signer's `publicKey`. */
  readonly publicKey: Uint8Array;
  /** The subject's common name; default `KMS DS`. */
  readonly commonName?: string;
}

/**
 * A Document Signer certificate (18013-5 Table B.3) for `publicKey` under `iaca`, named
 * `C=US, CN=<commonName>`, valid from 2025-01-01 to 2026-01-01.
 */
export function buildTestDs(options: TestDsOptions): Promise<Uint8Array> {
  return buildDocumentSignerCertificate({
    subject: { commonName: options.commonName ?? 'KMS DS', country: 'US' },
    publicKey: options.publicKey,
    issuer: { certificate: options.iaca.certificate, signer: options.iaca.signer },
    crlDistributionPoint: 'https://example.com/iaca.crl',
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2026-01-01T00:00:00Z'),
    randomBytes,
  });
}
