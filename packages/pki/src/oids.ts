/**
 * Object identifiers used by the Annex B profiles. Values are the ones RFC 5280, RFC 5480,
 * RFC 5639, RFC 8410, RFC 6960 and ISO/IEC 18013-5 (Annex B, Annex C) assign.
 */

/** Extended key usage OIDs of the `id-mdl-kp` arc (ISO/IEC 18013-5 B.1.1) and ISO/IEC 23220-4. */
export const MdlEku = {
  /** 1.0.18013.5.1.2 — mdlDS: document signer (Table B.3). */
  documentSigner: '1.0.18013.5.1.2',
  /** 1.0.18013.5.1.3 — mdlJWS (2021 server retrieval, dropped in ed2). */
  jwsSigner: '1.0.18013.5.1.3',
  /** 1.0.18013.5.1.4 — mdlIACALink. */
  iacaLink: '1.0.18013.5.1.4',
  /** 1.0.18013.5.1.6 — mdlReaderAuth: mdoc reader authentication (Table B.6 / ed2 B.1.5). */
  readerAuth: '1.0.18013.5.1.6',
  /** 1.0.18013.5.1.7 — mdlIACA (used as VICAL `certificateProfile`). */
  iaca: '1.0.18013.5.1.7',
  /** 1.0.18013.5.1.8 — mdlVICAL: VICAL signer (Annex C, Table C.1). */
  vicalSigner: '1.0.18013.5.1.8',
  /** 1.0.18013.5.1.9 — mdlTLSClientAuth (2021 server retrieval). */
  tlsClientAuth: '1.0.18013.5.1.9',
  /** ISO/IEC 23220-4 generic mdoc document signer (ed2: recommended in addition). */
  genericDocumentSigner: '1.0.23220.4.1.2',
  /** ISO/IEC 23220-4 generic IACA link. */
  genericIacaLink: '1.0.23220.4.1.4',
  /** ISO/IEC 23220-4 generic reader authentication. */
  genericReaderAuth: '1.0.23220.4.1.6',
  /** ISO/IEC 23220-4 generic IACA. */
  genericIaca: '1.0.23220.4.1.7',
  /** ISO/IEC 23220-4 generic VICAL signer. */
  genericVicalSigner: '1.0.23220.4.1.8',
  /** id-kp-OCSPSigning (RFC 6960). */
  ocspSigning: '1.3.6.1.5.5.7.3.9',
} as const;
/** One of the EKU OIDs in {@link MdlEku}. */
export type MdlEku = (typeof MdlEku)[keyof typeof MdlEku];

/** Certificate extension OIDs (RFC 5280 §4.2, RFC 6960). */
export const ExtensionOid = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  basicConstraints: '2.5.29.19',
  cRLNumber: '2.5.29.20',
  cRLReason: '2.5.29.21',
  invalidityDate: '2.5.29.24',
  deltaCRLIndicator: '2.5.29.27',
  issuingDistributionPoint: '2.5.29.28',
  certificateIssuer: '2.5.29.29',
  nameConstraints: '2.5.29.30',
  cRLDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  policyMappings: '2.5.29.33',
  authorityKeyIdentifier: '2.5.29.35',
  policyConstraints: '2.5.29.36',
  extKeyUsage: '2.5.29.37',
  freshestCRL: '2.5.29.46',
  inhibitAnyPolicy: '2.5.29.54',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
} as const;
/** One of the extension OIDs in {@link ExtensionOid}. */
export type ExtensionOid = (typeof ExtensionOid)[keyof typeof ExtensionOid];

/** ECDSA signature algorithm OIDs allowed for every Annex B certificate and CRL (B.1.1). */
export const SignatureAlgorithmOid = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
} as const;
/** One of the OIDs in {@link SignatureAlgorithmOid}. */
export type SignatureAlgorithmOid = (typeof SignatureAlgorithmOid)[keyof typeof SignatureAlgorithmOid];

/** Public key algorithm OIDs (RFC 5480, RFC 8410). */
export const PublicKeyAlgorithmOid = {
  ecPublicKey: '1.2.840.10045.2.1',
  ed25519: '1.3.101.112',
  ed448: '1.3.101.113',
} as const;

/** Named-curve OIDs (RFC 5480, RFC 5639) and their coordinate sizes in bytes. */
export const NamedCurve = {
  'P-256': { oid: '1.2.840.10045.3.1.7', size: 32 },
  'P-384': { oid: '1.3.132.0.34', size: 48 },
  'P-521': { oid: '1.3.132.0.35', size: 66 },
  brainpoolP256r1: { oid: '1.3.36.3.3.2.8.1.1.7', size: 32 },
  brainpoolP320r1: { oid: '1.3.36.3.3.2.8.1.1.9', size: 40 },
  brainpoolP384r1: { oid: '1.3.36.3.3.2.8.1.1.11', size: 48 },
  brainpoolP512r1: { oid: '1.3.36.3.3.2.8.1.1.13', size: 64 },
} as const;
/** A curve name from {@link NamedCurve}. */
export type NamedCurveName = keyof typeof NamedCurve;

/** Distinguished-name attribute OIDs (X.520). */
export const NameAttributeOid = {
  countryName: '2.5.4.6',
  stateOrProvinceName: '2.5.4.8',
  localityName: '2.5.4.7',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  commonName: '2.5.4.3',
  serialNumber: '2.5.4.5',
} as const;
