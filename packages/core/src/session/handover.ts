import { EncodedCbor } from '../cbor/index.js';
import { transcriptInvalid } from './internal/fail.js';

/**
 * The handover identifiers of the identifier-tagged handovers mdlkit models (first element of the array).
 *
 * - `OpenID4VPHandover` — OpenID4VP 1.0 Appendix B.2.6.1 (invocation via redirects).
 * - `OpenID4VPDCAPIHandover` — OpenID4VP 1.0 Appendix B.2.6.2 (invocation via the W3C Digital
 *   Credentials API); also the draft-era DC API handover with `[origin, clientId, nonce]` info.
 * - `dcapi` — ISO/IEC TS 18013-7 (2nd edition draft) Annex C, protocol `org.iso.mdoc` over the DC API.
 * - `AndroidHandoverv1`, `BrowserHandoverv1`, `GoogleWalletHandoverv1` — Google's pre-standard
 *   Credential Manager handovers seen in the field (no ISO or OpenID text defines them).
 */
export const HandoverIdentifier = {
  OPENID4VP: 'OpenID4VPHandover',
  OPENID4VP_DC_API: 'OpenID4VPDCAPIHandover',
  ISO_DC_API: 'dcapi',
  ANDROID_V1: 'AndroidHandoverv1',
  BROWSER_V1: 'BrowserHandoverv1',
  GOOGLE_WALLET_V1: 'GoogleWalletHandoverv1',
} as const;
/** One of {@link HandoverIdentifier}. */
export type HandoverIdentifier = (typeof HandoverIdentifier)[keyof typeof HandoverIdentifier];

/**
 * QR (and other engagement-only) handover: the CBOR `null`.
 *
 * ```cddl
 * QRHandover = null
 * ```
 * ISO/IEC 18013-5:2021 §9.1.5.1 (ed2 §12.7.1).
 */
export interface QrHandover {
  readonly kind: 'qr';
}

/**
 * NFC handover: the raw NDEF messages exactly as exchanged.
 *
 * ```cddl
 * NFCHandover = [
 *   HandoverSelect : bstr,          ; Handover Select message as read from the mdoc
 *   HandoverRequest : bstr / null   ; Handover Request (Negotiated Handover); null for Static Handover
 * ]
 * ```
 * ISO/IEC 18013-5:2021 §9.1.5.1 (ed2 §12.7.1). The Annex D example uses Negotiated Handover.
 */
export interface NfcHandover {
  readonly kind: 'nfc';
  /** The complete Handover Select NDEF message. */
  readonly handoverSelect: Uint8Array;
  /** The complete Handover Request NDEF message, or `null` for NFC Static Handover. */
  readonly handoverRequest: Uint8Array | null;
}

/**
 * OpenID4VP 1.0 handover for invocation via redirects.
 *
 * ```cddl
 * OpenID4VPHandover = [
 *   "OpenID4VPHandover",
 *   OpenID4VPHandoverInfoHash    ; bstr: SHA-256 of OpenID4VPHandoverInfoBytes
 * ]
 * ```
 * OpenID4VP 1.0 Appendix B.2.6.1. Build it with `buildOpenId4VpHandover`.
 */
export interface OpenId4VpHandover {
  readonly kind: 'openid4vp';
  /** SHA-256 of the CBOR-encoded `OpenID4VPHandoverInfo`. */
  readonly infoHash: Uint8Array;
}

/**
 * OpenID4VP handover for invocation via the W3C Digital Credentials API (1.0, and the draft-era
 * variant whose info is `[origin, clientId, nonce]`: same wire shape, different hash input).
 *
 * ```cddl
 * OpenID4VPDCAPIHandover = [
 *   "OpenID4VPDCAPIHandover",
 *   OpenID4VPDCAPIHandoverInfoHash   ; bstr: SHA-256 of OpenID4VPDCAPIHandoverInfoBytes
 * ]
 * ```
 * OpenID4VP 1.0 Appendix B.2.6.2. Build it with `buildOpenId4VpDcApiHandover` (or
 * `buildOpenId4VpDcApiDraftHandover`).
 */
export interface OpenId4VpDcApiHandover {
  readonly kind: 'openid4vp-dc-api';
  /** SHA-256 of the CBOR-encoded `OpenID4VPDCAPIHandoverInfo`. */
  readonly infoHash: Uint8Array;
}

/**
 * ISO/IEC TS 18013-7 Annex C handover (protocol `org.iso.mdoc` over the Digital Credentials API).
 *
 * ```cddl
 * Handover = ["dcapi", dcapiInfoHash]
 * dcapiInfoHash = bstr          ; SHA-256 of the CBOR-encoded dcapiInfo
 * ```
 * ISO/IEC TS 18013-7 (2nd-edition DTS draft, WG10 N2544) Annex C — **draft text**, see spec digest
 * §2.6. Build it with `buildIsoDcApiHandover`.
 */
export interface IsoDcApiHandover {
  readonly kind: 'iso-dc-api';
  /** SHA-256 of the CBOR-encoded `dcapiInfo`. */
  readonly infoHash: Uint8Array;
}

/**
 * The OpenID4VP handover of ISO/IEC TS 18013-7:2024 Annex B (pre-1.0 OpenID4VP, "draft 18").
 *
 * ```cddl
 * OID4VPHandover = [
 *   clientIdHash,      ; bstr: SHA-256(cbor([client_id, mdocGeneratedNonce]))
 *   responseUriHash,   ; bstr: SHA-256(cbor([response_uri, mdocGeneratedNonce]))
 *   nonce              ; tstr: the request nonce
 * ]
 * ```
 * ISO/IEC TS 18013-7:2024 B.4.4; spec digest §2.6. Build it with `buildIsoAnnexBHandover`.
 */
export interface IsoAnnexBHandover {
  readonly kind: 'iso-18013-7-annex-b';
  readonly clientIdHash: Uint8Array;
  readonly responseUriHash: Uint8Array;
  readonly nonce: string;
}

/**
 * The handover of early (pre-18013-7) OpenID4VP integrations: the four request values in clear.
 *
 * ```cddl
 * PreStandardOID4VPHandover = [mdocGeneratedNonce: tstr, clientId: tstr, responseUri: tstr, nonce: tstr]
 * ```
 * Source: auth0-lab/mdl (`usingHandover([mdocGeneratedNonce, clientId, responseUri, verifierGeneratedNonce])`)
 * and integrations built on it; no standard defines it. Build it with `buildOpenId4VpPreStandardHandover`.
 */
export interface OpenId4VpPreStandardHandover {
  readonly kind: 'openid4vp-pre-standard';
  readonly mdocGeneratedNonce: string;
  readonly clientId: string;
  readonly responseUri: string;
  readonly nonce: string;
}

/**
 * Google's pre-standard Android Credential Manager handover (native app verifier).
 *
 * ```cddl
 * AndroidHandover = [
 *   "AndroidHandoverv1",
 *   nonce: bstr,              ; the request nonce
 *   packageName: tstr / bstr, ; the verifier app's package name (seen both ways)
 *   requesterIdHash: bstr     ; SHA-256 of the requester identity (e.g. the reader public key)
 * ]
 * ```
 * Source: Google's identity-credential / Multipaz `CredmanUtil` and wallet samples, and the Google test
 * mDL in google/longfellow-zk `mdoc_examples.h` (no ISO or OpenID text). Build it with `buildAndroidHandoverV1`.
 */
export interface AndroidHandoverV1 {
  readonly kind: 'android-v1';
  readonly nonce: Uint8Array;
  readonly packageName: string | Uint8Array;
  readonly requesterIdHash: Uint8Array;
}

/**
 * Google's pre-standard Credential Manager handover for browser verifiers.
 *
 * ```cddl
 * BrowserHandover = [
 *   "BrowserHandoverv1",
 *   nonce: bstr,
 *   OriginInfoBytes: bstr,    ; cbor({"cat": 1, "type": 1, "details": {"baseUrl": origin}})
 *   requesterIdHash: bstr,
 *   ? pkEm: bstr              ; later revisions append the HPKE ephemeral key
 * ]
 * ```
 * Source: Google identity-credential `CredmanUtil` / the Credential Manager preview documentation
 * (no ISO or OpenID text). Build it with `buildBrowserHandoverV1`.
 */
export interface BrowserHandoverV1 {
  readonly kind: 'browser-v1';
  readonly nonce: Uint8Array;
  /** OriginInfoBytes as sent (a bstr); some senders put the OriginInfo map itself here. */
  readonly originInfo: Uint8Array | ReadonlyMap<unknown, unknown>;
  readonly requesterIdHash: Uint8Array;
  /** The HPKE ephemeral public key of later revisions, absent in the 4-element form. */
  readonly pkEm?: Uint8Array;
}

/**
 * A Google Wallet handover seen in the field, tagged `"GoogleWalletHandoverv1"`. No public text
 * defines its elements; mdlkit recognises it by its identifier and keeps the elements as received.
 *
 * ```cddl
 * GoogleWalletHandover = ["GoogleWalletHandoverv1", * any]
 * ```
 * Build it with `buildGoogleWalletHandoverV1` (elements are written as given).
 */
export interface GoogleWalletHandoverV1 {
  readonly kind: 'google-wallet-v1';
  /** The elements after the identifier, as received / given. */
  readonly elements: readonly unknown[];
}

/**
 * A handover no catalogue entry recognises. Verification still uses the transcript bytes as given;
 * `shape` names the CBOR shape for the report (types and lengths, never values).
 */
export interface UnrecognisedHandover {
  readonly kind: 'unrecognised';
  /** The decoded handover value. */
  readonly value: unknown;
  /** A description of its CBOR shape, e.g. `["FooHandover", bstr(32), tstr]`. */
  readonly shape: string;
}

/**
 * Every handover mdlkit models; anything else parses as {@link UnrecognisedHandover}.
 *
 * ```cddl
 * Handover = QRHandover / NFCHandover / Ext
 * ```
 */
export type Handover =
  | QrHandover
  | NfcHandover
  | OpenId4VpHandover
  | OpenId4VpDcApiHandover
  | IsoDcApiHandover
  | IsoAnnexBHandover
  | OpenId4VpPreStandardHandover
  | AndroidHandoverV1
  | BrowserHandoverV1
  | GoogleWalletHandoverV1
  | UnrecognisedHandover;

/** The `kind` discriminator of {@link Handover}. */
export type HandoverKind = Handover['kind'];

const HASH_LENGTH = 32;

/** @internal Turns a {@link Handover} into the CBOR value that goes into SessionTranscript[2]. */
export function handoverToCbor(handover: Handover): unknown {
  switch (handover.kind) {
    case 'qr':
      return null;
    case 'nfc':
      if (!(handover.handoverSelect instanceof Uint8Array) || handover.handoverSelect.length === 0) {
        transcriptInvalid('NFC HandoverSelect must be a non-empty byte string', 'handover[0]');
      }
      if (handover.handoverRequest !== null && !(handover.handoverRequest instanceof Uint8Array)) {
        transcriptInvalid('NFC HandoverRequest must be a byte string or null', 'handover[1]');
      }
      return [handover.handoverSelect, handover.handoverRequest];
    case 'openid4vp':
      return [HandoverIdentifier.OPENID4VP, checkedHash(handover.infoHash, 'handover[1]')];
    case 'openid4vp-dc-api':
      return [HandoverIdentifier.OPENID4VP_DC_API, checkedHash(handover.infoHash, 'handover[1]')];
    case 'iso-dc-api':
      return [HandoverIdentifier.ISO_DC_API, checkedHash(handover.infoHash, 'handover[1]')];
    case 'iso-18013-7-annex-b':
      return [
        checkedHash(handover.clientIdHash, 'handover[0]'),
        checkedHash(handover.responseUriHash, 'handover[1]'),
        checkedText(handover.nonce, 'handover[2]'),
      ];
    case 'openid4vp-pre-standard':
      return [
        checkedText(handover.mdocGeneratedNonce, 'handover[0]'),
        checkedText(handover.clientId, 'handover[1]'),
        checkedText(handover.responseUri, 'handover[2]'),
        checkedText(handover.nonce, 'handover[3]'),
      ];
    case 'android-v1':
      return [
        HandoverIdentifier.ANDROID_V1,
        checkedBytes(handover.nonce, 'handover[1]'),
        typeof handover.packageName === 'string'
          ? handover.packageName
          : checkedBytes(handover.packageName, 'handover[2]'),
        checkedBytes(handover.requesterIdHash, 'handover[3]'),
      ];
    case 'browser-v1': {
      const origin = handover.originInfo;
      if (!(origin instanceof Uint8Array) && !(origin instanceof Map)) {
        transcriptInvalid('BrowserHandoverv1 OriginInfo must be a byte string or a map', 'handover[2]');
      }
      const out: unknown[] = [
        HandoverIdentifier.BROWSER_V1,
        checkedBytes(handover.nonce, 'handover[1]'),
        origin,
        checkedBytes(handover.requesterIdHash, 'handover[3]'),
      ];
      if (handover.pkEm !== undefined) out.push(checkedBytes(handover.pkEm, 'handover[4]'));
      return out;
    }
    case 'google-wallet-v1':
      if (!Array.isArray(handover.elements)) {
        transcriptInvalid('GoogleWalletHandoverv1 elements must be an array', 'handover');
      }
      return [HandoverIdentifier.GOOGLE_WALLET_V1, ...handover.elements];
    case 'unrecognised':
      return handover.value;
    default:
      return transcriptInvalid('unsupported handover kind', 'handover');
  }
}

/**
 * @internal Reads SessionTranscript[2] (already decoded) into a {@link Handover}. Never refuses:
 * a value no entry recognises becomes `{ kind: 'unrecognised', shape }`.
 */
export function handoverFromCbor(value: unknown): Handover {
  if (value === null) return { kind: 'qr' };
  if (!Array.isArray(value)) return unrecognised(value);
  const a = value as readonly unknown[];
  const [first, second, third, fourth] = a;
  if (a.length === 2 && first instanceof Uint8Array && first.length > 0) {
    if (second === null) return { kind: 'nfc', handoverSelect: first, handoverRequest: null };
    if (second instanceof Uint8Array) return { kind: 'nfc', handoverSelect: first, handoverRequest: second };
    return unrecognised(value);
  }
  if (a.length === 2 && typeof first === 'string' && isHash(second)) {
    switch (first) {
      case HandoverIdentifier.OPENID4VP:
        return { kind: 'openid4vp', infoHash: second };
      case HandoverIdentifier.OPENID4VP_DC_API:
        return { kind: 'openid4vp-dc-api', infoHash: second };
      case HandoverIdentifier.ISO_DC_API:
        return { kind: 'iso-dc-api', infoHash: second };
    }
  }
  if (a.length === 3 && isHash(first) && isHash(second) && typeof third === 'string') {
    return { kind: 'iso-18013-7-annex-b', clientIdHash: first, responseUriHash: second, nonce: third };
  }
  if (a.length === 4 && a.every((e) => typeof e === 'string') && !isIdentifier(first)) {
    return {
      kind: 'openid4vp-pre-standard',
      mdocGeneratedNonce: first as string,
      clientId: second as string,
      responseUri: third as string,
      nonce: fourth as string,
    };
  }
  if (
    first === HandoverIdentifier.ANDROID_V1 &&
    a.length === 4 &&
    second instanceof Uint8Array &&
    (typeof third === 'string' || third instanceof Uint8Array) &&
    fourth instanceof Uint8Array
  ) {
    return { kind: 'android-v1', nonce: second, packageName: third, requesterIdHash: fourth };
  }
  if (
    first === HandoverIdentifier.BROWSER_V1 &&
    (a.length === 4 || a.length === 5) &&
    second instanceof Uint8Array &&
    (third instanceof Uint8Array || third instanceof Map) &&
    fourth instanceof Uint8Array &&
    (a.length === 4 || a[4] instanceof Uint8Array)
  ) {
    return {
      kind: 'browser-v1',
      nonce: second,
      originInfo: third,
      requesterIdHash: fourth,
      ...(a.length === 5 ? { pkEm: a[4] as Uint8Array } : {}),
    };
  }
  if (first === HandoverIdentifier.GOOGLE_WALLET_V1) {
    return { kind: 'google-wallet-v1', elements: a.slice(1) };
  }
  return unrecognised(value);
}

/** A 4-string handover whose first string is a known identifier is not the pre-standard one. */
function isIdentifier(value: unknown): boolean {
  return (Object.values(HandoverIdentifier) as unknown[]).includes(value);
}

function unrecognised(value: unknown): UnrecognisedHandover {
  return { kind: 'unrecognised', value, shape: describeCborShape(value) };
}

function isHash(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === HASH_LENGTH;
}

const MAX_SHAPE_ELEMENTS = 8;
const IDENTIFIER_RE = /^[A-Za-z][A-Za-z0-9_.-]{0,39}$/;

/**
 * Describes the CBOR shape of a decoded value — types, lengths and identifier-like text, never
 * other values — for reports: `["AndroidHandoverv1", bstr(32), tstr(25), bstr(32)]`, `null`,
 * `map(3)`. Text strings are shown literally only when they look like an identifier (letters, digits,
 * `_.-`, at most 40 characters) in the first position of an array; everything else as `tstr(n)`.
 *
 * @example
 * ```ts
 * describeCborShape(['dcapi', new Uint8Array(32)]); // '["dcapi", bstr(32)]'
 * ```
 */
export function describeCborShape(value: unknown, depth = 0, first = false): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? (value < 0 ? 'nint' : 'uint') : 'float';
  if (typeof value === 'bigint') return value < 0n ? 'nint' : 'uint';
  if (typeof value === 'string') {
    return first && IDENTIFIER_RE.test(value) ? JSON.stringify(value) : `tstr(${value.length})`;
  }
  if (value instanceof Uint8Array) return `bstr(${value.length})`;
  if (value instanceof EncodedCbor) return `#6.24(bstr(${value.bytes.length}))`;
  if (value instanceof Map) return `map(${value.size})`;
  if (Array.isArray(value)) {
    if (depth >= 2) return `array(${value.length})`;
    const shown = value.slice(0, MAX_SHAPE_ELEMENTS).map((e, i) => describeCborShape(e, depth + 1, i === 0));
    if (value.length > MAX_SHAPE_ELEMENTS) shown.push(`… ${value.length - MAX_SHAPE_ELEMENTS} more`);
    return `[${shown.join(', ')}]`;
  }
  if (typeof value === 'object' && 'tag' in value) return `#6.${String((value as { tag: unknown }).tag)}`;
  return typeof value;
}

function checkedHash(hash: unknown, path: string): Uint8Array {
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_LENGTH) {
    transcriptInvalid('handover hash must be a 32-byte byte string', path);
  }
  return hash;
}

function checkedBytes(bytes: unknown, path: string): Uint8Array {
  if (!(bytes instanceof Uint8Array)) transcriptInvalid('handover element must be a byte string', path);
  return bytes;
}

function checkedText(text: unknown, path: string): string {
  if (typeof text !== 'string') transcriptInvalid('handover element must be a text string', path);
  return text;
}
