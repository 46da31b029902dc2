/**
 * @module
 * ISO/IEC TS 18013-7 Annex C for wallets: check a request, answer with an HPKE EncryptedResponse.
 */

export {
  type AnnexCAnswer,
  type AnswerAnnexCRequestOptions,
  answerAnnexCRequest,
} from './answer-annex-c-request.js';
export {
  type ParseAnnexCRequestOptions,
  type ParsedAnnexCRequest,
  parseAnnexCRequest,
} from './parse-annex-c-request.js';
