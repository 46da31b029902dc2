/**
 * @module
 * Status tokens (ISO/IEC 18013-5 ed2 §12.3.6): the Token Status List and the ISO identifier list —
 * the list model, claim keys and media types, parsing and verification. Building and signing a
 * token is `@mdlkit/issuer`'s (`buildStatusListToken`, `buildIdentifierListToken`).
 */
export {
  DEFAULT_MAX_STATUS_LIST_BYTES,
  type StatusBits,
  StatusList,
  StatusValue,
} from './status-list.js';
export {
  type ParsedIdentifierListToken,
  type ParsedStatusListToken,
  type ParsedStatusTokenBase,
  parseIdentifierListToken,
  parseStatusListToken,
  StatusClaim,
  StatusTokenType,
  type VerifyStatusTokenOptions,
  verifyStatusToken,
} from './status-token.js';
