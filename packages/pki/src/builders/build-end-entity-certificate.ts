import type { AnyCoseSigner } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { OctetString } from '@peculiar/asn1-schema';
import type { Extension } from '@peculiar/asn1-x509';
import { Extension as AsnExtension, GeneralName } from '@peculiar/asn1-x509';
import type { AltNameInput, NameInput } from '../certificate/names.js';
import type { ParsedCertificate } from '../certificate/parse-certificate.js';
import { ExtensionOid, MdlEku } from '../oids.js';
import {
  type CertificateProfile,
  documentSignerProfile,
  ocspSignerProfile,
  readerAuthProfile,
  statusListSignerProfile,
  vicalSignerProfile,
} from '../profiles/profiles.js';
import {
  assembleCertificate,
  type CommonCertificateOptions,
  encodeName,
  extensionsFor,
  type IssuerInput,
  issuerAltNameOf,
  issuerCertificate,
  serialFrom,
  subjectUnderIaca,
} from './build-certificate.js';

/** Options shared by the end-entity builders. */
export interface EndEntityCertificateOptions extends CommonCertificateOptions {
  /** Subject name. Under an IACA, `country` / `stateOrProvince` default to the IACA's and must match it. */
  readonly subject: NameInput;
  /** The subject public key, DER SubjectPublicKeyInfo (for a KMS key: `GetPublicKey`'s output). */
  readonly publicKey: Uint8Array;
  /** The issuing CA certificate and its signer. */
  readonly issuer: IssuerInput;
  /** issuerAltName; defaults to a copy of the issuer's issuerAltName. */
  readonly issuerAltName?: readonly AltNameInput[];
  /** CRL distribution point URI. */
  readonly crlDistributionPoint?: string;
  /** Also emit the ISO/IEC 23220-4 generic EKU the second edition recommends (default false). */
  readonly genericEku?: boolean;
}

/** Signer of an end-entity certificate, for typing the specialised builders. */
export type EndEntitySigner = AnyCoseSigner;

async function buildEndEntity(
  profile: CertificateProfile,
  options: EndEntityCertificateOptions,
  extra: { readonly ekuCritical: boolean; readonly additional?: readonly Extension[] },
): Promise<Uint8Array> {
  const issuer: ParsedCertificate = issuerCertificate(options.issuer);
  const subject = profile.issuedByIaca ? subjectUnderIaca(options.subject, issuer) : options.subject;
  const extensions: Extension[] = [
    extensionsFor.ski(options.publicKey),
    extensionsFor.aki(issuer.subjectKeyIdentifier!),
    extensionsFor.keyUsage(profile.keyUsage),
  ];
  const eku = [...profile.eku, ...(options.genericEku === true ? profile.ekuRecommendedEd2 : [])];
  if (eku.length > 0) extensions.push(extensionsFor.eku(eku, extra.ekuCritical));
  const ian = issuerAltNameOf(issuer);
  if (options.issuerAltName !== undefined)
    extensions.push(extensionsFor.issuerAltName(options.issuerAltName));
  else if (ian !== undefined) extensions.push(extensionsFor.issuerAltNameRaw(ian));
  if (options.crlDistributionPoint !== undefined) {
    extensions.push(extensionsFor.crlDistributionPoint(options.crlDistributionPoint));
  }
  extensions.push(...(extra.additional ?? []));
  return assembleCertificate({
    profile,
    subject: encodeName(subject),
    issuerName: issuer.subject.der,
    spki: options.publicKey,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    serialNumber: serialFrom(options),
    extensions,
    signer: options.issuer.signer,
    issuer,
    ...(options.ruleset === undefined ? {} : { ruleset: options.ruleset }),
    ...(options.edition === undefined ? {} : { edition: options.edition }),
  });
}

/** Options for {@link buildDocumentSignerCertificate}. */
export interface BuildDocumentSignerCertificateOptions extends EndEntityCertificateOptions {
  /** CRL distribution point URI (mandatory, Table B.3). */
  readonly crlDistributionPoint: string;
}

/**
 * Build a document signer (DS) certificate under an IACA (Table B.3): ≤ 457 days; subject C (and ST
 * if the IACA has it) equal to the IACA; AKI = IACA SKI; SKI; keyUsage digitalSignature (critical);
 * EKU 1.0.18013.5.1.2 (critical); issuerAltName; cRLDistributionPoints URI. The certificate is
 * signed through the IACA's signer port (local key, KMS, HSM).
 *
 * @example
 * ```ts
 * const ds = await buildDocumentSignerCertificate({
 *   subject: { commonName: 'NY DS 1' }, publicKey: dsSpki,
 *   issuer: { certificate: iacaDer, signer: iacaSigner },
 *   crlDistributionPoint: 'https://dmv.example/iaca.crl', notBefore, notAfter, randomBytes,
 * });
 * ```
 * @throws {@link MdlError} `ERR_X509_VALIDITY_TOO_LONG`, `ERR_X509_COUNTRY_MISMATCH`, `ERR_X509_STATE_MISMATCH`,
 * `ERR_X509_PROFILE_VIOLATION`, `ERR_INVALID_ARGUMENT`, `ERR_NOT_SUPPORTED`, or the signer's code.
 */
export function buildDocumentSignerCertificate(
  options: BuildDocumentSignerCertificateOptions,
): Promise<Uint8Array> {
  return buildEndEntity(documentSignerProfile, options, { ekuCritical: true });
}

/** Options for {@link buildReaderAuthCertificate}. */
export interface BuildReaderAuthCertificateOptions extends EndEntityCertificateOptions {
  /** CRL distribution point URI (mandatory in 2021). */
  readonly crlDistributionPoint?: string;
  /**
   * DNS names for a subjectAltName extension (non-critical): an online relying party's host, which
   * OpenID4VP 1.0 names as its `x509_san_dns:` client identifier.
   */
  readonly dnsNames?: readonly string[];
}

/**
 * Build an mdoc reader authentication certificate (2021 Table B.6 / ed2 B.1.5): ≤ 1187 days; CN
 * mandatory; AKI / SKI; keyUsage digitalSignature (critical); EKU 1.0.18013.5.1.6 (critical);
 * issuerAltName (copied from the issuer when not given); cRLDistributionPoints URI.
 *
 * @example
 * ```ts
 * const reader = await buildReaderAuthCertificate({ subject: { commonName: 'reader' }, publicKey, issuer: { certificate: rootDer, signer }, crlDistributionPoint, notBefore, notAfter, randomBytes });
 * ```
 * @throws {@link MdlError} as {@link buildDocumentSignerCertificate}.
 */
export function buildReaderAuthCertificate(options: BuildReaderAuthCertificateOptions): Promise<Uint8Array> {
  const dns = options.dnsNames ?? [];
  if (dns.some((d) => typeof d !== 'string' || !/^[A-Za-z0-9.-]+$/.test(d))) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'dnsNames must be DNS host names');
  }
  const additional =
    dns.length === 0
      ? []
      : [extensionsFor.subjectAltName(dns.map((dNSName) => new GeneralName({ dNSName })))];
  return buildEndEntity(readerAuthProfile, options, { ekuCritical: true, additional });
}

/** Options for {@link buildOcspSignerCertificate}. */
export interface BuildOcspSignerCertificateOptions extends EndEntityCertificateOptions {
  /** Add id-pkix-ocsp-nocheck (then validity ≤ 90 days and no CRL DP is needed). */
  readonly ocspNoCheck?: boolean;
}

/**
 * Build an OCSP signer certificate (Table B.8): keyUsage digitalSignature (critical), EKU
 * id-kp-OCSPSigning (critical), and a CRL distribution point or id-pkix-ocsp-nocheck.
 *
 * @example
 * ```ts
 * const ocsp = await buildOcspSignerCertificate({ subject: { commonName: 'OCSP' }, publicKey, issuer, ocspNoCheck: true, notBefore, notAfter, randomBytes });
 * ```
 * @throws {@link MdlError} as {@link buildDocumentSignerCertificate}.
 */
export function buildOcspSignerCertificate(options: BuildOcspSignerCertificateOptions): Promise<Uint8Array> {
  const additional =
    options.ocspNoCheck === true
      ? [
          new AsnExtension({
            extnID: ExtensionOid.ocspNoCheck,
            critical: false,
            extnValue: new OctetString(new Uint8Array([0x05, 0x00]).buffer),
          }),
        ]
      : [];
  return buildEndEntity(ocspSignerProfile, options, { ekuCritical: true, additional });
}

/**
 * Build an MSO revocation-list (status list / identifier list) signer certificate (ed2 Table B.9):
 * ≤ 1187 days, keyUsage digitalSignature (critical); no EKU unless `genericEku` (none is defined yet).
 *
 * @example
 * ```ts
 * const sl = await buildStatusListSignerCertificate({ subject: { commonName: 'Status list' }, publicKey, issuer, notBefore, notAfter, randomBytes });
 * ```
 * @throws {@link MdlError} as {@link buildDocumentSignerCertificate}.
 */
export function buildStatusListSignerCertificate(options: EndEntityCertificateOptions): Promise<Uint8Array> {
  return buildEndEntity(statusListSignerProfile, options, { ekuCritical: false });
}

/** Options for {@link buildVicalSignerCertificate}. */
export interface BuildVicalSignerCertificateOptions extends EndEntityCertificateOptions {
  /** CRL distribution point URI (mandatory, Table C.1). */
  readonly crlDistributionPoint: string;
}

/**
 * Build a VICAL signer certificate (Annex C Table C.1): ≤ 1187 days; subject C, O, CN; keyUsage
 * nonRepudiation (critical); EKU 1.0.18013.5.1.8 (critical); CRL distribution point.
 *
 * @example
 * ```ts
 * const vs = await buildVicalSignerCertificate({ subject: { country: 'US', organization: 'AAMVA', commonName: 'VICAL signer' }, publicKey, issuer, crlDistributionPoint, notBefore, notAfter, randomBytes });
 * ```
 * @throws {@link MdlError} as {@link buildDocumentSignerCertificate}.
 */
export function buildVicalSignerCertificate(
  options: BuildVicalSignerCertificateOptions,
): Promise<Uint8Array> {
  return buildEndEntity(vicalSignerProfile, options, { ekuCritical: true });
}

/** EKU OIDs the builders emit, for reference. */
export const builderEku: { readonly ds: string; readonly readerAuth: string; readonly vicalSigner: string } =
  {
    ds: MdlEku.documentSigner,
    readerAuth: MdlEku.readerAuth,
    vicalSigner: MdlEku.vicalSigner,
  };
