import { decodeCbor } from '../cbor/decode.js';
import { decodedEncodedCbor } from '../cbor/encoded-cbor.js';
import { EncodedCbor, encodeCbor } from '../cbor/index.js';
import type { CborDeviation } from '../cbor/options.js';
import { describeCborShape, type Handover, handoverFromCbor, handoverToCbor } from './handover.js';
import { type HandoverCatalogueEntry, recogniseHandover } from './handover-catalogue.js';
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
 * A handover no catalogue entry models parses as `{ kind: 'unrecognised', shape }` — never refused.
 * Use {@link readSessionTranscript} to take a transcript exactly as given, whatever its shape.
 *
 * @throws {@link MdlError} `ERR_TRANSCRIPT_INVALID` for malformed CBOR, wrong element types, or
 *   elements that do not fit a recognised handover (the CBOR error is the `cause`).
 */
export function parseSessionTranscript(input: Uint8Array | EncodedCbor): SessionTranscript {
  let encoded: EncodedCbor;
  if (input instanceof EncodedCbor) {
    encoded = input;
  } else if (input instanceof Uint8Array) {
    // Decoded once: the EncodedCbor keeps a copy of its own and the value read from it.
    const copy = Uint8Array.prototype.slice.call(input);
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
    return decodeCbor(bytes, {});
  } catch (cause) {
    return transcriptInvalid('SessionTranscript is not valid CBOR', 'sessionTranscript', cause);
  }
}

/** A transcript taken exactly as the reader gave it (see {@link readSessionTranscript}). */
export interface ReceivedSessionTranscript {
  /** The SessionTranscript as tag-24 content: `.bytes` exactly as given (bare), `.tagged()` wrapped. */
  readonly encoded: EncodedCbor;
  /** The handover model when the transcript is the 3-element array of §9.1.5.1, else undefined. */
  readonly handover: Handover | undefined;
  /** The catalogue entries whose shape the handover has (empty when none). */
  readonly recognised: readonly HandoverCatalogueEntry[];
  /** The CBOR shape of the handover (or of the whole transcript when it is not a 3-element array). */
  readonly shape: string;
  /** Deviations from ISO/IEC 18013-5 §9.1.5.1 found in the transcript, as sentences (never values). */
  readonly notes: readonly string[];
  /** Encoding deviations the read tolerated (non-preferred or indefinite lengths). */
  readonly tolerated: readonly CborDeviation[];
}

/**
 * Takes a SessionTranscript exactly as given — `SessionTranscriptBytes` (tag 24), the bare encoding, an
 * `EncodedCbor`, or a parsed transcript — and describes it without refusing any well-formed CBOR: the
 * DeviceAuthenticationBytes / ReaderAuthenticationBytes built from the result embed exactly these
 * bytes. A handover no catalogue entry recognises, a transcript that is not a 3-element array, or
 * elements that do not fit the handover become `notes`, never errors. Non-preferred and
 * indefinite-length encodings are well-formed CBOR and are accepted (listed in `tolerated`).
 *
 * ```cddl
 * SessionTranscript = [DeviceEngagementBytes / null, EReaderKeyBytes / null, Handover]
 * ```
 * ISO/IEC 18013-5 §9.1.5.1.
 *
 * @example
 * ```ts
 * const t = readSessionTranscript(transcriptBytes);
 * console.log(t.recognised[0]?.id ?? `unrecognised handover ${t.shape}`);
 * ```
 * @throws {@link MdlError} `ERR_TRANSCRIPT_INVALID` only for input that is not well-formed CBOR
 *   (truncated, trailing bytes, duplicate map keys, invalid UTF-8 …; the CBOR error is the `cause`)
 *   or is not bytes / an EncodedCbor / a transcript.
 */
export function readSessionTranscript(
  input: SessionTranscript | ReceivedSessionTranscript | EncodedCbor | Uint8Array,
): ReceivedSessionTranscript {
  const tolerated: CborDeviation[] = [];
  const options = {
    allowNonPreferred: true,
    allowIndefinite: true,
    onTolerated: (d: CborDeviation) => {
      if (!tolerated.includes(d)) tolerated.push(d);
    },
  };
  let encoded: EncodedCbor;
  let value: unknown;
  let known = false;
  try {
    if (input instanceof Uint8Array) {
      const copy = Uint8Array.prototype.slice.call(input);
      const decoded = decodeCbor(copy, options);
      if (decoded instanceof EncodedCbor) {
        encoded = decoded;
      } else {
        encoded = decodedEncodedCbor(copy, decoded);
        value = decoded;
        known = true;
      }
    } else if (input instanceof EncodedCbor) {
      encoded = input;
    } else if (typeof input === 'object' && input !== null && input.encoded instanceof EncodedCbor) {
      encoded = input.encoded;
    } else {
      return transcriptInvalid(
        'SessionTranscript must be given as bytes or an EncodedCbor',
        'sessionTranscript',
      );
    }
    // Tag-24 content is decoded from the bytes as given, with the same tolerance.
    if (!known) value = decodeCbor(encoded.bytes, options);
  } catch (cause) {
    if (cause instanceof Error && 'code' in cause && cause.code === 'ERR_TRANSCRIPT_INVALID') throw cause;
    return transcriptInvalid('SessionTranscript is not well-formed CBOR', 'sessionTranscript', cause);
  }
  const notes: string[] = [];
  if (!Array.isArray(value) || value.length !== 3) {
    notes.push('the SessionTranscript is not the 3-element array of ISO/IEC 18013-5 §9.1.5.1');
    return {
      encoded,
      handover: undefined,
      recognised: [],
      shape: describeCborShape(value),
      notes,
      tolerated,
    };
  }
  const [de, ek, ho] = value as [unknown, unknown, unknown];
  if (de !== null && !(de instanceof EncodedCbor))
    notes.push('DeviceEngagementBytes is neither tag 24 nor null');
  if (ek !== null && !(ek instanceof EncodedCbor)) notes.push('EReaderKeyBytes is neither tag 24 nor null');
  const handover = handoverFromCbor(ho);
  const recognised = recogniseHandover(handover);
  if (handover.kind !== 'unrecognised') {
    const proximity = handover.kind === 'qr' || handover.kind === 'nfc';
    if (proximity && (de === null || ek === null)) {
      notes.push('a proximity handover normally comes with DeviceEngagementBytes and EReaderKeyBytes');
    }
    if (!proximity && (de !== null || ek !== null)) {
      notes.push('an online handover normally comes with DeviceEngagementBytes = EReaderKeyBytes = null');
    }
  }
  return { encoded, handover, recognised, shape: describeCborShape(ho), notes, tolerated };
}

/** @internal The exact transcript encoding of a transcript input, read as given. */
export function transcriptEncoding(
  input: SessionTranscript | ReceivedSessionTranscript | EncodedCbor | Uint8Array,
): EncodedCbor {
  if (
    typeof input === 'object' &&
    input !== null &&
    !(input instanceof Uint8Array) &&
    !(input instanceof EncodedCbor)
  ) {
    if (input.encoded instanceof EncodedCbor) return input.encoded;
  }
  return readSessionTranscript(input).encoded;
}

function checkConsistency(de: EncodedCbor | null, ek: EncodedCbor | null, handover: Handover): void {
  switch (handover.kind) {
    case 'qr':
    case 'nfc':
      if (de === null)
        transcriptInvalid('proximity handover needs DeviceEngagementBytes', 'sessionTranscript[0]');
      if (ek === null) transcriptInvalid('proximity handover needs EReaderKeyBytes', 'sessionTranscript[1]');
      return;
    case 'unrecognised':
      return;
    default:
      if (de !== null)
        transcriptInvalid('online handover requires DeviceEngagementBytes = null', 'sessionTranscript[0]');
      if (ek !== null)
        transcriptInvalid('online handover requires EReaderKeyBytes = null', 'sessionTranscript[1]');
      return;
  }
}
