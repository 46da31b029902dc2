import { toBase64Url, utf8Encode } from '@mdlkit/core/cbor';
import { MdlError } from '@mdlkit/core/errors';
import { encryptJwe, matchDcqlQuery } from '@mdlkit/core/online';
import {
  buildOpenId4VpDcApiHandover,
  buildOpenId4VpHandover,
  buildSessionTranscript,
  jwkSha256Thumbprint,
  type SessionTranscript,
} from '@mdlkit/core/session';
import { dcqlViewOf, syntheticDeviceRequest } from '../online/shared.js';
import {
  answerDeviceRequest,
  type DisclosureDecision,
  type DisclosureProposal,
} from '../response/answer-device-request.js';
import type { StoredMdoc } from '../store/mdoc-store.js';
import type { ParsedOpenId4VpRequest } from './parse-openid4vp-request.js';

/** Options for {@link answerOpenId4VpRequest}. */
export interface AnswerOpenId4VpRequestOptions {
  readonly request: ParsedOpenId4VpRequest;
  /** The documents the wallet holds. */
  readonly documents: readonly StoredMdoc[];
  /**
   * Asked once per credential query with what would be released (and who asks, via `request.verifier`);
   * return the elements to release, or `false` to refuse (`ERR_ONLINE_CONSENT_DENIED`).
   */
  readonly consent?: (
    proposal: DisclosureProposal & { readonly credentialQueryId: string },
  ) => DisclosureDecision | Promise<DisclosureDecision>;
}

/** What {@link answerOpenId4VpRequest} returns. */
export interface OpenId4VpAnswer {
  /**
   * The response to send: the DC API `data` (`{ vp_token }` / `{ response }`) or the `direct_post`
   * form fields (`vp_token` as JSON text and `state`, or `response` [and `state`]).
   */
  readonly response: Readonly<Record<string, unknown>>;
  /** Credential query id → the DeviceResponse bytes sent. */
  readonly deviceResponses: ReadonlyMap<string, Uint8Array>;
  /** The SessionTranscript the device authentication covers. */
  readonly sessionTranscript: SessionTranscript;
}

/**
 * Answers a checked OpenID4VP request: matches the DCQL query against the held documents, asks for
 * consent, answers each credential query with a DeviceResponse bound to the OpenID4VP
 * SessionTranscript (B.2.6), and wraps the `vp_token` for the response mode (JWE ECDH-ES for `.jwt`).
 *
 * @example
 * ```ts
 * const { response } = await answerOpenId4VpRequest({ request, documents: [mdl] });
 * ```
 * @throws {@link MdlError} `ERR_ONLINE_NO_MATCHING_CREDENTIAL` when the query cannot be satisfied,
 *   `ERR_ONLINE_CONSENT_DENIED` when consent is refused; signer errors unchanged.
 */
export async function answerOpenId4VpRequest(
  options: AnswerOpenId4VpRequestOptions,
): Promise<OpenId4VpAnswer> {
  const request = options.request;
  const match = matchDcqlQuery(request.dcqlQuery, options.documents.map(dcqlViewOf));
  if (!match.satisfiable) {
    throw new MdlError('ERR_ONLINE_NO_MATCHING_CREDENTIAL', 'no held document satisfies the query');
  }
  const sessionTranscript = openId4VpWalletTranscript(request);
  const vpToken: Record<string, string[]> = {};
  const deviceResponses = new Map<string, Uint8Array>();
  for (const [id, m] of match.matches) {
    const doc = options.documents[m.documentIndex]!;
    const consent = options.consent;
    const answer = await answerDeviceRequest({
      request: syntheticDeviceRequest(doc.docType, m.claims),
      documents: [doc],
      sessionTranscript,
      ...(consent === undefined
        ? {}
        : { consent: (p: DisclosureProposal) => consent({ ...p, credentialQueryId: id }) }),
    });
    if (answer.disclosed.length === 0) throw new MdlError('ERR_ONLINE_CONSENT_DENIED', 'consent was refused');
    deviceResponses.set(id, answer.bytes);
    vpToken[id] = [toBase64Url(answer.bytes)];
  }
  const body: Record<string, unknown> = { vp_token: vpToken };
  if (request.state !== null) body.state = request.state;
  let response: Record<string, unknown>;
  if (request.encryption !== null) {
    const jwe = await encryptJwe({
      plaintext: utf8Encode(JSON.stringify(body)),
      recipientJwk: request.encryption.jwk,
      enc: request.encryption.enc,
    });
    response = { response: jwe };
  } else if (request.flow === 'redirect') {
    response = {
      vp_token: JSON.stringify(vpToken),
      ...(request.state === null ? {} : { state: request.state }),
    };
  } else response = { vp_token: vpToken };
  return { response, deviceResponses, sessionTranscript };
}

/**
 * The SessionTranscript a wallet binds its OpenID4VP answer to (OpenID4VP 1.0 B.2.6): built from the
 * request it received and, for the DC API, the origin the platform asserted.
 *
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for a request missing a handover input.
 */
export function openId4VpWalletTranscript(request: ParsedOpenId4VpRequest): SessionTranscript {
  const jwkThumbprint = request.encryption === null ? null : jwkSha256Thumbprint(request.encryption.jwk);
  const handover =
    request.flow === 'dc-api'
      ? buildOpenId4VpDcApiHandover({ origin: request.origin ?? '', nonce: request.nonce, jwkThumbprint })
      : buildOpenId4VpHandover({
          clientId: request.clientId ?? '',
          nonce: request.nonce,
          jwkThumbprint,
          responseUri: request.responseUri ?? '',
        });
  return buildSessionTranscript({ deviceEngagementBytes: null, eReaderKeyBytes: null, handover });
}
