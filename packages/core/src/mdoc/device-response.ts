import { encodeCbor } from '../cbor/encode.js';
import { EncodedCbor, readFieldValues } from '../cbor/encoded-cbor.js';
import type { CborEncodeOptions } from '../cbor/options.js';
import { type DeviceSigned, deviceSignedToCbor, readDeviceSigned } from './device-signed.js';
import {
  asArray,
  asFieldMap,
  asInt,
  asMap,
  asText,
  asUint,
  checkVersion,
  child,
  invalid,
  missing,
  req,
  textMap,
} from './internal/structure.js';
import { type IssuerSigned, issuerSignedToCbor, readIssuerSigned } from './issuer-signed.js';
import {
  type MdocDecodeOptions,
  type MdocParseOptions,
  overLimit,
  type ParseContext,
  parseContext,
} from './parse-options.js';

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

/** `version` under the rules of `ctx`: "major.minor" (model) or major version 1 (verifier). */
function readVersion(value: unknown, path: string, ctx: ParseContext): string {
  return ctx.verifier ? checkVersion(asText(value, path, true), path) : parseVersion(value, path);
}

function parseErrors(value: unknown, path: string, ctx: ParseContext): DocumentErrors {
  const m = asMap(value, path);
  if (!ctx.verifier && m.size === 0) invalid(path, 'at least one namespace');
  const out = new Map<string, ReadonlyMap<string, number>>();
  for (const [ns, items] of m) {
    const name = asText(ns, path, ctx.verifier);
    const p = `${path}["${name}"]`;
    const im = asMap(items, p);
    if (!ctx.verifier && im.size === 0) invalid(p, 'at least one data element');
    const codes = new Map<string, number>();
    for (const [id, code] of im) {
      const identifier = asText(id, p, ctx.verifier);
      codes.set(identifier, asInt(code, `${p}["${identifier}"]`));
    }
    out.set(name, codes);
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
 * @throws {@link MdlError} `ERR_STRUCTURE_INVALID` with `details.path`; `ERR_CBOR_*` for a broken
 * embedded item; `ERR_LIMIT_NAMESPACES` / `ERR_LIMIT_ELEMENTS` past the limits.
 */
export function parseDocument(value: unknown, path = 'document', options?: MdocParseOptions): Document {
  return readDocument(value, path, parseContext(options));
}

function readDocument(value: unknown, path: string, ctx: ParseContext): Document {
  const m = asFieldMap(value, path, ctx.verifier);
  const errors = m.get('errors');
  // The element limit counts issuer- and device-signed elements of the document together.
  const count = { elements: 0 };
  const docType = asText(req(m, 'docType', path), child(path, 'docType'), true);
  // Both containers are held to maps before any embedded item is decoded: a document that cannot be
  // read costs no item decodes, and its error does not depend on what its items hold.
  const issuerPath = child(path, 'issuerSigned');
  const issuerSigned = asFieldMap(req(m, 'issuerSigned', path), issuerPath, ctx.verifier);
  const devicePath = child(path, 'deviceSigned');
  const deviceSigned = asFieldMap(req(m, 'deviceSigned', path), devicePath, ctx.verifier);
  return {
    docType,
    issuerSigned: readIssuerSigned(issuerSigned, issuerPath, ctx, count),
    deviceSigned: readDeviceSigned(deviceSigned, devicePath, ctx, count),
    ...(errors === undefined ? {} : { errors: parseErrors(errors, child(path, 'errors'), ctx) }),
  };
}

/** DeviceResponse fields, in the order of their values in a field read. */
const RESPONSE_FIELDS = ['version', 'documents', 'documentErrors', 'status'] as const;

/**
 * The fields whose CDDL has no float outside their tag-24 items: `status` (`uint`), and an `ErrorCode`
 * (`int`) in `documentErrors` or a Document's `errors`, which are major type 0 or 1, never 0.0.
 * Element values (`any`) travel in IssuerSignedItemBytes and DeviceNameSpacesBytes, which keep the
 * caller's options. `version` is text, so every field is read so.
 */
const NO_FLOAT_FIELDS: readonly (typeof RESPONSE_FIELDS)[number][] = [
  'documents',
  'documentErrors',
  'status',
];

type ResponseFields = { readonly [P in (typeof RESPONSE_FIELDS)[number]]?: unknown };

/**
 * Parses a decoded `DeviceResponse`. Every IssuerSignedItemBytes, DeviceNameSpacesBytes and COSE
 * structure is kept as received.
 *
 * @example
 * ```ts
 * const response = parseDeviceResponse(decodeCbor(bytes));
 * for (const doc of response.documents ?? []) doc.issuerSigned.nameSpaces;
 * ```
 * @throws {@link MdlError} `ERR_STRUCTURE_INVALID` with `details.path` (e.g.
 * `documents[0].issuerSigned.nameSpaces`); `ERR_CBOR_*` for a broken embedded item; `ERR_LIMIT_*`
 * past the limits; `ERR_VERSION_UNSUPPORTED` (verifier rules).
 */
export function parseDeviceResponse(value: unknown, options?: MdocParseOptions): DeviceResponse {
  const ctx = parseContext(options);
  const m = asFieldMap(value, '', ctx.verifier);
  return readDeviceResponse(
    {
      version: m.get('version'),
      documents: m.get('documents'),
      documentErrors: m.get('documentErrors'),
      status: m.get('status'),
    },
    ctx,
  );
}

function readDeviceResponse(m: ResponseFields, ctx: ParseContext): DeviceResponse {
  const path = '';
  const { version, documents: docs, documentErrors: docErrors, status } = m;
  if (version === undefined) missing(path, 'version');
  const parsedVersion = readVersion(version, 'version', ctx);
  if (status === undefined) missing(path, 'status');
  const parsedStatus = asUint(status, 'status');
  let documents: Document[] | undefined;
  if (docs !== undefined) {
    const list = asArray(docs, 'documents', true);
    const { maxDocuments } = ctx.limits;
    if (list.length > maxDocuments) {
      overLimit('ERR_LIMIT_DOCUMENTS', 'too many documents', maxDocuments, list.length);
    }
    documents = list.map((d, i) => readDocument(d, `documents[${i}]`, ctx));
  }
  return {
    version: parsedVersion,
    ...(documents === undefined ? {} : { documents }),
    ...(docErrors === undefined ? {} : { documentErrors: parseDocumentErrors(docErrors, ctx) }),
    status: parsedStatus,
  };
}

/** `[+ DocumentError]`, `DocumentError = { DocType => ErrorCode }` (verifier rules: any number of entries). */
function parseDocumentErrors(value: unknown, ctx: ParseContext): ReadonlyMap<string, number>[] {
  return asArray(value, 'documentErrors', true).map((e, i) => {
    const p = `documentErrors[${i}]`;
    const em = asMap(e, p);
    if (!ctx.verifier && em.size !== 1) invalid(p, 'a single { DocType => ErrorCode } entry');
    const out = new Map<string, number>();
    for (const [dt, code] of em) {
      const docType = asText(dt, p, ctx.verifier);
      out.set(docType, asInt(code, ctx.verifier ? p : `${p}["${docType}"]`));
    }
    return out;
  });
}

/**
 * Decodes and parses DeviceResponse bytes (strict CBOR profile unless `options` relax it). The
 * response is read field by field from its bytes: `status`, `documents` and `documentErrors` hold no
 * float outside their tag-24 items, under both rules (a `status` 0.0 or an `ErrorCode` 0.0 is
 * `ERR_CBOR_FLOAT_NOT_ALLOWED`, as everywhere a `uint` / `int` has no float; element values keep any
 * type), and unknown (RFU) fields are decoded, checked against the CBOR profile and dropped.
 * {@link parseDeviceResponse} of a value decoded without `noFloats` cannot tell 0.0 from 0. Pass one `budget` to bound the whole input: every tag-24 item decoded from it counts too.
 *
 * @example
 * ```ts
 * const { status, documents } = decodeDeviceResponse(bytes, { budget: new CborBudget({ maxBytes: 1 << 22 }) });
 * ```
 * @throws {@link MdlError} `ERR_CBOR_*` for malformed CBOR (in an embedded item too, with
 * `details.path`; `ERR_CBOR_FLOAT_NOT_ALLOWED` for a float in `status`, `documents` or
 * `documentErrors` outside the embedded items); `ERR_STRUCTURE_INVALID` with a path; `ERR_LIMIT_*` past the count limits;
 * `ERR_VERSION_UNSUPPORTED` (verifier rules).
 */
export function decodeDeviceResponse(bytes: Uint8Array, options: MdocDecodeOptions = {}): DeviceResponse {
  const ctx = parseContext(options);
  // The model rules hold every key to text; the verifier rules ignore keys that are not.
  const keys = ctx.verifier ? undefined : { nonText: false };
  const read = readFieldValues(EncodedCbor.fromBytes(bytes, options), RESPONSE_FIELDS, keys, NO_FLOAT_FIELDS);
  // Not a map: the read decoded it in full, so a malformed or over-limit input failed with its
  // CBOR code already.
  if (read === undefined) invalid('', 'a map');
  if (keys?.nonText === true) invalid('', 'a map with text keys');
  const [version, documents, documentErrors, status] = read.values;
  return readDeviceResponse({ version, documents, documentErrors, status }, ctx);
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
