import { transcriptInvalid } from './internal/fail.js';

/**
 * The handover identifiers of the array-shaped handovers mdlkit supports (first element of the array).
 *
 * - `OpenID4VPHandover` — OpenID4VP 1.0 Appendix B.2.6.1 (invocation via redirects).
 * - `OpenID4VPDCAPIHandover` — OpenID4VP 1.0 Appendix B.2.6.2 (invocation via the W3C Digital
 *   Credentials API).
 * - `dcapi` — ISO/IEC TS 18013-7 (2nd edition draft) Annex C, protocol `org.iso.mdoc` over the DC API.
 */
export const HandoverIdentifier = {
  OPENID4VP: 'OpenID4VPHandover',
  OPENID4VP_DC_API: 'OpenID4VPDCAPIHandover',
  ISO_DC_API: 'dcapi',
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
 * OpenID4VP 1.0 handover for invocation via the W3C Digital Credentials API.
 *
 * ```cddl
 * OpenID4VPDCAPIHandover = [
 *   "OpenID4VPDCAPIHandover",
 *   OpenID4VPDCAPIHandoverInfoHash   ; bstr: SHA-256 of OpenID4VPDCAPIHandoverInfoBytes
 * ]
 * ```
 * OpenID4VP 1.0 Appendix B.2.6.2. Build it with `buildOpenId4VpDcApiHandover`.
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
 * Every handover mdlkit builds and parses. Other `Ext` handovers (18013-7 reverse engagement,
 * pre-1.0 OpenID4VP `[clientIdHash, responseUriHash, nonce]`, Android legacy handovers) are not
 * supported and are rejected with `ERR_TRANSCRIPT_INVALID` when parsed.
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
  | IsoDcApiHandover;

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
      return [HandoverIdentifier.OPENID4VP, checkedHash(handover.infoHash)];
    case 'openid4vp-dc-api':
      return [HandoverIdentifier.OPENID4VP_DC_API, checkedHash(handover.infoHash)];
    case 'iso-dc-api':
      return [HandoverIdentifier.ISO_DC_API, checkedHash(handover.infoHash)];
    default:
      return transcriptInvalid('unsupported handover kind', 'handover');
  }
}

/** @internal Reads SessionTranscript[2] (already decoded) into a {@link Handover}. */
export function handoverFromCbor(value: unknown): Handover {
  if (value === null) return { kind: 'qr' };
  if (!Array.isArray(value)) transcriptInvalid('Handover must be null or an array', 'handover');
  if (value.length !== 2) transcriptInvalid('Handover array must have 2 elements', 'handover');
  const [first, second] = value as [unknown, unknown];
  if (first instanceof Uint8Array) {
    if (first.length === 0) transcriptInvalid('NFC HandoverSelect must not be empty', 'handover[0]');
    if (second !== null && !(second instanceof Uint8Array)) {
      transcriptInvalid('NFC HandoverRequest must be a byte string or null', 'handover[1]');
    }
    return { kind: 'nfc', handoverSelect: first, handoverRequest: second };
  }
  if (typeof first !== 'string') {
    transcriptInvalid('Handover[0] must be a byte string (NFC) or a handover identifier', 'handover[0]');
  }
  if (!(second instanceof Uint8Array) || second.length !== HASH_LENGTH) {
    transcriptInvalid('handover info hash must be a 32-byte byte string', 'handover[1]');
  }
  switch (first) {
    case HandoverIdentifier.OPENID4VP:
      return { kind: 'openid4vp', infoHash: second };
    case HandoverIdentifier.OPENID4VP_DC_API:
      return { kind: 'openid4vp-dc-api', infoHash: second };
    case HandoverIdentifier.ISO_DC_API:
      return { kind: 'iso-dc-api', infoHash: second };
    default:
      return transcriptInvalid('unsupported handover identifier', 'handover[0]');
  }
}

function checkedHash(hash: unknown): Uint8Array {
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_LENGTH) {
    transcriptInvalid('handover info hash must be a 32-byte byte string', 'handover[1]');
  }
  return hash;
}
