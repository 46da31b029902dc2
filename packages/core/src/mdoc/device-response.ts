import { decodeCbor } from '../cbor/decode.js';
import { encodeCbor } from '../cbor/encode.js';
import type { CborDecodeOptions, CborEncodeOptions } from '../cbor/options.js';
import { type DeviceSigned, deviceSignedToCbor, parseDeviceSigned } from './device-signed.js';
import {
  asArray,
  asInt,
  asText,
  asTextMap,
  asUint,
  child,
  invalid,
  req,
  textMap,
} from './internal/structure.js';
import { type IssuerSigned, issuerSignedToCbor, parseIssuerSigned } from './issuer-signed.js';

/** `Errors = { + NameSpace => ErrorItems }`, `ErrorItems = { + DataElementIdentifier => ErrorCode }` */
export type DocumentErrors = ReadonlyMap<string, ReadonlyMap<string, number>>;

/**
 * ```cddl
 * Document = {
 *   "docType" : DocType,
 *   "issuerSigned" : IssuerSigned,
 *   "deviceSigned" : DeviceSigned,
 *   ? "errors" : Errors,
 *   * tstr => RFU                          ; ed2
 * }
 * ```
 * ISO/IEC 18013-5 §8.3.2.1.2.2; digest §2.4.
 */
export interface Document {
  readonly docType: string;
  readonly issuerSigned: IssuerSigned;
  readonly deviceSigned: DeviceSigned;
  readonly errors?: DocumentErrors;
}

/**
 * ```cddl
 * DeviceResponse = {
 *   "version" : tstr,
 *   ? "documents" : [+ Document],
 *   ? "documentErrors" : [+ DocumentError],   ; DocumentError = { DocType => ErrorCode }
 *   "status" : uint,
 *   * tstr => RFU                             ; ed2 (zkDocuments, encryptedDocuments …)
 * }
 * ```
 * ISO/IEC 18013-5 §8.3.2.1.2.2; digest §2.4. Unknown (RFU) keys are ignored.
 */
export interface DeviceResponse {
  readonly version: string;
  readonly documents?: readonly Document[];
  readonly documentErrors?: readonly ReadonlyMap<string, number>[];
  readonly status: number;
}

const VERSION_RE = /^\d+\.\d+$/;

/** @internal `Version = tstr` "major.minor" (unknown minor versions are tolerated). */
export function parseVersion(value: unknown, path: string): string {
  const v = asText(value, path);
  if (!VERSION_RE.test(v)) invalid(path, 'a "major.minor" version');
  return v;
}

function parseErrors(value: unknown, path: string): DocumentErrors {
  const m = asTextMap(value, path);
  if (m.size === 0) invalid(path, 'at least one namespace');
  const out = new Map<string, ReadonlyMap<string, number>>();
  for (const [ns, items] of m) {
    const p = `${path}["${ns}"]`;
    const im = asTextMap(items, p);
    if (im.size === 0) invalid(p, 'at least one data element');
    for (const [id, code] of im) asInt(code, `${p}["${id}"]`);
    out.set(ns, im as Map<string, number>);
  }
  return out;
}

/**
 * Parses a decoded `Document` map.
 *
 * @example
 * ```ts
 * const doc = parseDocument(decodedDocumentMap, 'documents[0]');
 * ```
 * @throws {@link MdlError} `ERR_STRUCTURE_INVALID` with `details.path`.
 */
export function parseDocument(value: unknown, path = 'document'): Document {
  const m = asTextMap(value, path);
  const errors = m.get('errors');
  return {
    docType: asText(req(m, 'docType', path), child(path, 'docType'), true),
    issuerSigned: parseIssuerSigned(req(m, 'issuerSigned', path), child(path, 'issuerSigned')),
    deviceSigned: parseDeviceSigned(req(m, 'deviceSigned', path), child(path, 'deviceSigned')),
    ...(errors === undefined ? {} : { errors: parseErrors(errors, child(path, 'errors')) }),
  };
}

/**
 * Parses a decoded `DeviceResponse`. Every IssuerSignedItemBytes, DeviceNameSpacesBytes and COSE
 * structure is kept as received.
 *
 * @example
 * ```ts
 * const response = decodeDeviceResponse(bytes);
 * for (const doc of response.documents ?? []) doc.issuerSigned.nameSpaces;
 * ```
 * @throws {@link MdlError} `ERR_STRUCTURE_INVALID` with `details.path` (e.g.
 * `documents[0].issuerSigned.nameSpaces`).
 */
export function parseDeviceResponse(value: unknown): DeviceResponse {
  const path = '';
  const m = asTextMap(value, path);
  const docs = m.get('documents');
  const docErrors = m.get('documentErrors');
  const status = asUint(req(m, 'status', path), 'status');
  return {
    version: parseVersion(req(m, 'version', path), 'version'),
    ...(docs === undefined
      ? {}
      : { documents: asArray(docs, 'documents', true).map((d, i) => parseDocument(d, `documents[${i}]`)) }),
    ...(docErrors === undefined
      ? {}
      : {
          documentErrors: asArray(docErrors, 'documentErrors', true).map((e, i) => {
            const p = `documentErrors[${i}]`;
            const em = asTextMap(e, p);
            if (em.size !== 1) invalid(p, 'a single { DocType => ErrorCode } entry');
            for (const [dt, code] of em) asInt(code, `${p}["${dt}"]`);
            return em as Map<string, number>;
          }),
        }),
    status,
  };
}

/**
 * Decodes and parses DeviceResponse bytes (strict CBOR profile unless `options` relax it).
 *
 * @example
 * ```ts
 * const { status, documents } = decodeDeviceResponse(bytes);
 * ```
 * @throws {@link MdlError} `ERR_CBOR_*` for malformed CBOR; `ERR_STRUCTURE_INVALID` with a path.
 */
export function decodeDeviceResponse(bytes: Uint8Array, options: CborDecodeOptions = {}): DeviceResponse {
  return parseDeviceResponse(decodeCbor(bytes, options));
}

/**
 * The CBOR value of a `Document` (embedded items and COSE structures verbatim).
 * @example
 * ```ts
 * encodeCbor(documentToCbor(doc));
 * ```
 */
export function documentToCbor(doc: Document): Map<string, unknown> {
  return textMap([
    ['docType', doc.docType],
    ['issuerSigned', issuerSignedToCbor(doc.issuerSigned)],
    ['deviceSigned', deviceSignedToCbor(doc.deviceSigned)],
    [
      'errors',
      doc.errors === undefined ? undefined : new Map([...doc.errors].map(([k, v]) => [k, new Map(v)])),
    ],
  ]);
}

/**
 * The CBOR value of a `DeviceResponse`, keys in CDDL order.
 * @example
 * ```ts
 * encodeCbor(deviceResponseToCbor(response), { keyOrder: 'insertion' });
 * ```
 */
export function deviceResponseToCbor(response: DeviceResponse): Map<string, unknown> {
  return textMap([
    ['version', response.version],
    ['documents', response.documents?.map(documentToCbor)],
    ['documentErrors', response.documentErrors?.map((e) => new Map(e))],
    ['status', response.status],
  ]);
}

/**
 * Encodes a `DeviceResponse`. With `keyOrder: 'insertion'` a parsed Annex D response re-encodes to
 * its original bytes.
 *
 * @example
 * ```ts
 * encodeDeviceResponse({ version: '1.0', documents: [doc], status: 0 });
 * ```
 * @throws {@link MdlError} `ERR_CBOR_UNENCODABLE`.
 */
export function encodeDeviceResponse(response: DeviceResponse, options: CborEncodeOptions = {}): Uint8Array {
  return encodeCbor(deviceResponseToCbor(response), options);
}
