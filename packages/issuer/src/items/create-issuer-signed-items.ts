import { EncodedCbor } from '@mdlkit/core/cbor';
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
  const saltLength = options.saltLength ?? 32;
  if (!Number.isInteger(saltLength) || saltLength < 16 || saltLength > 1024) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'salt length must be 16..1024 bytes');
  }
  const keyOrder = options.keyOrder ?? 'deterministic';
  const strategy = options.digestIdStrategy ?? 'random';
  const out = new Map<string, IssuedItem[]>();
  const nameSpaces = entriesOf(options.nameSpaces).map(([ns, els]) => [ns, entriesOf(els)] as const);
  const total = nameSpaces.reduce((n, [, els]) => n + els.length, 0);
  const salts = total === 0 ? new Uint8Array(0) : options.randomBytes(total * saltLength);
  if (!(salts instanceof Uint8Array) || salts.length !== total * saltLength) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'randomBytes returned the wrong length');
  }
  let next = 0;
  const drafts = nameSpaces.map(([nameSpace, elements]) => {
    if (typeof nameSpace !== 'string' || nameSpace.length === 0) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'namespace must be a non-empty string');
    }
    const list = elements.map(([elementIdentifier, elementValue]) => {
      if (typeof elementIdentifier !== 'string' || elementIdentifier.length === 0) {
        throw new MdlError('ERR_INVALID_ARGUMENT', 'element identifier must be a non-empty string', {
          details: { nameSpace },
        });
      }
      const random = salts.subarray(next * saltLength, (next + 1) * saltLength);
      next++;
      return { elementIdentifier, elementValue, random };
    });
    return { nameSpace, list };
  });
  for (const { nameSpace, list } of drafts) {
    if (out.has(nameSpace)) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'duplicate namespace', { details: { nameSpace } });
    }
    const ids = assignDigestIds({
      nameSpace,
      count: list.length,
      strategy,
      randomBytes: options.randomBytes,
    });
    out.set(
      nameSpace,
      list.map((d, i) => {
        const digestID = ids[i]!;
        // Deterministic output is built in its sorted key order (shorter keys first: random,
        // digestID, elementValue, elementIdentifier), so the encoder has nothing to reorder.
        const item = new Map<string, unknown>(
          keyOrder === 'deterministic'
            ? [
                ['random', d.random],
                ['digestID', digestID],
                ['elementValue', d.elementValue],
                ['elementIdentifier', d.elementIdentifier],
              ]
            : [
                ['digestID', digestID],
                ['random', d.random],
                ['elementIdentifier', d.elementIdentifier],
                ['elementValue', d.elementValue],
              ],
        );
        return {
          digestID,
          random: d.random,
          elementIdentifier: d.elementIdentifier,
          elementValue: d.elementValue,
          bytes: EncodedCbor.fromValue(item, { keyOrder }),
        };
      }),
    );
  }
  return out;
}
