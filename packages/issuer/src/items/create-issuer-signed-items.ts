import { CborWriter, EncodedCbor, encodeCbor } from '@mdlkit/core/cbor';
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

/** Iterate a namespace map / record in insertion order. */
export function entriesOf<V>(input: ReadonlyMap<string, V> | Readonly<Record<string, V>>): [string, V][] {
  return input instanceof Map ? [...input.entries()] : Object.entries(input as Record<string, V>);
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
export function writeIssuerSignedItems(options: CreateIssuerSignedItemsOptions): WrittenItems {
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
  const w = new CborWriter({ keyOrder }, size);
  w.head(5, nameSpaces.length);
  const marks: { n: number; index: number; start: number; end: number }[] = [];
  for (const n of order) {
    const [nameSpace, elements] = nameSpaces[n]!;
    const nsIds = ids[n]!;
    w.text(nameSpace);
    w.head(4, elements.length);
    for (let i = 0; i < elements.length; i++) {
      const [elementIdentifier, elementValue] = elements[i]!;
      const s0 = saltStart[n]! + i * saltLength;
      const random = salts.subarray(s0, s0 + saltLength);
      const mark = w.beginEmbedded();
      w.head(5, 4);
      if (keyOrder === 'deterministic') {
        // Sorted key order (shorter keys first): random, digestID, elementValue, elementIdentifier.
        w.raw(KEY_RANDOM);
        w.bytes(random);
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
        w.bytes(random);
        w.raw(KEY_IDENTIFIER);
        w.text(elementIdentifier);
        w.raw(KEY_VALUE);
        w.value(elementValue);
      }
      const start = w.endEmbedded(mark);
      marks.push({ n, index: i, start, end: w.pos });
    }
  }
  const encoded = w.finish();
  const out = new Map<string, IssuedItem[]>();
  for (const [nameSpace] of nameSpaces) out.set(nameSpace, []);
  for (const m of marks) {
    const n = m.n;
    const list = out.get(nameSpaces[n]![0])!;
    const [elementIdentifier, elementValue] = nameSpaces[n]![1][m.index]!;
    const s0 = saltStart[n]! + m.index * saltLength;
    list.push(
      new WrittenItem(
        ids[n]![m.index]!,
        salts.subarray(s0, s0 + saltLength),
        elementIdentifier,
        elementValue,
        EncodedCbor.fromBytes(encoded.subarray(m.start, m.end)),
        encoded.subarray(m.start - 2 - headLength(m.end - m.start), m.end),
      ),
    );
  }
  return { nameSpaces: out, encoded };
}

/**
 * An item written by {@link writeIssuerSignedItems}: the same public fields as a plain
 * {@link IssuedItem}, plus (privately) its IssuerSignedItemBytes as a view into the IssuerNameSpaces
 * buffer, so the value digest hashes them without the copy `EncodedCbor.tagged()` would make. A
 * private field rather than a WeakMap side table: eleven WeakMap entries per document cost more
 * than the rest of the item writing (ephemeron tables in every GC).
 */
class WrittenItem implements IssuedItem {
  readonly digestID: number;
  readonly random: Uint8Array;
  readonly elementIdentifier: string;
  readonly elementValue: unknown;
  readonly bytes: EncodedCbor;
  readonly #tagged: Uint8Array;

  constructor(
    digestID: number,
    random: Uint8Array,
    elementIdentifier: string,
    elementValue: unknown,
    bytes: EncodedCbor,
    tagged: Uint8Array,
  ) {
    this.digestID = digestID;
    this.random = random;
    this.elementIdentifier = elementIdentifier;
    this.elementValue = elementValue;
    this.bytes = bytes;
    this.#tagged = tagged;
  }

  static tagged(item: IssuedItem): Uint8Array | undefined {
    return item instanceof WrittenItem ? item.#tagged : undefined;
  }
}

/** @internal the IssuerSignedItemBytes (`#6.24(bstr)`) of an item, without a copy when written here. */
export function itemTagged(item: IssuedItem): Uint8Array {
  return WrittenItem.tagged(item) ?? item.bytes.tagged();
}

function headLength(n: number): number {
  return n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5;
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
