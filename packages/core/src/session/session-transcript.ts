import { copyBytes } from '../cbor/alloc.js';
import { decodeReceived } from '../cbor/decode.js';
import { decodedEncodedCbor } from '../cbor/encoded-cbor.js';
import { EncodedCbor, encodeCbor } from '../cbor/index.js';
import { type Handover, handoverFromCbor, handoverToCbor } from './handover.js';
import { transcriptInvalid } from './internal/fail.js';

/**
 * A SessionTranscript together with the exact bytes it was built from or received as.
 *
 * ```cddl
 * SessionTranscriptBytes = #6.24(bstr .cbor SessionTranscript)
 * SessionTranscript = [
 *   DeviceEngagementBytes / null,
 *   EReaderKeyBytes / null,          ; ed2 document encryption: EncryptionParametersBytes
 *   Handover
 * ]
 * DeviceEngagementBytes = #6.24(bstr .cbor DeviceEngagement)
 * EReaderKeyBytes       = #6.24(bstr .cbor EReaderKey)
 * ```
 * ISO/IEC 18013-5:2021 §9.1.5.1 (ed2 §12.7.1).
 *
 * `encoded.bytes` is the encoding of the `SessionTranscript` array (what goes, unchanged, into
 * DeviceAuthentication and ReaderAuthentication); `encoded.tagged()` is `SessionTranscriptBytes`
 * (what the session-key HKDF salt hashes).
 */
export interface SessionTranscript {
  /** The SessionTranscript as tag-24 content: `.bytes` = the array, `.tagged()` = SessionTranscriptBytes. */
  readonly encoded: EncodedCbor;
  /** DeviceEngagementBytes exactly as received, or `null` (OpenID4VP, DC API). */
  readonly deviceEngagementBytes: EncodedCbor | null;
  /**
   * EReaderKeyBytes exactly as received, or `null` (OpenID4VP, DC API). In the ed2 draft's
   * document-response encryption this position holds `EncryptionParametersBytes` instead (also tag 24).
   */
  readonly eReaderKeyBytes: EncodedCbor | null;
  /** The handover. */
  readonly handover: Handover;
}

/** Options for {@link buildSessionTranscript}. */
export interface BuildSessionTranscriptOptions {
  /** DeviceEngagementBytes (tag 24) exactly as sent/received; `null` for OpenID4VP and DC API flows. */
  readonly deviceEngagementBytes: EncodedCbor | null;
  /** EReaderKeyBytes (tag 24) exactly as sent/received; `null` for OpenID4VP and DC API flows. */
  readonly eReaderKeyBytes: EncodedCbor | null;
  /** The handover (see `Handover`). */
  readonly handover: Handover;
}

/**
 * Builds a SessionTranscript and its tag-24 `SessionTranscriptBytes`. The embedded
 * DeviceEngagementBytes / EReaderKeyBytes are emitted with the exact bytes they carry.
 *
 * Consistency rules enforced (ISO 18013-5 §9.1.5.1, OpenID4VP 1.0 B.2.6, 18013-7 Annex C):
 * QR and NFC handovers need both DeviceEngagementBytes and EReaderKeyBytes; the OpenID4VP and
 * DC API handovers need both to be `null`.
 *
 * @example
 * ```ts
 * const transcript = buildSessionTranscript({
 *   deviceEngagementBytes: EncodedCbor.fromBytes(deviceEngagement),
 *   eReaderKeyBytes,
 *   handover: { kind: 'qr' },
 * });
 * const salt = sha256(transcript.encoded.tagged());
 * ```
 * @throws {@link MdlError} `ERR_TRANSCRIPT_INVALID` when an element has the wrong type or the
 *   elements do not fit the handover.
 */
export function buildSessionTranscript(options: BuildSessionTranscriptOptions): SessionTranscript {
  const { deviceEngagementBytes, eReaderKeyBytes, handover } = options;
  if (deviceEngagementBytes !== null && !(deviceEngagementBytes instanceof EncodedCbor)) {
    transcriptInvalid(
      'DeviceEngagementBytes must be an EncodedCbor (tag 24) or null',
      'sessionTranscript[0]',
    );
  }
  if (eReaderKeyBytes !== null && !(eReaderKeyBytes instanceof EncodedCbor)) {
    transcriptInvalid('EReaderKeyBytes must be an EncodedCbor (tag 24) or null', 'sessionTranscript[1]');
  }
  if (typeof handover !== 'object' || handover === null) {
    transcriptInvalid('handover is required', 'sessionTranscript[2]');
  }
  checkConsistency(deviceEngagementBytes, eReaderKeyBytes, handover);
  const array = [deviceEngagementBytes, eReaderKeyBytes, handoverToCbor(handover)];
  const encoded = EncodedCbor.fromBytes(encodeCbor(array));
  return { encoded, deviceEngagementBytes, eReaderKeyBytes, handover };
}

/**
 * Parses a SessionTranscript from either `SessionTranscriptBytes` (tag 24) or the bare
 * `SessionTranscript` array encoding, or from an `EncodedCbor` holding the array. The received
 * bytes are kept exactly (nothing is re-encoded), so hashes and MACs over the result match the sender's.
 *
 * @example
 * ```ts
 * const transcript = parseSessionTranscript(sessionTranscriptBytes);
 * if (transcript.handover.kind === 'nfc') console.log(transcript.handover.handoverRequest === null);
 * ```
 * @throws {@link MdlError} `ERR_TRANSCRIPT_INVALID` for malformed CBOR, wrong element types,
 *   unsupported handovers or elements that do not fit the handover (the CBOR error is the `cause`).
 */
export function parseSessionTranscript(input: Uint8Array | EncodedCbor): SessionTranscript {
  let encoded: EncodedCbor;
  if (input instanceof EncodedCbor) {
    encoded = input;
  } else if (input instanceof Uint8Array) {
    // Decoded once, from one private copy: the EncodedCbor keeps that copy and the value read from it.
    const copy = copyBytes(input);
    const decoded = decodeOrFail(copy);
    encoded = decoded instanceof EncodedCbor ? decoded : decodedEncodedCbor(copy, decoded);
  } else {
    return transcriptInvalid(
      'SessionTranscript must be given as bytes or an EncodedCbor',
      'sessionTranscript',
    );
  }
  let value: unknown;
  try {
    value = encoded.value;
  } catch (cause) {
    return transcriptInvalid('SessionTranscript is not valid CBOR', 'sessionTranscript', cause);
  }
  if (!Array.isArray(value) || value.length !== 3) {
    transcriptInvalid('SessionTranscript must be an array of 3 elements', 'sessionTranscript');
  }
  const [de, ek, ho] = value as [unknown, unknown, unknown];
  if (de !== null && !(de instanceof EncodedCbor)) {
    transcriptInvalid('DeviceEngagementBytes must be tag 24 or null', 'sessionTranscript[0]');
  }
  if (ek !== null && !(ek instanceof EncodedCbor)) {
    transcriptInvalid('EReaderKeyBytes must be tag 24 or null', 'sessionTranscript[1]');
  }
  const handover = handoverFromCbor(ho);
  checkConsistency(de, ek, handover);
  return { encoded, deviceEngagementBytes: de, eReaderKeyBytes: ek, handover };
}

/**
 * Accepts a {@link SessionTranscript}, or an `EncodedCbor` / bytes that {@link parseSessionTranscript}
 * accepts, and returns the parsed transcript (used by the functions that take "a transcript").
 *
 * @example
 * ```ts
 * const t = toSessionTranscript(sessionTranscriptBytes);
 * ```
 * @throws {@link MdlError} `ERR_TRANSCRIPT_INVALID` as {@link parseSessionTranscript}.
 */
export function toSessionTranscript(input: SessionTranscript | EncodedCbor | Uint8Array): SessionTranscript {
  if (input instanceof Uint8Array || input instanceof EncodedCbor) return parseSessionTranscript(input);
  if (typeof input === 'object' && input !== null && input.encoded instanceof EncodedCbor) return input;
  return transcriptInvalid('not a SessionTranscript', 'sessionTranscript');
}

function decodeOrFail(bytes: Uint8Array): unknown {
  try {
    return decodeReceived(bytes, {});
  } catch (cause) {
    return transcriptInvalid('SessionTranscript is not valid CBOR', 'sessionTranscript', cause);
  }
}

function checkConsistency(de: EncodedCbor | null, ek: EncodedCbor | null, handover: Handover): void {
  switch (handover.kind) {
    case 'qr':
    case 'nfc':
      if (de === null)
        transcriptInvalid('proximity handover needs DeviceEngagementBytes', 'sessionTranscript[0]');
      if (ek === null) transcriptInvalid('proximity handover needs EReaderKeyBytes', 'sessionTranscript[1]');
      return;
    case 'openid4vp':
    case 'openid4vp-dc-api':
    case 'iso-dc-api':
      if (de !== null)
        transcriptInvalid('online handover requires DeviceEngagementBytes = null', 'sessionTranscript[0]');
      if (ek !== null)
        transcriptInvalid('online handover requires EReaderKeyBytes = null', 'sessionTranscript[1]');
      return;
  }
}
