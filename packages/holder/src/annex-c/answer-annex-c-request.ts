import { MdlError } from '@mdlkit/core/errors';
import { encodeEncryptedResponse, hpkeSeal } from '@mdlkit/core/online';
import {
  answerDeviceRequest,
  type DisclosureDecision,
  type DisclosureProposal,
} from '../response/answer-device-request.js';
import type { StoredMdoc } from '../store/mdoc-store.js';
import type { ParsedAnnexCRequest } from './parse-annex-c-request.js';

/** Options for {@link answerAnnexCRequest}. */
export interface AnswerAnnexCRequestOptions {
  readonly request: ParsedAnnexCRequest;
  readonly documents: readonly StoredMdoc[];
  /** Asked per DocRequest; return the elements to release or `false`. */
  readonly consent?: (proposal: DisclosureProposal) => DisclosureDecision | Promise<DisclosureDecision>;
}

/** What {@link answerAnnexCRequest} returns. */
export interface AnnexCAnswer {
  /** The DC API `data` to return: `{ response: base64url(EncryptedResponse) }`. */
  readonly response: { readonly response: string };
  /** The DeviceResponse inside (before encryption). */
  readonly deviceResponse: Uint8Array;
}

/**
 * Answers an Annex C request: a DeviceResponse bound to the dcapi SessionTranscript, HPKE-sealed
 * to the verifier's recipient key with `info` = the CBOR SessionTranscript (18013-7 Annex C).
 *
 * @example
 * ```ts
 * const { response } = await answerAnnexCRequest({ request, documents: [mdl] });
 * ```
 * @throws {@link MdlError} `ERR_ONLINE_CONSENT_DENIED` when nothing is released; signer errors unchanged.
 */
export async function answerAnnexCRequest(options: AnswerAnnexCRequestOptions): Promise<AnnexCAnswer> {
  const request = options.request;
  const answer = await answerDeviceRequest({
    request: request.deviceRequest,
    documents: options.documents,
    sessionTranscript: request.sessionTranscript,
    ...(options.consent === undefined ? {} : { consent: options.consent }),
  });
  if (answer.disclosed.length === 0) throw new MdlError('ERR_ONLINE_CONSENT_DENIED', 'nothing was released');
  const sealed = await hpkeSeal({
    recipientPublicKey: request.encryptionInfo.recipientPublicKey,
    plaintext: answer.bytes,
    info: request.sessionTranscript.encoded.bytes,
  });
  const { base64url } = encodeEncryptedResponse({ enc: sealed.enc, cipherText: sealed.ciphertext });
  return { response: { response: base64url }, deviceResponse: answer.bytes };
}
