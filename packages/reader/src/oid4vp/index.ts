/**
 * @module
 * OpenID4VP 1.0 (DCQL, Digital Credentials API, redirects) for relying parties. Ships `jose` and `dcql`.
 */

export type { PresentationIntent } from '../online/intent.js';
export {
  assertOnlineVerified,
  OnlineCheckId,
  type OnlineCheckResult,
  type OnlinePresentation,
  type OnlineVerificationReport,
} from '../online/report.js';
export {
  ONLINE_STATE_SECRET_PATHS,
  type OnlineState,
  type OnlineStateSecret,
  type OpenId4VpState,
  parseOnlineState,
  type ReplayGuard,
} from '../online/state.js';
export type { OnlineDocumentOptions } from '../online/verify-presentations.js';
export {
  type CreatedOpenId4VpRequest,
  type CreateOpenId4VpRequestOptions,
  createOpenId4VpRequest,
  type DcApiOpenId4VpRequest,
  type OpenId4VpResponseMode,
  type OpenId4VpSigning,
} from './create-openid4vp-request.js';
export {
  type OpenId4VpResponseInput,
  openId4VpSessionTranscript,
  type VerifyOpenId4VpResponseOptions,
  verifyOpenId4VpResponse,
} from './verify-openid4vp-response.js';
