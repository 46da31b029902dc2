import type { AwsCallOptions, AwsClientLike } from '@mdlkit/aws-common';
import type { AnyCoseSigner } from '@mdlkit/core/crypto';
import type { AltNameInput, LintResult, NameInput, SpecEdition } from '@mdlkit/pki';
import { issueEndEntity } from '../internal/issue-end-entity.js';
import type { LintMode } from '../lint/lint-issued-certificate.js';
import type { WaitOptions } from '../wait/wait-until.js';

/** ed2 Annex B Table B.9: a status-list (MSO revocation list) signer is valid for at most 1187 days. */
export const MAX_STATUS_LIST_SIGNER_VALIDITY_DAYS = 1187;
/** Default status-list signer validity in days. */
export const DEFAULT_STATUS_LIST_SIGNER_VALIDITY_DAYS = 365;

/** Options for {@link issueStatusListSigner}. */
export interface IssueStatusListSignerOptions extends AwsCallOptions {
  /** An injected `ACMPCAClient`. */
  readonly client: AwsClientLike;
  /** The IACA's ARN (ACTIVE) — the same IACA that issues the DS certificates whose MSOs point at the list. */
  readonly caArn: string;
  /**
   * Signs the CSR with the list signer's private key — a KMS signer from `createKmsSigner` (its
   * `publicKey` is the key's SPKI) or any signer port with the public key. ECDSA only.
   */
  readonly signer: AnyCoseSigner & { readonly publicKey: Uint8Array };
  /** The subject; countryName and stateOrProvinceName default to the IACA's and must equal them. */
  readonly subject: NameInput;
  /** Default 365; more than 1187 is refused (ed2 Table B.9). */
  readonly validityDays?: number;
  /** issuerAltName; default: the IACA's issuerAltName, copied (optional in Table B.9). */
  readonly issuerAltName?: readonly AltNameInput[];
  /** cRLDistributionPoints URI; default as for the DS (the CA configuration's, else the IACA's). */
  readonly crlDistributionPointUri?: string;
  /**
   * EKU OIDs to add (non-critical). Table B.9 makes EKU optional and no status-list EKU is
   * defined yet, so none is added by default.
   */
  readonly ekuOids?: readonly string[];
  /** IssueCertificate idempotency token. */
  readonly idempotencyToken?: string;
  /** Bounds of the wait for the certificate. */
  readonly wait?: WaitOptions;
  /** `strict` (default): a certificate failing the Annex B linter throws. */
  readonly lint?: LintMode;
  /** Annex B edition to lint against (default `2021`). */
  readonly edition?: SpecEdition;
}

/** A status-list signer certificate issued by AWS Private CA. */
export interface StatusListSignerResult {
  /** The certificate's ARN (keep it to revoke the certificate). */
  readonly certificateArn: string;
  /** The signer certificate, DER — what goes into the status list token's `x5chain`. */
  readonly certificate: Uint8Array;
  /** The signer certificate, PEM. */
  readonly certificatePem: string;
  /** The issuing IACA certificate, DER. */
  readonly iacaCertificate: Uint8Array;
  /** The `status-list-signer` lint of the certificate (`ok` in strict mode). */
  readonly lint: LintResult;
}

/**
 * Issues an MSO revocation-list signer certificate (Token Status List / identifier list signer,
 * ISO/IEC 18013-5 ed2 B.1.7 Table B.9) for a key from the IACA in AWS Private CA, the same way
 * as {@link issueDocumentSigner}: CSR signed by the key (which never leaves KMS), `IssueCertificate`
 * with the `BlankEndEntityCertificate_APIPassthrough` template, KeyUsage digitalSignature
 * (critical), no EKU unless `ekuOids`, issuerAltName and CRL distribution point from the IACA where
 * the CA configuration does not add them; waits, then lints against the `status-list-signer`
 * profile with the IACA as issuer.
 *
 * Issued by the IACA, the certificate needs no pinning in the MSO: a reader trusts the list signer
 * when it chains to the IACA that issued the DS (ed2 §12.3.6).
 *
 * IAM: `acm-pca:DescribeCertificateAuthority`, `acm-pca:GetCertificateAuthorityCertificate`,
 * `acm-pca:IssueCertificate`, `acm-pca:GetCertificate`, and `kms:Sign` on the key.
 *
 * @throws {@link MdlError} `ERR_X509_VALIDITY_TOO_LONG` (> 1187 days), `ERR_X509_COUNTRY_MISMATCH` /
 *   `ERR_X509_STATE_MISMATCH`, `ERR_AWS_REQUEST_FAILED` (CA not ACTIVE, mapped AWS errors),
 *   `ERR_AWS_WAIT_TIMEOUT`, `ERR_X509_PROFILE_VIOLATION` (with the findings), the signer's `ERR_SIGNER_*` codes.
 * @example
 * ```ts
 * const signer = await createKmsSigner({ client: kms, keyId: 'alias/mdl-status-list' });
 * const sl = await issueStatusListSigner({ client: pca, caArn, signer, subject: { commonName: 'NY status list 1' } });
 * const token = await buildStatusListToken({ statusList, uri, signer, certificateChain: [sl.certificate] });
 * ```
 */
export function issueStatusListSigner(
  options: IssueStatusListSignerOptions,
): Promise<StatusListSignerResult> {
  return issueEndEntity(options, {
    profile: 'status-list-signer',
    name: 'status list signer',
    caller: 'issueStatusListSigner',
    clause: 'ed2 Annex B Table B.9',
    maxDays: MAX_STATUS_LIST_SIGNER_VALIDITY_DAYS,
    defaultDays: DEFAULT_STATUS_LIST_SIGNER_VALIDITY_DAYS,
    ...(options.ekuOids === undefined ? {} : { eku: { oids: options.ekuOids, critical: false } }),
  });
}
