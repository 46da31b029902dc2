import { receivedEncodedCbor } from '../cbor/encoded-cbor.js';
import { CborWriter, EncodedCbor, encodeCbor, RawCbor } from '../cbor/index.js';
import { invalidArgument } from './internal/fail.js';
import {
  type ReceivedSessionTranscript,
  type SessionTranscript,
  transcriptEncoding,
} from './session-transcript.js';

/**
 * A transcript as accepted by the builders: parsed, read as given, or its (tag-24 or bare) bytes.
 * Any well-formed CBOR is taken as given: the builders embed exactly its bytes.
 */
export type SessionTranscriptInput = SessionTranscript | ReceivedSessionTranscript | EncodedCbor | Uint8Array;

/** Options for {@link buildDeviceAuthenticationBytes}. */
export interface BuildDeviceAuthenticationOptions {
  /** The session transcript (parsed, `SessionTranscriptBytes`, or the bare array bytes). */
  readonly sessionTranscript: SessionTranscriptInput;
  /** The document type, the same as `Document.docType`. */
  readonly docType: string;
  /** DeviceNameSpacesBytes exactly as sent in `DeviceSigned.nameSpaces` (tag 24). */
  readonly deviceNameSpacesBytes: EncodedCbor;
}

/**
 * Builds `DeviceAuthenticationBytes`, the detached payload of DeviceSignature / DeviceMac. The
 * SessionTranscript is embedded as the plain array with its received bytes and the
 * DeviceNameSpacesBytes with the exact bytes they carry: nothing is re-encoded.
 *
 * ```cddl
 * DeviceAuthenticationBytes = #6.24(bstr .cbor DeviceAuthentication)
 * DeviceAuthentication = [
 *   "DeviceAuthentication",
 *   SessionTranscript,
 *   DocType,
 *   DeviceNameSpacesBytes
 * ]
 * ```
 * ISO/IEC 18013-5:2021 §9.1.3.4 (ed2 §12.4.4).
 *
 * @returns the tag-24 item: `.tagged()` is DeviceAuthenticationBytes (the COSE payload),
 *   `.bytes` is the encoded DeviceAuthentication array.
 * @example
 * ```ts
 * const payload = buildDeviceAuthenticationBytes({
 *   sessionTranscript, docType: 'org.iso.18013.5.1.mDL', deviceNameSpacesBytes,
 * }).tagged();
 * ```
 * @throws {@link MdlError} `ERR_TRANSCRIPT_INVALID` for a transcript that is not well-formed CBOR;
 *   `ERR_INVALID_ARGUMENT` for a non-string docType or DeviceNameSpacesBytes that are not an EncodedCbor.
 */
export function buildDeviceAuthenticationBytes(options: BuildDeviceAuthenticationOptions): EncodedCbor {
  const transcriptBytes = transcriptEncoding(options.sessionTranscript).bytes;
  if (typeof options.docType !== 'string') invalidArgument('docType must be a string');
  if (!(options.deviceNameSpacesBytes instanceof EncodedCbor)) {
    invalidArgument('deviceNameSpacesBytes must be an EncodedCbor (tag 24)');
  }
  // Written inside its tag-24 wrapper into one buffer: a reader verifies a DeviceSignature over
  // `.tagged()` on every response, and this hands out those bytes without a second copy.
  const namespaces = options.deviceNameSpacesBytes.bytes;
  const w = new CborWriter(
    {},
    40 +
      DEVICE_AUTHENTICATION.length +
      transcriptBytes.length +
      3 * options.docType.length +
      namespaces.length,
  );
  const mark = w.beginEmbedded();
  w.head(4, 4);
  w.raw(DEVICE_AUTHENTICATION);
  w.raw(transcriptBytes);
  w.text(options.docType);
  w.value(options.deviceNameSpacesBytes);
  const start = w.endEmbedded(mark);
  // The writer holds nothing but the tag-24 item.
  const tagged = w.finish();
  return receivedEncodedCbor(tagged, start, {}, 0);
}

const DEVICE_AUTHENTICATION = encodeCbor('DeviceAuthentication');

/** Options for {@link buildReaderAuthenticationBytes}. */
export interface BuildReaderAuthenticationOptions {
  /** The session transcript (parsed, `SessionTranscriptBytes`, or the bare array bytes). */
  readonly sessionTranscript: SessionTranscriptInput;
  /** ItemsRequestBytes exactly as sent in `DocRequest.itemsRequest` (tag 24). */
  readonly itemsRequestBytes: EncodedCbor;
}

/**
 * Builds `ReaderAuthenticationBytes`, the detached payload of a DocRequest's `readerAuth`
 * COSE_Sign1. Transcript and ItemsRequestBytes are embedded byte-for-byte.
 *
 * ```cddl
 * ReaderAuthenticationBytes = #6.24(bstr .cbor ReaderAuthentication)
 * ReaderAuthentication = [
 *   "ReaderAuthentication",
 *   SessionTranscript,
 *   ItemsRequestBytes
 * ]
 * ```
 * ISO/IEC 18013-5:2021 §9.1.4 (ed2 §12.5).
 *
 * @example
 * ```ts
 * const detached = buildReaderAuthenticationBytes({ sessionTranscript, itemsRequestBytes }).tagged();
 * ```
 * @throws {@link MdlError} `ERR_TRANSCRIPT_INVALID` for a transcript that is not well-formed CBOR;
 *   `ERR_INVALID_ARGUMENT` when ItemsRequestBytes is not an EncodedCbor.
 */
export function buildReaderAuthenticationBytes(options: BuildReaderAuthenticationOptions): EncodedCbor {
  const transcript = transcriptEncoding(options.sessionTranscript);
  if (!(options.itemsRequestBytes instanceof EncodedCbor)) {
    invalidArgument('itemsRequestBytes must be an EncodedCbor (tag 24)');
  }
  return EncodedCbor.fromBytes(
    encodeCbor(['ReaderAuthentication', new RawCbor(transcript.bytes), options.itemsRequestBytes]),
  );
}

/** Options for {@link buildReaderAuthenticationAllBytes}. */
export interface BuildReaderAuthenticationAllOptions {
  /** The session transcript (parsed, `SessionTranscriptBytes`, or the bare array bytes). */
  readonly sessionTranscript: SessionTranscriptInput;
  /** Every DocRequest's ItemsRequestBytes, in request order, exactly as sent. */
  readonly itemsRequestBytes: readonly EncodedCbor[];
  /** DeviceRequestInfoBytes exactly as sent, or `null` when the request has none. */
  readonly deviceRequestInfoBytes: EncodedCbor | null;
}

/**
 * Builds `ReaderAuthenticationAllBytes`, the detached payload of the request-wide `readerAuthAll`
 * signature. **Second-edition draft** (ED2-v4, 2025-09; spec digest §2.7): subject to change.
 *
 * ```cddl
 * ReaderAuthenticationAllBytes = #6.24(bstr .cbor ReaderAuthenticationAll)
 * ReaderAuthenticationAll = [
 *   "ReaderAuthenticationAll",
 *   SessionTranscript,
 *   [* ItemsRequestBytes],
 *   DeviceRequestInfoBytes / null
 * ]
 * ```
 *
 * @example
 * ```ts
 * buildReaderAuthenticationAllBytes({ sessionTranscript, itemsRequestBytes: [a, b], deviceRequestInfoBytes: null });
 * ```
 * @throws {@link MdlError} `ERR_TRANSCRIPT_INVALID` for a transcript that is not well-formed CBOR;
 *   `ERR_INVALID_ARGUMENT` when an ItemsRequestBytes / DeviceRequestInfoBytes is not an EncodedCbor.
 */
export function buildReaderAuthenticationAllBytes(options: BuildReaderAuthenticationAllOptions): EncodedCbor {
  const transcript = transcriptEncoding(options.sessionTranscript);
  if (!Array.isArray(options.itemsRequestBytes)) invalidArgument('itemsRequestBytes must be an array');
  options.itemsRequestBytes.forEach((item, index) => {
    if (!(item instanceof EncodedCbor))
      invalidArgument('itemsRequestBytes entries must be EncodedCbor', { index });
  });
  const info = options.deviceRequestInfoBytes;
  if (info !== null && !(info instanceof EncodedCbor)) {
    invalidArgument('deviceRequestInfoBytes must be an EncodedCbor (tag 24) or null');
  }
  return EncodedCbor.fromBytes(
    encodeCbor([
      'ReaderAuthenticationAll',
      new RawCbor(transcript.bytes),
      [...options.itemsRequestBytes],
      info,
    ]),
  );
}
