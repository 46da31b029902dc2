import { decodeCbor, type FieldValues } from '../cbor/decode.js';
import { encodeCbor } from '../cbor/encode.js';
import { EncodedCbor, readFieldValues } from '../cbor/encoded-cbor.js';
import type { CborEncodeOptions } from '../cbor/options.js';
import {
  asArray,
  asCoseMessage,
  asFieldMap,
  asMap,
  asText,
  type CoseMessageCbor,
  child,
  embeddedError,
  invalid,
  missing,
  req,
  textMap,
} from './internal/structure.js';
import {
  type MdocDecodeOptions,
  type MdocParseOptions,
  overLimit,
  type ParseContext,
  parseContext,
} from './parse-options.js';

/** The content of an IssuerSignedItem, before or after encoding. */
export interface IssuerSignedItemFields {
  /** `digestID` — unsigned, below 2^31, unique per namespace within one MSO. */
  readonly digestID: number;
  /** `random` — the salt, at least 16 bytes, fresh per item. */
  readonly random: Uint8Array;
  readonly elementIdentifier: string;
  readonly elementValue: unknown;
}

/**
 * An IssuerSignedItem together with the exact `IssuerSignedItemBytes` it came from (or was encoded
 * to). Digests are computed over `bytes.tagged()` — never over a re-encoding of the fields.
 *
 * ```cddl
 * IssuerSignedItemBytes = #6.24(bstr .cbor IssuerSignedItem)
 * IssuerSignedItem = {
 *   "digestID" : uint,
 *   "random" : bstr,
 *   "elementIdentifier" : DataElementIdentifier,
 *   "elementValue" : DataElementValue,
 *   * tstr => RFU            ; ed2
 * }
 * ```
 * ISO/IEC 18013-5 §8.3.2.1.2.2; digest §2.1.
 */
export interface IssuerSignedItem extends IssuerSignedItemFields {
  /** The IssuerSignedItemBytes (tag 24 content) as received or encoded. */
  readonly bytes: EncodedCbor;
}

/** `IssuerNameSpaces = { + NameSpace => [+ IssuerSignedItemBytes] }` */
export type IssuerNameSpaces = ReadonlyMap<string, readonly IssuerSignedItem[]>;

/**
 * ```cddl
 * IssuerSigned = {
 *   ? "nameSpaces" : IssuerNameSpaces,
 *   "issuerAuth" : IssuerAuth,         ; COSE_Sign1, payload MobileSecurityObjectBytes
 *   * tstr => RFU                      ; ed2
 * }
 * ```
 * ISO/IEC 18013-5 §8.3.2.1.2.2; digest §2.1.
 */
export interface IssuerSigned {
  readonly nameSpaces?: IssuerNameSpaces;
  /**
   * The IssuerAuth COSE_Sign1 as decoded; parse it with `parseCoseSign1` from `/cose`. The `model`
   * rules check its shape ({@link CoseMessageCbor}); the `verifier` rules keep it unchecked.
   */
  readonly issuerAuth: unknown;
}

const DIGEST_ID_LIMIT = 2 ** 31;

/** IssuerSignedItem fields, in the order of their values in a field read. */
const ITEM_FIELDS = ['digestID', 'random', 'elementIdentifier', 'elementValue'] as const;

/** The item field whose CDDL has no float (`digestID : uint`); `elementValue` is `any`. */
const NO_FLOAT_ITEM_FIELDS: readonly (typeof ITEM_FIELDS)[number][] = ['digestID'];

/**
 * Parses one IssuerSignedItemBytes (an {@link EncodedCbor}), keeping the received bytes. The item is
 * read field by field straight from its bytes (no map per item), and its `digestID` is read with
 * `noFloats` (a float that happens to be integral is not a `uint`, `ERR_CBOR_FLOAT_NOT_ALLOWED`, as
 * everywhere a `uint` has no float; `elementValue` keeps any type). A broken embedded item fails with
 * its CBOR code (the `model` rules: `ERR_STRUCTURE_INVALID` with `details.cborCode`).
 *
 * @example
 * ```ts
 * const item = parseIssuerSignedItem(decoded, 'nameSpaces["org.iso.18013.5.1"][0]');
 * item.elementIdentifier; item.bytes.tagged();
 * ```
 * @throws {@link MdlError} `ERR_CBOR_*` for a broken embedded item (`ERR_CBOR_FLOAT_NOT_ALLOWED` for a
 * float `digestID`), `ERR_STRUCTURE_INVALID` with `details.path`.
 */
export function parseIssuerSignedItem(
  value: unknown,
  path = 'IssuerSignedItemBytes',
  options?: MdocParseOptions,
): IssuerSignedItem {
  return readIssuerSignedItem(value, parseContext(options), path, undefined, 0);
}

/**
 * @internal {@link parseIssuerSignedItem} with the path built only on error (`nsPath.name[index]`
 * when `name` is given): no string per disclosed element.
 */
export function readIssuerSignedItem(
  value: unknown,
  ctx: ParseContext,
  nsPath: string,
  name: string | undefined,
  index: number,
): IssuerSignedItem {
  // The path is built only for an error (no closure or string per disclosed element).
  if (!(value instanceof EncodedCbor))
    invalid(itemPath(nsPath, name, index), 'an embedded CBOR item (#6.24(bstr))');
  // One read of the item's bytes: its fields, digestID without floats and (model rules) whether
  // every key is text. A failing read is reported from its own error, never by decoding again.
  let read: FieldValues | undefined;
  const keys = ctx.verifier ? undefined : { nonText: false };
  try {
    read = readFieldValues(value, ITEM_FIELDS, keys, NO_FLOAT_ITEM_FIELDS);
  } catch (error) {
    embeddedError(error, itemPath(nsPath, name, index), ctx.verifier);
  }
  if (read === undefined) invalid(itemPath(nsPath, name, index), 'a map');
  if (keys?.nonText === true) invalid(itemPath(nsPath, name, index), 'a map with text keys');
  const [digestID, random, elementIdentifier, elementValue] = read.values;
  if (digestID === undefined) missing(itemPath(nsPath, name, index), 'digestID');
  if (typeof digestID !== 'number' || !Number.isSafeInteger(digestID) || digestID < 0) {
    invalid(itemPath(nsPath, name, index, 'digestID'), 'an unsigned integer');
  }
  if (!ctx.verifier && digestID >= DIGEST_ID_LIMIT)
    invalid(itemPath(nsPath, name, index, 'digestID'), 'a digestID below 2^31');
  if (!(random instanceof Uint8Array)) {
    if (random === undefined) missing(itemPath(nsPath, name, index), 'random');
    invalid(itemPath(nsPath, name, index, 'random'), 'a byte string');
  }
  if (typeof elementIdentifier !== 'string' || elementIdentifier.length === 0) {
    if (elementIdentifier === undefined) missing(itemPath(nsPath, name, index), 'elementIdentifier');
    invalid(itemPath(nsPath, name, index, 'elementIdentifier'), 'a non-empty text string');
  }
  if (read.types[3] === -1) missing(itemPath(nsPath, name, index), 'elementValue');
  return { digestID, random, elementIdentifier, elementValue, bytes: value };
}

/** `nsPath["name"][index]` (or `nsPath` for a lone item), then `.field`. */
function itemPath(nsPath: string, name: string | undefined, index: number, field?: string): string {
  const base = name === undefined ? nsPath : `${nsPath}["${name}"][${index}]`;
  return field === undefined ? base : child(base, field);
}

/**
 * Encodes IssuerSignedItem fields (deterministic key order by default; `keyOrder: 'insertion'` keeps CDDL order) and returns
 * the item with its bytes.
 *
 * @example
 * ```ts
 * const item = createIssuerSignedItem({ digestID: 0, random, elementIdentifier: 'family_name', elementValue: 'Doe' });
 * sha256(item.bytes.tagged());
 * ```
 * @throws {@link MdlError} `ERR_STRUCTURE_INVALID` for a digestID outside 0..2^31−1, an empty
 * identifier or a salt shorter than 16 bytes; `ERR_CBOR_UNENCODABLE` for an unencodable value.
 */
export function createIssuerSignedItem(
  fields: IssuerSignedItemFields,
  options: CborEncodeOptions = {},
): IssuerSignedItem {
  const path = 'IssuerSignedItem';
  if (!Number.isSafeInteger(fields.digestID) || fields.digestID < 0 || fields.digestID >= DIGEST_ID_LIMIT) {
    invalid(child(path, 'digestID'), 'a digestID below 2^31');
  }
  if (!(fields.random instanceof Uint8Array) || fields.random.length < 16) {
    invalid(child(path, 'random'), 'a salt of at least 16 bytes');
  }
  if (typeof fields.elementIdentifier !== 'string' || fields.elementIdentifier.length === 0) {
    invalid(child(path, 'elementIdentifier'), 'a non-empty text string');
  }
  const map = textMap([
    ['digestID', fields.digestID],
    ['random', fields.random],
    ['elementIdentifier', fields.elementIdentifier],
    ['elementValue', fields.elementValue],
  ]);
  if (fields.elementValue === undefined) invalid(child(path, 'elementValue'), 'a value');
  return { ...fields, bytes: EncodedCbor.fromValue(map, options) };
}

/**
 * Parses `IssuerNameSpaces`, keeping every received IssuerSignedItemBytes.
 *
 * @example
 * ```ts
 * parseIssuerNameSpaces(issuerSignedMap.get('nameSpaces')).get(MDL_NAMESPACE);
 * ```
 * @throws {@link MdlError} `ERR_STRUCTURE_INVALID` with `details.path`, `ERR_LIMIT_NAMESPACES` /
 * `ERR_LIMIT_ELEMENTS` past the limits, `ERR_CBOR_*` for a broken item.
 */
export function parseIssuerNameSpaces(
  value: unknown,
  path = 'nameSpaces',
  options?: MdocParseOptions,
): IssuerNameSpaces {
  return readIssuerNameSpaces(value, path, parseContext(options), { elements: 0 });
}

/** @internal {@link parseIssuerNameSpaces} counting elements into `count` (one document's total). */
export function readIssuerNameSpaces(
  value: unknown,
  path: string,
  ctx: ParseContext,
  count: { elements: number },
): IssuerNameSpaces {
  const m = asMap(value, path);
  if (m.size === 0) invalid(path, 'at least one namespace');
  const { maxNameSpaces, maxElements } = ctx.limits;
  if (m.size > maxNameSpaces) {
    overLimit('ERR_LIMIT_NAMESPACES', 'too many issuer-signed namespaces', maxNameSpaces, m.size);
  }
  const out = new Map<string, IssuerSignedItem[]>();
  for (const [ns, items] of m) {
    const name = asText(ns, path, true);
    const list = asArray(items, `${path}["${name}"]`, true);
    count.elements += list.length;
    if (count.elements > maxElements) {
      overLimit('ERR_LIMIT_ELEMENTS', 'too many data elements', maxElements, count.elements);
    }
    const received: IssuerSignedItem[] = new Array(list.length);
    for (let i = 0; i < list.length; i++) received[i] = readIssuerSignedItem(list[i], ctx, path, name, i);
    out.set(name, received);
  }
  return out;
}

/**
 * Parses a decoded `IssuerSigned` map. Under the `model` rules the IssuerAuth must have the shape of
 * a COSE_Sign1; under the `verifier` rules it is kept as decoded (its COSE parse fails its document).
 *
 * @example
 * ```ts
 * const issuerSigned = parseIssuerSigned(decodeCbor(bytes));
 * parseCoseSign1(issuerSigned.issuerAuth);
 * ```
 * @throws {@link MdlError} `ERR_STRUCTURE_INVALID` with `details.path`; the codes of
 * {@link parseIssuerNameSpaces}.
 */
export function parseIssuerSigned(
  value: unknown,
  path = 'issuerSigned',
  options?: MdocParseOptions,
): IssuerSigned {
  return readIssuerSigned(value, path, parseContext(options), { elements: 0 });
}

/** @internal {@link parseIssuerSigned} counting elements into `count`. */
export function readIssuerSigned(
  value: unknown,
  path: string,
  ctx: ParseContext,
  count: { elements: number },
): IssuerSigned {
  const m = asFieldMap(value, path, ctx.verifier);
  const ns = m.get('nameSpaces');
  const nameSpaces =
    ns === undefined ? undefined : readIssuerNameSpaces(ns, child(path, 'nameSpaces'), ctx, count);
  const auth = req(m, 'issuerAuth', path);
  const issuerAuth = ctx.verifier ? auth : asCoseMessage(auth, child(path, 'issuerAuth'), 18);
  return nameSpaces === undefined ? { issuerAuth } : { nameSpaces, issuerAuth };
}

/**
 * Decodes and parses `IssuerSigned` bytes (e.g. what an issuer hands to a wallet).
 *
 * @example
 * ```ts
 * const { nameSpaces, issuerAuth } = decodeIssuerSigned(bytes);
 * ```
 * @throws {@link MdlError} `ERR_CBOR_*` for malformed CBOR, `ERR_STRUCTURE_INVALID` with a path.
 */
export function decodeIssuerSigned(bytes: Uint8Array, options: MdocDecodeOptions = {}): IssuerSigned {
  return parseIssuerSigned(decodeCbor(bytes, options), 'issuerSigned', options);
}

/**
 * The CBOR value of an `IssuerSigned` (items as their `bytes`, keys in CDDL order).
 *
 * @example
 * ```ts
 * encodeCbor(issuerSignedToCbor(issuerSigned), { keyOrder: 'insertion' });
 * ```
 */
export function issuerSignedToCbor(issuerSigned: IssuerSigned): Map<string, unknown> {
  const ns = issuerSigned.nameSpaces;
  return textMap([
    [
      'nameSpaces',
      ns === undefined ? undefined : new Map([...ns].map(([k, items]) => [k, items.map((i) => i.bytes)])),
    ],
    ['issuerAuth', issuerSigned.issuerAuth],
  ]);
}

/**
 * Encodes an `IssuerSigned`.
 *
 * @example
 * ```ts
 * const bytes = encodeIssuerSigned({ nameSpaces, issuerAuth });
 * ```
 * @throws {@link MdlError} `ERR_CBOR_UNENCODABLE`.
 */
export function encodeIssuerSigned(issuerSigned: IssuerSigned, options: CborEncodeOptions = {}): Uint8Array {
  return encodeCbor(issuerSignedToCbor(issuerSigned), options);
}
