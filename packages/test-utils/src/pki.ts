/**
 * @module
 * A local test PKI: an IACA with an in-memory P-256 key and Document Signer certificates under it,
 * for tests whose subject is not the PKI itself (a KMS or HSM signer, an issuance run).
 */
import {
  CoseAlg,
  type CoseSigner,
  createLocalSigner,
  exportPublicKey,
  generateKeyPair,
  type KeyPair,
  randomBytes,
} from '@mdlkit/core/crypto';
import { buildDocumentSignerCertificate, buildIacaCertificate, TrustStore } from '@mdlkit/pki';

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

/** A certificate's validity period. */
export interface CertificateValidity {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

const DAY = 86_400_000;

/**
 * A validity period around `at`: from one day before it (so a verifier whose clock is a little
 * behind still accepts the certificate) to `days` days after it. For tests whose subject verifies
 * at the current time (a server, a browser page) and so cannot be given a fixed `now`.
 *
 * @example
 * ```ts
 * const at = new Date();
 * const pki = await buildTestPki({ iacaName: 'IACA', dsName: 'DS', iacaValidity: validAround(at, 365) });
 * ```
 */
export function validAround(at: Date, days: number): CertificateValidity {
  return { notBefore: new Date(at.getTime() - DAY), notAfter: new Date(at.getTime() + days * DAY) };
}

/** An IACA, a DS under it and a trust store holding the IACA: what a reader test verifies against. */
export interface TestPki {
  /** The IACA certificate (DER). */
  readonly iaca: Uint8Array;
  /** Signs with the IACA's private key (ES256): further certificates or CRLs under the same IACA. */
  readonly iacaSigner: CoseSigner;
  /** The DS certificate (DER). */
  readonly ds: Uint8Array;
  /** The DS key pair (sign MSOs with its private key). */
  readonly dsKey: KeyPair;
  /** Trusts the IACA. */
  readonly trust: TrustStore;
}

/** Options of {@link buildTestPki}. */
export interface TestPkiOptions {
  /** The IACA's common name. */
  readonly iacaName: string;
  /** The DS's common name. */
  readonly dsName: string;
  /** The IACA's `stateOrProvince` (ISO 3166-2, e.g. `US-NY`); none when left out. */
  readonly stateOrProvince?: string;
  /** The IACA's validity; default 2025-01-01 – 2030-01-01. See {@link validAround} for the current time. */
  readonly iacaValidity?: CertificateValidity;
  /** The DS's validity (within the IACA's); default 2025-03-01 – 2026-03-01. */
  readonly dsValidity?: CertificateValidity;
}

/**
 * A P-256 IACA `C=US[, ST=<stateOrProvince>], CN=<iacaName>` (default validity 2025-01-01 –
 * 2030-01-01) and a DS `CN=<dsName>` under it (default 2025-03-01 – 2026-03-01), both with fresh
 * keys, issuer alternative name `https://dmv.example` and CRL distribution point
 * `https://dmv.example/crl`.
 *
 * @example
 * ```ts
 * const pki = await buildTestPki({ iacaName: 'reader test IACA', dsName: 'reader test DS', stateOrProvince: 'US-NY' });
 * const report = await verifyDeviceResponse(response, { trust: pki.trust, now, sessionTranscript });
 * ```
 * @throws {@link MdlError} `ERR_X509_VALIDITY_TOO_LONG` or `ERR_X509_PROFILE_VIOLATION` when a
 * validity option breaks the Annex B limits (IACA ≤ 20 years, DS ≤ 457 days).
 */
export async function buildTestPki(options: TestPkiOptions): Promise<TestPki> {
  const iacaKey = generateKeyPair({ curve: 'P-256' });
  const iacaSigner = createLocalSigner({ privateKey: iacaKey.privateKey, alg: CoseAlg.ES256 });
  const iaca = await buildIacaCertificate({
    subject: {
      country: 'US',
      ...(options.stateOrProvince === undefined ? {} : { stateOrProvince: options.stateOrProvince }),
      commonName: options.iacaName,
    },
    publicKey: exportPublicKey(iacaKey.publicKey, 'spki'),
    signer: iacaSigner,
    issuerAltName: [{ uri: 'https://dmv.example' }],
    crlDistributionPoint: 'https://dmv.example/crl',
    ...(options.iacaValidity ?? {
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2030-01-01T00:00:00Z'),
    }),
    randomBytes,
  });
  const dsKey = generateKeyPair({ curve: 'P-256' });
  const ds = await buildDocumentSignerCertificate({
    subject: { commonName: options.dsName },
    publicKey: exportPublicKey(dsKey.publicKey, 'spki'),
    issuer: { certificate: iaca, signer: iacaSigner },
    crlDistributionPoint: 'https://dmv.example/crl',
    ...(options.dsValidity ?? {
      notBefore: new Date('2025-03-01T00:00:00Z'),
      notAfter: new Date('2026-03-01T00:00:00Z'),
    }),
    randomBytes,
  });
  return { iaca, iacaSigner, ds, dsKey, trust: new TrustStore([iaca]) };
}
