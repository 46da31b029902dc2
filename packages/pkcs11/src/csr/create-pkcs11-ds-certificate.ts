import {
  type AltNameInput,
  buildDocumentSignerCertificate,
  type IssuerInput,
  type LintRuleset,
  type NameInput,
  parseCsr,
} from '@mdlkit/pki';
import { Pkcs11Error } from '../errors/pkcs11-error.js';
import { checkSignerCertificate, type Pkcs11Signer } from '../signer/create-pkcs11-signer.js';
import { createPkcs11Csr } from './create-pkcs11-csr.js';

/** Options for {@link createPkcs11DsCertificate}. */
export interface CreatePkcs11DsCertificateOptions {
  /** The signer of the token key the DS certificate is for. */
  readonly signer: Pkcs11Signer;
  /** The DS subject (countryName must match the IACA's, ISO/IEC 18013-5 Table B.3). */
  readonly subject: NameInput;
  /** The IACA: its certificate and a signer for its key (local, KMS or another token). */
  readonly issuer: IssuerInput;
  /** The IACA's CRL distribution point URI (mandatory in the DS profile). */
  readonly crlDistributionPoint: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** CSPRNG for the serial number. */
  readonly randomBytes: (length: number) => Uint8Array;
  /** issuerAltName of the DS certificate; defaults to a copy of the IACA's. */
  readonly issuerAltName?: readonly AltNameInput[];
  /** The lint ruleset the built certificate must pass (default `iso`; `aamva` also needs stateOrProvinceName). */
  readonly ruleset?: LintRuleset;
}

/** A DS certificate made for a token key, with the CSR it was issued from. */
export interface Pkcs11DsCertificate {
  /** The PKCS#10 request, signed on the token. */
  readonly csr: Uint8Array;
  /** The DS certificate (DER), Annex B Table B.3 profile. */
  readonly certificate: Uint8Array;
}

/**
 * The whole DS certificate step for a key that stays on the token: a CSR signed by the token key,
 * its self-signature checked as the IACA operator would, the DS certificate issued for the CSR's
 * key by `@mdlkit/pki`'s `buildDocumentSignerCertificate`, and the result checked against the
 * signer (its SPKI is the token key's). The CLI's certificate commands call this.
 *
 * @throws {@link Pkcs11Error} `ERR_PKCS11_KEY_CERTIFICATE_MISMATCH` when the CSR does not verify or
 *   the certificate is not for the token key; the builders' `ERR_X509_*` / `ERR_INVALID_ARGUMENT`
 *   and the signers' errors.
 * @example
 * ```ts
 * const { certificate } = await createPkcs11DsCertificate({
 *   signer, subject: { country: 'US', stateOrProvince: 'US-NY', commonName: 'NY DS 1' },
 *   issuer: { certificate: iacaDer, signer: iacaSigner }, crlDistributionPoint: 'https://dmv.example/iaca.crl',
 *   notBefore, notAfter, randomBytes,
 * });
 * ```
 */
export async function createPkcs11DsCertificate(
  options: CreatePkcs11DsCertificateOptions,
): Promise<Pkcs11DsCertificate> {
  const csr = await createPkcs11Csr({ signer: options.signer, subject: options.subject });
  const parsed = await parseCsr(csr);
  if (!parsed.signatureValid) {
    throw new Pkcs11Error(
      'ERR_PKCS11_KEY_CERTIFICATE_MISMATCH',
      `The CSR signed by PKCS#11 key ${options.signer.keyLabel} does not verify with the key it names.`,
      { details: { key: options.signer.keyLabel, token: options.signer.tokenLabel } },
    );
  }
  const certificate = await buildDocumentSignerCertificate({
    subject: options.subject,
    publicKey: parsed.publicKeyInfo.spki,
    issuer: options.issuer,
    crlDistributionPoint: options.crlDistributionPoint,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    randomBytes: options.randomBytes,
    ...(options.issuerAltName === undefined ? {} : { issuerAltName: options.issuerAltName }),
    ...(options.ruleset === undefined ? {} : { ruleset: options.ruleset }),
  });
  checkSignerCertificate({ signer: options.signer, certificate });
  return { csr, certificate };
}
