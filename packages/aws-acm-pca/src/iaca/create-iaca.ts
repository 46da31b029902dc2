import type { CreateCertificateAuthorityCommandInput, Tag } from '@aws-sdk/client-acm-pca';
import { type AwsCallOptions, type AwsClientLike, pickAwsCallOptions } from '@mdlkit/aws-common';
import { MdlError } from '@mdlkit/core/errors';
import { type AltNameInput, extensionsFor, type LintResult, pemToDer, type SpecEdition } from '@mdlkit/pki';
import {
  pcaCreateCertificateAuthority,
  pcaDescribeCertificateAuthority,
  pcaGetCertificate,
  pcaGetCsr,
  pcaImportCaCertificate,
  pcaIssueCertificate,
} from '../internal/pca-commands.js';
import {
  checkDays,
  checkIdempotencyToken,
  derivedIdempotencyToken,
  EC_SIGNING_ALGORITHM,
  epochSeconds,
  parseCaArn,
  templateArn,
  toBase64,
} from '../internal/pca-helpers.js';
import { type LintMode, lintIssued } from '../lint/lint-issued-certificate.js';
import { type WaitOptions, waitUntil } from '../wait/wait-until.js';

/** The template of the IACA root: BasicConstraints CA:TRUE, pathLen 0 (critical), SKI, plus passthrough. */
export const IACA_TEMPLATE = 'BlankRootCACertificate_PathLen0_APIPassthrough/V1';

/** Default IACA validity: 3285 days = 9 years ("9 years suffices if only mDLs", Annex B Table B.1). */
export const DEFAULT_IACA_VALIDITY_DAYS = 3285;
/** Annex B Table B.1: IACA notAfter ≤ notBefore + 20 years. */
export const MAX_IACA_VALIDITY_DAYS = 7305;

/** ACM-PCA EC key algorithms usable for an IACA. */
export type IacaKeyAlgorithm = 'EC_prime256v1' | 'EC_secp384r1' | 'EC_secp521r1';

/** The IACA subject (= issuer): countryName and commonName mandatory (Annex B Table B.1). */
export interface IacaSubject {
  /** Upper-case ISO 3166-1 alpha-2 code, = the mDL `issuing_country`. */
  readonly country: string;
  /** If present, every DS certificate must carry the same value (= `issuing_jurisdiction`). */
  readonly stateOrProvince?: string;
  readonly organization?: string;
  readonly commonName: string;
}

/** ACM-PCA-managed CRL publishing (S3). */
export interface IacaCrlOptions {
  /** The S3 bucket ACM-PCA writes the CRL to (its policy must let acm-pca.amazonaws.com write). */
  readonly s3BucketName: string;
  /** A CNAME for the bucket, used in the CRL distribution point instead of the S3 host name. */
  readonly customCname?: string;
  /** CRL nextUpdate − thisUpdate in days (default 7; Annex B: issue at least every 90 days). */
  readonly expirationInDays?: number;
  /**
   * The ACL ACM-PCA puts on the CRL object. Default `BUCKET_OWNER_FULL_CONTROL`, which works with S3
   * Block Public Access (the default for new buckets; AWS's own default, `PUBLIC_READ`, makes
   * CreateCertificateAuthority fail there). Serve the CRL through CloudFront or a bucket policy.
   */
  readonly s3ObjectAcl?: 'PUBLIC_READ' | 'BUCKET_OWNER_FULL_CONTROL';
}

/** Options for {@link createIaca}. */
export interface CreateIacaOptions extends AwsCallOptions {
  /** An injected `ACMPCAClient` (`new ACMPCAClient({ region, ...awsClientDefaults() })`). */
  readonly client: AwsClientLike;
  readonly subject: IacaSubject;
  /** issuerAltName contact info: at least one e-mail or URI (Annex B Table B.1, mandatory). */
  readonly issuerAltName: readonly AltNameInput[];
  /** Let ACM-PCA publish the CRL; the distribution point URI is derived from it. */
  readonly crl?: IacaCrlOptions;
  /**
   * The cRLDistributionPoints URI to put in the IACA (and, by default, its DS certificates) when you
   * publish the CRL yourself; overrides the one derived from `crl`. Annex B 2021 requires one.
   */
  readonly crlDistributionPointUri?: string;
  /** Default `EC_prime256v1` (SHA256WITHECDSA); `EC_secp384r1` (SHA384), `EC_secp521r1` (SHA512). */
  readonly keyAlgorithm?: IacaKeyAlgorithm;
  /** Default 3285 (9 years); at most 7305 (20 years). */
  readonly validityDays?: number;
  /**
   * CreateCertificateAuthority idempotency token, 1..36 characters (checked before any call):
   * retrying within 5 minutes with the same token returns the same CA. The root certificate request
   * gets a token derived from it (also ≤ 36 characters), so the retry gets the same certificate.
   */
  readonly idempotencyToken?: string;
  /** Waits between polls. Default a `setTimeout` promise. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly tags?: readonly { readonly Key: string; readonly Value?: string }[];
  /** `FIPS_140_2_LEVEL_3_OR_HIGHER` (default in most Regions) or `FIPS_140_2_LEVEL_2_OR_HIGHER`. */
  readonly keyStorageSecurityStandard?: 'FIPS_140_2_LEVEL_2_OR_HIGHER' | 'FIPS_140_2_LEVEL_3_OR_HIGHER';
  /** Bounds of each wait (CSR, certificate, ACTIVE). */
  readonly wait?: WaitOptions;
  /** `strict` (default): a certificate that fails the Annex B linter throws before import. */
  readonly lint?: LintMode;
  /** Annex B edition to lint against (default `2021`). */
  readonly edition?: SpecEdition;
}

/** An IACA created in AWS Private CA. */
export interface IacaResult {
  /** The CA's ARN. */
  readonly caArn: string;
  /** The ARN of the self-issued root certificate. */
  readonly certificateArn: string;
  /** The IACA certificate, DER. */
  readonly certificate: Uint8Array;
  /** The IACA certificate, PEM (as ACM-PCA returned it). */
  readonly certificatePem: string;
  /** The Annex B lint of the certificate (`ok` in strict mode). */
  readonly lint: LintResult;
}

/**
 * Creates an IACA root in AWS Private CA — the AWS mDL reference flow, finished and checked:
 * `CreateCertificateAuthority` (ROOT, EC key, subject C + CN [+ ST, O], optional CRL configuration),
 * wait for the CSR, `IssueCertificate` on itself with the `BlankRootCACertificate_PathLen0_APIPassthrough`
 * template (BasicConstraints CA:TRUE pathLen 0), API passthrough KeyUsage keyCertSign + cRLSign and
 * custom extensions cRLDistributionPoints (2.5.29.31) and issuerAltName (2.5.29.18), validity from
 * `now` for `validityDays`, wait for it, lint it against Annex B Table B.1, then
 * `ImportCertificateAuthorityCertificate` and wait for ACTIVE.
 *
 * A certificate that fails the strict lint is not imported: the CA stays PENDING_CERTIFICATE, so
 * nothing non-compliant is ever activated.
 *
 * IAM: `acm-pca:CreateCertificateAuthority`, `acm-pca:GetCertificateAuthorityCsr`,
 * `acm-pca:IssueCertificate`, `acm-pca:GetCertificate`, `acm-pca:ImportCertificateAuthorityCertificate`,
 * `acm-pca:DescribeCertificateAuthority` (+ `acm-pca:TagCertificateAuthority` with tags).
 *
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` (subject, validity, no CRL distribution point under
 *   the 2021 profile), `ERR_AWS_WAIT_TIMEOUT` (with the last error), `ERR_X509_PROFILE_VIOLATION`
 *   ({@link CertificateProfileViolationError}, with the findings), `ERR_AWS_REQUEST_FAILED` /
 *   `ERR_AWS_CONFIG_INVALID` (mapped AWS errors).
 * @example
 * ```ts
 * const iaca = await createIaca({
 *   client: new ACMPCAClient({ region, ...awsClientDefaults() }),
 *   subject: { country: 'US', stateOrProvince: 'US-NY', commonName: 'NY mDL IACA' },
 *   issuerAltName: [{ uri: 'https://dmv.ny.gov/mdl' }],
 *   crl: { s3BucketName: 'ny-mdl-crl', customCname: 'crl.dmv.ny.gov' },
 * });
 * ```
 */
export async function createIaca(options: CreateIacaOptions): Promise<IacaResult> {
  const { client, subject } = options;
  const call = pickAwsCallOptions(options);
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? (() => new Date());
  const keyAlgorithm = options.keyAlgorithm ?? 'EC_prime256v1';
  const signingAlgorithm = EC_SIGNING_ALGORITHM[keyAlgorithm];
  if (signingAlgorithm === undefined) {
    throw new MdlError(
      'ERR_INVALID_ARGUMENT',
      'IACA keyAlgorithm must be EC_prime256v1, EC_secp384r1 or EC_secp521r1.',
    );
  }
  checkIdempotencyToken(options.idempotencyToken);
  const validityDays = options.validityDays ?? DEFAULT_IACA_VALIDITY_DAYS;
  checkDays(validityDays, 1, MAX_IACA_VALIDITY_DAYS, 'validityDays');
  checkSubject(subject);
  if (!Array.isArray(options.issuerAltName) || options.issuerAltName.length === 0) {
    throw new MdlError(
      'ERR_INVALID_ARGUMENT',
      'An IACA needs issuerAltName contact information (at least one e-mail or URI; Annex B Table B.1).',
    );
  }
  if (
    options.crl === undefined &&
    options.crlDistributionPointUri === undefined &&
    options.edition !== 'ed2'
  ) {
    throw new MdlError(
      'ERR_INVALID_ARGUMENT',
      'Annex B (2021) requires a cRLDistributionPoints URI in the IACA: give `crl` (ACM-PCA publishes the CRL) ' +
        'or `crlDistributionPointUri` (you publish it).',
    );
  }
  const issuerAltNameExtension = extensionsFor.issuerAltName(options.issuerAltName);

  const input: CreateCertificateAuthorityCommandInput = {
    CertificateAuthorityType: 'ROOT',
    CertificateAuthorityConfiguration: {
      // the installed client's model predates EC_secp521r1; AWS accepts it
      KeyAlgorithm: keyAlgorithm as 'EC_secp384r1',
      SigningAlgorithm: signingAlgorithm as 'SHA384WITHECDSA',
      Subject: {
        Country: subject.country,
        ...(subject.stateOrProvince === undefined ? {} : { State: subject.stateOrProvince }),
        ...(subject.organization === undefined ? {} : { Organization: subject.organization }),
        CommonName: subject.commonName,
      },
    },
    ...(options.crl === undefined
      ? {}
      : {
          RevocationConfiguration: {
            CrlConfiguration: {
              Enabled: true,
              ExpirationInDays: options.crl.expirationInDays ?? 7,
              S3BucketName: options.crl.s3BucketName,
              ...(options.crl.customCname === undefined ? {} : { CustomCname: options.crl.customCname }),
              S3ObjectAcl: options.crl.s3ObjectAcl ?? 'BUCKET_OWNER_FULL_CONTROL',
              CrlDistributionPointExtensionConfiguration: { OmitExtension: false },
            },
          },
        }),
    ...(options.idempotencyToken === undefined ? {} : { IdempotencyToken: options.idempotencyToken }),
    ...(options.keyStorageSecurityStandard === undefined
      ? {}
      : { KeyStorageSecurityStandard: options.keyStorageSecurityStandard }),
    ...(options.tags === undefined ? {} : { Tags: options.tags.map((t) => ({ ...t }) as Tag) }),
  };
  const created = await pcaCreateCertificateAuthority(client, input, call);
  const caArn = created.CertificateAuthorityArn;
  if (caArn === undefined)
    throw new MdlError('ERR_AWS_REQUEST_FAILED', 'CreateCertificateAuthority returned no ARN.');

  const csrPem = await waitUntil(
    `the CSR of ${caArn}`,
    async () => {
      const out = await pcaGetCsr(client, caArn, call);
      return out.Csr === undefined ? { ready: false, state: 'no CSR' } : { ready: true, value: out.Csr };
    },
    { ...options.wait, sleep },
  );

  const customExtensions: { ObjectIdentifier: string; Value: string; Critical: boolean }[] = [
    {
      ObjectIdentifier: '2.5.29.18',
      Value: toBase64(extensionValue(issuerAltNameExtension)),
      Critical: false,
    },
  ];
  const cdpUri =
    options.crlDistributionPointUri ??
    (options.crl === undefined ? undefined : acmPcaCrlUri(caArn, options.crl));
  if (cdpUri !== undefined) {
    customExtensions.push({
      ObjectIdentifier: '2.5.29.31',
      Value: toBase64(extensionValue(extensionsFor.crlDistributionPoint(cdpUri))),
      Critical: false,
    });
  }
  const notBefore = now();
  const issued = await pcaIssueCertificate(
    client,
    {
      CertificateAuthorityArn: caArn,
      Csr: new TextEncoder().encode(csrPem),
      SigningAlgorithm: signingAlgorithm,
      TemplateArn: templateArn(caArn, IACA_TEMPLATE),
      ValidityNotBefore: { Type: 'ABSOLUTE', Value: epochSeconds(notBefore) },
      Validity: { Type: 'ABSOLUTE', Value: epochSeconds(notBefore) + validityDays * 86_400 },
      ApiPassthrough: {
        Extensions: {
          KeyUsage: { KeyCertSign: true, CRLSign: true },
          CustomExtensions: customExtensions,
        },
      },
      ...(options.idempotencyToken === undefined
        ? {}
        : { IdempotencyToken: derivedIdempotencyToken(options.idempotencyToken, 'root') }),
    },
    call,
  );
  const certificateArn = issued.CertificateArn;
  if (certificateArn === undefined)
    throw new MdlError('ERR_AWS_REQUEST_FAILED', 'IssueCertificate returned no ARN.');

  const certificatePem = await waitForCertificate(client, caArn, certificateArn, call, options.wait, sleep);
  const certificate = pemToDer(certificatePem);
  const lint = lintIssued(certificate, 'iaca', {
    ...(options.edition === undefined ? {} : { edition: options.edition }),
    ...(options.lint === undefined ? {} : { mode: options.lint }),
    where: certificateArn,
  });

  await pcaImportCaCertificate(client, caArn, certificatePem, call);
  await waitUntil(
    `${caArn} to become ACTIVE`,
    async () => {
      const out = await pcaDescribeCertificateAuthority(client, caArn, call);
      const status = out.CertificateAuthority?.Status ?? 'unknown';
      if (status === 'ACTIVE') return { ready: true, value: undefined };
      if (status === 'FAILED') {
        throw new MdlError(
          'ERR_AWS_REQUEST_FAILED',
          `AWS Private CA ${caArn} failed (${out.CertificateAuthority?.FailureReason ?? 'no reason given'}).`,
          { details: { caArn, status } },
        );
      }
      return { ready: false, state: status };
    },
    { ...options.wait, sleep },
  );
  return { caArn, certificateArn, certificate, certificatePem, lint };
}

/** @internal Waits for an issued certificate's PEM. */
export function waitForCertificate(
  client: AwsClientLike,
  caArn: string,
  certificateArn: string,
  call: AwsCallOptions,
  wait: WaitOptions | undefined,
  sleep: (ms: number) => Promise<void>,
): Promise<string> {
  return waitUntil(
    `certificate ${certificateArn}`,
    async () => {
      const out = await pcaGetCertificate(client, caArn, certificateArn, call);
      return out.Certificate === undefined
        ? { ready: false, state: 'no certificate' }
        : { ready: true, value: out.Certificate };
    },
    { ...wait, sleep },
  );
}

/** @internal The DER extension value (extnValue contents) of a pki extension. */
export function extensionValue(extension: ReturnType<typeof extensionsFor.ski>): Uint8Array {
  return new Uint8Array(extension.extnValue.buffer);
}

/**
 * The CRL URL ACM-PCA publishes for a CA and puts in the certificates it issues:
 * `http://<CustomCname | bucket.s3.<region>.amazonaws.com>/crl/<CA id>.crl`.
 *
 * @example
 * ```ts
 * acmPcaCrlUri(caArn, { s3BucketName: 'ny-mdl-crl' }); // http://ny-mdl-crl.s3.us-east-1.amazonaws.com/crl/<id>.crl
 * ```
 * @throws {@link MdlError} `ERR_AWS_CONFIG_INVALID` when `caArn` is not a CA ARN.
 */
export function acmPcaCrlUri(
  caArn: string,
  crl: Pick<IacaCrlOptions, 's3BucketName' | 'customCname'>,
): string {
  const { region, id } = parseCaArn(caArn);
  const host = crl.customCname ?? `${crl.s3BucketName}.s3.${region}.amazonaws.com`;
  return `http://${host}/crl/${id}.crl`;
}

function checkSubject(subject: IacaSubject): void {
  if (typeof subject?.country !== 'string' || !/^[A-Z]{2}$/.test(subject.country)) {
    throw new MdlError(
      'ERR_INVALID_ARGUMENT',
      'IACA subject.country must be an upper-case ISO 3166-1 alpha-2 code (Annex B Table B.1).',
    );
  }
  if (typeof subject.commonName !== 'string' || subject.commonName.trim().length === 0) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'IACA subject.commonName is mandatory (Annex B Table B.1).');
  }
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
