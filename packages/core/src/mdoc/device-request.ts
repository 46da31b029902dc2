import { decodeCbor } from '../cbor/decode.js';
import { encodeCbor } from '../cbor/encode.js';
import { EncodedCbor } from '../cbor/encoded-cbor.js';
import type { CborDecodeOptions, CborEncodeOptions } from '../cbor/options.js';
import { parseVersion } from './device-response.js';
import {
  asArray,
  asBool,
  asCoseMessage,
  asEncoded,
  asInt,
  asText,
  asTextMap,
  asUint,
  type CoseMessageCbor,
  child,
  embeddedValue,
  invalid,
  req,
  textMap,
  withNoFloats,
} from './internal/structure.js';

/** `NameSpaces = { + NameSpace => DataElements }`, `DataElements = { + DataElementIdentifier => IntentToRetain }` */
export type RequestedNameSpaces = ReadonlyMap<string, ReadonlyMap<string, boolean>>;

/**
 * ```cddl
 * ItemsRequest = {
 *   "docType" : DocType,
 *   "nameSpaces" : NameSpaces,
 *   ? "requestInfo" : DocRequestInfo,   ; 2021: { * tstr => any }; ed2 adds typed keys
 *   * tstr => RFU                       ; ed2
 * }
 * ```
 * ISO/IEC 18013-5 §8.3.2.1.2.1; digest §2.7.
 */
export interface ItemsRequest {
  readonly docType: string;
  readonly nameSpaces: RequestedNameSpaces;
  /** Kept as decoded (ed2 keys: alternativeDataElements, issuerIdentifiers, uniqueDocSetRequired …). */
  readonly requestInfo?: ReadonlyMap<string, unknown>;
}

/**
 * ```cddl
 * DocRequest = {
 *   "itemsRequest" : ItemsRequestBytes,   ; #6.24(bstr .cbor ItemsRequest)
 *   ? "readerAuth" : ReaderAuth,          ; COSE_Sign1, detached ReaderAuthenticationBytes
 *   * tstr => RFU                         ; ed2
 * }
 * ```
 */
export interface DocRequest {
  /** ItemsRequestBytes exactly as received / encoded (ReaderAuthentication covers these bytes). */
  readonly itemsRequestBytes: EncodedCbor;
  readonly itemsRequest: ItemsRequest;
  readonly readerAuth?: CoseMessageCbor;
}

/**
 * ```cddl
 * DeviceRequest = {
 *   "version" : tstr,                           ; "1.0"; "1.1" with deviceRequestInfo / readerAuthAll
 *   "docRequests" : [+ DocRequest],
 *   ? "deviceRequestInfo" : DeviceRequestInfoBytes,   ; ed2
 *   ? "readerAuthAll" : [+ ReaderAuthAll],            ; ed2
 *   * tstr => RFU
 * }
 * ```
 * ISO/IEC 18013-5 §8.3.2.1.2.1; digest §2.7.
 */
export interface DeviceRequest {
  readonly version: string;
  readonly docRequests: readonly DocRequest[];
  /** DeviceRequestInfoBytes as received (ed2). */
  readonly deviceRequestInfo?: EncodedCbor;
  readonly readerAuthAll?: readonly CoseMessageCbor[];
}

/**
 * One use case of a second-edition DeviceRequestInfo.
 *
 * ```cddl
 * UseCase = {
 *   "mandatory" : bool,
 *   "documentSets" : [+ DocumentSet],     ; DocumentSet = [+ uint] — indices into docRequests
 *   ? "purposeHints" : PurposeHints,      ; { tstr => int }, controller → purpose code
 *   * tstr => RFU
 * }
 * ```
 * ED2-v4 draft (subject to change); digest §2.7.
 */
export interface UseCase {
  readonly mandatory: boolean;
  /** Alternative sets of DocRequest indices; any one set satisfies the use case. */
  readonly documentSets: readonly (readonly number[])[];
  /** Purpose codes by controller (e.g. `org.iso.jtc1.sc17`: 1 identity, 2 driving privilege, 3 age). */
  readonly purposeHints?: ReadonlyMap<string, number>;
}

/**
 * The content of DeviceRequestInfoBytes (second edition, draft).
 *
 * ```cddl
 * DeviceRequestInfoBytes = #6.24(bstr .cbor DeviceRequestInfo)
 * DeviceRequestInfo = { ? "useCases" : [+ UseCase], * tstr => RFU }
 * ```
 * ED2-v4 draft (subject to change); digest §2.7, §5.2 item 1.
 */
export interface DeviceRequestInfo {
  readonly useCases?: readonly UseCase[];
}

/**
 * Parses a decoded DeviceRequestInfo map (the content of DeviceRequestInfoBytes). Unknown keys are
 * RFU and ignored. With `docRequestCount`, every document-set index must name a DocRequest.
 *
 * @example
 * ```ts
 * const info = parseDeviceRequestInfo(request.deviceRequestInfo!.value, { docRequestCount: 3 });
 * info.useCases?.[0]?.documentSets; // [[0]]
 * ```
 * @throws {@link MdlError} `ERR_STRUCTURE_INVALID` with `details.path` (e.g.
 *   `deviceRequestInfo.useCases[1].documentSets[0][0]`).
 */
export function parseDeviceRequestInfo(
  value: unknown,
  options: { readonly path?: string; readonly docRequestCount?: number } = {},
): DeviceRequestInfo {
  const path = options.path ?? 'deviceRequestInfo';
  const m = asTextMap(value, path);
  const raw = m.get('useCases');
  if (raw === undefined) return {};
  const up = child(path, 'useCases');
  const useCases = asArray(raw, up, true).map((u, i): UseCase => {
    const p = child(up, i);
    const um = asTextMap(u, p);
    const dp = child(p, 'documentSets');
    const documentSets = asArray(req(um, 'documentSets', p), dp, true).map((set, j) =>
      asArray(set, child(dp, j), true).map((index, k) => {
        const n = asUint(index, `${child(dp, j)}[${k}]`);
        if (options.docRequestCount !== undefined && n >= options.docRequestCount) {
          invalid(`${child(dp, j)}[${k}]`, 'the index of a DocRequest in this request');
        }
        return n;
      }),
    );
    const hints = um.get('purposeHints');
    let purposeHints: Map<string, number> | undefined;
    if (hints !== undefined) {
      const hp = child(p, 'purposeHints');
      purposeHints = asTextMap(hints, hp) as Map<string, number>;
      for (const [k, code] of purposeHints) asInt(code, `${hp}["${k}"]`);
    }
    return {
      mandatory: asBool(req(um, 'mandatory', p), child(p, 'mandatory')),
      documentSets,
      ...(purposeHints === undefined ? {} : { purposeHints }),
    };
  });
  return { useCases };
}

/**
 * The CBOR value of a DeviceRequestInfo, keys in CDDL order (wrap it with `EncodedCbor.fromValue`
 * to get DeviceRequestInfoBytes).
 *
 * @example
 * ```ts
 * EncodedCbor.fromValue(deviceRequestInfoToCbor({ useCases: [{ mandatory: true, documentSets: [[0]] }] }));
 * ```
 */
export function deviceRequestInfoToCbor(info: DeviceRequestInfo): Map<string, unknown> {
  return textMap([
    [
      'useCases',
      info.useCases?.map((u) =>
        textMap([
          ['mandatory', u.mandatory],
          ['documentSets', u.documentSets.map((set) => [...set])],
          ['purposeHints', u.purposeHints === undefined ? undefined : new Map(u.purposeHints)],
        ]),
      ),
    ],
  ]);
}

/**
 * Parses a decoded ItemsRequest map (the content of ItemsRequestBytes).
 *
 * @example
 * ```ts
 * const items = parseItemsRequest(itemsRequestBytes.value);
 * ```
 * @throws {@link MdlError} `ERR_STRUCTURE_INVALID` with `details.path`.
 */
export function parseItemsRequest(value: unknown, path = 'itemsRequest'): ItemsRequest {
  const m = asTextMap(value, path);
  const nsPath = child(path, 'nameSpaces');
  const ns = asTextMap(req(m, 'nameSpaces', path), nsPath);
  if (ns.size === 0) invalid(nsPath, 'at least one namespace');
  const nameSpaces = new Map<string, ReadonlyMap<string, boolean>>();
  for (const [name, elements] of ns) {
    const p = `${nsPath}["${name}"]`;
    const em = asTextMap(elements, p);
    if (em.size === 0) invalid(p, 'at least one data element');
    for (const [id, intent] of em) asBool(intent, `${p}["${id}"]`);
    nameSpaces.set(name, em as Map<string, boolean>);
  }
  const info = m.get('requestInfo');
  return {
    docType: asText(req(m, 'docType', path), child(path, 'docType'), true),
    nameSpaces,
    ...(info === undefined ? {} : { requestInfo: asTextMap(info, child(path, 'requestInfo')) }),
  };
}

/**
 * Parses a decoded DocRequest, keeping the received ItemsRequestBytes and ReaderAuth.
 *
 * @example
 * ```ts
 * const docRequest = parseDocRequest(decodedDocRequestMap);
 * ```
 * @throws {@link MdlError} `ERR_STRUCTURE_INVALID` with `details.path`.
 */
export function parseDocRequest(value: unknown, path = 'docRequest'): DocRequest {
  const m = asTextMap(value, path);
  const p = child(path, 'itemsRequest');
  const itemsRequestBytes = asEncoded(req(m, 'itemsRequest', path), p);
  const readerAuth = m.get('readerAuth');
  return {
    itemsRequestBytes,
    itemsRequest: parseItemsRequest(embeddedValue(itemsRequestBytes, p), p),
    ...(readerAuth === undefined
      ? {}
      : { readerAuth: asCoseMessage(readerAuth, child(path, 'readerAuth'), 18) }),
  };
}

/**
 * Parses a decoded DeviceRequest (versions 1.0 and 1.1).
 *
 * @example
 * ```ts
 * const request = decodeDeviceRequest(bytes);
 * request.docRequests[0]?.itemsRequest.nameSpaces.get('org.iso.18013.5.1');
 * ```
 * @throws {@link MdlError} `ERR_STRUCTURE_INVALID` with `details.path` (e.g. `docRequests[0].itemsRequest`).
 */
export function parseDeviceRequest(value: unknown): DeviceRequest {
  const m = asTextMap(value, '');
  const version = parseVersion(req(m, 'version', ''), 'version');
  const docRequests = asArray(req(m, 'docRequests', ''), 'docRequests', true).map((d, i) =>
    parseDocRequest(d, `docRequests[${i}]`),
  );
  const info = m.get('deviceRequestInfo');
  const all = m.get('readerAuthAll');
  return {
    version,
    docRequests,
    ...(info === undefined ? {} : { deviceRequestInfo: asEncoded(info, 'deviceRequestInfo') }),
    ...(all === undefined
      ? {}
      : {
          readerAuthAll: asArray(all, 'readerAuthAll', true).map((a, i) =>
            asCoseMessage(a, `readerAuthAll[${i}]`, 18),
          ),
        }),
  };
}

/**
 * Decodes and parses DeviceRequest bytes. The request is decoded with `noFloats`, its tag-24 items
 * (ItemsRequestBytes, DeviceRequestInfoBytes) included: no DeviceRequest CDDL names a float, so a
 * `uint` (a `useCases` document-set index, `maximumResponseSize`) or an `int` (a purpose hint) is
 * never read from 1.0 — {@link DEVICE_REQUEST_CBOR}, which `@mdlkit/holder` decodes with too.
 *
 * @example
 * ```ts
 * const { docRequests } = decodeDeviceRequest(bytes);
 * ```
 * @throws {@link MdlError} `ERR_CBOR_*` for malformed CBOR (`ERR_CBOR_FLOAT_NOT_ALLOWED` for a float;
 * in an ItemsRequestBytes it is `ERR_STRUCTURE_INVALID` with the CBOR code in `details.cborCode`);
 * `ERR_STRUCTURE_INVALID` with a path.
 */
export function decodeDeviceRequest(bytes: Uint8Array, options: CborDecodeOptions = {}): DeviceRequest {
  return parseDeviceRequest(decodeCbor(bytes, withNoFloats(options)));
}

/**
 * The CBOR decode options of a DeviceRequest (and of a DeviceEngagement, a SessionEstablishment and a
 * SessionData): `noFloats`. Their CDDL has no float anywhere, so every `uint` / `int` is CBOR major
 * type 0 / 1 only and `f9 3c00` is never read as 1 (`ERR_CBOR_FLOAT_NOT_ALLOWED`). A float in an
 * RFU or extension value fails too, as in the MSO.
 *
 * @example
 * ```ts
 * decodeCbor(deviceRequestBytes, DEVICE_REQUEST_CBOR);
 * ```
 */
export const DEVICE_REQUEST_CBOR: CborDecodeOptions = Object.freeze({ noFloats: true });

/**
 * The CBOR value of an ItemsRequest, keys in CDDL order.
 * @example
 * ```ts
 * EncodedCbor.fromValue(itemsRequestToCbor(itemsRequest));
 * ```
 */
export function itemsRequestToCbor(request: ItemsRequest): Map<string, unknown> {
  return textMap([
    ['docType', request.docType],
    ['nameSpaces', new Map([...request.nameSpaces].map(([ns, els]) => [ns, new Map(els)]))],
    ['requestInfo', request.requestInfo],
  ]);
}

/**
 * Builds a DocRequest from an ItemsRequest: encodes ItemsRequestBytes (sign these for ReaderAuth).
 *
 * @example
 * ```ts
 * const doc = createDocRequest({ docType: MDL_DOCTYPE, nameSpaces: new Map([[MDL_NAMESPACE, new Map([['portrait', false]])]]) });
 * ```
 * @throws {@link MdlError} `ERR_CBOR_UNENCODABLE`.
 */
export function createDocRequest(
  itemsRequest: ItemsRequest,
  options: CborEncodeOptions & { readonly readerAuth?: CoseMessageCbor } = {},
): DocRequest {
  const itemsRequestBytes = EncodedCbor.fromValue(itemsRequestToCbor(itemsRequest), options);
  return {
    itemsRequestBytes,
    itemsRequest,
    ...(options.readerAuth === undefined ? {} : { readerAuth: options.readerAuth }),
  };
}

/**
 * The CBOR value of a DeviceRequest (ItemsRequestBytes and COSE structures verbatim).
 * @example
 * ```ts
 * encodeCbor(deviceRequestToCbor(request), { keyOrder: 'insertion' });
 * ```
 */
export function deviceRequestToCbor(request: DeviceRequest): Map<string, unknown> {
  return textMap([
    ['version', request.version],
    [
      'docRequests',
      request.docRequests.map((d) =>
        textMap([
          ['itemsRequest', d.itemsRequestBytes],
          ['readerAuth', d.readerAuth],
        ]),
      ),
    ],
    ['deviceRequestInfo', request.deviceRequestInfo],
    ['readerAuthAll', request.readerAuthAll === undefined ? undefined : [...request.readerAuthAll]],
  ]);
}

/**
 * Encodes a DeviceRequest.
 *
 * @example
 * ```ts
 * encodeDeviceRequest({ version: '1.0', docRequests: [createDocRequest(itemsRequest)] });
 * ```
 * @throws {@link MdlError} `ERR_STRUCTURE_INVALID` when version 1.0 carries 1.1-only fields;
 * `ERR_CBOR_UNENCODABLE`.
 */
export function encodeDeviceRequest(request: DeviceRequest, options: CborEncodeOptions = {}): Uint8Array {
  if (
    request.version === '1.0' &&
    (request.deviceRequestInfo !== undefined || request.readerAuthAll !== undefined)
  ) {
    invalid('version', '"1.1" when deviceRequestInfo or readerAuthAll is present');
  }
  return encodeCbor(deviceRequestToCbor(request), options);
}
