import { EncodedCbor } from '@mdlkit/core/cbor';
import { MdlError } from '@mdlkit/core/errors';
import { type KeyOrder, type WrittenNameSpaces, writeNameSpaces } from '../internal/issuer-signed-layout.js';
import { assignDigestIds, type DigestIdStrategy, type RandomBytes } from './digest-ids.js';

export type { KeyOrder } from '../internal/issuer-signed-layout.js';

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
 * Names and identifiers are not checked here ({@link writeIssuerSignedItems} does).
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

/**
 * @internal the items as written: IssuerNameSpaces (namespaces in the key order asked for) with, per
 * namespace in input order, its digestIDs and where each item sits in the encoding. The item objects
 * are made when {@link WrittenItems.nameSpaces} is first read.
 */
export class WrittenItems {
  readonly names: readonly string[];
  readonly digestIds: readonly (readonly number[])[];
  readonly written: WrittenNameSpaces;
  readonly #split: SplitNameSpaces;
  readonly #salts: Uint8Array;
  readonly #saltLength: number;
  #nameSpaces: IssuedNameSpaces | undefined;

  constructor(
    split: SplitNameSpaces,
    digestIds: readonly (readonly number[])[],
    salts: Uint8Array,
    saltLength: number,
    written: WrittenNameSpaces,
  ) {
    this.names = split.names;
    this.digestIds = digestIds;
    this.written = written;
    this.#split = split;
    this.#salts = salts;
    this.#saltLength = saltLength;
  }

  /**
   * IssuerSignedItemBytes (`#6.24(bstr)`) of item `i` of namespace `n` (input order): a view of the
   * encoding, for hashing inside the package only.
   */
  tagged(n: number, i: number): Uint8Array {
    const spans = this.written.spans[n]!;
    return this.written.encoded.subarray(spans[3 * i]!, spans[3 * i + 2]!);
  }

  /** namespace → items, both in input order; each item's arrays are its own. */
  get nameSpaces(): IssuedNameSpaces {
    if (this.#nameSpaces !== undefined) return this.#nameSpaces;
    const out = new Map<string, IssuedItem[]>();
    const saltLength = this.#saltLength;
    const { encoded, spans } = this.written;
    let salt = 0;
    for (let n = 0; n < this.names.length; n++) {
      const identifiers = this.#split.ids[n]!;
      const values = this.#split.values[n]!;
      const ids = this.digestIds[n]!;
      const nsSpans = spans[n]!;
      const items: IssuedItem[] = new Array(ids.length);
      for (let i = 0; i < ids.length; i++) {
        items[i] = {
          digestID: ids[i]!,
          random: this.#salts.slice(salt, salt + saltLength),
          elementIdentifier: identifiers[i]!,
          elementValue: values[i],
          bytes: EncodedCbor.fromBytes(encoded.slice(nsSpans[3 * i + 1]!, nsSpans[3 * i + 2]!)),
        };
        salt += saltLength;
      }
      out.set(this.names[n]!, items);
    }
    this.#nameSpaces = out;
    return out;
  }
}

/**
 * @internal {@link createIssuerSignedItems}, keeping the items as written: checks the input, draws
 * the salts (one `randomBytes` call) and the digestIDs (one per namespace, after the salts), and
 * writes IssuerNameSpaces through the layout writer.
 *
 * @throws {@link MdlError} as {@link createIssuerSignedItems}.
 */
export function writeIssuerSignedItems(
  options: CreateIssuerSignedItemsOptions,
  split: SplitNameSpaces = splitNameSpaces(options.nameSpaces),
): WrittenItems {
  const saltLength = options.saltLength ?? 32;
  if (!Number.isInteger(saltLength) || saltLength < 16 || saltLength > 1024) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'salt length must be 16..1024 bytes');
  }
  const strategy = options.digestIdStrategy ?? 'random';
  const { names, ids: identifiers, total } = split;
  const count = names.length;
  // Map and record keys are unique already; checked anyway (by scanning when there are few).
  const seen = count > 16 ? new Set<string>() : undefined;
  for (let n = 0; n < count; n++) {
    const nameSpace = names[n]!;
    if (typeof nameSpace !== 'string' || nameSpace.length === 0) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'namespace must be a non-empty string');
    }
    if (seen === undefined ? names.indexOf(nameSpace) !== n : seen.has(nameSpace)) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'duplicate namespace', { details: { nameSpace } });
    }
    seen?.add(nameSpace);
    for (const identifier of identifiers[n]!) {
      if (typeof identifier !== 'string' || identifier.length === 0) {
        throw new MdlError('ERR_INVALID_ARGUMENT', 'element identifier must be a non-empty string', {
          details: { nameSpace },
        });
      }
    }
  }
  const salts = total === 0 ? new Uint8Array(0) : options.randomBytes(total * saltLength);
  if (!(salts instanceof Uint8Array) || salts.length !== total * saltLength) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'randomBytes returned the wrong length');
  }
  // digestIDs: one randomBytes call per namespace, in input order (after the salts).
  const digestIds: number[][] = new Array(count);
  for (let n = 0; n < count; n++) {
    digestIds[n] = assignDigestIds({
      nameSpace: names[n]!,
      count: identifiers[n]!.length,
      strategy,
      randomBytes: options.randomBytes,
    });
  }
  const written = writeNameSpaces(
    { names, identifiers, values: split.values, digestIds, salts, saltLength },
    options.keyOrder ?? 'deterministic',
  );
  return new WrittenItems(split, digestIds, salts, saltLength, written);
}
