import { type AwsCallOptions, type AwsClientLike, pickAwsCallOptions } from '@mdlkit/aws-common';
import type { AnyCoseSigner } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import {
  type AltNameInput,
  buildCsr,
  type CertificateProfileId,
  derToPem,
  ExtensionOid,
  extensionsFor,
  type LintResult,
  type NameInput,
  type ParsedCertificate,
  parseCertificate,
  pemToDer,
  type SpecEdition,
} from '@mdlkit/pki';
import { extensionValue, waitForCertificate } from '../iaca/create-iaca.js';
import { type LintMode, lintIssued } from '../lint/lint-issued-certificate.js';
import type { WaitOptions } from '../wait/wait-until.js';
import { pcaDescribeCertificateAuthority, pcaGetCaCertificate, pcaIssueCertificate } from './pca-commands.js';
import {
  checkDays,
  checkIdempotencyToken,
  EC_SIGNING_ALGORITHM,
  epochSeconds,
  templateArn,
  toBase64,
} from './pca-helpers.js';

/** @internal The template of IACA-issued end-entity certificates: CA:FALSE, AKI, SKI, plus passthrough. */
export const END_ENTITY_TEMPLATE = 'BlankEndEntityCertificate_APIPassthrough/V1';

/** @internal What every IACA-issued end-entity request carries (DS, status-list signer). */
export interface EndEntityRequest extends AwsCallOptions {
  readonly client: AwsClientLike;
  readonly caArn: string;
  readonly signer: AnyCoseSigner & { readonly publicKey: Uint8Array };
  readonly subject: NameInput;
  readonly validityDays?: number;
  readonly issuerAltName?: readonly AltNameInput[];
  readonly crlDistributionPointUri?: string;
  readonly idempotencyToken?: string;
  readonly wait?: WaitOptions;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly lint?: LintMode;
  readonly edition?: SpecEdition;
}

/** @internal How one Annex B end-entity profile is issued. */
export interface EndEntityProfile {
  readonly profile: CertificateProfileId;
  /** For messages: "document signer", "status list signer". */
  readonly name: string;
  /** The calling function, for messages. */
  readonly caller: string;
  /** Where the validity limit comes from, for messages. */
  readonly clause: string;
  readonly maxDays: number;
  readonly defaultDays: number;
  /** Extra sentence when the validity is too long. */
  readonly tooLongHint?: string;
  /** EKU OIDs, or none; passed as a custom extension so its criticality is ours. */
  readonly eku?: { readonly oids: readonly string[]; readonly critical: boolean };
}

/** @internal An end-entity certificate issued by AWS Private CA. */
export interface EndEntityResult {
  readonly certificateArn: string;
  readonly certificate: Uint8Array;
  readonly certificatePem: string;
  readonly iacaCertificate: Uint8Array;
  readonly lint: LintResult;
}

/**
 * @internal Issues an end-entity certificate for `signer`'s key from an ACTIVE IACA in AWS Private CA:
 * CSR signed by the key, `IssueCertificate` with the blank end-entity passthrough template,
 * KeyUsage digitalSignature, the profile's EKU (if any) as a custom extension, issuerAltName and CRL
 * DP copied from the IACA where the CA configuration does not add them; waits and lints.
 */
export async function issueEndEntity(
  options: EndEntityRequest,
  p: EndEntityProfile,
): Promise<EndEntityResult> {
  const { client, caArn, signer } = options;
  checkIdempotencyToken(options.idempotencyToken);
  const call = pickAwsCallOptions(options);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? (() => new Date());
  const validityDays = options.validityDays ?? p.defaultDays;
  if (typeof validityDays === 'number' && Number.isInteger(validityDays) && validityDays > p.maxDays) {
    throw new MdlError(
      'ERR_X509_VALIDITY_TOO_LONG',
      `A ${p.name} certificate may be valid for at most ${p.maxDays} days (ISO/IEC 18013-5 ` +
        `${p.clause}); ${validityDays} was asked.${p.tooLongHint === undefined ? '' : ` ${p.tooLongHint}`}`,
      { details: { validityDays, limit: p.maxDays } },
    );
  }
  checkDays(validityDays, 1, p.maxDays, 'validityDays');
  if (!(signer?.publicKey instanceof Uint8Array)) {
    throw new MdlError('ERR_INVALID_ARGUMENT', `${p.caller} needs a signer with its publicKey (SPKI DER).`);
  }

  const described = await pcaDescribeCertificateAuthority(client, caArn, call);
  const authority = described.CertificateAuthority;
  if (authority?.Status !== 'ACTIVE') {
    throw new MdlError(
      'ERR_AWS_REQUEST_FAILED',
      `AWS Private CA ${caArn} is ${authority?.Status ?? 'unknown'}, not ACTIVE: it cannot issue ${p.name} ` +
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
  const subject = subjectUnderIaca(options.subject, iaca, p.name);

  const csr = await buildCsr({ subject, publicKey: signer.publicKey, signer });

  const customExtensions: { ObjectIdentifier: string; Value: string; Critical: boolean }[] = [];
  if (p.eku !== undefined && p.eku.oids.length > 0) {
    customExtensions.push({
      ObjectIdentifier: ExtensionOid.extKeyUsage,
      Value: toBase64(extensionValue(extensionsFor.eku([...p.eku.oids], p.eku.critical))),
      Critical: p.eku.critical,
    });
  }
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
      TemplateArn: templateArn(caArn, END_ENTITY_TEMPLATE),
      ValidityNotBefore: { Type: 'ABSOLUTE', Value: epochSeconds(notBefore) },
      Validity: { Type: 'ABSOLUTE', Value: epochSeconds(notBefore) + validityDays * 86_400 },
      ApiPassthrough: {
        Extensions: {
          KeyUsage: { DigitalSignature: true },
          ...(customExtensions.length === 0 ? {} : { CustomExtensions: customExtensions }),
        },
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
  const lint = lintIssued(certificate, p.profile, {
    issuer: iacaDer,
    ...(options.edition === undefined ? {} : { edition: options.edition }),
    ...(options.lint === undefined ? {} : { mode: options.lint }),
    where: certificateArn,
  });
  return { certificateArn, certificate, certificatePem, iacaCertificate: iacaDer, lint };
}

/** Default the subject's country / state to the IACA's and reject mismatches (Annex B B.1.1). */
function subjectUnderIaca(subject: NameInput, iaca: ParsedCertificate, name: string): NameInput {
  const country = subject.country ?? iaca.subject.country;
  const state = subject.stateOrProvince ?? iaca.subject.stateOrProvince;
  const who = name === 'document signer' ? 'DS' : name;
  if (country !== iaca.subject.country) {
    throw new MdlError(
      'ERR_X509_COUNTRY_MISMATCH',
      `The ${who} subject countryName must equal the IACA countryName (Annex B B.1.1).`,
    );
  }
  if (iaca.subject.stateOrProvince !== undefined && state !== iaca.subject.stateOrProvince) {
    throw new MdlError(
      'ERR_X509_STATE_MISMATCH',
      `The ${who} subject stateOrProvinceName must equal the IACA stateOrProvinceName (Annex B B.1.1).`,
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
