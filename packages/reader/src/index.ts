/**
 * @module
 * Verify what a wallet presents and report every check.
 */

export {
  findUnauthorizedElements,
  type KeyAuthorizationsView,
  type UnauthorizedElement,
} from './device-auth/check-key-authorizations.js';
export {
  DEVICE_SIGNATURE_ALGORITHMS,
  type VerifyDeviceAuthOptions,
  verifyDeviceAuth,
} from './device-auth/verify-device-auth.js';
export {
  type BuildDeviceRequestOptions,
  type BuiltDeviceRequest,
  buildDeviceRequest,
  type DocRequestInput,
  type ReaderAuthInput,
  type RequestedElements,
} from './device-request/build-device-request.js';
export { DEFAULT_READER_LIMITS, type ReaderLimits } from './device-response/limits.js';
export type { VerifyDeviceResponseOptions } from './device-response/options.js';
export { DEFAULT_VERIFICATION_POLICY, VerificationPolicy } from './device-response/policy.js';
export { verifyDeviceResponse } from './device-response/verify-device-response.js';
export {
  ISSUER_AUTH_ALGORITHMS,
  type VerifyIssuerAuthSignatureOptions,
  verifyIssuerAuthSignature,
} from './issuer-auth/verify-issuer-auth.js';
export {
  type DigestedItem,
  type DigestFailure,
  type ValueDigestsResult,
  type VerifyValueDigestsOptions,
  verifyValueDigests,
} from './issuer-auth/verify-value-digests.js';
export { assertVerified } from './report/assert-verified.js';
export { CheckId } from './report/check-ids.js';
export type {
  CheckResult,
  CheckStatus,
  DisclosedElement,
  DocumentErrorEntry,
  DocumentReport,
  ElementSource,
  Finding,
  MsoValiditySummary,
  TranscriptSummary,
  VerificationReport,
} from './report/report.js';
export type { RevocationOptions, UndeterminedPolicy } from './revocation/revocation-options.js';
export {
  type EngagementInput,
  type ReadEngagement,
  ReaderSession,
  type ReceivedMessage,
  readDeviceEngagement,
  type StartReaderSessionOptions,
} from './session/reader-session.js';
export {
  type DiagnoseTranscriptOptions,
  diagnoseTranscript,
  type TranscriptAttempt,
  type TranscriptClues,
  type TranscriptDiagnosis,
} from './transcript-doctor/diagnose-transcript.js';
