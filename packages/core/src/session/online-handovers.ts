import { digest, type Jwk } from '@mdlkit/core/crypto';
import { encodeCbor, utf8Encode } from '../cbor/index.js';
import type { IsoDcApiHandover, OpenId4VpDcApiHandover, OpenId4VpHandover } from './handover.js';
import { invalidArgument } from './internal/fail.js';

/**
 * The request parameters bound by the OpenID4VP 1.0 redirect handover.
 *
 * ```cddl
 * OpenID4VPHandoverInfo = [
 *   clientId,        ; tstr: the client_id request parameter, including any Client Identifier Prefix
 *   nonce,           ; tstr: the nonce request parameter
 *   jwkThumbprint,   ; bstr / null: RFC 7638 SHA-256 thumbprint of the verifier's response-encryption
 *                    ;   JWK when the response is encrypted (direct_post.jwt), else null
 *   responseUri      ; tstr: the response_uri (or redirect_uri) request parameter
 * ]
 * ```
 * OpenID4VP 1.0 Appendix B.2.6.1. (Its CDDL writes `jwkThumbprint = bstr`; the text makes it
 * `null` for unencrypted responses.)
 */
export interface OpenId4VpHandoverInfo {
  readonly clientId: string;
  readonly nonce: string;
  /** 32-byte SHA-256 JWK thumbprint as a byte string (never its base64url text), or `null`. */
  readonly jwkThumbprint: Uint8Array | null;
  readonly responseUri: string;
}

/**
 * Builds the OpenID4VP 1.0 redirect handover: `["OpenID4VPHandover", SHA-256(OpenID4VPHandoverInfoBytes)]`
 * where OpenID4VPHandoverInfoBytes is the CBOR encoding of {@link OpenId4VpHandoverInfo}.
 * The SessionTranscript is then `[null, null, OpenID4VPHandover]`.
 *
 * ```cddl
 * OpenID4VPHandover = ["OpenID4VPHandover", OpenID4VPHandoverInfoHash]
 * OpenID4VPHandoverInfoHash  = bstr                          ; SHA-256 of OpenID4VPHandoverInfoBytes
 * OpenID4VPHandoverInfoBytes = bstr .cbor OpenID4VPHandoverInfo
 * ```
 * OpenID4VP 1.0 Appendix B.2.6.1; spec digest §2.6 / §5.4.
 *
 * @example
 * ```ts
 * const transcript = buildSessionTranscript({
 *   deviceEngagementBytes: null,
 *   eReaderKeyBytes: null,
 *   handover: buildOpenId4VpHandover({ clientId, nonce, jwkThumbprint: null, responseUri }),
 * });
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for an empty / non-string parameter or a
 *   thumbprint that is not 32 bytes or null.
 */
export function buildOpenId4VpHandover(info: OpenId4VpHandoverInfo): OpenId4VpHandover {
  const value = [
    text(info?.clientId, 'clientId'),
    text(info.nonce, 'nonce'),
    thumbprint(info.jwkThumbprint),
    text(info.responseUri, 'responseUri'),
  ];
  return { kind: 'openid4vp', infoHash: digest('SHA-256', encodeCbor(value)) };
}

/**
 * The request parameters bound by the OpenID4VP 1.0 Digital Credentials API handover.
 *
 * ```cddl
 * OpenID4VPDCAPIHandoverInfo = [
 *   origin,          ; tstr: the origin of the request (not prefixed with "origin:")
 *   nonce,           ; tstr: the nonce request parameter
 *   jwkThumbprint    ; bstr / null: thumbprint of the response-encryption key for dc_api.jwt, null for dc_api
 * ]
 * ```
 * OpenID4VP 1.0 Appendix B.2.6.2.
 */
export interface OpenId4VpDcApiHandoverInfo {
  readonly origin: string;
  readonly nonce: string;
  /** 32-byte SHA-256 JWK thumbprint as a byte string, or `null` (response mode `dc_api`). */
  readonly jwkThumbprint: Uint8Array | null;
}

/**
 * Builds the OpenID4VP 1.0 DC API handover:
 * `["OpenID4VPDCAPIHandover", SHA-256(OpenID4VPDCAPIHandoverInfoBytes)]`. The SessionTranscript is
 * `[null, null, OpenID4VPDCAPIHandover]`.
 *
 * ```cddl
 * OpenID4VPDCAPIHandover = ["OpenID4VPDCAPIHandover", OpenID4VPDCAPIHandoverInfoHash]
 * OpenID4VPDCAPIHandoverInfoHash  = bstr        ; SHA-256 of OpenID4VPDCAPIHandoverInfoBytes
 * OpenID4VPDCAPIHandoverInfoBytes = bstr .cbor OpenID4VPDCAPIHandoverInfo
 * ```
 * OpenID4VP 1.0 Appendix B.2.6.2; spec digest §2.6 / §5.4.
 *
 * @example
 * ```ts
 * const handover = buildOpenId4VpDcApiHandover({ origin: 'https://verifier.example', nonce, jwkThumbprint });
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for an empty / non-string parameter, an origin
 *   prefixed with `origin:`, or a thumbprint that is not 32 bytes or null.
 */
export function buildOpenId4VpDcApiHandover(info: OpenId4VpDcApiHandoverInfo): OpenId4VpDcApiHandover {
  const value = [origin(info?.origin), text(info.nonce, 'nonce'), thumbprint(info.jwkThumbprint)];
  return { kind: 'openid4vp-dc-api', infoHash: digest('SHA-256', encodeCbor(value)) };
}

/**
 * The values bound by the ISO/IEC 18013-7 Annex C (`org.iso.mdoc` over the DC API) handover.
 *
 * ```cddl
 * dcapiInfo = [
 *   Base64EncryptionInfo,   ; tstr: the request's encryptionInfo, base64url without padding, as sent
 *   SerializedOrigin        ; tstr: ASCII serialization of the requesting origin
 * ]
 * ```
 * ISO/IEC TS 18013-7 2nd-edition DTS draft (WG10 N2544) Annex C — **draft**, spec digest §2.6.
 */
export interface IsoDcApiHandoverInfo {
  /** `Base64EncryptionInfo` exactly as it appeared in the request (never re-encoded). */
  readonly encryptionInfo: string;
  /** The serialized origin, e.g. `https://verifier.example`. */
  readonly origin: string;
}

/**
 * Builds the ISO/IEC 18013-7 Annex C handover `["dcapi", SHA-256(cbor(dcapiInfo))]`. The
 * SessionTranscript is `[null, null, ["dcapi", dcapiInfoHash]]`; the response is HPKE-encrypted with
 * `info` = the CBOR SessionTranscript (spec digest §3.11; HPKE is not part of this module).
 *
 * **Draft**: 18013-7's second edition is not published; this follows the DTS candidate and the
 * implementations cited in the spec digest, and may change.
 *
 * @example
 * ```ts
 * const handover = buildIsoDcApiHandover({ encryptionInfo: request.encryptionInfo, origin: 'https://verifier.example' });
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for an empty / non-string value or an
 *   encryptionInfo that is not base64url without padding.
 */
export function buildIsoDcApiHandover(info: IsoDcApiHandoverInfo): IsoDcApiHandover {
  const encryptionInfo = text(info?.encryptionInfo, 'encryptionInfo');
  if (!/^[A-Za-z0-9_-]+$/.test(encryptionInfo)) {
    invalidArgument('encryptionInfo must be base64url without padding');
  }
  const value = [encryptionInfo, origin(info.origin)];
  return { kind: 'iso-dc-api', infoHash: digest('SHA-256', encodeCbor(value)) };
}

/**
 * RFC 7638 JWK SHA-256 thumbprint: SHA-256 over the JSON object of the key's required members in
 * lexicographic order without whitespace (EC: crv, kty, x, y; OKP: crv, kty, x; RSA: e, kty, n).
 * This is the `jwkThumbprint` the OpenID4VP handovers bind.
 *
 * @example
 * ```ts
 * const jwkThumbprint = jwkSha256Thumbprint(verifierEncryptionJwk);
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for an unsupported `kty` or a missing /
 *   non-string required member.
 */
export function jwkSha256Thumbprint(jwk: Jwk): Uint8Array {
  const members = requiredMembers(jwk?.kty);
  const parts = members.map((name) => {
    const value = jwk[name];
    if (typeof value !== 'string' || value.length === 0)
      invalidArgument('JWK member missing', { member: name });
    return `${JSON.stringify(name)}:${JSON.stringify(value)}`;
  });
  return digest('SHA-256', utf8Encode(`{${parts.join(',')}}`));
}

function requiredMembers(kty: unknown): readonly string[] {
  switch (kty) {
    case 'EC':
      return ['crv', 'kty', 'x', 'y'];
    case 'OKP':
      return ['crv', 'kty', 'x'];
    case 'RSA':
      return ['e', 'kty', 'n'];
    default:
      return invalidArgument('JWK kty must be EC, OKP or RSA');
  }
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0)
    invalidArgument(`${name} must be a non-empty string`, { name });
  return value;
}

function origin(value: unknown): string {
  const o = text(value, 'origin');
  if (o.startsWith('origin:')) invalidArgument('origin must not be prefixed with "origin:"');
  return o;
}

function thumbprint(value: unknown): Uint8Array | null {
  if (value === null) return null;
  if (!(value instanceof Uint8Array) || value.length !== 32) {
    invalidArgument('jwkThumbprint must be a 32-byte Uint8Array (SHA-256) or null');
  }
  return value;
}
