import { CborWriter, cborHeadLength, EncodedCbor, encodeCbor } from '@mdlkit/core/cbor';
import { MdlError } from '@mdlkit/core/errors';
import { assignDigestIds, type DigestIdStrategy, type RandomBytes } from './digest-ids.js';

/** Map key order of emitted CBOR: RFC 8949 core-deterministic (default) or CDDL/insertion order (Annex D). */
export type KeyOrder = 'deterministic' | 'insertion';

/** Element values per namespace, as a `Map` or a plain object (insertion order is kept). */
export type NameSpacesInput =
  | ReadonlyMap<string, ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>>
  | Readonly<Record<string, ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>>>;

/**
 * One issued item: the decoded fields plus the exact IssuerSignedItemBytes that are hashed into
 * the MSO and later presented by the holder.
 *
 * ```cddl
 * IssuerSignedItemBytes = #6.24(bstr .cbor IssuerSignedItem)
 * IssuerSignedItem = {
 *   "digestID" : uint,
 *   "random" : bstr,
 *   "elementIdentifier" : DataElementIdentifier,
 *   "elementValue" : DataElementValue
 * }
 * ```
 * ISO/IEC 18013-5 §8.3.2.1.2.2 / §9.1.2.4.
 */
export interface IssuedItem {
  readonly digestID: number;
  readonly random: Uint8Array;
  readonly elementIdentifier: string;
  readonly elementValue: unknown;
  /** IssuerSignedItemBytes: `.tagged()` is what the value digest covers. */
  readonly bytes: EncodedCbor;
}

/** IssuerNameSpaces being built: namespace → items in input order. */
export type IssuedNameSpaces = ReadonlyMap<string, readonly IssuedItem[]>;

/** Options of {@link createIssuerSignedItems}. */
export interface CreateIssuerSignedItemsOptions {
  /** Data elements per namespace. */
  readonly nameSpaces: NameSpacesInput;
  /**
   * Secure randomness. All salts come from one call (`saltLength` × number of items, sliced
   * first-namespace-first in element order), then one call per namespace for the random digestID
   * strategies — so a vector can replay them.
   */
  readonly randomBytes: RandomBytes;
  /** digestID assignment (default `'random'`: distinct random values < 2^31). */
  readonly digestIdStrategy?: DigestIdStrategy;
  /** Salt (`random`) length in bytes, ≥ 16. Default 32. */
  readonly saltLength?: number;
  /** Map key order of the emitted items. Default `'deterministic'`. */
  readonly keyOrder?: KeyOrder;
}

/**
 * Iterate a namespace map / record in insertion order.
 *
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` when `input` is neither a `Map` nor a plain object.
 */
export function entriesOf<V>(input: ReadonlyMap<string, V> | Readonly<Record<string, V>>): [string, V][] {
  if (input instanceof Map) return [...input.entries()];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'namespaces and their elements must be Maps or plain objects');
  }
  return Object.entries(input as Record<string, V>);
}

/**
 * Build IssuerSignedItems with fresh salts (≥ 16 bytes each) and uncorrelated digestIDs
 * (spec §3.3), encoded once as IssuerSignedItemBytes.
 *
 * @example
 * ```ts
 * const items = createIssuerSignedItems({
 *   nameSpaces: { 'org.iso.18013.5.1': { family_name: 'Doe', given_name: 'Jane' } },
 *   randomBytes,
 * });
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for an empty namespace / identifier, a salt
 * shorter than 16 bytes or a short `randomBytes` output; `ERR_CBOR_UNENCODABLE` for values CBOR
 * cannot carry (such as `undefined`).
 */
export function createIssuerSignedItems(options: CreateIssuerSignedItemsOptions): IssuedNameSpaces {
  return writeIssuerSignedItems(options).nameSpaces;
}

/** @internal the items plus the encoded IssuerNameSpaces they were written into. */
export interface WrittenItems {
  readonly nameSpaces: IssuedNameSpaces;
  /**
   * The IssuerNameSpaces encoding (`{ + NameSpace => [+ IssuerSignedItemBytes] }`, namespaces in
   * the key order asked for); every item's `bytes` is a view into it.
   */
  readonly encoded: Uint8Array;
  /** The buffer `encoded` is a view into, and where in it `encoded` starts (after the reserve). */
  readonly buffer: Uint8Array;
  readonly start: number;
}

// Map keys of IssuerSignedItem, pre-encoded (text heads + ASCII).
const KEY_RANDOM = encodeCbor('random');
const KEY_DIGEST_ID = encodeCbor('digestID');
const KEY_VALUE = encodeCbor('elementValue');
const KEY_IDENTIFIER = encodeCbor('elementIdentifier');

/**
 * @internal {@link createIssuerSignedItems} in one pass: every IssuerSignedItem is written with
 * its tag-24 wrapper straight into one IssuerNameSpaces buffer (the four keys in their known
 * order; only `elementValue` goes through the generic encoder), so the issuer neither re-encodes
 * nor copies items to build IssuerSigned. Same bytes as encoding each item map on its own.
 */
export function writeIssuerSignedItems(options: CreateIssuerSignedItemsOptions, reserve = 0): WrittenItems {
  const saltLength = options.saltLength ?? 32;
  if (!Number.isInteger(saltLength) || saltLength < 16 || saltLength > 1024) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'salt length must be 16..1024 bytes');
  }
  const keyOrder = options.keyOrder ?? 'deterministic';
  const strategy = options.digestIdStrategy ?? 'random';
  const nameSpaces = entriesOf(options.nameSpaces).map(([ns, els]) => [ns, entriesOf(els)] as const);
  let total = 0;
  for (const [, els] of nameSpaces) total += els.length;
  const salts = total === 0 ? new Uint8Array(0) : options.randomBytes(total * saltLength);
  if (!(salts instanceof Uint8Array) || salts.length !== total * saltLength) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'randomBytes returned the wrong length');
  }
  const seen = new Set<string>();
  let size = 16;
  for (const [nameSpace, elements] of nameSpaces) {
    if (typeof nameSpace !== 'string' || nameSpace.length === 0) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'namespace must be a non-empty string');
    }
    size += 3 * nameSpace.length + 8;
    for (const [elementIdentifier, elementValue] of elements) {
      if (typeof elementIdentifier !== 'string' || elementIdentifier.length === 0) {
        throw new MdlError('ERR_INVALID_ARGUMENT', 'element identifier must be a non-empty string', {
          details: { nameSpace },
        });
      }
      size += 64 + saltLength + 3 * elementIdentifier.length;
      if (elementValue instanceof Uint8Array) size += elementValue.length;
    }
  }
  // digestIDs: one randomBytes call per namespace, in input order (after the salts).
  const ids: number[][] = [];
  for (const [nameSpace, elements] of nameSpaces) {
    if (seen.has(nameSpace)) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'duplicate namespace', { details: { nameSpace } });
    }
    seen.add(nameSpace);
    ids.push(
      assignDigestIds({ nameSpace, count: elements.length, strategy, randomBytes: options.randomBytes }),
    );
  }
  // Salt offsets follow the input order; the output order sorts namespaces when deterministic.
  const saltStart: number[] = [];
  let offset = 0;
  for (const [, elements] of nameSpaces) {
    saltStart.push(offset);
    offset += elements.length * saltLength;
  }
  const order = nameSpaces.map((_, i) => i);
  if (keyOrder === 'deterministic' && order.length > 1) {
    const keys = nameSpaces.map(([ns]) => encodeCbor(ns));
    order.sort((a, b) => compareEncoded(keys[a]!, keys[b]!));
  }
  // `reserve` bytes stay free in front of IssuerNameSpaces (the issuer writes the start of
  // IssuerSigned there once IssuerAuth is signed, so the items are never copied).
  const w = new CborWriter({ keyOrder }, reserve + size);
  w.pos = reserve;
  w.head(5, nameSpaces.length);
  // Per item: namespace index, element index, content start and end (flat, no object per item).
  const marks: number[] = [];
  for (const n of order) {
    const [nameSpace, elements] = nameSpaces[n]!;
    const nsIds = ids[n]!;
    w.text(nameSpace);
    w.head(4, elements.length);
    for (let i = 0; i < elements.length; i++) {
      const [elementIdentifier, elementValue] = elements[i]!;
      const s0 = saltStart[n]! + i * saltLength;
      const mark = w.beginEmbedded();
      w.head(5, 4);
      if (keyOrder === 'deterministic') {
        // Sorted key order (shorter keys first): random, digestID, elementValue, elementIdentifier.
        w.raw(KEY_RANDOM);
        writeSalt(w, salts, s0, saltLength);
        w.raw(KEY_DIGEST_ID);
        w.head(0, nsIds[i]!);
        w.raw(KEY_VALUE);
        w.value(elementValue);
        w.raw(KEY_IDENTIFIER);
        w.text(elementIdentifier);
      } else {
        // CDDL order (Annex D).
        w.raw(KEY_DIGEST_ID);
        w.head(0, nsIds[i]!);
        w.raw(KEY_RANDOM);
        writeSalt(w, salts, s0, saltLength);
        w.raw(KEY_IDENTIFIER);
        w.text(elementIdentifier);
        w.raw(KEY_VALUE);
        w.value(elementValue);
      }
      const start = w.endEmbedded(mark);
      marks.push(n, i, start, w.pos);
    }
  }
  const buffer = w.buf;
  const encoded = buffer.subarray(reserve, w.pos);
  const out = new Map<string, IssuedItem[]>();
  for (const [nameSpace] of nameSpaces) out.set(nameSpace, []);
  for (let k = 0; k < marks.length; k += 4) {
    const n = marks[k]!;
    const index = marks[k + 1]!;
    const [nameSpace, elements] = nameSpaces[n]!;
    const [elementIdentifier, elementValue] = elements[index]!;
    out
      .get(nameSpace)!
      .push(
        new WrittenItem(
          ids[n]![index]!,
          salts,
          saltStart[n]! + index * saltLength,
          saltLength,
          elementIdentifier,
          elementValue,
          buffer,
          marks[k + 2]!,
          marks[k + 3]!,
        ),
      );
  }
  return { nameSpaces: out, encoded, buffer, start: reserve };
}

/** The salt as a byte string, copied straight from the salts block (no view per item). */
function writeSalt(w: CborWriter, salts: Uint8Array, from: number, length: number): void {
  w.head(2, length);
  w.ensure(length);
  const buf = w.buf;
  const p = w.pos;
  for (let i = 0; i < length; i++) buf[p + i] = salts[from + i]!;
  w.pos = p + length;
}

/**
 * An item written by {@link writeIssuerSignedItems}: the same public fields as a plain
 * {@link IssuedItem}, kept as offsets into the salts block and the IssuerNameSpaces buffer. `random`
 * and `bytes` are views made when first read; the issuer itself only needs the IssuerSignedItemBytes
 * (see {@link itemTagged}) to hash them, so an issued mdoc does not pay for three views and an
 * EncodedCbor per item that nobody reads.
 */
class WrittenItem implements IssuedItem {
  readonly digestID: number;
  readonly elementIdentifier: string;
  readonly elementValue: unknown;
  readonly #salts: Uint8Array;
  readonly #saltStart: number;
  readonly #saltLength: number;
  readonly #encoded: Uint8Array;
  readonly #start: number;
  readonly #end: number;
  #random: Uint8Array | undefined;
  #bytes: EncodedCbor | undefined;

  constructor(
    digestID: number,
    salts: Uint8Array,
    saltStart: number,
    saltLength: number,
    elementIdentifier: string,
    elementValue: unknown,
    encoded: Uint8Array,
    start: number,
    end: number,
  ) {
    this.digestID = digestID;
    this.elementIdentifier = elementIdentifier;
    this.elementValue = elementValue;
    this.#salts = salts;
    this.#saltStart = saltStart;
    this.#saltLength = saltLength;
    this.#encoded = encoded;
    this.#start = start;
    this.#end = end;
  }

  get random(): Uint8Array {
    this.#random ??= this.#salts.subarray(this.#saltStart, this.#saltStart + this.#saltLength);
    return this.#random;
  }

  get bytes(): EncodedCbor {
    this.#bytes ??= EncodedCbor.fromBytes(this.#encoded.subarray(this.#start, this.#end));
    return this.#bytes;
  }

  /** IssuerSignedItemBytes: the tag-24 head and the item, as a view into IssuerNameSpaces. */
  static tagged(item: IssuedItem): Uint8Array | undefined {
    if (!(item instanceof WrittenItem)) return undefined;
    const n = item.#end - item.#start;
    return item.#encoded.subarray(item.#start - 2 - cborHeadLength(n), item.#end);
  }
}

/** @internal the IssuerSignedItemBytes (`#6.24(bstr)`) of an item, without a copy when written here. */
export function itemTagged(item: IssuedItem): Uint8Array {
  return WrittenItem.tagged(item) ?? item.bytes.tagged();
}

/** @internal bytewise comparison of two encodings (core deterministic key order). */
export function compareEncoded(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}
