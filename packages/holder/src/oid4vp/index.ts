/**
 * @module
 * OpenID4VP 1.0 for wallets: check a request, match DCQL, answer. Ships `jose` and `dcql`.
 */

export {
  type AnswerOpenId4VpRequestOptions,
  answerOpenId4VpRequest,
  type OpenId4VpAnswer,
  openId4VpWalletTranscript,
} from './answer-openid4vp-request.js';
export {
  type OpenId4VpResponseMode,
  type ParsedOpenId4VpRequest,
  type ParseOpenId4VpRequestOptions,
  parseOpenId4VpRequest,
} from './parse-openid4vp-request.js';
