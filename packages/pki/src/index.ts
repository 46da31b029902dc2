/**
 * @module
 * ISO/IEC 18013-5 Annex B certificate profiles, builders, linter, path validation, CRL and VICAL.
 */
export {
  assembleCertificate,
  type CertificateSpec,
  type CommonCertificateOptions,
  extensionsFor,
  type IssuerInput,
  keyIdentifier,
  type RandomBytes,
  randomSerialNumber,
} from './builders/build-certificate.js';
export {
  type BuildDocumentSignerCertificateOptions,
  type BuildOcspSignerCertificateOptions,
  type BuildReaderAuthCertificateOptions,
  type BuildVicalSignerCertificateOptions,
  buildDocumentSignerCertificate,
  buildOcspSignerCertificate,
  buildReaderAuthCertificate,
  buildStatusListSignerCertificate,
  buildVicalSignerCertificate,
  type EndEntityCertificateOptions,
} from './builders/build-end-entity-certificate.js';
export {
  type BuildIacaCertificateOptions,
  type BuildReaderRootCertificateOptions,
  buildIacaCertificate,
  buildReaderRootCertificate,
} from './builders/build-iaca-certificate.js';
export {
  type BuildIacaLinkCertificateOptions,
  buildIacaLinkCertificate,
} from './builders/build-iaca-link-certificate.js';
export { type AltNameInput, encodeName, type NameInput } from './certificate/names.js';
export {
  type DistinguishedName,
  type DistributionPointInfo,
  decodeName,
  decodePublicKeyInfo,
  type GeneralNameInfo,
  type KeyUsageName,
  type NameAttribute,
  type NameStringType,
  type ParsedCertificate,
  type ParsedExtension,
  type PublicKeyInfo,
  parseCertificate,
  serialToHex,
} from './certificate/parse-certificate.js';
export { derToPem, pemToDer } from './certificate/pem.js';
export { type BuildCrlOptions, buildCrl, type RevokedEntry } from './crl/build-crl.js';
export { type CheckCrlOptions, type CrlCheckResult, checkCrl } from './crl/check-crl.js';
export { type BuildCsrOptions, buildCsr, type ParsedCsr, parseCsr } from './csr/build-csr.js';
export {
  detectProfile,
  type LintCertificateOptions,
  type LintResult,
  type LintRuleset,
  lintCertificate,
  type SpecEdition,
} from './lint/lint-certificate.js';
export { type LintFinding, type LintRuleId, LintRules, type LintSeverity } from './lint/rules.js';
export {
  ExtensionOid,
  MdlEku,
  NameAttributeOid,
  NamedCurve,
  type NamedCurveName,
  PublicKeyAlgorithmOid,
  SignatureAlgorithmOid,
} from './oids.js';
export {
  type AddTrustAnchorOptions,
  type TrustAnchor,
  type TrustAnchorSource,
  TrustStore,
  type VicalAnchorSource,
} from './path/trust-store.js';
export {
  assertCertificatePathValid,
  type CertificatePathResult,
  type PathFinding,
  type ValidateCertificatePathOptions,
  type ValidationPolicy,
  validateCertificatePath,
} from './path/validate-certificate-path.js';
export {
  type CertificateProfile,
  CertificateProfileId,
  certificateProfiles,
  documentSignerProfile,
  type ExtensionPresence,
  type ExtensionRule,
  iacaCrlProfile,
  iacaLinkProfile,
  iacaProfile,
  maxNotAfter,
  ocspSignerProfile,
  readerAuthProfile,
  readerRootProfile,
  STATUS_LIST_SIGNING_EKUS,
  statusListSignerProfile,
  vicalSignerProfile,
} from './profiles/profiles.js';
export {
  type BuildVicalOptions,
  buildVical,
  type ParsedVical,
  parseVical,
  type VerifyVicalOptions,
  type Vical,
  type VicalCertificateInfo,
  type VicalEntryInput,
  type VicalFinding,
  type VicalVerification,
  verifyVical,
} from './vical/vical.js';
