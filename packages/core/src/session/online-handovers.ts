import { digest, type Jwk } from '@mdlkit/core/crypto';
import { encodeCbor, utf8Encode } from '../cbor/index.js';
import type {
  AndroidHandoverV1,
  BrowserHandoverV1,
  GoogleWalletHandoverV1,
  IsoAnnexBHandover,
  IsoDcApiHandover,
  OpenId4VpDcApiHandover,
  OpenId4VpHandover,
  OpenId4VpPreStandardHandover,
} from './handover.js';
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
  if (!/^[A-Za-z0-9_-]*$/.test(encryptionInfo)) {
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

// Empty strings are values: the CDDL says tstr, and wallets have signed over empty nonces and
// client ids. A builder that refused them could not reproduce what such a wallet signed.
function text(value: unknown, name: string): string {
  if (typeof value !== 'string') invalidArgument(`${name} must be a string`, { name });
  return value;
}

function bytes(value: unknown, name: string): Uint8Array {
  if (!(value instanceof Uint8Array)) invalidArgument(`${name} must be a Uint8Array`, { name });
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

/** The values bound by the draft-era OpenID4VP DC API handover. */
export interface OpenId4VpDcApiDraftHandoverInfo {
  readonly origin: string;
  readonly clientId: string;
  readonly nonce: string;
}

/**
 * Builds the draft-era (OpenID4VP drafts 23–24) DC API handover:
 * `["OpenID4VPDCAPIHandover", SHA-256(cbor([origin, clientId, nonce]))]`. Same wire shape as the 1.0
 * handover, different hash input; deployed wallets still send it.
 *
 * ```cddl
 * OpenID4VPDCAPIHandoverInfo = [origin: tstr, clientId: tstr, nonce: tstr]
 * ```
 *
 * @example
 * ```ts
 * buildOpenId4VpDcApiDraftHandover({ origin: 'https://verifier.example', clientId: 'web-origin:https://verifier.example', nonce });
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for a non-string value.
 */
export function buildOpenId4VpDcApiDraftHandover(
  info: OpenId4VpDcApiDraftHandoverInfo,
): OpenId4VpDcApiHandover {
  const value = [text(info?.origin, 'origin'), text(info.clientId, 'clientId'), text(info.nonce, 'nonce')];
  return { kind: 'openid4vp-dc-api', infoHash: digest('SHA-256', encodeCbor(value)) };
}

/** The values bound by the ISO/IEC TS 18013-7:2024 Annex B handover. */
export interface IsoAnnexBHandoverInfo {
  readonly clientId: string;
  readonly responseUri: string;
  readonly nonce: string;
  /** The wallet's nonce from the JWE `apu` header (may be the empty string). */
  readonly mdocGeneratedNonce: string;
}

/**
 * Builds the ISO/IEC TS 18013-7:2024 Annex B handover `[clientIdHash, responseUriHash, nonce]`.
 *
 * ```cddl
 * OID4VPHandover = [clientIdHash: bstr, responseUriHash: bstr, nonce: tstr]
 * clientIdHash    = SHA-256(cbor([client_id, mdocGeneratedNonce]))
 * responseUriHash = SHA-256(cbor([response_uri, mdocGeneratedNonce]))
 * ```
 * ISO/IEC TS 18013-7:2024 B.4.4; spec digest §2.6.
 *
 * @example
 * ```ts
 * buildIsoAnnexBHandover({ clientId, responseUri, nonce, mdocGeneratedNonce: apu });
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for a non-string value.
 */
export function buildIsoAnnexBHandover(info: IsoAnnexBHandoverInfo): IsoAnnexBHandover {
  const m = text(info?.mdocGeneratedNonce, 'mdocGeneratedNonce');
  return {
    kind: 'iso-18013-7-annex-b',
    clientIdHash: digest('SHA-256', encodeCbor([text(info.clientId, 'clientId'), m])),
    responseUriHash: digest('SHA-256', encodeCbor([text(info.responseUri, 'responseUri'), m])),
    nonce: text(info.nonce, 'nonce'),
  };
}

/**
 * Builds the handover of early OpenID4VP integrations: `[mdocGeneratedNonce, clientId, responseUri, nonce]`
 * in clear (auth0-lab/mdl and integrations built on it; no standard).
 *
 * @example
 * ```ts
 * buildOpenId4VpPreStandardHandover({ mdocGeneratedNonce, clientId, responseUri, nonce });
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for a non-string value.
 */
export function buildOpenId4VpPreStandardHandover(info: IsoAnnexBHandoverInfo): OpenId4VpPreStandardHandover {
  return {
    kind: 'openid4vp-pre-standard',
    mdocGeneratedNonce: text(info?.mdocGeneratedNonce, 'mdocGeneratedNonce'),
    clientId: text(info.clientId, 'clientId'),
    responseUri: text(info.responseUri, 'responseUri'),
    nonce: text(info.nonce, 'nonce'),
  };
}

/** Inputs of Google's AndroidHandoverv1. */
export interface AndroidHandoverV1Info {
  /** The request nonce as bytes. */
  readonly nonce: Uint8Array;
  /** The verifier app's package name: text, or its UTF-8 bytes (both are seen). */
  readonly packageName: string | Uint8Array;
  /** SHA-256 of the requester identity (for example of the reader's public key). */
  readonly requesterIdHash: Uint8Array;
}

/**
 * Builds Google's pre-standard `["AndroidHandoverv1", nonce, packageName, requesterIdHash]`.
 *
 * @example
 * ```ts
 * buildAndroidHandoverV1({ nonce, packageName: 'com.android.mdl.appreader', requesterIdHash });
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for a wrong element type.
 */
export function buildAndroidHandoverV1(info: AndroidHandoverV1Info): AndroidHandoverV1 {
  const packageName = info?.packageName;
  return {
    kind: 'android-v1',
    nonce: bytes(info?.nonce, 'nonce'),
    packageName: typeof packageName === 'string' ? packageName : bytes(packageName, 'packageName'),
    requesterIdHash: bytes(info.requesterIdHash, 'requesterIdHash'),
  };
}

/** Inputs of Google's BrowserHandoverv1. */
export interface BrowserHandoverV1Info {
  readonly nonce: Uint8Array;
  /** The web origin; OriginInfoBytes = cbor({"cat": 1, "type": 1, "details": {"baseUrl": origin}}). */
  readonly origin?: string;
  /** Or OriginInfoBytes exactly as sent (wins over `origin`). */
  readonly originInfoBytes?: Uint8Array;
  readonly requesterIdHash: Uint8Array;
  /** The HPKE ephemeral public key of the 5-element revision; absent for the 4-element one. */
  readonly pkEm?: Uint8Array;
}

/**
 * Builds Google's pre-standard `["BrowserHandoverv1", nonce, OriginInfoBytes, requesterIdHash, ? pkEm]`.
 *
 * @example
 * ```ts
 * buildBrowserHandoverV1({ nonce, origin: 'https://verifier.example', requesterIdHash });
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for a wrong element type or neither origin nor OriginInfoBytes.
 */
export function buildBrowserHandoverV1(info: BrowserHandoverV1Info): BrowserHandoverV1 {
  let originInfo: Uint8Array;
  if (info?.originInfoBytes !== undefined) originInfo = bytes(info.originInfoBytes, 'originInfoBytes');
  else if (info?.origin !== undefined) originInfo = originInfoBytes(text(info.origin, 'origin'));
  else return invalidArgument('origin or originInfoBytes is required');
  return {
    kind: 'browser-v1',
    nonce: bytes(info.nonce, 'nonce'),
    originInfo,
    requesterIdHash: bytes(info.requesterIdHash, 'requesterIdHash'),
    ...(info.pkEm === undefined ? {} : { pkEm: bytes(info.pkEm, 'pkEm') }),
  };
}

/**
 * The OriginInfoBytes of a web origin as Google's Credential Manager writes them:
 * `cbor({"cat": 1, "type": 1, "details": {"baseUrl": origin}})` in that key order.
 *
 * @example
 * ```ts
 * originInfoBytes('https://verifier.example');
 * ```
 */
export function originInfoBytes(origin: string): Uint8Array {
  const details = new Map<string, unknown>([['baseUrl', text(origin, 'origin')]]);
  return encodeCbor(
    new Map<string, unknown>([
      ['cat', 1],
      ['type', 1],
      ['details', details],
    ]),
    { keyOrder: 'insertion' },
  );
}

/**
 * Builds `["GoogleWalletHandoverv1", …elements]`. No public text defines the elements; they are
 * written as given (any CBOR-encodable values).
 *
 * @example
 * ```ts
 * buildGoogleWalletHandoverV1({ elements: [nonce, packageName, requesterIdHash] });
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` when `elements` is not an array.
 */
export function buildGoogleWalletHandoverV1(info: {
  readonly elements: readonly unknown[];
}): GoogleWalletHandoverV1 {
  if (!Array.isArray(info?.elements)) invalidArgument('elements must be an array');
  return { kind: 'google-wallet-v1', elements: [...info.elements] };
}
