import { decodeCbor } from '../cbor/decode.js';
import { encodeCbor } from '../cbor/encode.js';
import { EncodedCbor } from '../cbor/encoded-cbor.js';
import type { CborEncodeOptions } from '../cbor/options.js';
import type { TDate } from '../cbor/types.js';
import { MdlError } from '../errors/mdl-error.js';
import { MsoDigestAlgorithm } from './constants.js';
import {
  asArray,
  asBytes,
  asEncoded,
  asFieldMap,
  asInt,
  asMap,
  asTDate,
  asText,
  asTextMap,
  asUint,
  checkVersion,
  child,
  embeddedItem,
  invalid,
  type Mutable,
  req,
  textMap,
} from './internal/structure.js';
import { type MdocDecodeOptions, type MdocParseOptions, parseContext } from './parse-options.js';

/** `ValueDigests = { + NameSpace => DigestIDs }`, `DigestIDs = { + DigestID => Digest }` */
export type ValueDigests = ReadonlyMap<string, ReadonlyMap<number, Uint8Array>>;

/**
 * ```cddl
 * KeyAuthorizations = {
 *   ? "nameSpaces" : [+ NameSpace],
 *   ? "dataElements" : { + NameSpace => [+ DataElementIdentifier] },
 *   * tstr => RFU                        ; ed2
 * }
 * ```
 */
export interface KeyAuthorizations {
  readonly nameSpaces?: readonly string[];
  readonly dataElements?: ReadonlyMap<string, readonly string[]>;
}

/**
 * ```cddl
 * DeviceKeyInfo = {
 *   "deviceKey" : COSE_Key,
 *   ? "keyAuthorizations" : KeyAuthorizations,
 *   ? "keyInfo" : { * int => any },
 *   * tstr => RFU                        ; ed2
 * }
 * ```
 */
export interface DeviceKeyInfo {
  /** The device public key as a decoded COSE_Key map (convert with `/cose` helpers). */
  readonly deviceKey: ReadonlyMap<unknown, unknown>;
  readonly keyAuthorizations?: KeyAuthorizations;
  readonly keyInfo?: ReadonlyMap<number, unknown>;
}

/**
 * ```cddl
 * ValidityInfo = {
 *   "signed" : tdate, "validFrom" : tdate, "validUntil" : tdate,
 *   ? "expectedUpdate" : tdate,
 *   * tstr => RFU                        ; ed2
 * }
 * ```
 */
export interface ValidityInfo {
  readonly signed: TDate;
  readonly validFrom: TDate;
  readonly validUntil: TDate;
  readonly expectedUpdate?: TDate;
}

/**
 * MSO revocation status (ed2 §12.3.6; digest §5.3). Kept as decoded maps:
 * `identifier_list: {id: bstr, uri: tstr, ? certificate: bstr}`,
 * `status_list: {idx: uint, uri: tstr, ? certificate: bstr}`.
 */
export interface MsoStatus {
  readonly identifierList?: ReadonlyMap<string, unknown>;
  readonly statusList?: ReadonlyMap<string, unknown>;
}

/**
 * ```cddl
 * MobileSecurityObjectBytes = #6.24(bstr .cbor MobileSecurityObject)
 * MobileSecurityObject = {
 *   "version" : tstr,
 *   "digestAlgorithm" : tstr,
 *   "valueDigests" : ValueDigests,
 *   "deviceKeyInfo" : DeviceKeyInfo,
 *   "docType" : tstr,
 *   "validityInfo" : ValidityInfo,
 *   ? "status" : Status,                 ; ed2
 *   * tstr => RFU                        ; ed2
 * }
 * ```
 * ISO/IEC 18013-5 §9.1.2.4; digest §2.2.
 */
export interface MobileSecurityObject {
  readonly version: string;
  readonly digestAlgorithm: string;
  readonly valueDigests: ValueDigests;
  readonly deviceKeyInfo: DeviceKeyInfo;
  readonly docType: string;
  readonly validityInfo: ValidityInfo;
  readonly status?: MsoStatus;
}

function parseKeyAuthorizations(value: unknown, path: string, verifier: boolean): KeyAuthorizations {
  const m = asFieldMap(value, path, verifier);
  const ns = m.get('nameSpaces');
  const de = m.get('dataElements');
  // KeyAuthorizations authorise what they list: an empty one authorises nothing.
  if (!verifier && ns === undefined && de === undefined) {
    invalid(path, 'nameSpaces or dataElements (must not be empty)');
  }
  const out: { nameSpaces?: string[]; dataElements?: Map<string, string[]> } = {};
  if (ns !== undefined) {
    const p = child(path, 'nameSpaces');
    out.nameSpaces = asArray(ns, p, true).map((n, i) => asText(n, `${p}[${i}]`, true));
  }
  if (de !== undefined) {
    const p = child(path, 'dataElements');
    const dm = asMap(de, p);
    if (!verifier && dm.size === 0) invalid(p, 'at least one namespace');
    const dataElements = new Map<string, string[]>();
    for (const [k, v] of dm) {
      const name = asText(k, p, true);
      const q = `${p}["${name}"]`;
      // 18013-5 §9.1.2.4: a namespace in nameSpaces shall not be in dataElements.
      if (!verifier && out.nameSpaces?.includes(name))
        invalid(q, 'a namespace not also authorised in nameSpaces');
      dataElements.set(
        name,
        asArray(v, q, true).map((id, i) => asText(id, `${q}[${i}]`, true)),
      );
    }
    out.dataElements = dataElements;
  }
  return out;
}

function parseDeviceKeyInfo(value: unknown, path: string, verifier: boolean): DeviceKeyInfo {
  const m = asFieldMap(value, path, verifier);
  const deviceKey = asMap(req(m, 'deviceKey', path), child(path, 'deviceKey'));
  const ka = m.get('keyAuthorizations');
  const ki = verifier ? undefined : m.get('keyInfo');
  let keyInfo: Map<number, unknown> | undefined;
  if (ki !== undefined) {
    const p = child(path, 'keyInfo');
    const km = asMap(ki, p);
    for (const k of km.keys()) asInt(k, `${p} key`);
    keyInfo = km as Map<number, unknown>;
  }
  // Built field by field (no object spread: this runs for every MSO a reader has not seen).
  const out: Mutable<DeviceKeyInfo> = { deviceKey };
  if (ka !== undefined) {
    out.keyAuthorizations = parseKeyAuthorizations(ka, child(path, 'keyAuthorizations'), verifier);
  }
  if (keyInfo !== undefined) out.keyInfo = keyInfo;
  return out;
}

function requiredDate(m: Map<string, unknown>, key: string, path: string): TDate {
  return asTDate(req(m, key, path), child(path, key));
}

function parseValidityInfo(value: unknown, path: string, verifier: boolean): ValidityInfo {
  const m = asFieldMap(value, path, verifier);
  const eu = m.get('expectedUpdate');
  const out: Mutable<ValidityInfo> = {
    signed: requiredDate(m, 'signed', path),
    validFrom: requiredDate(m, 'validFrom', path),
    validUntil: requiredDate(m, 'validUntil', path),
  };
  if (eu !== undefined) out.expectedUpdate = asTDate(eu, child(path, 'expectedUpdate'));
  return out;
}

function parseValueDigests(value: unknown, path: string, verifier: boolean): ValueDigests {
  const m = asMap(value, path);
  if (!verifier && m.size === 0) invalid(path, 'at least one namespace');
  const out = new Map<string, Map<number, Uint8Array>>();
  for (const [ns, ids] of m) {
    const name = asText(ns, path, verifier);
    const p = `${path}["${name}"]`;
    const im = asMap(ids, p);
    if (!verifier && im.size === 0) invalid(p, 'at least one digest');
    const digests = new Map<number, Uint8Array>();
    // Paths are built only for the error (a reader reads every MSO's digests; most are well formed).
    for (const [id, digest] of im) {
      const digestId =
        typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : asUint(id, `${p} key`);
      digests.set(digestId, digest instanceof Uint8Array ? digest : asBytes(digest, `${p}[${digestId}]`));
    }
    out.set(name, digests);
  }
  return out;
}

/**
 * ```cddl
 * IdentifierListInfo = { "id" : bstr, "uri" : tstr, ? "certificate" : bstr, * tstr => RFU }
 * StatusListInfo = { "idx" : uint, "uri" : tstr, ? "certificate" : bstr, * tstr => RFU }
 * ```
 * ISO/IEC 18013-5 ed2 §12.3.6; digest §5.3.
 */
function statusEntry(
  sm: Map<string, unknown>,
  key: 'identifier_list' | 'status_list',
  path: string,
  verifier: boolean,
): ReadonlyMap<string, unknown> | undefined {
  const e = sm.get(key);
  if (e === undefined) return undefined;
  if (verifier) return e instanceof Map ? (e as Map<string, unknown>) : new Map<string, unknown>();
  const p = child(path, key);
  const m = asTextMap(e, p);
  // A `uint` is major type 0: the MSO is decoded with `noFloats`, so a number here is an integer.
  if (key === 'status_list') asUint(req(m, 'idx', p), child(p, 'idx'));
  else asBytes(req(m, 'id', p), child(p, 'id'));
  asText(req(m, 'uri', p), child(p, 'uri'));
  const certificate = m.get('certificate');
  if (certificate !== undefined) asBytes(certificate, child(p, 'certificate'));
  return m;
}

/**
 * MSO `status`. The `model` rules hold it to exactly one mechanism (ed2 §12.3.6: the status names
 * either an identifier list or a status list — digest §5.3) and each entry to its CDDL (`idx` a
 * `uint`, `id` and `certificate` byte strings, `uri` text); the `verifier` rules keep the entries as
 * decoded maps (the revocation check judges them, and finds both or neither undetermined), an entry
 * that is not a map as an empty one (it names no list, so its status cannot be established). Under
 * both, a float anywhere in the MSO fails its decode.
 */
function parseStatus(value: unknown, path: string, verifier: boolean): MsoStatus {
  const sm = asFieldMap(value, path, verifier);
  const il = statusEntry(sm, 'identifier_list', path, verifier);
  const sl = statusEntry(sm, 'status_list', path, verifier);
  if (!verifier && (il === undefined) === (sl === undefined)) {
    invalid(path, 'exactly one of "identifier_list" and "status_list"');
  }
  return {
    ...(il === undefined ? {} : { identifierList: il }),
    ...(sl === undefined ? {} : { statusList: sl }),
  };
}

const DIGEST_ALGORITHMS: ReadonlySet<string> = new Set(Object.values(MsoDigestAlgorithm));

/**
 * Parses a decoded `MobileSecurityObject` map (the content of MobileSecurityObjectBytes).
 * Structure only: the reader checks digests, validity and doc type against the document. A decoded
 * value no longer shows major types (an integral float reads as a number): to hold every `uint` to
 * major type 0, decode with {@link decodeMobileSecurityObjectBytes}. Under the
 * `verifier` rules the version must be 1.x (`ERR_VERSION_UNSUPPORTED`) and the digest algorithm one
 * of {@link MsoDigestAlgorithm} (`ERR_MSO_INVALID`).
 *
 * @example
 * ```ts
 * const { mso } = decodeMobileSecurityObjectBytes(issuerAuthPayload);
 * mso.validityInfo.validUntil.toDate();
 * ```
 * @throws {@link MdlError} `ERR_STRUCTURE_INVALID` with `details.path`.
 */
export function parseMobileSecurityObject(
  value: unknown,
  path = 'MobileSecurityObject',
  options?: MdocParseOptions,
): MobileSecurityObject {
  const { verifier } = parseContext(options);
  const m = asFieldMap(value, path, verifier);
  const status = m.get('status');
  const version = asText(req(m, 'version', path), child(path, 'version'), true);
  const digestAlgorithm = asText(req(m, 'digestAlgorithm', path), child(path, 'digestAlgorithm'), true);
  if (verifier) {
    checkVersion(version, child(path, 'version'));
    if (!DIGEST_ALGORITHMS.has(digestAlgorithm)) {
      throw new MdlError('ERR_MSO_INVALID', 'unsupported MSO digest algorithm', {
        details: { path: child(path, 'digestAlgorithm') },
      });
    }
  }
  const out: Mutable<MobileSecurityObject> = {
    version,
    digestAlgorithm,
    valueDigests: parseValueDigests(req(m, 'valueDigests', path), child(path, 'valueDigests'), verifier),
    deviceKeyInfo: parseDeviceKeyInfo(req(m, 'deviceKeyInfo', path), child(path, 'deviceKeyInfo'), verifier),
    docType: asText(req(m, 'docType', path), child(path, 'docType'), true),
    validityInfo: parseValidityInfo(req(m, 'validityInfo', path), child(path, 'validityInfo'), verifier),
  };
  if (status !== undefined) out.status = parseStatus(status, child(path, 'status'), verifier);
  return out;
}

/** A parsed MSO with the MobileSecurityObjectBytes it came from. */
export interface ReceivedMobileSecurityObject {
  readonly mso: MobileSecurityObject;
  /** The MobileSecurityObjectBytes (tag 24) exactly as received. */
  readonly bytes: EncodedCbor;
}

/**
 * Decodes the IssuerAuth COSE_Sign1 payload — the encoding of `#6.24(bstr .cbor MobileSecurityObject)`
 * — and parses the MSO.
 *
 * @example
 * ```ts
 * const { mso } = decodeMobileSecurityObjectBytes(sign1.payload!);
 * ```
 * The MSO is decoded with `noFloats` under both rules: its CDDL has no float, so a `uint` (a DigestID,
 * the status list `idx`) is CBOR major type 0 only.
 *
 * @throws {@link MdlError} `ERR_CBOR_*` for malformed CBOR (`ERR_CBOR_FLOAT_NOT_ALLOWED` for a float
 * in the MSO; under the `model` rules a broken MSO is `ERR_STRUCTURE_INVALID` with the CBOR code in
 * `details.cborCode`); `ERR_STRUCTURE_INVALID` when the payload is nil (detached), not tag 24, or the
 * MSO does not match the CDDL.
 */
export function decodeMobileSecurityObjectBytes(
  payload: Uint8Array | null,
  options: MdocDecodeOptions = {},
): ReceivedMobileSecurityObject {
  const path = 'MobileSecurityObjectBytes';
  // A COSE_Sign1 with a detached payload (nil) carries no MSO: the IssuerAuth payload is attached.
  if (payload === null) invalid(path, 'the attached IssuerAuth payload (not nil)');
  // The MSO CDDL has no float anywhere: every `uint` (DigestIDs, the status list `idx`) is major
  // type 0 only, so `f9 3c00` is never read as 1 (`ERR_CBOR_FLOAT_NOT_ALLOWED`).
  const bytes = asEncoded(
    decodeCbor(payload, options.noFloats === true ? options : { ...options, noFloats: true }),
    path,
  );
  const value = embeddedItem(bytes, path, options.rules === 'verifier');
  return { mso: parseMobileSecurityObject(value, 'MobileSecurityObject', options), bytes };
}

/**
 * The CBOR value of an MSO, keys in CDDL order (encode with the key order you need).
 *
 * @example
 * ```ts
 * const payload = encodeMobileSecurityObjectBytes(mso); // COSE_Sign1 payload
 * ```
 */
export function mobileSecurityObjectToCbor(mso: MobileSecurityObject): Map<string, unknown> {
  const { deviceKeyInfo: dki, validityInfo: vi, status } = mso;
  const ka = dki.keyAuthorizations;
  return textMap([
    ['version', mso.version],
    ['digestAlgorithm', mso.digestAlgorithm],
    ['valueDigests', new Map([...mso.valueDigests].map(([ns, ids]) => [ns, new Map(ids)]))],
    [
      'deviceKeyInfo',
      textMap([
        ['deviceKey', dki.deviceKey],
        [
          'keyAuthorizations',
          ka === undefined
            ? undefined
            : textMap([
                ['nameSpaces', ka.nameSpaces === undefined ? undefined : [...ka.nameSpaces]],
                [
                  'dataElements',
                  ka.dataElements === undefined
                    ? undefined
                    : new Map([...ka.dataElements].map(([k, v]) => [k, [...v]])),
                ],
              ]),
        ],
        ['keyInfo', dki.keyInfo],
      ]),
    ],
    ['docType', mso.docType],
    [
      'validityInfo',
      textMap([
        ['signed', vi.signed],
        ['validFrom', vi.validFrom],
        ['validUntil', vi.validUntil],
        ['expectedUpdate', vi.expectedUpdate],
      ]),
    ],
    [
      'status',
      status === undefined
        ? undefined
        : textMap([
            ['identifier_list', status.identifierList],
            ['status_list', status.statusList],
          ]),
    ],
  ]);
}

/**
 * Encodes an MSO as the COSE_Sign1 payload: the encoding of `#6.24(bstr .cbor MobileSecurityObject)`.
 *
 * @example
 * ```ts
 * const payload = encodeMobileSecurityObjectBytes(mso); // sign this as the COSE_Sign1 payload
 * ```
 * @throws {@link MdlError} `ERR_CBOR_UNENCODABLE`.
 */
export function encodeMobileSecurityObjectBytes(
  mso: MobileSecurityObject,
  options: CborEncodeOptions = {},
): Uint8Array {
  return EncodedCbor.fromValue(mobileSecurityObjectToCbor(mso), options).tagged();
}

/**
 * Encodes just the MSO map (no tag 24).
 *
 * @example
 * ```ts
 * encodeMobileSecurityObject(mso, { keyOrder: 'insertion' });
 * ```
 * @throws {@link MdlError} `ERR_CBOR_UNENCODABLE`.
 */
export function encodeMobileSecurityObject(
  mso: MobileSecurityObject,
  options: CborEncodeOptions = {},
): Uint8Array {
  return encodeCbor(mobileSecurityObjectToCbor(mso), options);
}
