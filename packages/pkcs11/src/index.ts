/**
 * @module
 * PKCS#11 (HSM) document signer for mdlkit: ECDSA / EdDSA on the token, key generation, CSR, audit.
 */
export {
  type Pkcs11AuditRecord,
  type Pkcs11AuditSink,
  type Pkcs11Operation,
  type RedactedValue,
  redactPkcs11Audit,
} from './audit/audit-record.js';
export { type Pkcs11EnvConfig, type Pkcs11EnvRecord, pkcs11ConfigFromEnv } from './config/from-env.js';
export { type CreatePkcs11CsrOptions, createPkcs11Csr } from './csr/create-pkcs11-csr.js';
export {
  type CreatePkcs11DsCertificateOptions,
  createPkcs11DsCertificate,
  type Pkcs11DsCertificate,
} from './csr/create-pkcs11-ds-certificate.js';
export {
  isPkcs11Error,
  mapPkcs11Error,
  Pkcs11Error,
  Pkcs11ErrorCode,
  type Pkcs11FailureContext,
} from './errors/pkcs11-error.js';
export type { Pkcs11Binding } from './internal/binding.js';
export {
  type GeneratedPkcs11Key,
  type GeneratePkcs11KeyOptions,
  generatePkcs11Key,
} from './keys/generate-pkcs11-key.js';
export {
  type LoadPkcs11ModuleOptions,
  Pkcs11Module,
  type Pkcs11TokenDescription,
} from './module/pkcs11-module.js';
export {
  type CreatePkcs11SignerOptions,
  checkSignerCertificate,
  createPkcs11Signer,
  type Pkcs11DigestSigner,
  type Pkcs11MessageSigner,
  type Pkcs11Signer,
  type Pkcs11SignerInfo,
} from './signer/create-pkcs11-signer.js';
export { PKCS11_CURVES, type Pkcs11Curve, type Pkcs11CurveProfile } from './signer/curves.js';
export type { Pkcs11KeySelector } from './signer/find-key.js';
export { type OpenPkcs11TokenOptions, openPkcs11Token, Pkcs11Token } from './token/pkcs11-token.js';
export type { Pkcs11SessionStats } from './token/session-pool.js';
export {
  createPkcs11WebCrypto,
  type Pkcs11WebCrypto,
  type Pkcs11WebCryptoOptions,
} from './webcrypto/pkcs11-web-crypto.js';
