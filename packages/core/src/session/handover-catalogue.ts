import type { Handover, HandoverKind } from './handover.js';

/** Stable ids of the {@link HANDOVER_CATALOGUE} entries. */
export const HandoverEntryId = {
  QR: 'qr',
  NFC_STATIC: 'nfc-static',
  NFC_NEGOTIATED: 'nfc-negotiated',
  OPENID4VP: 'openid4vp',
  OPENID4VP_DC_API: 'openid4vp-dc-api',
  OPENID4VP_DC_API_DRAFT: 'openid4vp-dc-api-draft',
  ISO_18013_7_ANNEX_B: 'iso-18013-7-annex-b',
  ISO_18013_7_ANNEX_C: 'iso-18013-7-annex-c',
  OPENID4VP_PRE_STANDARD: 'openid4vp-pre-standard',
  ANDROID_V1: 'android-v1',
  BROWSER_V1: 'browser-v1',
  GOOGLE_WALLET_V1: 'google-wallet-v1',
} as const;
/** One of {@link HandoverEntryId}. */
export type HandoverEntryId = (typeof HandoverEntryId)[keyof typeof HandoverEntryId];

/** One handover the toolkit knows: how it looks on the wire, where it is defined, how to build it. */
export interface HandoverCatalogueEntry {
  /** Stable id (also the transcript doctor's variant id). */
  readonly id: HandoverEntryId;
  /** The {@link Handover} `kind` a parse yields for this entry. */
  readonly kind: HandoverKind;
  /** A short human name. */
  readonly title: string;
  /** The CDDL of the handover (and of the info it hashes, where it hashes one). */
  readonly cddl: string;
  /** Where the structure is defined or, for field-only handovers, where it was observed. */
  readonly source: string;
  /** The core builder that produces it. */
  readonly builder: string;
  /** True for proximity handovers (DeviceEngagementBytes and EReaderKeyBytes present). */
  readonly proximity: boolean;
  /** True when a parsed handover has this entry's wire shape. */
  readonly matches: (handover: Handover) => boolean;
}

const kindIs =
  (kind: HandoverKind) =>
  (h: Handover): boolean =>
    h.kind === kind;

/**
 * Every handover mdlkit builds and recognises, in the order the transcript doctor tries them. Entries
 * with the same wire shape (the OpenID4VP 1.0 DC API handover and its draft-era variant) differ only in
 * what their hash covers; a parse cannot tell them apart, the doctor can.
 *
 * @example
 * ```ts
 * for (const e of HANDOVER_CATALOGUE) console.log(e.id, e.source);
 * ```
 */
export const HANDOVER_CATALOGUE: readonly HandoverCatalogueEntry[] = Object.freeze([
  {
    id: HandoverEntryId.QR,
    kind: 'qr',
    title: 'QR device engagement',
    cddl: 'QRHandover = null',
    source: 'ISO/IEC 18013-5:2021 §9.1.5.1 (ed2 §12.7.1)',
    builder: "{ kind: 'qr' } with buildSessionTranscript",
    proximity: true,
    matches: kindIs('qr'),
  },
  {
    id: HandoverEntryId.NFC_STATIC,
    kind: 'nfc',
    title: 'NFC static handover',
    cddl: 'NFCHandover = [HandoverSelect: bstr, HandoverRequest: null]',
    source: 'ISO/IEC 18013-5:2021 §9.1.5.1 (ed2 §12.7.1)',
    builder: "{ kind: 'nfc', handoverSelect, handoverRequest: null } with buildSessionTranscript",
    proximity: true,
    matches: (h) => h.kind === 'nfc' && h.handoverRequest === null,
  },
  {
    id: HandoverEntryId.NFC_NEGOTIATED,
    kind: 'nfc',
    title: 'NFC negotiated handover',
    cddl: 'NFCHandover = [HandoverSelect: bstr, HandoverRequest: bstr]',
    source: 'ISO/IEC 18013-5:2021 §9.1.5.1 (ed2 §12.7.1); Annex D uses it',
    builder: "{ kind: 'nfc', handoverSelect, handoverRequest } with buildSessionTranscript",
    proximity: true,
    matches: (h) => h.kind === 'nfc' && h.handoverRequest !== null,
  },
  {
    id: HandoverEntryId.OPENID4VP,
    kind: 'openid4vp',
    title: 'OpenID4VP 1.0 redirect handover',
    cddl: [
      'OpenID4VPHandover = ["OpenID4VPHandover", OpenID4VPHandoverInfoHash]',
      'OpenID4VPHandoverInfo = [clientId: tstr, nonce: tstr, jwkThumbprint: bstr / null, responseUri: tstr]',
    ].join('\n'),
    source: 'OpenID4VP 1.0 Appendix B.2.6.1',
    builder: 'buildOpenId4VpHandover',
    proximity: false,
    matches: kindIs('openid4vp'),
  },
  {
    id: HandoverEntryId.OPENID4VP_DC_API,
    kind: 'openid4vp-dc-api',
    title: 'OpenID4VP 1.0 Digital Credentials API handover',
    cddl: [
      'OpenID4VPDCAPIHandover = ["OpenID4VPDCAPIHandover", OpenID4VPDCAPIHandoverInfoHash]',
      'OpenID4VPDCAPIHandoverInfo = [origin: tstr, nonce: tstr, jwkThumbprint: bstr / null]',
    ].join('\n'),
    source: 'OpenID4VP 1.0 Appendix B.2.6.2',
    builder: 'buildOpenId4VpDcApiHandover',
    proximity: false,
    matches: kindIs('openid4vp-dc-api'),
  },
  {
    id: HandoverEntryId.OPENID4VP_DC_API_DRAFT,
    kind: 'openid4vp-dc-api',
    title: 'OpenID4VP draft-era Digital Credentials API handover',
    cddl: [
      'OpenID4VPDCAPIHandover = ["OpenID4VPDCAPIHandover", OpenID4VPDCAPIHandoverInfoHash]',
      'OpenID4VPDCAPIHandoverInfo = [origin: tstr, clientId: tstr, nonce: tstr]',
    ].join('\n'),
    source: 'OpenID4VP drafts 23–24 Appendix B (DC API); still sent by deployed wallets',
    builder: 'buildOpenId4VpDcApiDraftHandover',
    proximity: false,
    matches: kindIs('openid4vp-dc-api'),
  },
  {
    id: HandoverEntryId.ISO_18013_7_ANNEX_B,
    kind: 'iso-18013-7-annex-b',
    title: 'ISO/IEC TS 18013-7:2024 Annex B (pre-1.0 OpenID4VP) handover',
    cddl: [
      'OID4VPHandover = [clientIdHash: bstr, responseUriHash: bstr, nonce: tstr]',
      'clientIdHash = SHA-256(cbor([client_id, mdocGeneratedNonce]))',
      'responseUriHash = SHA-256(cbor([response_uri, mdocGeneratedNonce]))',
    ].join('\n'),
    source: 'ISO/IEC TS 18013-7:2024 B.4.4 (OpenID4VP draft 18)',
    builder: 'buildIsoAnnexBHandover',
    proximity: false,
    matches: kindIs('iso-18013-7-annex-b'),
  },
  {
    id: HandoverEntryId.ISO_18013_7_ANNEX_C,
    kind: 'iso-dc-api',
    title: 'ISO/IEC TS 18013-7 Annex C ("dcapi") handover',
    cddl: [
      'Handover = ["dcapi", dcapiInfoHash: bstr]',
      'dcapiInfo = [Base64EncryptionInfo: tstr, SerializedOrigin: tstr]',
    ].join('\n'),
    source: 'ISO/IEC TS 18013-7 2nd-edition DTS (WG10 N2544) Annex C — draft',
    builder: 'buildIsoDcApiHandover',
    proximity: false,
    matches: kindIs('iso-dc-api'),
  },
  {
    id: HandoverEntryId.OPENID4VP_PRE_STANDARD,
    kind: 'openid4vp-pre-standard',
    title: 'early OpenID4VP integration handover (four values in clear)',
    cddl: 'Handover = [mdocGeneratedNonce: tstr, clientId: tstr, responseUri: tstr, nonce: tstr]',
    source: 'auth0-lab/mdl README and tests (usingHandover), integrations built on it; no standard',
    builder: 'buildOpenId4VpPreStandardHandover',
    proximity: false,
    matches: kindIs('openid4vp-pre-standard'),
  },
  {
    id: HandoverEntryId.ANDROID_V1,
    kind: 'android-v1',
    title: 'Google AndroidHandoverv1 (Credential Manager, native app)',
    cddl: 'AndroidHandover = ["AndroidHandoverv1", nonce: bstr, packageName: tstr / bstr, requesterIdHash: bstr]',
    source:
      'Google identity-credential / Multipaz CredmanUtil and wallet samples; Google test mDL in google/longfellow-zk',
    builder: 'buildAndroidHandoverV1',
    proximity: false,
    matches: kindIs('android-v1'),
  },
  {
    id: HandoverEntryId.BROWSER_V1,
    kind: 'browser-v1',
    title: 'Google BrowserHandoverv1 (Credential Manager, web origin)',
    cddl: [
      'BrowserHandover = ["BrowserHandoverv1", nonce: bstr, OriginInfoBytes: bstr, requesterIdHash: bstr, ? pkEm: bstr]',
      'OriginInfo = {"cat": 1, "type": 1, "details": {"baseUrl": tstr}}',
    ].join('\n'),
    source: 'Google identity-credential CredmanUtil and Credential Manager preview documentation',
    builder: 'buildBrowserHandoverV1',
    proximity: false,
    matches: kindIs('browser-v1'),
  },
  {
    id: HandoverEntryId.GOOGLE_WALLET_V1,
    kind: 'google-wallet-v1',
    title: 'Google GoogleWalletHandoverv1',
    cddl: 'GoogleWalletHandover = ["GoogleWalletHandoverv1", * any]',
    source: 'seen in Google Wallet presentations; no public definition of its elements',
    builder: 'buildGoogleWalletHandoverV1',
    proximity: false,
    matches: kindIs('google-wallet-v1'),
  },
] satisfies HandoverCatalogueEntry[]);

/**
 * The catalogue entries whose wire shape a parsed handover has (empty for an unrecognised one).
 *
 * @example
 * ```ts
 * recogniseHandover(parseSessionTranscript(bytes).handover)[0]?.id; // 'android-v1'
 * ```
 */
export function recogniseHandover(handover: Handover): readonly HandoverCatalogueEntry[] {
  return HANDOVER_CATALOGUE.filter((e) => e.matches(handover));
}
