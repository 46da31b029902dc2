import { type AwsCallOptions, type AwsClientLike, pickAwsCallOptions } from '@mdlkit/aws-kms';
import type { AnyCoseSigner } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import {
  type AltNameInput,
  buildCsr,
  derToPem,
  ExtensionOid,
  extensionsFor,
  type LintResult,
  MdlEku,
  type NameInput,
  type ParsedCertificate,
  parseCertificate,
  pemToDer,
  type SpecEdition,
} from '@mdlkit/pki';
import { extensionValue, waitForCertificate } from '../iaca/create-iaca.js';
import {
  pcaDescribeCertificateAuthority,
  pcaGetCaCertificate,
  pcaIssueCertificate,
} from '../internal/pca-commands.js';
import {
  checkDays,
  EC_SIGNING_ALGORITHM,
  epochSeconds,
  templateArn,
  toBase64,
} from '../internal/pca-helpers.js';
import { type LintMode, lintIssued } from '../lint/lint-issued-certificate.js';
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
  const { client, caArn, signer } = options;
  const call = pickAwsCallOptions(options);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? (() => new Date());
  const validityDays = options.validityDays ?? DEFAULT_DS_VALIDITY_DAYS;
  if (
    typeof validityDays === 'number' &&
    Number.isInteger(validityDays) &&
    validityDays > MAX_DS_VALIDITY_DAYS
  ) {
    throw new MdlError(
      'ERR_X509_VALIDITY_TOO_LONG',
      `A document signer certificate may be valid for at most ${MAX_DS_VALIDITY_DAYS} days (ISO/IEC 18013-5 ` +
        `Annex B Table B.3); ${validityDays} was asked. (The AWS blog's 1825 days violates the profile.) ` +
        'Use a short validity and rotate the DS key with the certificate.',
      { details: { validityDays, limit: MAX_DS_VALIDITY_DAYS } },
    );
  }
  checkDays(validityDays, 1, MAX_DS_VALIDITY_DAYS, 'validityDays');
  if (!(signer?.publicKey instanceof Uint8Array)) {
    throw new MdlError(
      'ERR_INVALID_ARGUMENT',
      'issueDocumentSigner needs a signer with its publicKey (SPKI DER).',
    );
  }

  const described = await pcaDescribeCertificateAuthority(client, caArn, call);
  const authority = described.CertificateAuthority;
  if (authority?.Status !== 'ACTIVE') {
    throw new MdlError(
      'ERR_AWS_REQUEST_FAILED',
      `AWS Private CA ${caArn} is ${authority?.Status ?? 'unknown'}, not ACTIVE: it cannot issue document signer ` +
        'certificates (import its certificate first, or restore / enable it).',
      { details: { caArn, status: authority?.Status } },
    );
  }
  const keyAlgorithm = authority.CertificateAuthorityConfiguration?.KeyAlgorithm;
  const signingAlgorithm =
    authority.CertificateAuthorityConfiguration?.SigningAlgorithm ??
    EC_SIGNING_ALGORITHM[keyAlgorithm as keyof typeof EC_SIGNING_ALGORITHM];
  if (signingAlgorithm === undefined || !/WITHECDSA$/.test(signingAlgorithm)) {
    throw new MdlError(
      'ERR_AWS_CONFIG_INVALID',
      `AWS Private CA ${caArn} signs with ${signingAlgorithm ?? 'an unknown algorithm'}; an IACA signs with ECDSA (Annex B).`,
      { details: { caArn, keyAlgorithm } },
    );
  }
  const crlFromCa =
    authority.RevocationConfiguration?.CrlConfiguration?.Enabled === true &&
    authority.RevocationConfiguration.CrlConfiguration.CrlDistributionPointExtensionConfiguration
      ?.OmitExtension !== true;

  const caCertificate = await pcaGetCaCertificate(client, caArn, call);
  if (caCertificate.Certificate === undefined) {
    throw new MdlError('ERR_AWS_REQUEST_FAILED', `AWS Private CA ${caArn} returned no CA certificate.`);
  }
  const iacaDer = pemToDer(caCertificate.Certificate);
  const iaca = parseCertificate(iacaDer);
  const subject = subjectUnderIaca(options.subject, iaca);

  const csr = await buildCsr({ subject, publicKey: signer.publicKey, signer });

  const ekuOids = [MdlEku.documentSigner, ...(options.genericEku === true ? [GENERIC_DS_EKU] : [])];
  const customExtensions: { ObjectIdentifier: string; Value: string; Critical: boolean }[] = [
    {
      ObjectIdentifier: ExtensionOid.extKeyUsage,
      Value: toBase64(extensionValue(extensionsFor.eku(ekuOids, true))),
      Critical: true,
    },
  ];
  const ian =
    options.issuerAltName === undefined
      ? iaca.extensions.find((e) => e.oid === ExtensionOid.issuerAltName)?.value
      : extensionValue(extensionsFor.issuerAltName(options.issuerAltName));
  if (ian !== undefined) {
    customExtensions.push({
      ObjectIdentifier: ExtensionOid.issuerAltName,
      Value: toBase64(ian),
      Critical: false,
    });
  }
  if (options.crlDistributionPointUri !== undefined || !crlFromCa) {
    const cdp =
      options.crlDistributionPointUri === undefined
        ? iaca.extensions.find((e) => e.oid === ExtensionOid.cRLDistributionPoints)?.value
        : extensionValue(extensionsFor.crlDistributionPoint(options.crlDistributionPointUri));
    if (cdp !== undefined) {
      customExtensions.push({
        ObjectIdentifier: ExtensionOid.cRLDistributionPoints,
        Value: toBase64(cdp),
        Critical: false,
      });
    }
  }

  const notBefore = now();
  const issued = await pcaIssueCertificate(
    client,
    {
      CertificateAuthorityArn: caArn,
      Csr: new TextEncoder().encode(derToPem(csr, 'CERTIFICATE REQUEST')),
      SigningAlgorithm: signingAlgorithm,
      TemplateArn: templateArn(caArn, DOCUMENT_SIGNER_TEMPLATE),
      ValidityNotBefore: { Type: 'ABSOLUTE', Value: epochSeconds(notBefore) },
      Validity: { Type: 'ABSOLUTE', Value: epochSeconds(notBefore) + validityDays * 86_400 },
      ApiPassthrough: {
        Extensions: { KeyUsage: { DigitalSignature: true }, CustomExtensions: customExtensions },
      },
      ...(options.idempotencyToken === undefined ? {} : { IdempotencyToken: options.idempotencyToken }),
    },
    call,
  );
  const certificateArn = issued.CertificateArn;
  if (certificateArn === undefined)
    throw new MdlError('ERR_AWS_REQUEST_FAILED', 'IssueCertificate returned no ARN.');
  const certificatePem = await waitForCertificate(client, caArn, certificateArn, call, options.wait, sleep);
  const certificate = pemToDer(certificatePem);
  const parsed = parseCertificate(certificate);
  if (!sameBytes(parsed.publicKeyInfo.spki, signer.publicKey)) {
    throw new MdlError(
      'ERR_AWS_REQUEST_FAILED',
      `Certificate ${certificateArn} does not certify the signer's public key.`,
      { details: { certificateArn } },
    );
  }
  const lint = lintIssued(certificate, 'ds', {
    issuer: iacaDer,
    ...(options.edition === undefined ? {} : { edition: options.edition }),
    ...(options.lint === undefined ? {} : { mode: options.lint }),
    where: certificateArn,
  });
  return { certificateArn, certificate, certificatePem, iacaCertificate: iacaDer, lint };
}

/** Default the DS subject's country / state to the IACA's and reject mismatches (Annex B B.1.1). */
function subjectUnderIaca(subject: NameInput, iaca: ParsedCertificate): NameInput {
  const country = subject.country ?? iaca.subject.country;
  const state = subject.stateOrProvince ?? iaca.subject.stateOrProvince;
  if (country !== iaca.subject.country) {
    throw new MdlError(
      'ERR_X509_COUNTRY_MISMATCH',
      'The DS subject countryName must equal the IACA countryName (Annex B B.1.1).',
    );
  }
  if (iaca.subject.stateOrProvince !== undefined && state !== iaca.subject.stateOrProvince) {
    throw new MdlError(
      'ERR_X509_STATE_MISMATCH',
      'The DS subject stateOrProvinceName must equal the IACA stateOrProvinceName (Annex B B.1.1).',
    );
  }
  return {
    ...subject,
    ...(country === undefined ? {} : { country }),
    ...(state === undefined ? {} : { stateOrProvince: state }),
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
