import type { KeyUsageName } from '../certificate/parse-certificate.js';
import { ExtensionOid, MdlEku } from '../oids.js';

/** The certificate profiles mdlkit knows (ISO/IEC 18013-5 Annex B and Annex C). */
export const CertificateProfileId = {
  /** IACA root certificate (Table B.1). */
  iaca: 'iaca',
  /** IACA link certificate for IACA re-key (Table B.2). */
  iacaLink: 'iaca-link',
  /** Document signer (Table B.3). */
  documentSigner: 'ds',
  /** mdoc reader authentication certificate (2021 Table B.6 / ed2 B.1.5). */
  readerAuth: 'reader-auth',
  /** Reader root CA: no profile in 18013-5; mdlkit mirrors the IACA profile. */
  readerRoot: 'reader-root',
  /** OCSP signer (2021 B.1.9 / ed2 B.1.6, Table B.8). */
  ocspSigner: 'ocsp-signer',
  /** MSO revocation (status / identifier list) signer (ed2 B.1.7, Table B.9). */
  statusListSigner: 'status-list-signer',
  /** VICAL signer (Annex C, Table C.1). */
  vicalSigner: 'vical-signer',
} as const;
/** One of {@link CertificateProfileId}. */
export type CertificateProfileId = (typeof CertificateProfileId)[keyof typeof CertificateProfileId];

/** Presence of an extension in a profile: mandatory, optional, conditional or forbidden. */
export type ExtensionPresence = 'mandatory' | 'optional' | 'conditional' | 'forbidden';

/** One extension row of a profile table. */
export interface ExtensionRule {
  readonly oid: string;
  readonly name: string;
  /** Presence under the 2021 edition. */
  readonly presence: ExtensionPresence;
  /** Presence under the second-edition draft, where it differs. */
  readonly presenceEd2?: ExtensionPresence;
  /** Required criticality (undefined: either). */
  readonly critical?: boolean;
}

/** A certificate profile as data: what the builders emit and what the linter checks. */
export interface CertificateProfile {
  readonly id: CertificateProfileId;
  readonly title: string;
  /** Where the profile is defined. */
  readonly clause: string;
  /** Maximum validity: calendar years or days after notBefore. */
  readonly maxValidity: { readonly years: number } | { readonly days: number };
  /** A CA certificate (basicConstraints cA TRUE, pathLenConstraint 0). */
  readonly ca: boolean;
  /** Issuer DN equals subject DN. */
  readonly selfSigned: boolean;
  /** The exact key usage set. */
  readonly keyUsage: readonly KeyUsageName[];
  /** Mandatory EKU OIDs (all must be present). */
  readonly eku: readonly string[];
  /** EKU OIDs the second edition recommends in addition (reported as info when missing). */
  readonly ekuRecommendedEd2: readonly string[];
  /** When the EKU is optional: the purposes one of which a present EKU must contain (path validation). */
  readonly ekuIfPresent?: readonly string[];
  /** The subject must carry countryName. */
  readonly subjectCountryRequired: boolean;
  /** The subject must carry organizationName. */
  readonly subjectOrganizationRequired: boolean;
  /** Public keys may be Ed25519 / Ed448 as well as EC. */
  readonly allowEdwardsKeys: boolean;
  /** Issued under an IACA (country / state must match the IACA). */
  readonly issuedByIaca: boolean;
  /** Extension table. */
  readonly extensions: readonly ExtensionRule[];
}

const FORBIDDEN: readonly ExtensionRule[] = [
  { oid: ExtensionOid.policyMappings, name: 'policyMappings', presence: 'forbidden' },
  { oid: ExtensionOid.nameConstraints, name: 'nameConstraints', presence: 'forbidden' },
  { oid: ExtensionOid.policyConstraints, name: 'policyConstraints', presence: 'forbidden' },
  { oid: ExtensionOid.inhibitAnyPolicy, name: 'inhibitAnyPolicy', presence: 'forbidden' },
  { oid: ExtensionOid.freshestCRL, name: 'freshestCRL', presence: 'forbidden' },
];

const ski: ExtensionRule = {
  oid: ExtensionOid.subjectKeyIdentifier,
  name: 'subjectKeyIdentifier',
  presence: 'mandatory',
  critical: false,
};
const aki: ExtensionRule = {
  oid: ExtensionOid.authorityKeyIdentifier,
  name: 'authorityKeyIdentifier',
  presence: 'mandatory',
  critical: false,
};
const ku: ExtensionRule = {
  oid: ExtensionOid.keyUsage,
  name: 'keyUsage',
  presence: 'mandatory',
  critical: true,
};
const ian: ExtensionRule = {
  oid: ExtensionOid.issuerAltName,
  name: 'issuerAltName',
  presence: 'mandatory',
  critical: false,
};
const san: ExtensionRule = {
  oid: ExtensionOid.subjectAltName,
  name: 'subjectAltName',
  presence: 'optional',
  critical: false,
};
const bcCa: ExtensionRule = {
  oid: ExtensionOid.basicConstraints,
  name: 'basicConstraints',
  presence: 'mandatory',
  critical: true,
};
const crlDp: ExtensionRule = {
  oid: ExtensionOid.cRLDistributionPoints,
  name: 'cRLDistributionPoints',
  presence: 'mandatory',
  critical: false,
};
const eku: ExtensionRule = {
  oid: ExtensionOid.extKeyUsage,
  name: 'extKeyUsage',
  presence: 'mandatory',
  critical: true,
};
const noEku: ExtensionRule = { oid: ExtensionOid.extKeyUsage, name: 'extKeyUsage', presence: 'forbidden' };
const aia: ExtensionRule = {
  oid: ExtensionOid.authorityInfoAccess,
  name: 'authorityInfoAccess',
  presence: 'conditional',
  critical: false,
};
/** End-entity profiles do not list basicConstraints; when present it must not say cA (checked separately). */
const bcEe: ExtensionRule = {
  oid: ExtensionOid.basicConstraints,
  name: 'basicConstraints',
  presence: 'optional',
};

/** IACA root certificate — ISO/IEC 18013-5 Table B.1. */
export const iacaProfile: CertificateProfile = {
  id: 'iaca',
  title: 'IACA root certificate',
  clause: '18013-5 B.1.2 Table B.1',
  maxValidity: { years: 20 },
  ca: true,
  selfSigned: true,
  keyUsage: ['keyCertSign', 'cRLSign'],
  eku: [],
  ekuRecommendedEd2: [],
  subjectCountryRequired: true,
  subjectOrganizationRequired: false,
  allowEdwardsKeys: false,
  issuedByIaca: false,
  extensions: [
    ski,
    { ...aki, presence: 'optional' },
    ku,
    ian,
    bcCa,
    { ...crlDp, presenceEd2: 'optional' },
    noEku,
    ...FORBIDDEN,
  ],
};

/** IACA link certificate — Table B.2 (issued by the old IACA key over the new IACA key). */
export const iacaLinkProfile: CertificateProfile = {
  id: 'iaca-link',
  title: 'IACA link certificate',
  clause: '18013-5 B.1.3 Table B.2',
  maxValidity: { years: 20 },
  ca: true,
  selfSigned: false,
  keyUsage: ['keyCertSign', 'cRLSign'],
  eku: [],
  ekuRecommendedEd2: [],
  subjectCountryRequired: true,
  subjectOrganizationRequired: false,
  allowEdwardsKeys: false,
  issuedByIaca: true,
  extensions: [ski, aki, ku, { ...san, presence: 'conditional' }, ian, bcCa, crlDp, ...FORBIDDEN],
};

/** Document signer certificate — Table B.3. */
export const documentSignerProfile: CertificateProfile = {
  id: 'ds',
  title: 'Document signer certificate',
  clause: '18013-5 B.1.4 Table B.3',
  maxValidity: { days: 457 },
  ca: false,
  selfSigned: false,
  keyUsage: ['digitalSignature'],
  eku: [MdlEku.documentSigner],
  ekuRecommendedEd2: [MdlEku.genericDocumentSigner],
  subjectCountryRequired: true,
  subjectOrganizationRequired: false,
  allowEdwardsKeys: true,
  issuedByIaca: true,
  extensions: [ski, aki, ku, san, ian, eku, crlDp, bcEe, ...FORBIDDEN],
};

/** mdoc reader authentication certificate — 2021 Table B.6 / ed2 B.1.5. */
export const readerAuthProfile: CertificateProfile = {
  id: 'reader-auth',
  title: 'mdoc reader authentication certificate',
  clause: '18013-5 B.1.7 Table B.6 (ed2 B.1.5)',
  maxValidity: { days: 1187 },
  ca: false,
  selfSigned: false,
  keyUsage: ['digitalSignature'],
  eku: [MdlEku.readerAuth],
  ekuRecommendedEd2: [MdlEku.genericReaderAuth],
  subjectCountryRequired: false,
  subjectOrganizationRequired: false,
  allowEdwardsKeys: true,
  issuedByIaca: false,
  extensions: [
    ski,
    aki,
    ku,
    san,
    { ...ian, presence: 'conditional' },
    eku,
    { ...crlDp, presenceEd2: 'optional' },
    aia,
    bcEe,
    ...FORBIDDEN,
  ],
};

/**
 * Reader root CA. 18013-5 defines no profile ("out of scope"); mdlkit mirrors the IACA profile
 * (self-signed, keyCertSign + cRLSign critical, CA pathLen 0 critical) with issuerAltName and the
 * CRL distribution point optional.
 */
export const readerRootProfile: CertificateProfile = {
  ...iacaProfile,
  id: 'reader-root',
  title: 'Reader root CA (mirrors the IACA profile)',
  clause: 'no 18013-5 profile; mirrors Table B.1',
  subjectCountryRequired: false,
  extensions: [
    ski,
    { ...aki, presence: 'optional' },
    ku,
    { ...ian, presence: 'optional' },
    bcCa,
    { ...crlDp, presence: 'optional' },
    noEku,
    ...FORBIDDEN,
  ],
};

/** OCSP signer certificate — Table B.8. */
export const ocspSignerProfile: CertificateProfile = {
  id: 'ocsp-signer',
  title: 'OCSP signer certificate',
  clause: '18013-5 B.1.9 Table B.8 (ed2 B.1.6)',
  maxValidity: { days: 457 },
  ca: false,
  selfSigned: false,
  keyUsage: ['digitalSignature'],
  eku: [MdlEku.ocspSigning],
  ekuRecommendedEd2: [],
  subjectCountryRequired: true,
  subjectOrganizationRequired: false,
  allowEdwardsKeys: false,
  issuedByIaca: true,
  extensions: [
    ski,
    aki,
    ku,
    san,
    ian,
    eku,
    { ...crlDp, presence: 'conditional' },
    { oid: ExtensionOid.ocspNoCheck, name: 'id-pkix-ocsp-nocheck', presence: 'conditional', critical: false },
    bcEe,
    ...FORBIDDEN,
  ],
};

/**
 * OIDs accepted as the status-signing purpose on a status-list signer certificate that carries an
 * extendedKeyUsage (ed2 B.1.7 Table B.9 names `id-kp-oauthStatusSigning` of the Token Status List).
 * The draft defines it as `{ id-kp TBD }` (draft-ietf-oauth-status-list §10): IANA has not assigned
 * the number yet, so the list is empty and a status-list signer with an EKU is rejected unless the
 * caller names the purpose OID it trusts (`ekuIfPresent` of path validation, `statusSignerEkus` of
 * the reader's revocation options). `1.3.6.1.5.5.7.3.37` is `id-kp-jwt` (RFC 9509), not this purpose.
 * See docs/decisions/0024-status-signer-eku.md.
 */
export const STATUS_LIST_SIGNING_EKUS: readonly string[] = Object.freeze([]);

/** MSO revocation-list (status list / identifier list) signer — ed2 B.1.7 Table B.9. */
export const statusListSignerProfile: CertificateProfile = {
  id: 'status-list-signer',
  title: 'MSO revocation list signer certificate',
  clause: '18013-5 ed2 B.1.7 Table B.9',
  maxValidity: { days: 1187 },
  ca: false,
  selfSigned: false,
  keyUsage: ['digitalSignature'],
  eku: [],
  ekuRecommendedEd2: [],
  ekuIfPresent: STATUS_LIST_SIGNING_EKUS,
  subjectCountryRequired: true,
  subjectOrganizationRequired: false,
  allowEdwardsKeys: true,
  issuedByIaca: true,
  extensions: [
    ski,
    aki,
    ku,
    san,
    { ...ian, presence: 'optional' },
    { ...eku, presence: 'optional', critical: false },
    { ...crlDp, presence: 'optional' },
    bcEe,
    ...FORBIDDEN,
  ],
};

/** VICAL signer certificate — Annex C Table C.1. */
export const vicalSignerProfile: CertificateProfile = {
  id: 'vical-signer',
  title: 'VICAL signer certificate',
  clause: '18013-5 C.1.7 Table C.1',
  maxValidity: { days: 1187 },
  ca: false,
  selfSigned: false,
  keyUsage: ['nonRepudiation'],
  eku: [MdlEku.vicalSigner],
  ekuRecommendedEd2: [MdlEku.genericVicalSigner],
  subjectCountryRequired: true,
  subjectOrganizationRequired: true,
  allowEdwardsKeys: false,
  issuedByIaca: false,
  extensions: [ski, aki, ku, san, { ...ian, presence: 'optional' }, eku, crlDp, aia, bcEe, ...FORBIDDEN],
};

/** Every profile by id. */
export const certificateProfiles: Readonly<Record<CertificateProfileId, CertificateProfile>> = {
  iaca: iacaProfile,
  'iaca-link': iacaLinkProfile,
  ds: documentSignerProfile,
  'reader-auth': readerAuthProfile,
  'reader-root': readerRootProfile,
  'ocsp-signer': ocspSignerProfile,
  'status-list-signer': statusListSignerProfile,
  'vical-signer': vicalSignerProfile,
};

/**
 * The IACA CRL profile (B.2, Table B.10 in the drafts) as data.
 *
 * version v2; ECDSA signature; issuer = IACA subject; thisUpdate and nextUpdate mandatory; no
 * revokedCertificates when empty; no entry extensions; CRL extensions only authorityKeyIdentifier
 * and cRLNumber (both non-critical); issued at least every 90 days.
 */
export const iacaCrlProfile: {
  readonly clause: string;
  readonly maxUpdateIntervalDays: number;
  readonly allowedExtensions: readonly string[];
} = {
  clause: '18013-5 B.2 (Table B.10 in the drafts)',
  maxUpdateIntervalDays: 90,
  allowedExtensions: [ExtensionOid.authorityKeyIdentifier, ExtensionOid.cRLNumber],
};

/**
 * Latest notAfter a profile allows for a given notBefore (calendar years or days).
 *
 * @example
 * ```ts
 * maxNotAfter(documentSignerProfile, new Date('2025-01-01T00:00:00Z')); // 2026-04-03T00:00:00Z
 * ```
 */
export function maxNotAfter(profile: Pick<CertificateProfile, 'maxValidity'>, notBefore: Date): Date {
  const limit = profile.maxValidity;
  if ('years' in limit) {
    const d = new Date(notBefore.getTime());
    d.setUTCFullYear(d.getUTCFullYear() + limit.years);
    return d;
  }
  return new Date(notBefore.getTime() + limit.days * 86_400_000);
}
