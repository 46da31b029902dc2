/**
 * @module
 * AWS Private CA flows for mDL IACA and document signer certificates.
 */
export {
  DEFAULT_DS_VALIDITY_DAYS,
  DOCUMENT_SIGNER_TEMPLATE,
  type DocumentSignerResult,
  type IssueDocumentSignerOptions,
  issueDocumentSigner,
  MAX_DS_VALIDITY_DAYS,
} from './document-signer/issue-document-signer.js';
export { mapPcaError } from './errors/map-pca-error.js';
export {
  acmPcaCrlUri,
  type CreateIacaOptions,
  createIaca,
  DEFAULT_IACA_VALIDITY_DAYS,
  IACA_TEMPLATE,
  type IacaCrlOptions,
  type IacaKeyAlgorithm,
  type IacaResult,
  type IacaSubject,
  MAX_IACA_VALIDITY_DAYS,
} from './iaca/create-iaca.js';
export { CertificateProfileViolationError, type LintMode } from './lint/lint-issued-certificate.js';
export {
  DEFAULT_STATUS_LIST_SIGNER_VALIDITY_DAYS,
  type IssueStatusListSignerOptions,
  issueStatusListSigner,
  MAX_STATUS_LIST_SIGNER_VALIDITY_DAYS,
  type StatusListSignerResult,
} from './status-list-signer/issue-status-list-signer.js';
export type { PollResult, WaitOptions } from './wait/wait-until.js';
