import { decodeCbor, EncodedCbor, encodeCbor, RawCbor } from '@mdlkit/core/cbor';
import { parseCoseSign1 } from '@mdlkit/core/cose';
import { digest, type Jwk, type PrivateKey } from '@mdlkit/core/crypto';
import { ErrorCode, isMdlError, MdlError } from '@mdlkit/core/errors';
import {
  buildIsoDcApiHandover,
  buildOpenId4VpDcApiHandover,
  buildOpenId4VpHandover,
  buildSessionTranscript,
  type Handover,
  jwkSha256Thumbprint,
} from '@mdlkit/core/session';
import { verifyDeviceAuth, verifyDeviceSignatureOver } from '../device-auth/verify-device-auth.js';
import { DEFAULT_READER_LIMITS } from '../device-response/limits.js';
import { readDeviceResponse, readMso } from '../internal/read-device-response.js';

/** What the reader knew when it sent the request. Give whatever you have; more clues, more variants. */
export interface TranscriptClues {
  /** The request `nonce` (OpenID4VP / DC API). */
  readonly nonce?: string;
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
  /** Pre-1.0 OpenID4VP (18013-7:2024): the `mdocGeneratedNonce` from the JWE `apu`. */
  readonly mdocGeneratedNonce?: string;
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
  /** Stable id of the variant, e.g. `openid4vp`, `openid4vp-no-jwk-thumbprint`, `openid4vp-draft-18013-7-2024`. */
  readonly id: string;
  /** A sentence saying what this variant is. */
  readonly description: string;
  /** `match` when the device signature / MAC verifies with this transcript. */
  readonly result: 'match' | 'no-match' | 'error';
  /** The error code for `error` results. */
  readonly code?: ErrorCode;
  /** SessionTranscriptBytes of this variant (tag 24). */
  readonly sessionTranscript: Uint8Array;
}

/** The doctor's answer. */
export interface TranscriptDiagnosis {
  /** The variant the wallet used, if any matched. */
  readonly match?: TranscriptAttempt;
  /** Every variant tried, in order. */
  readonly attempts: readonly TranscriptAttempt[];
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
  readonly description: string;
  /** SessionTranscriptBytes (tag 24) and, for transcripts core models, the parsed form. */
  readonly bytes: Uint8Array;
  /** The bare SessionTranscript array bytes, for transcripts core does not model. */
  readonly arrayBytes?: Uint8Array;
  readonly modelled: boolean;
}

function candidates(clues: TranscriptClues): Candidate[] {
  const out: Candidate[] = [];
  const add = (
    id: string,
    description: string,
    handover: Handover,
    de: Uint8Array | null,
    erk: Uint8Array | null,
  ) => {
    try {
      const t = buildSessionTranscript({
        deviceEngagementBytes: de === null ? null : EncodedCbor.fromBytes(de),
        eReaderKeyBytes: erk === null ? null : EncodedCbor.fromBytes(erk),
        handover,
      });
      out.push({ id, description, bytes: t.encoded.tagged(), modelled: true });
    } catch {
      // A clue that cannot form this variant (e.g. an empty handover message) is skipped.
    }
  };
  if (clues.sessionTranscript !== undefined) {
    out.push({
      id: 'as-given',
      description: 'the SessionTranscriptBytes the reader used',
      bytes: clues.sessionTranscript,
      modelled: true,
    });
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
  const { nonce, clientId, responseUri, origin } = clues;
  if (nonce !== undefined && clientId !== undefined && responseUri !== undefined) {
    const ids = [clientId];
    const colon = clientId.indexOf(':');
    if (colon > 0 && !/^https?:/.test(clientId)) ids.push(clientId.slice(colon + 1));
    for (const cid of ids) {
      for (const [suffix, jwk] of thumbprints) {
        const prefixNote = cid === clientId ? '' : ' with the client_id prefix removed';
        add(
          `openid4vp${cid === clientId ? '' : '-client-id-without-prefix'}${suffix}`,
          `OpenID4VP 1.0 redirect handover${prefixNote}${jwk === null ? ', jwkThumbprint null' : ''}`,
          buildOpenId4VpHandover({ clientId: cid, nonce, jwkThumbprint: jwk, responseUri }),
          null,
          null,
        );
      }
    }
  }
  if (nonce !== undefined && origin !== undefined) {
    const origins = origin.endsWith('/') ? [origin, origin.slice(0, -1)] : [origin, `${origin}/`];
    for (const o of origins) {
      for (const [suffix, jwk] of thumbprints) {
        add(
          `openid4vp-dc-api${o === origin ? '' : '-origin-slash'}${suffix}`,
          `OpenID4VP 1.0 DC API handover${o === origin ? '' : ' with the origin trailing slash changed'}${jwk === null ? ', jwkThumbprint null' : ''}`,
          buildOpenId4VpDcApiHandover({ origin: o, nonce, jwkThumbprint: jwk }),
          null,
          null,
        );
      }
    }
  }
  if (clues.encryptionInfo !== undefined && origin !== undefined) {
    add(
      'iso-18013-7-dcapi',
      'ISO/IEC 18013-7 Annex C "dcapi" handover',
      buildIsoDcApiHandover({ encryptionInfo: clues.encryptionInfo, origin }),
      null,
      null,
    );
  }
  if (
    nonce !== undefined &&
    clientId !== undefined &&
    responseUri !== undefined &&
    clues.mdocGeneratedNonce
  ) {
    // 18013-7:2024 Annex B (pre-1.0 OpenID4VP): [clientIdHash, responseUriHash, nonce], with
    // clientIdHash = SHA-256(cbor([client_id, mdocGeneratedNonce])) and likewise for response_uri.
    const m = clues.mdocGeneratedNonce;
    const handover = [
      digest('SHA-256', encodeCbor([clientId, m])),
      digest('SHA-256', encodeCbor([responseUri, m])),
      nonce,
    ];
    const transcript = EncodedCbor.fromValue([null, null, handover]);
    out.push({
      id: 'openid4vp-draft-18013-7-2024',
      description:
        'pre-1.0 OpenID4VP handover of ISO/IEC 18013-7:2024 (clientIdHash, responseUriHash, nonce)',
      bytes: transcript.tagged(),
      arrayBytes: transcript.bytes,
      modelled: false,
    });
  }
  if (clues.deviceEngagement !== undefined && clues.eReaderKeyBytes !== undefined) {
    const de = clues.deviceEngagement;
    const erk = clues.eReaderKeyBytes;
    add('qr', 'proximity, QR engagement (handover null)', { kind: 'qr' }, de, erk);
    if (clues.handoverSelect !== undefined) {
      const hs = clues.handoverSelect;
      if (clues.handoverRequest !== undefined) {
        add(
          'nfc-negotiated',
          'proximity, NFC negotiated handover',
          { kind: 'nfc', handoverSelect: hs, handoverRequest: clues.handoverRequest },
          de,
          erk,
        );
      }
      add(
        'nfc-static',
        'proximity, NFC static handover (HandoverRequest null)',
        { kind: 'nfc', handoverSelect: hs, handoverRequest: null },
        de,
        erk,
      );
    }
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
 * signed. Covers OpenID4VP 1.0 (redirect and DC API, with and without jwkThumbprint, client_id with
 * and without its prefix, origin with and without a trailing slash), the pre-1.0 18013-7:2024
 * OpenID4VP handover, the 18013-7 Annex C `dcapi` handover and the proximity QR / NFC handovers.
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
  const decode = (b: Uint8Array) => decodeCbor(b);
  const response = readDeviceResponse(decode(deviceResponse), DEFAULT_READER_LIMITS);
  const doc = response.documents[options.documentIndex ?? 0];
  if (doc === undefined) {
    throw new MdlError(ErrorCode.ERR_INVALID_ARGUMENT, 'the DeviceResponse has no such document', {
      details: { documentIndex: options.documentIndex ?? 0 },
    });
  }
  const mso = readMso(parseCoseSign1(doc.issuerAuthValue).payload, decode);
  const attempts: TranscriptAttempt[] = [];
  let match: TranscriptAttempt | undefined;
  for (const c of candidates(clues)) {
    let result: TranscriptAttempt['result'] = 'match';
    let code: ErrorCode | undefined;
    try {
      if (c.modelled) {
        await verifyDeviceAuth({
          docType: doc.docType,
          deviceNameSpacesBytes: doc.deviceNameSpacesBytes,
          deviceSignature: doc.deviceSignatureValue,
          deviceMac: doc.deviceMacValue,
          deviceKey: mso.deviceKey,
          sessionTranscript: c.bytes,
          eReaderKey: clues.eReaderKey,
        });
      } else {
        const payload = EncodedCbor.fromValue([
          'DeviceAuthentication',
          new RawCbor(c.arrayBytes ?? new Uint8Array(0)),
          doc.docType,
          doc.deviceNameSpacesBytes,
        ]).tagged();
        await verifyDeviceSignatureOver(payload, doc.deviceSignatureValue, mso.deviceKey, undefined);
      }
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
  return { ...(match ? { match } : {}), attempts, summary };
}
