import { CborWriter, cborHeadLength, compareTextKeys, EncodedCbor, encodeCbor } from '@mdlkit/core/cbor';
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
  readonly digestIdStrategy?: DigestIdStrategy | undefined;
  /** Salt (`random`) length in bytes, ≥ 16. Default 32. */
  readonly saltLength?: number | undefined;
  /** Map key order of the emitted items. Default `'deterministic'`. */
  readonly keyOrder?: KeyOrder;
}

/**
 * Iterate a namespace map / record in insertion order.
 *
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` when `input` is neither a `Map` nor a plain object.
 */
export function entriesOf<V>(input: ReadonlyMap<string, V> | Readonly<Record<string, V>>): [string, V][] {
  const keys: string[] = [];
  const values: V[] = [];
  splitEntries(input, keys, values);
  return keys.map((key, i) => [key, values[i]!]);
}

/**
 * Append the keys and values of a namespace map / record (insertion order) to two arrays — what
 * {@link entriesOf} gives, without an entry array per element.
 *
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` when `input` is neither a `Map` nor a plain object.
 */
function splitEntries<V>(
  input: ReadonlyMap<string, V> | Readonly<Record<string, V>>,
  keys: string[],
  values: V[],
): void {
  if (input instanceof Map) {
    input.forEach(pushEntry, { keys, values });
    return;
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'namespaces and their elements must be Maps or plain objects');
  }
  const record = input as Readonly<Record<string, V>>;
  for (const key of Object.keys(record)) {
    keys.push(key);
    values.push(record[key]!);
  }
}

function pushEntry(this: { keys: unknown[]; values: unknown[] }, value: unknown, key: unknown): void {
  this.keys.push(key);
  this.values.push(value);
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

/**
 * @internal one namespace as written: its name, and per element (input order) the digestID and where
 * the IssuerSignedItem's content starts and ends in the IssuerNameSpaces buffer (`spans`: start, end).
 */
export interface WrittenSpace {
  readonly nameSpace: string;
  readonly ids: readonly number[];
  readonly spans: readonly number[];
}

/** @internal the items plus the encoded IssuerNameSpaces they were written into. */
export interface WrittenItems {
  /** The item objects, made when first read (the issuer itself hashes from {@link WrittenItems.spaces}). */
  readonly nameSpaces: IssuedNameSpaces;
  /** The namespaces in input order, as offsets into `buffer`. */
  readonly spaces: readonly WrittenSpace[];
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

/** @internal namespaces and, per namespace, element identifiers and values: parallel arrays in input order. */
export interface SplitNameSpaces {
  readonly names: readonly string[];
  readonly ids: readonly (readonly string[])[];
  readonly values: readonly (readonly unknown[])[];
  /** Elements in all namespaces. */
  readonly total: number;
}

/**
 * @internal read namespaces and their elements into parallel arrays (no entry array per element).
 * Names and identifiers are not checked here (the item writer does).
 *
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` when a level is neither a `Map` nor a plain object.
 */
export function splitNameSpaces(input: NameSpacesInput): SplitNameSpaces {
  const names: string[] = [];
  const inputs: (ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>)[] = [];
  splitEntries(input, names, inputs);
  const count = names.length;
  const ids: string[][] = new Array(count);
  const values: unknown[][] = new Array(count);
  let total = 0;
  for (let n = 0; n < count; n++) {
    const idsOut: string[] = [];
    const valuesOut: unknown[] = [];
    splitEntries(inputs[n]!, idsOut, valuesOut);
    ids[n] = idsOut;
    values[n] = valuesOut;
    total += idsOut.length;
  }
  return { names, ids, values, total };
}

/** How a deterministic IssuerSignedItem starts: `{` (4 entries), "random" and the salt's bstr head. */
function deterministicItemStart(saltLength: number): Uint8Array {
  const w = new CborWriter({}, 16);
  w.head(5, 4);
  w.raw(KEY_RANDOM);
  w.head(2, saltLength);
  return w.finish();
}

const ITEM_START_32 = deterministicItemStart(32);

// "elementIdentifier" and the identifier, encoded: an issuer writes the same few dozen identifiers
// into every document. Bounded in count (cleared when it fills) and in size (only identifiers of up
// to 64 code units are kept; longer ones are written as they come).
const IDENTIFIER_ENTRIES = new Map<string, Uint8Array>();
const IDENTIFIER_ENTRIES_MAX = 512;
const IDENTIFIER_CACHED_MAX = 64;

function writeIdentifierEntry(w: CborWriter, identifier: string): void {
  if (identifier.length > IDENTIFIER_CACHED_MAX) {
    w.raw(KEY_IDENTIFIER);
    w.text(identifier);
    return;
  }
  let entry = IDENTIFIER_ENTRIES.get(identifier);
  if (entry === undefined) {
    const e = new CborWriter({}, KEY_IDENTIFIER.length + 3 + 3 * identifier.length);
    e.raw(KEY_IDENTIFIER);
    e.text(identifier);
    // Its own copy: a slab view would keep a whole slab alive.
    entry = e.finish().slice();
    if (IDENTIFIER_ENTRIES.size >= IDENTIFIER_ENTRIES_MAX) IDENTIFIER_ENTRIES.clear();
    IDENTIFIER_ENTRIES.set(identifier, entry);
  }
  w.raw(entry);
}

/**
 * @internal {@link createIssuerSignedItems} in one pass: every IssuerSignedItem is written with
 * its tag-24 wrapper straight into one IssuerNameSpaces buffer (the four keys in their known
 * order; only `elementValue` goes through the generic encoder), so the issuer neither re-encodes
 * nor copies items to build IssuerSigned. Same bytes as encoding each item map on its own.
 */
export function writeIssuerSignedItems(
  options: CreateIssuerSignedItemsOptions,
  reserve = 0,
  split: SplitNameSpaces = splitNameSpaces(options.nameSpaces),
): WrittenItems {
  const saltLength = options.saltLength ?? 32;
  if (!Number.isInteger(saltLength) || saltLength < 16 || saltLength > 1024) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'salt length must be 16..1024 bytes');
  }
  const keyOrder = options.keyOrder ?? 'deterministic';
  const strategy = options.digestIdStrategy ?? 'random';
  const { names: spaceNames, ids: elementIds, values: elementValues, total } = split;
  const count = spaceNames.length;
  const salts = total === 0 ? new Uint8Array(0) : options.randomBytes(total * saltLength);
  if (!(salts instanceof Uint8Array) || salts.length !== total * saltLength) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'randomBytes returned the wrong length');
  }
  let size = 16;
  for (let n = 0; n < count; n++) {
    const nameSpace = spaceNames[n]!;
    if (typeof nameSpace !== 'string' || nameSpace.length === 0) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'namespace must be a non-empty string');
    }
    size += 3 * nameSpace.length + 8;
    const idsIn = elementIds[n]!;
    const valuesIn = elementValues[n]!;
    for (let i = 0; i < idsIn.length; i++) {
      const elementIdentifier = idsIn[i]!;
      if (typeof elementIdentifier !== 'string' || elementIdentifier.length === 0) {
        throw new MdlError('ERR_INVALID_ARGUMENT', 'element identifier must be a non-empty string', {
          details: { nameSpace },
        });
      }
      size += 64 + saltLength + 3 * elementIdentifier.length;
      const elementValue = valuesIn[i];
      if (elementValue instanceof Uint8Array) size += elementValue.length;
    }
  }
  // digestIDs: one randomBytes call per namespace, in input order (after the salts).
  const ids: number[][] = new Array(count);
  // Map and record keys are unique already; checked anyway (by scanning when there are few).
  const seen = count > 16 ? new Set<string>() : undefined;
  for (let n = 0; n < count; n++) {
    const nameSpace = spaceNames[n]!;
    if (seen === undefined ? spaceNames.indexOf(nameSpace) !== n : seen.has(nameSpace)) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'duplicate namespace', { details: { nameSpace } });
    }
    seen?.add(nameSpace);
    ids[n] = assignDigestIds({
      nameSpace,
      count: elementIds[n]!.length,
      strategy,
      randomBytes: options.randomBytes,
    });
  }
  // Salt offsets follow the input order; the output order sorts namespaces when deterministic.
  const saltStart: number[] = new Array(count);
  let offset = 0;
  for (let n = 0; n < count; n++) {
    saltStart[n] = offset;
    offset += elementIds[n]!.length * saltLength;
  }
  const order: number[] = new Array(count);
  for (let n = 0; n < count; n++) order[n] = n;
  if (keyOrder === 'deterministic' && count > 1) {
    order.sort((a, b) => compareTextKeys(spaceNames[a]!, spaceNames[b]!));
  }
  // `reserve` bytes stay free in front of IssuerNameSpaces (the issuer writes the start of
  // IssuerSigned there once IssuerAuth is signed, so the items are never copied).
  const w = new CborWriter({ keyOrder }, reserve + size);
  // What every item has besides its identifier and value: map head, the four keys, the salt with its
  // head, a digestID (≤ 5 bytes), the identifier's head (≤ 3) and the value's head (≤ 3).
  const itemFixed =
    1 +
    KEY_RANDOM.length +
    KEY_DIGEST_ID.length +
    KEY_VALUE.length +
    KEY_IDENTIFIER.length +
    cborHeadLength(saltLength) +
    saltLength +
    5 +
    3 +
    3;
  const itemStart = saltLength === 32 ? ITEM_START_32 : deterministicItemStart(saltLength);
  w.pos = reserve;
  w.head(5, count);
  // Per item: where its content starts and ends, in input order (flat, no object per item).
  const spans: number[][] = new Array(count);
  for (const n of order) {
    const nameSpace = spaceNames[n]!;
    const idsIn = elementIds[n]!;
    const valuesIn = elementValues[n]!;
    const nsIds = ids[n]!;
    const nsSpans: number[] = new Array(2 * idsIn.length);
    spans[n] = nsSpans;
    w.text(nameSpace);
    w.head(4, idsIn.length);
    for (let i = 0; i < idsIn.length; i++) {
      const s0 = saltStart[n]! + i * saltLength;
      const elementIdentifier = idsIn[i]!;
      const elementValue = valuesIn[i];
      // The item's length, exact for ASCII text and byte strings, so its bstr head is reserved at the
      // right size and nothing moves when the item is closed (other values: a one-byte guess).
      const mark = w.beginEmbedded(
        itemFixed +
          elementIdentifier.length +
          (typeof elementValue === 'string' || elementValue instanceof Uint8Array ? elementValue.length : 0),
      );
      if (keyOrder === 'deterministic') {
        // Sorted key order (shorter keys first): random, digestID, elementValue, elementIdentifier.
        // The map head, "random" and the salt's head are one constant run.
        w.raw(itemStart);
        writeSaltBytes(w, salts, s0, saltLength);
        w.raw(KEY_DIGEST_ID);
        w.head(0, nsIds[i]!);
        w.raw(KEY_VALUE);
        w.value(elementValue);
        writeIdentifierEntry(w, elementIdentifier);
      } else {
        // CDDL order (Annex D).
        w.head(5, 4);
        w.raw(KEY_DIGEST_ID);
        w.head(0, nsIds[i]!);
        w.raw(KEY_RANDOM);
        w.head(2, saltLength);
        writeSaltBytes(w, salts, s0, saltLength);
        w.raw(KEY_IDENTIFIER);
        w.text(elementIdentifier);
        w.raw(KEY_VALUE);
        w.value(elementValue);
      }
      nsSpans[2 * i] = w.endEmbedded(mark);
      nsSpans[2 * i + 1] = w.pos;
    }
  }
  const buffer = w.buf;
  const encoded = buffer.subarray(reserve, w.pos);
  const spaces: WrittenSpace[] = new Array(count);
  for (let n = 0; n < count; n++) spaces[n] = { nameSpace: spaceNames[n]!, ids: ids[n]!, spans: spans[n]! };
  return new LazyWrittenItems(
    spaces,
    elementIds,
    elementValues,
    salts,
    saltStart,
    saltLength,
    encoded,
    buffer,
    reserve,
  );
}

/**
 * {@link WrittenItems} whose item objects are made when `nameSpaces` is first read: `issueMdoc` hashes
 * the items from their offsets, so a caller that only keeps IssuerSigned never pays for them.
 */
class LazyWrittenItems implements WrittenItems {
  readonly spaces: readonly WrittenSpace[];
  readonly encoded: Uint8Array;
  readonly buffer: Uint8Array;
  readonly start: number;
  readonly #identifiers: readonly (readonly string[])[];
  readonly #values: readonly (readonly unknown[])[];
  readonly #salts: Uint8Array;
  readonly #saltStart: readonly number[];
  readonly #saltLength: number;
  #nameSpaces: IssuedNameSpaces | undefined;

  constructor(
    spaces: readonly WrittenSpace[],
    identifiers: readonly (readonly string[])[],
    values: readonly (readonly unknown[])[],
    salts: Uint8Array,
    saltStart: readonly number[],
    saltLength: number,
    encoded: Uint8Array,
    buffer: Uint8Array,
    start: number,
  ) {
    this.spaces = spaces;
    this.encoded = encoded;
    this.buffer = buffer;
    this.start = start;
    this.#identifiers = identifiers;
    this.#values = values;
    this.#salts = salts;
    this.#saltStart = saltStart;
    this.#saltLength = saltLength;
  }

  /** namespace → items, both in input order. */
  get nameSpaces(): IssuedNameSpaces {
    if (this.#nameSpaces !== undefined) return this.#nameSpaces;
    const out = new Map<string, IssuedItem[]>();
    const saltLength = this.#saltLength;
    for (let n = 0; n < this.spaces.length; n++) {
      const { nameSpace, ids, spans } = this.spaces[n]!;
      const identifiers = this.#identifiers[n]!;
      const values = this.#values[n]!;
      const items: IssuedItem[] = new Array(ids.length);
      for (let i = 0; i < ids.length; i++) {
        const start = spans[2 * i]!;
        const end = spans[2 * i + 1]!;
        items[i] = new WrittenItem(
          ids[i]!,
          this.#salts.subarray(
            this.#saltStart[n]! + i * saltLength,
            this.#saltStart[n]! + (i + 1) * saltLength,
          ),
          identifiers[i]!,
          values[i],
          EncodedCbor.fromBytes(this.buffer.subarray(start, end)),
          writtenTagged(this.buffer, start, end),
        );
      }
      out.set(nameSpace, items);
    }
    this.#nameSpaces = out;
    return out;
  }
}

/** The salt's bytes (its head is written by the caller), copied from the salts block (no view per salt). */
function writeSaltBytes(w: CborWriter, salts: Uint8Array, from: number, length: number): void {
  w.ensure(length);
  const buf = w.buf;
  const p = w.pos;
  for (let i = 0; i < length; i++) buf[p + i] = salts[from + i]!;
  w.pos = p + length;
}

/**
 * An item written by {@link writeIssuerSignedItems}: a plain {@link IssuedItem} (views into the salts
 * block and the IssuerNameSpaces buffer) that also knows its IssuerSignedItemBytes as written, so
 * hashing it needs no re-encoding.
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

  /** IssuerSignedItemBytes: the tag-24 head and the item, as a view into IssuerNameSpaces. */
  static tagged(item: IssuedItem): Uint8Array | undefined {
    return item instanceof WrittenItem ? item.#tagged : undefined;
  }
}

/**
 * @internal the IssuerSignedItemBytes (`#6.24(bstr)`) of an item whose content is `[start, end)` of
 * `buffer` (a view: the tag and bstr head sit right in front of the content).
 */
export function writtenTagged(buffer: Uint8Array, start: number, end: number): Uint8Array {
  return buffer.subarray(start - 2 - cborHeadLength(end - start), end);
}

/** @internal the IssuerSignedItemBytes (`#6.24(bstr)`) of an item, without a copy when written here. */
export function itemTagged(item: IssuedItem): Uint8Array {
  return WrittenItem.tagged(item) ?? item.bytes.tagged();
}
