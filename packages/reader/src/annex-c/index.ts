/**
 * @module
 * ISO/IEC TS 18013-7 Annex C (`org-iso-mdoc` over the Digital Credentials API) for relying parties. Ships HPKE.
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
  type AnnexCState,
  ONLINE_STATE_SECRET_PATHS,
  type OnlineState,
  type OnlineStateSecret,
  parseOnlineState,
  type ReplayGuard,
} from '../online/state.js';
export type { OnlineDocumentOptions } from '../online/verify-presentations.js';
export {
  annexCTranscript,
  type CreateAnnexCRequestOptions,
  type CreatedAnnexCRequest,
  createAnnexCRequest,
  type DcApiAnnexCRequest,
} from './create-annex-c-request.js';
export {
  type AnnexCResponseInput,
  type VerifyAnnexCResponseOptions,
  verifyAnnexCResponse,
} from './verify-annex-c-response.js';
