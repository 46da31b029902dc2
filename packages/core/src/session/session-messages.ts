import {
  type CborDecodeOptions,
  type CborEncodeOptions,
  decodeCbor,
  EncodedCbor,
  encodeCbor,
} from '../cbor/index.js';
import { invalidArgument, structureInvalid } from './internal/fail.js';

/**
 * SessionData status codes. Each one ends the session; with 10 and 11 `data` must be absent.
 *
 * | code | meaning |
 * |---|---|
 * | 10 | error: session encryption |
 * | 11 | error: CBOR decoding |
 * | 20 | session termination |
 *
 * ISO/IEC 18013-5:2021 §9.1.1.4 Table 20 (ed2 §12.2), spec digest §2.9.
 */
export const SessionStatus = {
  ENCRYPTION_ERROR: 10,
  DECODING_ERROR: 11,
  SESSION_TERMINATION: 20,
} as const;
/** One of {@link SessionStatus}. */
export type SessionStatus = (typeof SessionStatus)[keyof typeof SessionStatus];

const KNOWN_STATUS: ReadonlySet<number> = new Set(Object.values(SessionStatus));

/**
 * The reader's first message.
 *
 * ```cddl
 * SessionEstablishment = {
 *   "eReaderKey" : EReaderKeyBytes,
 *   "data"       : bstr,          ; encrypted DeviceRequest
 *   * tstr => RFU
 * }
 * ```
 * ISO/IEC 18013-5:2021 §9.1.1.4 (ed2 §12.2.4).
 */
export interface SessionEstablishment {
  /** EReaderKeyBytes exactly as received (goes unchanged into the SessionTranscript). */
  readonly eReaderKeyBytes: EncodedCbor;
  /** The encrypted DeviceRequest (ciphertext ‖ 16-byte GCM tag). */
  readonly data: Uint8Array;
}

/**
 * Every later message in either direction.
 *
 * ```cddl
 * SessionData = {
 *   ? "data"   : bstr,           ; encrypted DeviceRequest / DeviceResponse
 *   ? "status" : uint,
 *   * tstr => RFU
 * }
 * ```
 * ISO/IEC 18013-5:2021 §9.1.1.4 (ed2 §12.2.4).
 */
export interface SessionData {
  /** Encrypted payload, when present. */
  readonly data?: Uint8Array;
  /** Status, when present (see {@link SessionStatus}). */
  readonly status?: SessionStatus;
}

/**
 * Encodes a SessionEstablishment. Keys are written in `keyOrder` order (default deterministic,
 * which puts `"data"` first; Annex D lists `"eReaderKey"` first — use `keyOrder: 'insertion'`).
 *
 * @example
 * ```ts
 * const msg = encodeSessionEstablishment({ eReaderKeyBytes, data: await session.encrypt(request) });
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` when a field has the wrong type.
 */
export function encodeSessionEstablishment(
  message: SessionEstablishment,
  options: CborEncodeOptions = {},
): Uint8Array {
  if (!(message.eReaderKeyBytes instanceof EncodedCbor))
    invalidArgument('eReaderKeyBytes must be an EncodedCbor');
  if (!(message.data instanceof Uint8Array)) invalidArgument('data must be a Uint8Array');
  return encodeCbor(
    new Map<string, unknown>([
      ['eReaderKey', message.eReaderKeyBytes],
      ['data', message.data],
    ]),
    options,
  );
}

/**
 * Parses a SessionEstablishment, keeping EReaderKeyBytes exactly as received. Unknown text keys
 * (RFU) are ignored.
 *
 * @example
 * ```ts
 * const { eReaderKeyBytes, data } = parseSessionEstablishment(bytes);
 * ```
 * @throws {@link MdlError} `ERR_CBOR_*` for undecodable bytes (answer with status 11), decoded with
 *   `noFloats` (`ERR_CBOR_FLOAT_NOT_ALLOWED`);
 *   `ERR_STRUCTURE_INVALID` (with `details.path`) when the map does not match the CDDL.
 */
export function parseSessionEstablishment(
  bytes: Uint8Array,
  options: CborDecodeOptions = {},
): SessionEstablishment {
  const map = decodeMessageMap(bytes, options, 'SessionEstablishment');
  const eReaderKey = map.get('eReaderKey');
  const data = map.get('data');
  if (!(eReaderKey instanceof EncodedCbor)) {
    structureInvalid('SessionEstablishment.eReaderKey must be EReaderKeyBytes (tag 24)', {
      path: 'SessionEstablishment.eReaderKey',
    });
  }
  if (!(data instanceof Uint8Array)) {
    structureInvalid('SessionEstablishment.data must be a byte string', {
      path: 'SessionEstablishment.data',
    });
  }
  return { eReaderKeyBytes: eReaderKey, data };
}

/**
 * Encodes a SessionData message: encrypted `data`, a `status`, or both (data with status 20 is the
 * last message of a session).
 *
 * @example
 * ```ts
 * encodeSessionData({ data: await session.encrypt(response) });
 * encodeSessionData({ status: SessionStatus.SESSION_TERMINATION }); // a1 66 737461747573 14
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for an empty message, a wrong type, an unknown
 *   status, or `data` together with status 10 / 11.
 */
export function encodeSessionData(message: SessionData, options: CborEncodeOptions = {}): Uint8Array {
  const { data, status } = message;
  if (data === undefined && status === undefined) invalidArgument('SessionData needs data or status');
  if (data !== undefined && !(data instanceof Uint8Array)) invalidArgument('data must be a Uint8Array');
  if (status !== undefined && !KNOWN_STATUS.has(status)) invalidArgument('unknown SessionData status');
  if (data !== undefined && status !== undefined && status !== SessionStatus.SESSION_TERMINATION) {
    invalidArgument('SessionData with an error status must not carry data');
  }
  const map = new Map<string, unknown>();
  if (data !== undefined) map.set('data', data);
  if (status !== undefined) map.set('status', status);
  return encodeCbor(map, options);
}

/**
 * Parses a SessionData message. Unknown text keys (RFU) are ignored.
 *
 * @example
 * ```ts
 * const { data, status } = parseSessionData(bytes);
 * ```
 * @throws {@link MdlError} `ERR_CBOR_*` for undecodable bytes (`ERR_CBOR_FLOAT_NOT_ALLOWED` for a
 *   float: the message is decoded with `noFloats`, so status 20.0 is no `uint`); `ERR_STRUCTURE_INVALID` when
 *   neither `data` nor `status` is present, a field has the wrong type, the status is not 10/11/20,
 *   or `data` comes with status 10 / 11.
 */
export function parseSessionData(bytes: Uint8Array, options: CborDecodeOptions = {}): SessionData {
  const map = decodeMessageMap(bytes, options, 'SessionData');
  const data = map.get('data');
  const status = map.get('status');
  if (data !== undefined && !(data instanceof Uint8Array)) {
    structureInvalid('SessionData.data must be a byte string', { path: 'SessionData.data' });
  }
  if (status !== undefined) {
    if (typeof status !== 'number' || !KNOWN_STATUS.has(status)) {
      structureInvalid('SessionData.status must be 10, 11 or 20', { path: 'SessionData.status' });
    }
    if (data !== undefined && status !== SessionStatus.SESSION_TERMINATION) {
      structureInvalid('SessionData with an error status must not carry data', { path: 'SessionData.data' });
    }
  }
  if (data === undefined && status === undefined) {
    structureInvalid('SessionData needs data or status', { path: 'SessionData' });
  }
  return {
    ...(data === undefined ? {} : { data }),
    ...(status === undefined ? {} : { status: status as SessionStatus }),
  };
}

function decodeMessageMap(
  bytes: Uint8Array,
  options: CborDecodeOptions,
  name: string,
): Map<unknown, unknown> {
  if (!(bytes instanceof Uint8Array)) invalidArgument(`${name} must be given as bytes`);
  // No float in either CDDL: the SessionData `status` is a `uint`, never 20.0.
  const value = decodeCbor(bytes, options.noFloats === true ? options : { ...options, noFloats: true });
  if (!(value instanceof Map)) structureInvalid(`${name} must be a map`, { path: name });
  for (const key of value.keys()) {
    if (typeof key !== 'string') structureInvalid(`${name} keys must be text strings`, { path: name });
  }
  return value;
}
