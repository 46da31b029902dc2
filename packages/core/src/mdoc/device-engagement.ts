import { fromBase64Url, toBase64Url } from '../cbor/bytes.js';
import { decodeCbor } from '../cbor/decode.js';
import { encodeCbor } from '../cbor/encode.js';
import { EncodedCbor } from '../cbor/encoded-cbor.js';
import type { CborDecodeOptions, CborEncodeOptions } from '../cbor/options.js';
import { MdlError } from '../errors/mdl-error.js';
import { CIPHER_SUITE_1 } from './constants.js';
import {
  asArray,
  asBool,
  asBytes,
  asEncoded,
  asInt,
  asMap,
  asText,
  asUint,
  embeddedValue,
  invalid,
  req,
  withNoFloats,
} from './internal/structure.js';

/**
 * `Security = [int, EDeviceKeyBytes]` — cipher suite (1) and `#6.24(bstr .cbor COSE_Key)`.
 */
export interface EngagementSecurity {
  readonly cipherSuite: number;
  /** EDeviceKeyBytes exactly as received (the session transcript and key derivation use them). */
  readonly eDeviceKeyBytes: EncodedCbor;
  /** The decoded EDeviceKey COSE_Key map. */
  readonly eDeviceKey: ReadonlyMap<unknown, unknown>;
}

/** `DeviceRetrievalMethod = [type, version, RetrievalOptions]` — type 1 NFC, 2 BLE, 3 Wi-Fi Aware. */
export interface DeviceRetrievalMethod {
  readonly type: number;
  readonly version: number;
  /** The options map as decoded; read it with {@link bleOptions} / {@link nfcOptions} / {@link wifiOptions}. */
  readonly options: ReadonlyMap<unknown, unknown>;
}

/**
 * ```cddl
 * DeviceEngagement = {
 *   0 : tstr,                       ; "1.0"; "1.1" when 5 or 6 present
 *   1 : Security,
 *   ? 2 : DeviceRetrievalMethods,   ; QR engagement
 *   ? 3 : ServerRetrievalMethods,   ; 2021 only
 *   ? 4 : ProtocolInfo,
 *   ? 5 : OriginInfos,              ; 18013-7 / ed2
 *   ? 6 : Capabilities,             ; ed2
 *   * int => any
 * }
 * ```
 * ISO/IEC 18013-5 §8.2.1.1; digest §2.8.
 */
export interface DeviceEngagement {
  readonly version: string;
  readonly security: EngagementSecurity;
  readonly deviceRetrievalMethods?: readonly DeviceRetrievalMethod[];
  readonly serverRetrievalMethods?: ReadonlyMap<unknown, unknown>;
  readonly protocolInfo?: unknown;
  readonly originInfos?: readonly unknown[];
  readonly capabilities?: ReadonlyMap<unknown, unknown>;
}

/**
 * Parses a decoded DeviceEngagement map.
 *
 * @example
 * ```ts
 * const engagement = parseDeviceEngagement(decodeCbor(bytes));
 * ```
 * @throws {@link MdlError} `ERR_STRUCTURE_INVALID` with `details.path`; `ERR_ENGAGEMENT_INVALID`
 * for a cipher suite other than 1.
 */
export function parseDeviceEngagement(value: unknown): DeviceEngagement {
  const m = asMap(value, '');
  for (const k of m.keys()) asInt(k, 'DeviceEngagement key');
  const version = asText(req(m, 0, ''), '[0]', true);
  if (!/^\d+\.\d+$/.test(version)) invalid('[0]', 'a "major.minor" version');
  const sec = asArray(req(m, 1, ''), '[1]');
  if (sec.length !== 2) invalid('[1]', 'Security [cipherSuite, EDeviceKeyBytes]');
  const cipherSuite = asInt(sec[0], '[1][0]');
  if (cipherSuite !== CIPHER_SUITE_1) {
    throw new MdlError('ERR_ENGAGEMENT_INVALID', 'DeviceEngagement names an unsupported cipher suite', {
      details: { path: '[1][0]', cipherSuite },
    });
  }
  const eDeviceKeyBytes = asEncoded(sec[1], '[1][1]');
  const eDeviceKey = asMap(embeddedValue(eDeviceKeyBytes, '[1][1]'), '[1][1]');
  const out: {
    -readonly [K in keyof DeviceEngagement]: DeviceEngagement[K];
  } = { version, security: { cipherSuite, eDeviceKeyBytes, eDeviceKey } };
  const methods = m.get(2);
  if (methods !== undefined) {
    out.deviceRetrievalMethods = asArray(methods, '[2]', true).map((method, i) => {
      const p = `[2][${i}]`;
      const a = asArray(method, p);
      if (a.length < 3) invalid(p, 'a DeviceRetrievalMethod [type, version, options]');
      return {
        type: asUint(a[0], `${p}[0]`),
        version: asUint(a[1], `${p}[1]`),
        options: asMap(a[2], `${p}[2]`),
      };
    });
  }
  const server = m.get(3);
  if (server !== undefined) out.serverRetrievalMethods = asMap(server, '[3]');
  if (m.has(4)) out.protocolInfo = m.get(4);
  const origins = m.get(5);
  if (origins !== undefined) out.originInfos = asArray(origins, '[5]');
  const caps = m.get(6);
  if (caps !== undefined) {
    if (origins === undefined) invalid('[5]', 'OriginInfos when Capabilities (6) is present');
    out.capabilities = asMap(caps, '[6]');
  }
  return out;
}

/** A parsed DeviceEngagement with the bytes it came from (DeviceEngagementBytes for the transcript). */
export interface ReceivedDeviceEngagement {
  readonly engagement: DeviceEngagement;
  /** `DeviceEngagementBytes = #6.24(bstr .cbor DeviceEngagement)` over the received bytes. */
  readonly bytes: EncodedCbor;
}

/**
 * Decodes DeviceEngagement bytes (from QR or the NFC handover record), with `noFloats`: the
 * DeviceEngagement CDDL has no float, so the cipher suite (`int`), a retrieval method's type and
 * version, the BLE PSM, the NFC lengths, the Wi-Fi options and the OriginInfo `uint`s are CBOR major
 * type 0 / 1 only (`ERR_CBOR_FLOAT_NOT_ALLOWED`; in EDeviceKeyBytes `ERR_STRUCTURE_INVALID` with
 * `details.cborCode`). {@link parseDeviceEngagement} of a value decoded without `noFloats` cannot tell
 * 1.0 from 1.
 *
 * @example
 * ```ts
 * const { engagement, bytes } = decodeDeviceEngagement(raw);
 * sessionTranscript([bytes, eReaderKeyBytes, null]);
 * ```
 * @throws {@link MdlError} `ERR_CBOR_*` (`ERR_CBOR_FLOAT_NOT_ALLOWED` for a float),
 * `ERR_STRUCTURE_INVALID`, `ERR_ENGAGEMENT_INVALID`.
 */
export function decodeDeviceEngagement(
  bytes: Uint8Array,
  options: CborDecodeOptions = {},
): ReceivedDeviceEngagement {
  return {
    engagement: parseDeviceEngagement(decodeCbor(bytes, withNoFloats(options))),
    bytes: EncodedCbor.fromBytes(bytes.slice()),
  };
}

const QR_PREFIX = 'mdoc:';

/**
 * Reads the QR engagement text `mdoc:` + base64url(DeviceEngagement) (ISO/IEC 18013-5 §8.2.2.3).
 *
 * @example
 * ```ts
 * const { engagement, bytes } = parseDeviceEngagementUri('mdoc:owBjMS4w…');
 * ```
 * @throws {@link MdlError} `ERR_ENGAGEMENT_INVALID` for a missing prefix or bad base64url; then as
 * {@link decodeDeviceEngagement}.
 */
export function parseDeviceEngagementUri(
  uri: string,
  options: CborDecodeOptions = {},
): ReceivedDeviceEngagement {
  if (typeof uri !== 'string' || !uri.startsWith(QR_PREFIX)) {
    throw new MdlError('ERR_ENGAGEMENT_INVALID', 'QR engagement must start with "mdoc:"');
  }
  let raw: Uint8Array;
  try {
    raw = fromBase64Url(uri.slice(QR_PREFIX.length));
  } catch (cause) {
    throw new MdlError('ERR_ENGAGEMENT_INVALID', 'QR engagement is not valid base64url', { cause });
  }
  return decodeDeviceEngagement(raw, options);
}

/**
 * The QR engagement text for DeviceEngagement bytes (or DeviceEngagementBytes).
 *
 * @example
 * ```ts
 * deviceEngagementToUri(encodeDeviceEngagement(engagement)); // 'mdoc:owBjMS4w…'
 * ```
 */
export function deviceEngagementToUri(bytes: Uint8Array | EncodedCbor): string {
  return QR_PREFIX + toBase64Url(bytes instanceof EncodedCbor ? bytes.bytes : bytes);
}

/**
 * The CBOR value of a DeviceEngagement (integer keys in ascending order, EDeviceKeyBytes verbatim).
 * @example
 * ```ts
 * encodeCbor(deviceEngagementToCbor(engagement));
 * ```
 */
export function deviceEngagementToCbor(engagement: DeviceEngagement): Map<number, unknown> {
  const m = new Map<number, unknown>([
    [0, engagement.version],
    [1, [engagement.security.cipherSuite, engagement.security.eDeviceKeyBytes]],
  ]);
  if (engagement.deviceRetrievalMethods !== undefined) {
    m.set(
      2,
      engagement.deviceRetrievalMethods.map((r) => [r.type, r.version, r.options]),
    );
  }
  if (engagement.serverRetrievalMethods !== undefined) m.set(3, engagement.serverRetrievalMethods);
  if (engagement.protocolInfo !== undefined) m.set(4, engagement.protocolInfo);
  if (engagement.originInfos !== undefined) m.set(5, [...engagement.originInfos]);
  if (engagement.capabilities !== undefined) m.set(6, engagement.capabilities);
  return m;
}

/**
 * Encodes a DeviceEngagement (the bytes a QR code or NFC record carries).
 *
 * @example
 * ```ts
 * const uri = deviceEngagementToUri(encodeDeviceEngagement(engagement));
 * ```
 * @throws {@link MdlError} `ERR_CBOR_UNENCODABLE`.
 */
export function encodeDeviceEngagement(
  engagement: DeviceEngagement,
  options: CborEncodeOptions = {},
): Uint8Array {
  return encodeCbor(deviceEngagementToCbor(engagement), options);
}

/** BLE options (§8.2.2.2, digest §2.8). */
export interface BleOptions {
  readonly peripheralServerMode: boolean;
  readonly centralClientMode: boolean;
  readonly peripheralServerUuid?: Uint8Array;
  readonly centralClientUuid?: Uint8Array;
  readonly deviceAddress?: Uint8Array;
  /** L2CAP PSM (ed2). */
  readonly l2capPsm?: number;
}

/**
 * Reads BLE retrieval options `{0: bool, 1: bool, ? 10: bstr, ? 11: bstr, ? 20: bstr, ? 21: uint}`.
 *
 * @example
 * ```ts
 * const ble = bleOptions(engagement.deviceRetrievalMethods![0]!);
 * ```
 * @throws {@link MdlError} `ERR_STRUCTURE_INVALID` when the method is not BLE or an option is mistyped.
 */
export function bleOptions(method: DeviceRetrievalMethod): BleOptions {
  if (method.type !== 2) invalid('DeviceRetrievalMethod[0]', 'type 2 (BLE)');
  const o = method.options;
  const opt = <T>(k: number, read: (v: unknown, p: string) => T): T | undefined =>
    o.has(k) ? read(o.get(k), `options[${k}]`) : undefined;
  const peripheralServerUuid = opt(10, asBytes);
  const centralClientUuid = opt(11, asBytes);
  const deviceAddress = opt(20, asBytes);
  const l2capPsm = opt(21, asUint);
  return {
    peripheralServerMode: asBool(o.get(0), 'options[0]'),
    centralClientMode: asBool(o.get(1), 'options[1]'),
    ...(peripheralServerUuid === undefined ? {} : { peripheralServerUuid }),
    ...(centralClientUuid === undefined ? {} : { centralClientUuid }),
    ...(deviceAddress === undefined ? {} : { deviceAddress }),
    ...(l2capPsm === undefined ? {} : { l2capPsm }),
  };
}

/** NFC options `{0: uint max command data length, 1: uint max response data length}`. */
export interface NfcOptions {
  readonly maxCommandDataLength: number;
  readonly maxResponseDataLength: number;
}

/**
 * Reads NFC retrieval options.
 *
 * @example
 * ```ts
 * nfcOptions(method).maxResponseDataLength;
 * ```
 * @throws {@link MdlError} `ERR_STRUCTURE_INVALID`.
 */
export function nfcOptions(method: DeviceRetrievalMethod): NfcOptions {
  if (method.type !== 1) invalid('DeviceRetrievalMethod[0]', 'type 1 (NFC)');
  return {
    maxCommandDataLength: asUint(method.options.get(0), 'options[0]'),
    maxResponseDataLength: asUint(method.options.get(1), 'options[1]'),
  };
}

/** Wi-Fi Aware options `{? 0: tstr passphrase, ? 1: uint op class, ? 2: uint channel, ? 3: bstr bands}`. */
export interface WifiOptions {
  readonly passphrase?: string;
  readonly operatingClass?: number;
  readonly channelNumber?: number;
  readonly supportedBands?: Uint8Array;
}

/**
 * Reads Wi-Fi Aware retrieval options.
 *
 * @example
 * ```ts
 * wifiOptions(method).passphrase;
 * ```
 * @throws {@link MdlError} `ERR_STRUCTURE_INVALID`.
 */
export function wifiOptions(method: DeviceRetrievalMethod): WifiOptions {
  if (method.type !== 3) invalid('DeviceRetrievalMethod[0]', 'type 3 (Wi-Fi Aware)');
  const o = method.options;
  const passphrase = o.has(0) ? asText(o.get(0), 'options[0]') : undefined;
  const operatingClass = o.has(1) ? asUint(o.get(1), 'options[1]') : undefined;
  const channelNumber = o.has(2) ? asUint(o.get(2), 'options[2]') : undefined;
  const supportedBands = o.has(3) ? asBytes(o.get(3), 'options[3]') : undefined;
  return {
    ...(passphrase === undefined ? {} : { passphrase }),
    ...(operatingClass === undefined ? {} : { operatingClass }),
    ...(channelNumber === undefined ? {} : { channelNumber }),
    ...(supportedBands === undefined ? {} : { supportedBands }),
  };
}
