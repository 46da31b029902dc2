import { digestEquals, type HashAlgorithm } from '@mdlkit/core/crypto';
import { ErrorCode, type MdlErrorDetails } from '@mdlkit/core/errors';
import type { IssuerSignedItem } from '@mdlkit/core/mdoc';

/**
 * One received IssuerSignedItem as core/mdoc reads it (`parseIssuerSignedItem`, `decodeDeviceResponse`):
 * its tag-24 bytes as received, its digest ID and its element identifier.
 */
export type DigestedItem = Pick<IssuerSignedItem, 'bytes' | 'digestID' | 'elementIdentifier'>;

/** The outcome for one namespace/item: `undefined` when it matched. */
export interface DigestFailure {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details: MdlErrorDetails;
}

/** Options for {@link verifyValueDigests}. */
export interface VerifyValueDigestsOptions {
  /** `MobileSecurityObject.digestAlgorithm`. */
  readonly digestAlgorithm: HashAlgorithm;
  /** `MobileSecurityObject.valueDigests`: namespace → digestID → digest. */
  readonly valueDigests: ReadonlyMap<string, ReadonlyMap<number, Uint8Array>>;
  /** The received items per namespace. */
  readonly nameSpaces: ReadonlyMap<string, readonly DigestedItem[]>;
}

/** Result of {@link verifyValueDigests}: every failure, and which items matched. */
export interface ValueDigestsResult {
  readonly failures: readonly DigestFailure[];
  /** `nameSpace` → set of element identifiers whose digest matched. */
  readonly matched: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * The very item objects (from `nameSpaces`) whose digest matched. Decide per item, never per
   * identifier: a forged item may carry the identifier of a genuine one that matched.
   */
  readonly matchedItems: ReadonlySet<DigestedItem>;
}

/**
 * Recomputes the digest of every received IssuerSignedItemBytes — the exact `#6.24(bstr)` bytes
 * received, tag included — and compares it with `valueDigests[nameSpace][digestID]`
 * (ISO/IEC 18013-5 §9.1.2.5, §9.3.1 step 3). A missing namespace or digest ID, a digest mismatch
 * and a digest ID received twice in one namespace are failures. Each item is hashed once.
 *
 * ```cddl
 * ValueDigests = { + NameSpace => DigestIDs }
 * DigestIDs = { + DigestID => Digest }
 * ```
 *
 * @example
 * ```ts
 * const { failures } = verifyValueDigests({ digestAlgorithm: 'SHA-256', valueDigests, nameSpaces });
 * ```
 */
export function verifyValueDigests(options: VerifyValueDigestsOptions): ValueDigestsResult {
  const failures: DigestFailure[] = [];
  const matchedItems = new Set<DigestedItem>();
  for (const [nameSpace, items] of options.nameSpaces) {
    const digests = options.valueDigests.get(nameSpace);
    const seen = items.length > 32 ? new Set<number>() : undefined;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (isRepeatedId(items, i, seen)) {
        failures.push({
          code: ErrorCode.ERR_MSO_DIGEST_ID_DUPLICATE,
          message: 'two received items share a digest ID',
          details: failureDetails(nameSpace, item),
        });
        continue;
      }
      const expected = digests?.get(item.digestID);
      if (expected === undefined) {
        failures.push({
          code: ErrorCode.ERR_MSO_DIGEST_MISSING,
          message:
            digests === undefined
              ? 'the MSO has no digests for this namespace'
              : 'the MSO has no digest for this ID',
          details: failureDetails(nameSpace, item),
        });
        continue;
      }
      // Over the item's #6.24(bstr) as it arrived, read in place (no copy).
      if (!digestEquals(options.digestAlgorithm, item.bytes, expected)) {
        failures.push({
          code: ErrorCode.ERR_MSO_DIGEST_MISMATCH,
          message: 'an item does not match its MSO digest',
          details: failureDetails(nameSpace, item),
        });
        continue;
      }
      matchedItems.add(item);
    }
  }
  return new DigestsResult(failures, matchedItems, options.nameSpaces);
}

/**
 * Whether an earlier item of the namespace has the same digest ID: a scan for the few items a
 * response usually discloses, a Set of the IDs seen so far once there are many (limits allow
 * thousands).
 */
function isRepeatedId(items: readonly DigestedItem[], i: number, seen: Set<number> | undefined): boolean {
  const id = items[i]!.digestID;
  if (seen === undefined) {
    for (let j = 0; j < i; j++) if (items[j]!.digestID === id) return true;
    return false;
  }
  if (seen.has(id)) return true;
  seen.add(id);
  return false;
}

/** The result; `matched` (by identifier) is built when first read — the reader itself uses `matchedItems`. */
class DigestsResult implements ValueDigestsResult {
  readonly failures: readonly DigestFailure[];
  readonly matchedItems: ReadonlySet<DigestedItem>;
  readonly #nameSpaces: ReadonlyMap<string, readonly DigestedItem[]>;
  #matched: Map<string, Set<string>> | undefined;

  constructor(
    failures: readonly DigestFailure[],
    matchedItems: ReadonlySet<DigestedItem>,
    nameSpaces: ReadonlyMap<string, readonly DigestedItem[]>,
  ) {
    this.failures = failures;
    this.matchedItems = matchedItems;
    this.#nameSpaces = nameSpaces;
  }

  get matched(): ReadonlyMap<string, ReadonlySet<string>> {
    if (this.#matched === undefined) {
      const matched = new Map<string, Set<string>>();
      for (const [nameSpace, items] of this.#nameSpaces) {
        const ok = new Set<string>();
        for (const item of items) if (this.matchedItems.has(item)) ok.add(item.elementIdentifier);
        matched.set(nameSpace, ok);
      }
      this.#matched = matched;
    }
    return this.#matched;
  }
}

function failureDetails(nameSpace: string, item: DigestedItem): MdlErrorDetails {
  return { nameSpace, digestId: item.digestID, elementIdentifier: item.elementIdentifier };
}
