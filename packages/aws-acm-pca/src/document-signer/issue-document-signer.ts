import type { AwsCallOptions, AwsClientLike } from '@mdlkit/aws-common';
import type { AnyCoseSigner } from '@mdlkit/core/crypto';
import { type AltNameInput, type LintResult, MdlEku, type NameInput, type SpecEdition } from '@mdlkit/pki';
import { issueEndEntity } from '../internal/issue-end-entity.js';
import type { LintMode } from '../lint/lint-issued-certificate.js';
import type { WaitOptions } from '../wait/wait-until.js';

/** The template of the DS certificate: BasicConstraints CA:FALSE, AKI, SKI, plus passthrough. */
export const DOCUMENT_SIGNER_TEMPLATE = 'BlankEndEntityCertificate_APIPassthrough/V1';
/** Annex B Table B.3: DS notAfter ≤ notBefore + 457 days. */
export const MAX_DS_VALIDITY_DAYS = 457;
/** Default DS validity in days. Short lifetimes are suggested by Annex B; rotate the key with it. */
export const DEFAULT_DS_VALIDITY_DAYS = 365;

/** Options for {@link issueDocumentSigner}. */
export interface IssueDocumentSignerOptions extends AwsCallOptions {
  /** An injected `ACMPCAClient`. */
  readonly client: AwsClientLike;
  /** The IACA's ARN (ACTIVE). */
  readonly caArn: string;
  /**
   * Signs the CSR with the DS private key — a KMS signer from `createKmsSigner`, whose `publicKey`
   * is the key's SPKI. ECDSA only.
   */
  readonly signer: AnyCoseSigner & { readonly publicKey: Uint8Array };
  /** The DS subject; countryName and stateOrProvinceName default to the IACA's and must equal them. */
  readonly subject: NameInput;
  /** Default 365; more than 457 is refused (Annex B Table B.3). */
  readonly validityDays?: number;
  /** issuerAltName of the DS; default: the IACA's issuerAltName, copied. */
  readonly issuerAltName?: readonly AltNameInput[];
  /**
   * cRLDistributionPoints URI of the DS. Default: none added when the CA's CRL configuration adds
   * one, otherwise the IACA's distribution point, copied.
   */
  readonly crlDistributionPointUri?: string;
  /** Also list the ISO/IEC 23220-4 generic DS EKU 1.0.23220.4.1.2 (ed2 recommends it). */
  readonly genericEku?: boolean;
  /** IssueCertificate idempotency token. */
  readonly idempotencyToken?: string;
  /** Bounds of the wait for the certificate. */
  readonly wait?: WaitOptions;
  /** `strict` (default): a certificate failing the Annex B linter throws. */
  readonly lint?: LintMode;
  /** Annex B edition to lint against (default `2021`). */
  readonly edition?: SpecEdition;
}

/** A document signer certificate issued by AWS Private CA. */
export interface DocumentSignerResult {
  /** The certificate's ARN (keep it to revoke the certificate). */
  readonly certificateArn: string;
  /** The DS certificate, DER — what goes into the IssuerAuth `x5chain`. */
  readonly certificate: Uint8Array;
  /** The DS certificate, PEM. */
  readonly certificatePem: string;
  /** The issuing IACA certificate, DER. */
  readonly iacaCertificate: Uint8Array;
  /** The Annex B lint of the certificate (`ok` in strict mode). */
  readonly lint: LintResult;
}

const GENERIC_DS_EKU = '1.0.23220.4.1.2';

/**
 * Issues a document signer certificate for a KMS key from an IACA in AWS Private CA: checks the CA
 * is ACTIVE and reads its certificate, builds the PKCS#10 CSR with `@mdlkit/pki` and has the KMS
 * key sign it (the key never leaves KMS), then `IssueCertificate` with the
 * `BlankEndEntityCertificate_APIPassthrough` template, KeyUsage digitalSignature (critical),
 * ExtendedKeyUsage 1.0.18013.5.1.2 as a **critical** custom extension (ACM-PCA marks passthrough
 * EKU non-critical, and Annex B Table B.3 requires it critical), issuerAltName and
 * cRLDistributionPoints where the CA configuration does not add them, validity from `now`; waits
 * for the certificate and lints it against Table B.3 with the IACA as issuer.
 *
 * The validity is capped at 457 days: the AWS blog's 1825 days (5 years) breaks Annex B.
 *
 * IAM: `acm-pca:DescribeCertificateAuthority`, `acm-pca:GetCertificateAuthorityCertificate`,
 * `acm-pca:IssueCertificate`, `acm-pca:GetCertificate`, and `kms:Sign` on the DS key.
 *
 * @throws {@link MdlError} `ERR_X509_VALIDITY_TOO_LONG` (> 457 days), `ERR_X509_COUNTRY_MISMATCH` /
 *   `ERR_X509_STATE_MISMATCH` (subject vs IACA), `ERR_AWS_REQUEST_FAILED` (CA not ACTIVE, mapped AWS
 *   errors), `ERR_AWS_WAIT_TIMEOUT`, `ERR_X509_PROFILE_VIOLATION` (with the findings), the signer's
 *   `ERR_SIGNER_*` codes.
 * @example
 * ```ts
 * const signer = await createKmsSigner({ client: kms, keyId: 'alias/mdl-ds' });
 * const ds = await issueDocumentSigner({ client: pca, caArn, signer, subject: { commonName: 'NY DS 2026-1' } });
 * ```
 */
export async function issueDocumentSigner(
  options: IssueDocumentSignerOptions,
): Promise<DocumentSignerResult> {
  return issueEndEntity(options, {
    profile: 'ds',
    name: 'document signer',
    caller: 'issueDocumentSigner',
    clause: 'Annex B Table B.3',
    maxDays: MAX_DS_VALIDITY_DAYS,
    defaultDays: DEFAULT_DS_VALIDITY_DAYS,
    tooLongHint:
      "(The AWS blog's 1825 days violates the profile.) Use a short validity and rotate the DS key with the certificate.",
    eku: {
      oids: [MdlEku.documentSigner, ...(options.genericEku === true ? [GENERIC_DS_EKU] : [])],
      critical: true,
    },
  });
}
