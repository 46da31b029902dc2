import { decodeCbor } from '../cbor/decode.js';
import { encodeCbor } from '../cbor/encode.js';
import { EncodedCbor } from '../cbor/encoded-cbor.js';
import type { CborDecodeOptions, CborEncodeOptions } from '../cbor/options.js';
import {
  asArray,
  asBytes,
  asCoseMessage,
  asEncoded,
  asText,
  asTextMap,
  asUint,
  type CoseMessageCbor,
  child,
  embeddedValue,
  invalid,
  req,
  textMap,
} from './internal/structure.js';

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
  /** The IssuerAuth COSE_Sign1 as decoded; parse it with `parseCoseSign1` from `/cose`. */
  readonly issuerAuth: CoseMessageCbor;
}

const DIGEST_ID_LIMIT = 2 ** 31;

/**
 * Parses one IssuerSignedItemBytes (an {@link EncodedCbor}), keeping the received bytes.
 *
 * @example
 * ```ts
 * const item = parseIssuerSignedItem(decoded, 'nameSpaces["org.iso.18013.5.1"][0]');
 * item.elementIdentifier; item.bytes.tagged();
 * ```
 * @throws {@link MdlError} `ERR_STRUCTURE_INVALID` with `details.path`.
 */
export function parseIssuerSignedItem(value: unknown, path = 'IssuerSignedItemBytes'): IssuerSignedItem {
  const bytes = asEncoded(value, path);
  const m = asTextMap(embeddedValue(bytes, path), path);
  const digestID = asUint(req(m, 'digestID', path), child(path, 'digestID'));
  if (digestID >= DIGEST_ID_LIMIT) invalid(child(path, 'digestID'), 'a digestID below 2^31');
  const random = asBytes(req(m, 'random', path), child(path, 'random'));
  const elementIdentifier = asText(req(m, 'elementIdentifier', path), child(path, 'elementIdentifier'), true);
  if (!m.has('elementValue')) req(m, 'elementValue', path);
  return { digestID, random, elementIdentifier, elementValue: m.get('elementValue'), bytes };
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
 * @throws {@link MdlError} `ERR_STRUCTURE_INVALID` with `details.path`.
 */
export function parseIssuerNameSpaces(value: unknown, path = 'nameSpaces'): IssuerNameSpaces {
  const m = asTextMap(value, path);
  if (m.size === 0) invalid(path, 'at least one namespace');
  const out = new Map<string, IssuerSignedItem[]>();
  for (const [ns, items] of m) {
    const p = `${path}["${ns}"]`;
    if (ns.length === 0) invalid(path, 'non-empty namespace names');
    out.set(
      ns,
      asArray(items, p, true).map((item, i) => parseIssuerSignedItem(item, `${p}[${i}]`)),
    );
  }
  return out;
}

/**
 * Parses a decoded `IssuerSigned` map.
 *
 * @example
 * ```ts
 * const issuerSigned = parseIssuerSigned(decodeCbor(bytes));
 * parseCoseSign1(issuerSigned.issuerAuth);
 * ```
 * @throws {@link MdlError} `ERR_STRUCTURE_INVALID` with `details.path`.
 */
export function parseIssuerSigned(value: unknown, path = 'issuerSigned'): IssuerSigned {
  const m = asTextMap(value, path);
  const issuerAuth = asCoseMessage(req(m, 'issuerAuth', path), child(path, 'issuerAuth'), 18);
  const ns = m.get('nameSpaces');
  return ns === undefined
    ? { issuerAuth }
    : { nameSpaces: parseIssuerNameSpaces(ns, child(path, 'nameSpaces')), issuerAuth };
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
export function decodeIssuerSigned(bytes: Uint8Array, options: CborDecodeOptions = {}): IssuerSigned {
  return parseIssuerSigned(decodeCbor(bytes, options));
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
