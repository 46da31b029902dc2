import { type CborDecodeOptions, decodeCbor, EncodedCbor, TDate } from '@mdlkit/core/cbor';
import {
  type CoseKey,
  type CoseMac0,
  type CoseSign1,
  parseCoseMac0,
  parseCoseSign1,
} from '@mdlkit/core/cose';
import type { HashAlgorithm } from '@mdlkit/core/crypto';
import { ErrorCode, isMdlError, MdlError } from '@mdlkit/core/errors';
import type { ReaderLimits } from '../device-response/limits.js';

/*
 * The reader's typed view of a decoded DeviceResponse. It keeps every tag-24 item as the
 * `EncodedCbor` that arrived (so digests and DeviceAuthentication cover the received bytes) and the
 * COSE structures as parsed by core. Structure violations throw `ERR_STRUCTURE_INVALID` with a path.
 */

export interface ReceivedItem {
  readonly bytes: EncodedCbor;
  readonly digestId: number;
  readonly identifier: string;
  readonly value: unknown;
}

export interface ReceivedDocument {
  readonly docType: string;
  readonly issuerNameSpaces: ReadonlyMap<string, readonly ReceivedItem[]>;
  readonly issuerAuthValue: unknown;
  readonly deviceNameSpacesBytes: EncodedCbor;
  readonly deviceNameSpaces: ReadonlyMap<string, ReadonlyMap<string, unknown>>;
  readonly deviceSignatureValue: unknown;
  readonly deviceMacValue: unknown;
  readonly errors: readonly { nameSpace: string; identifier: string; errorCode: number }[];
}

export interface ReceivedResponse {
  readonly version: string;
  readonly status: number;
  readonly documents: readonly ReceivedDocument[];
  readonly documentErrors: readonly { docType: string; errorCode: number }[];
}

export interface MsoView {
  readonly version: string;
  readonly digestAlgorithm: HashAlgorithm;
  readonly valueDigests: ReadonlyMap<string, ReadonlyMap<number, Uint8Array>>;
  readonly deviceKey: CoseKey;
  readonly authorizedNameSpaces: readonly string[] | undefined;
  readonly authorizedDataElements: ReadonlyMap<string, readonly string[]> | undefined;
  readonly docType: string;
  readonly signed: TDate;
  readonly validFrom: TDate;
  readonly validUntil: TDate;
  readonly expectedUpdate: TDate | undefined;
  readonly status: ReadonlyMap<unknown, unknown> | undefined;
}

export function structure(message: string, path: string): never {
  throw new MdlError(ErrorCode.ERR_STRUCTURE_INVALID, message, { details: { path } });
}

function limit(code: ErrorCode, message: string, max: number, actual: number): never {
  throw new MdlError(code, message, { details: { limit: max, actual } });
}

function asMap(value: unknown, path: string): Map<unknown, unknown> {
  if (!(value instanceof Map)) structure('expected a map', path);
  return value;
}

function asString(value: unknown, path: string, nonEmpty = true): string {
  if (typeof value !== 'string' || (nonEmpty && value.length === 0))
    structure('expected a non-empty text string', path);
  return value;
}

function asUint(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    structure('expected an unsigned integer', path);
  return value;
}

function asInt(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) structure('expected an integer', path);
  return value;
}

function asArray(value: unknown, path: string, nonEmpty = true): unknown[] {
  if (!Array.isArray(value) || (nonEmpty && value.length === 0))
    structure('expected a non-empty array', path);
  return value;
}

function asEncoded(value: unknown, path: string): EncodedCbor {
  if (!(value instanceof EncodedCbor)) structure('expected tag 24 (embedded CBOR)', path);
  return value;
}

/** Decodes the embedded item, turning CBOR errors into errors that name the path. */
function embedded(item: EncodedCbor, path: string): unknown {
  try {
    return item.value;
  } catch (error) {
    if (isMdlError(error)) {
      throw new MdlError(error.code, `${error.message} (in ${path})`, {
        details: { ...error.details, path },
      });
    }
    throw error;
  }
}

/**
 * Decodes and reads a DeviceResponse under `cbor` (limits, budget).
 *
 * ```cddl
 * DeviceResponse = { "version" : tstr, ? "documents" : [+ Document],
 *   ? "documentErrors" : [+ DocumentError], "status" : uint, * tstr => RFU }
 * ```
 * ISO/IEC 18013-5:2021 §8.3.2.1.2.2.
 */
export function decodeDeviceResponse(
  bytes: Uint8Array,
  cbor: CborDecodeOptions,
  limits: ReaderLimits,
): ReceivedResponse {
  // Read field by field (RFU keys are decoded, checked and dropped) so the major type of `status`
  // is known: a `uint` is major type 0, never a float such as 0.0 or -0.0.
  const majorTypes: { status?: number } = {};
  const fields = EncodedCbor.fromBytes(bytes, cbor).readFields(RESPONSE_FIELDS, majorTypes);
  if (fields === undefined) {
    // Not a map: a malformed or over-limit input still fails with its CBOR code first.
    decodeCbor(bytes, cbor);
    structure('expected a map', 'DeviceResponse');
  }
  const map = new Map<string, unknown>();
  for (const name of RESPONSE_FIELDS) if (name in fields) map.set(name, fields[name]);
  if (map.has('status') && majorTypes.status !== 0)
    structure('expected an unsigned integer (major type 0)', 'status');
  return readDeviceResponse(map, limits);
}

/** {@link decodeDeviceResponse} over an already decoded value (no major-type check of `status`). */
export function readDeviceResponse(value: unknown, limits: ReaderLimits): ReceivedResponse {
  const map = asMap(value, 'DeviceResponse');
  const version = checkVersion(asString(map.get('version'), 'version'), 'version');
  const status = asUint(map.get('status'), 'status');
  const documents: ReceivedDocument[] = [];
  const docsValue = map.get('documents');
  if (docsValue !== undefined) {
    const docs = asArray(docsValue, 'documents');
    if (docs.length > limits.maxDocuments) {
      limit(ErrorCode.ERR_LIMIT_DOCUMENTS, 'too many documents', limits.maxDocuments, docs.length);
    }
    docs.forEach((d, i) => {
      documents.push(readDocument(d, `documents[${i}]`, limits));
    });
  }
  const documentErrors: { docType: string; errorCode: number }[] = [];
  const errorsValue = map.get('documentErrors');
  if (errorsValue !== undefined) {
    asArray(errorsValue, 'documentErrors').forEach((e, i) => {
      for (const [docType, code] of asMap(e, `documentErrors[${i}]`)) {
        documentErrors.push({
          docType: asString(docType, `documentErrors[${i}]`),
          errorCode: asInt(code, `documentErrors[${i}]`),
        });
      }
    });
  }
  return { version, status, documents, documentErrors };
}

/** DeviceResponse fields, in the order `readFields` fills its output. */
const RESPONSE_FIELDS = ['version', 'documents', 'documentErrors', 'status'] as const;

/**
 * Holds a version string to major version 1 ("1.0", "1.1", … — ISO/IEC 18013-5 §8.3.2.1.2.2,
 * §9.1.2.4: a reader that does not know a major version must not guess at its meaning).
 */
export function checkVersion(version: string, path: string): string {
  if (!/^1\.(0|[1-9]\d*)$/.test(version)) {
    throw new MdlError(ErrorCode.ERR_VERSION_UNSUPPORTED, 'unsupported major version (only "1.x" is known)', {
      details: { path, version: version.slice(0, 16) },
    });
  }
  return version;
}

function readDocument(value: unknown, path: string, limits: ReaderLimits): ReceivedDocument {
  const map = asMap(value, path);
  const docType = asString(map.get('docType'), `${path}.docType`);
  const issuerSigned = asMap(map.get('issuerSigned'), `${path}.issuerSigned`);
  const deviceSigned = asMap(map.get('deviceSigned'), `${path}.deviceSigned`);
  let elementCount = 0;

  // IssuerNameSpaces = { + NameSpace => [+ IssuerSignedItemBytes] }
  const issuerNameSpaces = new Map<string, ReceivedItem[]>();
  const nsValue = issuerSigned.get('nameSpaces');
  if (nsValue !== undefined) {
    const nsMap = asMap(nsValue, `${path}.issuerSigned.nameSpaces`);
    if (nsMap.size === 0) structure('nameSpaces must not be empty', `${path}.issuerSigned.nameSpaces`);
    if (nsMap.size > limits.maxNameSpaces) {
      limit(
        ErrorCode.ERR_LIMIT_NAMESPACES,
        'too many issuer-signed namespaces',
        limits.maxNameSpaces,
        nsMap.size,
      );
    }
    for (const [ns, items] of nsMap) {
      const nsPath = `${path}.issuerSigned.nameSpaces`;
      const name = asString(ns, nsPath);
      const list = asArray(items, `${nsPath}.${name}`);
      elementCount += list.length;
      if (elementCount > limits.maxElements) {
        limit(ErrorCode.ERR_LIMIT_ELEMENTS, 'too many data elements', limits.maxElements, elementCount);
      }
      const received: ReceivedItem[] = new Array(list.length);
      for (let i = 0; i < list.length; i++) received[i] = readIssuerSignedItem(list[i], nsPath, name, i);
      issuerNameSpaces.set(name, received);
    }
  }
  const issuerAuthValue = issuerSigned.get('issuerAuth');
  if (issuerAuthValue === undefined) structure('issuerAuth is missing', `${path}.issuerSigned.issuerAuth`);

  // DeviceSigned = { "nameSpaces" : DeviceNameSpacesBytes, "deviceAuth" : DeviceAuth }
  const dnsPath = `${path}.deviceSigned.nameSpaces`;
  const deviceNameSpacesBytes = asEncoded(deviceSigned.get('nameSpaces'), dnsPath);
  const dnsMap = asMap(embedded(deviceNameSpacesBytes, dnsPath), dnsPath);
  if (dnsMap.size > limits.maxNameSpaces) {
    limit(
      ErrorCode.ERR_LIMIT_NAMESPACES,
      'too many device-signed namespaces',
      limits.maxNameSpaces,
      dnsMap.size,
    );
  }
  const deviceNameSpaces = new Map<string, Map<string, unknown>>();
  for (const [ns, items] of dnsMap) {
    const name = asString(ns, dnsPath);
    const itemsMap = asMap(items, `${dnsPath}.${name}`);
    if (itemsMap.size === 0) structure('DeviceSignedItems must not be empty', `${dnsPath}.${name}`);
    elementCount += itemsMap.size;
    if (elementCount > limits.maxElements) {
      limit(ErrorCode.ERR_LIMIT_ELEMENTS, 'too many data elements', limits.maxElements, elementCount);
    }
    const out = new Map<string, unknown>();
    for (const [id, v] of itemsMap) out.set(asString(id, `${dnsPath}.${name}`), v);
    deviceNameSpaces.set(name, out);
  }
  const deviceAuth = asMap(deviceSigned.get('deviceAuth'), `${path}.deviceSigned.deviceAuth`);
  const deviceSignatureValue = deviceAuth.get('deviceSignature');
  const deviceMacValue = deviceAuth.get('deviceMac');

  const errors: { nameSpace: string; identifier: string; errorCode: number }[] = [];
  const errorsValue = map.get('errors');
  if (errorsValue !== undefined) {
    for (const [ns, items] of asMap(errorsValue, `${path}.errors`)) {
      const name = asString(ns, `${path}.errors`);
      for (const [id, code] of asMap(items, `${path}.errors.${name}`)) {
        errors.push({
          nameSpace: name,
          identifier: asString(id, `${path}.errors.${name}`),
          errorCode: asInt(code, `${path}.errors.${name}`),
        });
      }
    }
  }
  return {
    docType,
    issuerNameSpaces,
    issuerAuthValue,
    deviceNameSpacesBytes,
    deviceNameSpaces,
    deviceSignatureValue,
    deviceMacValue,
    errors,
  };
}

/**
 * ```cddl
 * IssuerSignedItemBytes = #6.24(bstr .cbor IssuerSignedItem)
 * IssuerSignedItem = { "digestID" : uint, "random" : bstr, "elementIdentifier" : DataElementIdentifier,
 *   "elementValue" : DataElementValue }
 * ```
 * ISO/IEC 18013-5:2021 §8.3.2.1.2.2.
 */
function readIssuerSignedItem(value: unknown, nsPath: string, name: string, index: number): ReceivedItem {
  // The path is only built for an error message (no closure or string per disclosed element).
  if (!(value instanceof EncodedCbor))
    structure('expected tag 24 (embedded CBOR)', itemPath(nsPath, name, index));
  // Read as a record (no Map per item); anything that is not a map goes the general way, so a
  // malformed item fails with the same code as before.
  let fields: { readonly [P in (typeof ITEM_FIELDS)[number]]?: unknown } | undefined;
  const majorTypes: { digestID?: number } = {};
  try {
    fields = value.readFields(ITEM_FIELDS, majorTypes);
  } catch {
    embedded(value, itemPath(nsPath, name, index));
  }
  if (fields === undefined) {
    embeddedItem(value, nsPath, name, index);
    structure('expected a map', itemPath(nsPath, name, index));
  }
  const { digestID: digestId, random, elementIdentifier: identifier, elementValue } = fields;
  // A uint is major type 0: a float that happens to be integral (1.0) is not a digestID.
  if (
    majorTypes.digestID !== 0 ||
    typeof digestId !== 'number' ||
    !Number.isSafeInteger(digestId) ||
    digestId < 0
  )
    structure('expected an unsigned integer', itemPath(nsPath, name, index, '.digestID'));
  if (!(random instanceof Uint8Array))
    structure('random must be a byte string', itemPath(nsPath, name, index, '.random'));
  if (typeof identifier !== 'string' || identifier.length === 0)
    structure('expected a non-empty text string', itemPath(nsPath, name, index, '.elementIdentifier'));
  if (!('elementValue' in fields))
    structure('elementValue is missing', itemPath(nsPath, name, index, '.elementValue'));
  return { bytes: value, digestId, identifier, value: elementValue };
}

/** IssuerSignedItem fields. */
const ITEM_FIELDS = ['digestID', 'random', 'elementIdentifier', 'elementValue'] as const;

function itemPath(nsPath: string, name: string, index: number, field = ''): string {
  return `${nsPath}.${name}[${index}]${field}`;
}

/** {@link embedded} for an IssuerSignedItem, with its path built only on error. */
function embeddedItem(item: EncodedCbor, nsPath: string, name: string, index: number): unknown {
  try {
    return item.value;
  } catch {
    return embedded(item, itemPath(nsPath, name, index));
  }
}

/** Parses IssuerAuth, turning non-COSE errors into structure errors. */
export function readIssuerAuth(value: unknown): CoseSign1 {
  return parseCoseSign1(value);
}

export function readDeviceSignature(value: unknown): CoseSign1 {
  return parseCoseSign1(value);
}

export function readDeviceMac(value: unknown): CoseMac0 {
  return parseCoseMac0(value);
}

const HASHES: Readonly<Record<string, HashAlgorithm>> = {
  'SHA-256': 'SHA-256',
  'SHA-384': 'SHA-384',
  'SHA-512': 'SHA-512',
};

function asTDate(value: unknown, path: string): TDate {
  if (!(value instanceof TDate)) structure('expected tdate (tag 0)', path);
  return value;
}

/**
 * ```cddl
 * MobileSecurityObjectBytes = #6.24(bstr .cbor MobileSecurityObject)
 * MobileSecurityObject = { "version" : tstr, "digestAlgorithm" : tstr, "valueDigests" : ValueDigests,
 *   "deviceKeyInfo" : DeviceKeyInfo, "docType" : tstr, "validityInfo" : ValidityInfo, ? "status" : Status }
 * ValueDigests = { + NameSpace => DigestIDs }   DigestIDs = { + DigestID => Digest }
 * DeviceKeyInfo = { "deviceKey" : COSE_Key, ? "keyAuthorizations" : KeyAuthorizations, ? "keyInfo" : KeyInfo }
 * KeyAuthorizations = { ? "nameSpaces" : [+ NameSpace], ? "dataElements" : { + NameSpace => [+ DataElementIdentifier] } }
 * ValidityInfo = { "signed" : tdate, "validFrom" : tdate, "validUntil" : tdate, ? "expectedUpdate" : tdate }
 * ```
 * ISO/IEC 18013-5:2021 §9.1.2.4.
 */
export function readMso(payload: Uint8Array | null, decode: (bytes: Uint8Array) => unknown): MsoView {
  // `decode` must reject floats (`noFloats`): the MSO CDDL has none, so every DigestID and status
  // index is major type 0.
  const p = 'issuerAuth.payload';
  if (payload === null) structure('IssuerAuth payload must be attached', p);
  const wrapped = decode(payload);
  const msoBytes = asEncoded(wrapped, p);
  const mso = asMap(embedded(msoBytes, 'MobileSecurityObject'), 'MobileSecurityObject');
  const version = checkVersion(asString(mso.get('version'), 'mso.version'), 'mso.version');
  const alg = HASHES[asString(mso.get('digestAlgorithm'), 'mso.digestAlgorithm')];
  if (alg === undefined) {
    throw new MdlError(ErrorCode.ERR_MSO_INVALID, 'unsupported MSO digest algorithm', {
      details: { path: 'mso.digestAlgorithm' },
    });
  }
  const valueDigests = new Map<string, Map<number, Uint8Array>>();
  for (const [ns, ids] of asMap(mso.get('valueDigests'), 'mso.valueDigests')) {
    const name = asString(ns, 'mso.valueDigests');
    const out = new Map<number, Uint8Array>();
    for (const [id, d] of asMap(ids, `mso.valueDigests.${name}`)) {
      const digestId = asUint(id, `mso.valueDigests.${name}`);
      if (!(d instanceof Uint8Array)) structure('digest must be a byte string', `mso.valueDigests.${name}`);
      out.set(digestId, d);
    }
    valueDigests.set(name, out);
  }
  const dki = asMap(mso.get('deviceKeyInfo'), 'mso.deviceKeyInfo');
  const deviceKey = asMap(dki.get('deviceKey'), 'mso.deviceKeyInfo.deviceKey');
  let authorizedNameSpaces: string[] | undefined;
  let authorizedDataElements: Map<string, string[]> | undefined;
  const ka = dki.get('keyAuthorizations');
  if (ka !== undefined) {
    const kaMap = asMap(ka, 'mso.deviceKeyInfo.keyAuthorizations');
    const kns = kaMap.get('nameSpaces');
    if (kns !== undefined) {
      authorizedNameSpaces = asArray(kns, 'keyAuthorizations.nameSpaces').map((n) =>
        asString(n, 'keyAuthorizations.nameSpaces'),
      );
    }
    const kde = kaMap.get('dataElements');
    if (kde !== undefined) {
      authorizedDataElements = new Map();
      for (const [ns, ids] of asMap(kde, 'keyAuthorizations.dataElements')) {
        const name = asString(ns, 'keyAuthorizations.dataElements');
        authorizedDataElements.set(
          name,
          asArray(ids, `keyAuthorizations.dataElements.${name}`).map((id) =>
            asString(id, `keyAuthorizations.dataElements.${name}`),
          ),
        );
      }
    }
  }
  const docType = asString(mso.get('docType'), 'mso.docType');
  const vi = asMap(mso.get('validityInfo'), 'mso.validityInfo');
  const expected = vi.get('expectedUpdate');
  const status = mso.get('status');
  return {
    version,
    digestAlgorithm: alg,
    valueDigests,
    deviceKey: deviceKey as CoseKey,
    authorizedNameSpaces,
    authorizedDataElements,
    docType,
    signed: asTDate(vi.get('signed'), 'mso.validityInfo.signed'),
    validFrom: asTDate(vi.get('validFrom'), 'mso.validityInfo.validFrom'),
    validUntil: asTDate(vi.get('validUntil'), 'mso.validityInfo.validUntil'),
    expectedUpdate: expected === undefined ? undefined : asTDate(expected, 'mso.validityInfo.expectedUpdate'),
    status: status === undefined ? undefined : asMap(status, 'mso.status'),
  };
}
