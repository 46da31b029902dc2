import { CborBudget, EncodedCbor, fromBase64Url, toHex, utf8Encode } from '@mdlkit/core/cbor';
import { type CoseKey, parseCoseSign1 } from '@mdlkit/core/cose';
import { digest, type Jwk, type PrivateKey } from '@mdlkit/core/crypto';
import { ErrorCode, isMdlError, MdlError } from '@mdlkit/core/errors';
import {
  decodeDeviceResponse,
  decodeMobileSecurityObjectBytes,
  type MdocDecodeOptions,
} from '@mdlkit/core/mdoc';
import {
  buildAndroidHandoverV1,
  buildBrowserHandoverV1,
  buildGoogleWalletHandoverV1,
  buildIsoAnnexBHandover,
  buildIsoDcApiHandover,
  buildOpenId4VpDcApiDraftHandover,
  buildOpenId4VpDcApiHandover,
  buildOpenId4VpHandover,
  buildOpenId4VpPreStandardHandover,
  buildSessionTranscript,
  type Handover,
  HandoverEntryId,
  jwkSha256Thumbprint,
  originInfoBytes,
} from '@mdlkit/core/session';
import { verifyDeviceAuth } from '../device-auth/verify-device-auth.js';
import { DEFAULT_READER_LIMITS } from '../device-response/limits.js';

/** What the reader knew when it sent the request. Give whatever you have; more clues, more variants. */
export interface TranscriptClues {
  /** The request `nonce` (OpenID4VP / DC API); for the Google handovers also tried as UTF-8 and base64url bytes. */
  readonly nonce?: string;
  /** The request nonce as bytes (Google Android / Browser / Wallet handovers). */
  readonly nonceBytes?: Uint8Array;
  /** The `client_id` exactly as sent (with its prefix, e.g. `x509_san_dns:…`). */
  readonly clientId?: string;
  /** The `response_uri` (OpenID4VP redirect flows). */
  readonly responseUri?: string;
  /** The web origin (DC API flows), e.g. `https://verifier.example`. */
  readonly origin?: string;
  /** The verifier's response-encryption JWK (its RFC 7638 thumbprint goes into the handover). */
  readonly encryptionJwk?: Jwk;
  /** Or the thumbprint itself. */
  readonly jwkThumbprint?: Uint8Array;
  /** ISO 18013-7 Annex C: the base64url `encryptionInfo` of the request. */
  readonly encryptionInfo?: string;
  /** Pre-1.0 OpenID4VP (18013-7:2024 Annex B, early integrations): the `mdocGeneratedNonce` (JWE `apu`); `''` is a value. */
  readonly mdocGeneratedNonce?: string;
  /** Google AndroidHandoverv1: the verifier app's package name. */
  readonly packageName?: string;
  /** Google handovers: SHA-256 of the requester identity (else SHA-256 of the client_id is tried). */
  readonly requesterIdHash?: Uint8Array;
  /** Google BrowserHandoverv1: OriginInfoBytes exactly as sent (else built from `origin`). */
  readonly originInfoBytes?: Uint8Array;
  /** Google BrowserHandoverv1 (5-element revision): the HPKE ephemeral public key. */
  readonly pkEm?: Uint8Array;
  /** GoogleWalletHandoverv1: the elements after the identifier, if the reader knows them. */
  readonly handoverElements?: readonly unknown[];
  /** Proximity: the DeviceEngagement bytes and the EReaderKey COSE_Key bytes (tag-24 contents). */
  readonly deviceEngagement?: Uint8Array;
  readonly eReaderKeyBytes?: Uint8Array;
  /** Proximity over NFC: the Handover Select / Request messages. */
  readonly handoverSelect?: Uint8Array;
  readonly handoverRequest?: Uint8Array;
  /** The SessionTranscriptBytes the reader actually used (tried first). */
  readonly sessionTranscript?: Uint8Array;
  /** The reader's ephemeral private key, for responses authenticated with DeviceMac. */
  readonly eReaderKey?: PrivateKey;
}

/** One transcript the doctor tried. */
export interface TranscriptAttempt {
  /** Stable id of the variant, e.g. `openid4vp`, `openid4vp-no-jwk-thumbprint`, `iso-18013-7-annex-b`. */
  readonly id: string;
  /** The catalogue entry the variant belongs to (absent for `as-given`). */
  readonly entry?: HandoverEntryId;
  /** A sentence saying what this variant is. */
  readonly description: string;
  /** `match` when the device signature / MAC verifies with this transcript. */
  readonly result: 'match' | 'no-match' | 'error';
  /** The error code for `error` results. */
  readonly code?: ErrorCode;
  /** SessionTranscriptBytes of this variant (tag 24): pass it to `verifyDeviceResponse` unchanged. */
  readonly sessionTranscript: Uint8Array;
}

/** The doctor's answer. */
export interface TranscriptDiagnosis {
  /** The variant the wallet used, if any matched. */
  readonly match?: TranscriptAttempt;
  /** Every variant tried, in order. */
  readonly attempts: readonly TranscriptAttempt[];
  /** Catalogue entries the clues were not enough to try, with what was missing. */
  readonly notTried: readonly { readonly entry: HandoverEntryId; readonly needs: string }[];
  /** A sentence for the support ticket. */
  readonly summary: string;
}

/** Options for {@link diagnoseTranscript}. */
export interface DiagnoseTranscriptOptions {
  /** Which document of the response to test (default 0). */
  readonly documentIndex?: number;
}

interface Candidate {
  readonly id: string;
  readonly entry?: HandoverEntryId;
  readonly description: string;
  /** SessionTranscriptBytes (tag 24). */
  readonly bytes: Uint8Array;
}

const E = HandoverEntryId;

function candidates(
  clues: TranscriptClues,
  notTried: { entry: HandoverEntryId; needs: string }[],
): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  const add = (
    entry: HandoverEntryId,
    id: string,
    description: string,
    handover: () => Handover,
    de: Uint8Array | null = null,
    erk: Uint8Array | null = null,
  ) => {
    try {
      const t = buildSessionTranscript({
        deviceEngagementBytes: de === null ? null : EncodedCbor.fromBytes(de),
        eReaderKeyBytes: erk === null ? null : EncodedCbor.fromBytes(erk),
        handover: handover(),
      });
      const bytes = t.encoded.tagged();
      const key = toHex(bytes);
      if (seen.has(key)) return; // two clue paths that build the same transcript are tried once
      seen.add(key);
      out.push({ id, entry, description, bytes });
    } catch {
      // A clue that cannot form this variant (e.g. an empty handover message) is skipped.
    }
  };
  const need = (entry: HandoverEntryId, needs: string) => notTried.push({ entry, needs });
  if (clues.sessionTranscript !== undefined) {
    out.push({
      id: 'as-given',
      description: 'the SessionTranscriptBytes the reader used',
      bytes: clues.sessionTranscript,
    });
  }
  const {
    nonce,
    clientId,
    responseUri,
    origin,
    mdocGeneratedNonce,
    deviceEngagement: de,
    eReaderKeyBytes: erk,
  } = clues;

  // Proximity (18013-5 §9.1.5.1).
  if (de !== undefined && erk !== undefined) {
    add(E.QR, 'qr', 'proximity, QR engagement (handover null)', () => ({ kind: 'qr' }), de, erk);
    if (clues.handoverSelect !== undefined) {
      const hs = clues.handoverSelect;
      add(
        E.NFC_STATIC,
        'nfc-static',
        'proximity, NFC static handover (HandoverRequest null)',
        () => ({ kind: 'nfc', handoverSelect: hs, handoverRequest: null }),
        de,
        erk,
      );
      if (clues.handoverRequest !== undefined) {
        const hr = clues.handoverRequest;
        add(
          E.NFC_NEGOTIATED,
          'nfc-negotiated',
          'proximity, NFC negotiated handover',
          () => ({ kind: 'nfc', handoverSelect: hs, handoverRequest: hr }),
          de,
          erk,
        );
      } else need(E.NFC_NEGOTIATED, 'handoverRequest');
    } else {
      need(E.NFC_STATIC, 'handoverSelect');
      need(E.NFC_NEGOTIATED, 'handoverSelect, handoverRequest');
    }
  } else {
    for (const e of [E.QR, E.NFC_STATIC, E.NFC_NEGOTIATED]) need(e, 'deviceEngagement, eReaderKeyBytes');
  }

  const thumbprint =
    clues.jwkThumbprint ??
    (clues.encryptionJwk ? safe(() => jwkSha256Thumbprint(clues.encryptionJwk!)) : undefined);
  const thumbprints: [string, Uint8Array | null][] = thumbprint
    ? [
        ['', thumbprint],
        ['-no-jwk-thumbprint', null],
      ]
    : [['', null]];
  const clientIds = (cid: string): string[] => {
    const ids = [cid];
    const colon = cid.indexOf(':');
    if (colon > 0 && !/^https?:/.test(cid)) ids.push(cid.slice(colon + 1));
    return ids;
  };

  // OpenID4VP 1.0 redirect (B.2.6.1).
  if (nonce !== undefined && clientId !== undefined && responseUri !== undefined) {
    for (const cid of clientIds(clientId)) {
      for (const [suffix, jwk] of thumbprints) {
        const prefixNote = cid === clientId ? '' : ' with the client_id prefix removed';
        add(
          E.OPENID4VP,
          `openid4vp${cid === clientId ? '' : '-client-id-without-prefix'}${suffix}`,
          `OpenID4VP 1.0 redirect handover${prefixNote}${jwk === null ? ', jwkThumbprint null' : ''}`,
          () => buildOpenId4VpHandover({ clientId: cid, nonce, jwkThumbprint: jwk, responseUri }),
        );
      }
    }
  } else need(E.OPENID4VP, 'nonce, clientId, responseUri');

  // OpenID4VP DC API: 1.0 (B.2.6.2) and the draft-era [origin, clientId, nonce] info.
  const origins =
    origin === undefined ? [] : origin.endsWith('/') ? [origin, origin.slice(0, -1)] : [origin, `${origin}/`];
  if (nonce !== undefined && origin !== undefined) {
    for (const o of origins) {
      for (const [suffix, jwk] of thumbprints) {
        add(
          E.OPENID4VP_DC_API,
          `openid4vp-dc-api${o === origin ? '' : '-origin-slash'}${suffix}`,
          `OpenID4VP 1.0 DC API handover${o === origin ? '' : ' with the origin trailing slash changed'}${jwk === null ? ', jwkThumbprint null' : ''}`,
          () => buildOpenId4VpDcApiHandover({ origin: o, nonce, jwkThumbprint: jwk }),
        );
      }
    }
    const draftIds = clientId !== undefined ? clientIds(clientId) : [`web-origin:${origin}`, origin];
    for (const o of origins) {
      for (const cid of draftIds) {
        add(
          E.OPENID4VP_DC_API_DRAFT,
          `openid4vp-dc-api-draft${o === origin ? '' : '-origin-slash'}${cid === draftIds[0] ? '' : '-client-id-variant'}`,
          `draft-era OpenID4VP DC API handover (info [origin, clientId, nonce])${o === origin ? '' : ', origin trailing slash changed'}`,
          () => buildOpenId4VpDcApiDraftHandover({ origin: o, clientId: cid, nonce }),
        );
      }
    }
  } else {
    need(E.OPENID4VP_DC_API, 'nonce, origin');
    need(E.OPENID4VP_DC_API_DRAFT, 'nonce, origin');
  }

  // ISO/IEC TS 18013-7:2024 Annex B and the early 4-string integrations. Empty strings are values.
  if (
    nonce !== undefined &&
    clientId !== undefined &&
    responseUri !== undefined &&
    mdocGeneratedNonce !== undefined
  ) {
    add(
      E.ISO_18013_7_ANNEX_B,
      'iso-18013-7-annex-b',
      'ISO/IEC TS 18013-7:2024 Annex B handover (clientIdHash, responseUriHash, nonce)',
      () => buildIsoAnnexBHandover({ clientId, responseUri, nonce, mdocGeneratedNonce }),
    );
    add(
      E.OPENID4VP_PRE_STANDARD,
      'openid4vp-pre-standard',
      'early OpenID4VP handover [mdocGeneratedNonce, clientId, responseUri, nonce] in clear',
      () => buildOpenId4VpPreStandardHandover({ clientId, responseUri, nonce, mdocGeneratedNonce }),
    );
  } else {
    need(E.ISO_18013_7_ANNEX_B, 'nonce, clientId, responseUri, mdocGeneratedNonce');
    need(E.OPENID4VP_PRE_STANDARD, 'nonce, clientId, responseUri, mdocGeneratedNonce');
  }

  // ISO/IEC TS 18013-7 Annex C.
  if (clues.encryptionInfo !== undefined && origin !== undefined) {
    const info = clues.encryptionInfo;
    for (const o of origins) {
      add(
        E.ISO_18013_7_ANNEX_C,
        `iso-18013-7-dcapi${o === origin ? '' : '-origin-slash'}`,
        `ISO/IEC 18013-7 Annex C "dcapi" handover${o === origin ? '' : ' with the origin trailing slash changed'}`,
        () => buildIsoDcApiHandover({ encryptionInfo: info, origin: o }),
      );
    }
  } else need(E.ISO_18013_7_ANNEX_C, 'encryptionInfo, origin');

  // Google's pre-standard handovers: nonce bytes and requester-id hashes in every form seen.
  const nonces: [string, Uint8Array][] = [];
  if (clues.nonceBytes !== undefined) nonces.push(['', clues.nonceBytes]);
  if (nonce !== undefined) {
    nonces.push(['-nonce-utf8', utf8Encode(nonce)]);
    const b64 = safe(() => fromBase64Url(nonce));
    if (b64 !== undefined) nonces.push(['-nonce-base64url', b64]);
  }
  const requesterIds: [string, Uint8Array][] = [];
  if (clues.requesterIdHash !== undefined) requesterIds.push(['', clues.requesterIdHash]);
  if (clientId !== undefined) requesterIds.push(['-client-id-hash', digest('SHA-256', utf8Encode(clientId))]);
  const google = nonces.length > 0 && requesterIds.length > 0;
  if (google && clues.packageName !== undefined) {
    const pkg = clues.packageName;
    for (const [ns, n] of nonces) {
      for (const [rs, r] of requesterIds) {
        for (const [ps, p] of [
          ['', pkg],
          ['-package-bytes', utf8Encode(pkg)],
        ] as const) {
          add(
            E.ANDROID_V1,
            `android-v1${ns}${rs}${ps}`,
            'Google AndroidHandoverv1 (nonce, packageName, requesterIdHash)',
            () => buildAndroidHandoverV1({ nonce: n, packageName: p, requesterIdHash: r }),
          );
          add(
            E.GOOGLE_WALLET_V1,
            `google-wallet-v1${ns}${rs}${ps}`,
            'GoogleWalletHandoverv1 with AndroidHandoverv1-like elements (nonce, packageName, requesterIdHash)',
            () => buildGoogleWalletHandoverV1({ elements: [n, p, r] }),
          );
        }
      }
    }
  } else need(E.ANDROID_V1, 'nonce or nonceBytes, packageName, requesterIdHash or clientId');
  const originInfos: [string, Uint8Array][] = [];
  if (clues.originInfoBytes !== undefined) originInfos.push(['', clues.originInfoBytes]);
  for (const o of origins) originInfos.push([o === origin ? '-origin' : '-origin-slash', originInfoBytes(o)]);
  if (google && originInfos.length > 0) {
    for (const [ns, n] of nonces) {
      for (const [rs, r] of requesterIds) {
        for (const [os, oi] of originInfos) {
          const pks: (Uint8Array | undefined)[] =
            clues.pkEm === undefined ? [undefined] : [clues.pkEm, undefined];
          for (const pkEm of pks) {
            add(
              E.BROWSER_V1,
              `browser-v1${ns}${rs}${os}${pkEm === undefined ? '' : '-pkem'}`,
              `Google BrowserHandoverv1 (nonce, OriginInfoBytes, requesterIdHash${pkEm === undefined ? '' : ', pkEm'})`,
              () =>
                buildBrowserHandoverV1({
                  nonce: n,
                  originInfoBytes: oi,
                  requesterIdHash: r,
                  ...(pkEm === undefined ? {} : { pkEm }),
                }),
            );
          }
        }
      }
    }
  } else need(E.BROWSER_V1, 'nonce or nonceBytes, origin or originInfoBytes, requesterIdHash or clientId');
  if (clues.handoverElements !== undefined) {
    const elements = clues.handoverElements;
    add(E.GOOGLE_WALLET_V1, 'google-wallet-v1', 'GoogleWalletHandoverv1 with the elements given', () =>
      buildGoogleWalletHandoverV1({ elements }),
    );
  } else if (!(google && clues.packageName !== undefined)) {
    need(E.GOOGLE_WALLET_V1, 'handoverElements (or the AndroidHandoverv1 clues)');
  }
  return out;
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/**
 * The transcript doctor: when a wallet's device signature (or MAC) does not verify, rebuilds the
 * SessionTranscript in every handover variant mdlkit knows from what the reader had (nonce,
 * client_id, response_uri, origin, encryption key, engagement …) and says which one the wallet
 * signed. It tries every entry of `HANDOVER_CATALOGUE` the clues allow — QR and NFC (static and
 * negotiated), OpenID4VP 1.0 redirect and DC API (with and without jwkThumbprint, client_id with and
 * without its prefix, origin with and without a trailing slash), the draft-era DC API handover, ISO/IEC
 * TS 18013-7:2024 Annex B, 18013-7 Annex C `dcapi`, the early 4-string OpenID4VP handover and Google's
 * AndroidHandoverv1 / BrowserHandoverv1 / GoogleWalletHandoverv1 — treating empty strings as values,
 * and says which entries it could not try (`notTried`). The matching attempt's `sessionTranscript`
 * verifies unchanged with `verifyDeviceResponse`.
 *
 * ```cddl
 * SessionTranscript = [DeviceEngagementBytes / null, EReaderKeyBytes / null, Handover]
 * DeviceAuthentication = ["DeviceAuthentication", SessionTranscript, DocType, DeviceNameSpacesBytes]
 * ```
 * ISO/IEC 18013-5 §9.1.5.1, ISO/IEC TS 18013-7, OpenID4VP 1.0 Appendix B.2.6.
 *
 * @example
 * ```ts
 * const diagnosis = await diagnoseTranscript(deviceResponse, { nonce, clientId, responseUri, encryptionJwk });
 * console.log(diagnosis.summary); // 'The wallet signed the "openid4vp-no-jwk-thumbprint" transcript: …'
 * ```
 * @throws {@link MdlError} for a malformed DeviceResponse (as `verifyDeviceResponse`), or
 *   `ERR_INVALID_ARGUMENT` when the response has no such document.
 */
export async function diagnoseTranscript(
  deviceResponse: Uint8Array,
  clues: TranscriptClues,
  options: DiagnoseTranscriptOptions = {},
): Promise<TranscriptDiagnosis> {
  // Read as verifyDeviceResponse reads it: core/mdoc's verifier rules, the default reader limits and
  // one budget for the response and everything decoded from it.
  const limits = DEFAULT_READER_LIMITS;
  const cbor: MdocDecodeOptions = {
    rules: 'verifier',
    maxInputSize: limits.maxInputSize,
    maxDepth: limits.maxDepth,
    maxItems: limits.maxItems,
    maxStringLength: limits.maxStringLength,
    budget: new CborBudget({ maxBytes: limits.maxDecodedBytes }),
    limits: {
      maxDocuments: limits.maxDocuments,
      maxNameSpaces: limits.maxNameSpaces,
      maxElements: limits.maxElements,
    },
  };
  const response = decodeDeviceResponse(deviceResponse, cbor);
  const doc = response.documents?.[options.documentIndex ?? 0];
  if (doc === undefined) {
    throw new MdlError(ErrorCode.ERR_INVALID_ARGUMENT, 'the DeviceResponse has no such document', {
      details: { documentIndex: options.documentIndex ?? 0 },
    });
  }
  const { mso } = decodeMobileSecurityObjectBytes(
    parseCoseSign1(doc.issuerSigned.issuerAuth, cbor).payload,
    cbor,
  );
  const attempts: TranscriptAttempt[] = [];
  const notTried: { entry: HandoverEntryId; needs: string }[] = [];
  let match: TranscriptAttempt | undefined;
  for (const c of candidates(clues, notTried)) {
    let result: TranscriptAttempt['result'] = 'match';
    let code: ErrorCode | undefined;
    try {
      // Every candidate is verified exactly as verifyDeviceResponse will: the transcript as given.
      await verifyDeviceAuth({
        docType: doc.docType,
        deviceNameSpacesBytes: doc.deviceSigned.nameSpacesBytes,
        deviceSignature: doc.deviceSigned.deviceAuth.deviceSignature,
        deviceMac: doc.deviceSigned.deviceAuth.deviceMac,
        deviceKey: mso.deviceKeyInfo.deviceKey as CoseKey,
        sessionTranscript: c.bytes,
        eReaderKey: clues.eReaderKey,
      });
    } catch (error) {
      const signatureMismatch =
        isMdlError(error) &&
        (error.code === ErrorCode.ERR_DEVICE_SIGNATURE_INVALID ||
          error.code === ErrorCode.ERR_DEVICE_MAC_INVALID);
      result = signatureMismatch ? 'no-match' : 'error';
      code = isMdlError(error) ? error.code : ErrorCode.ERR_INTERNAL;
    }
    const attempt: TranscriptAttempt = {
      id: c.id,
      ...(c.entry === undefined ? {} : { entry: c.entry }),
      description: c.description,
      result,
      ...(code === undefined ? {} : { code }),
      sessionTranscript: c.bytes,
    };
    attempts.push(attempt);
    if (result === 'match' && match === undefined) match = attempt;
  }
  const summary =
    match !== undefined
      ? `The wallet signed the "${match.id}" transcript: ${match.description}.`
      : attempts.length === 0
        ? 'No transcript variant could be built from the clues given; pass the request parameters.'
        : `None of the ${attempts.length} transcript variants matches; the wallet used other parameters (check nonce, client_id, response_uri, origin) or a different device key.`;
  return { ...(match ? { match } : {}), attempts, notTried, summary };
}
