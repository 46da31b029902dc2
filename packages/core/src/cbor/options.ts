import type { CborBudget } from './budget.js';

/**
 * Resource limits applied while decoding. Every limit fails with its own typed error before the
 * decoder allocates anything proportional to a declared (untrusted) length.
 */
export interface CborLimits {
  /** Largest accepted input in bytes (`ERR_CBOR_INPUT_TOO_LARGE`). */
  readonly maxInputSize: number;
  /**
   * Deepest accepted nesting (`ERR_CBOR_DEPTH_EXCEEDED`). Arrays, maps and tags each add one level:
   * `1` has depth 0, `[1]` depth 1, `[{1: 24(h'')}]` depth 3.
   */
  readonly maxDepth: number;
  /** Most data items in one input, counting every key, value, element and tag (`ERR_CBOR_ITEM_COUNT_EXCEEDED`). */
  readonly maxItems: number;
  /** Longest byte or text string, in bytes (`ERR_CBOR_STRING_TOO_LONG`). */
  readonly maxStringLength: number;
}

/**
 * Safe defaults: 16 MiB input, nesting depth 64, 1,048,576 items, 8 MiB per string. An mDL
 * DeviceResponse with a portrait is a few KiB with depth < 12; VICALs reach a few MiB.
 *
 * @example
 * ```ts
 * decodeCbor(bytes, { ...DEFAULT_CBOR_LIMITS, maxInputSize: 64 * 1024 });
 * ```
 */
export const DEFAULT_CBOR_LIMITS: CborLimits = Object.freeze({
  maxInputSize: 16 * 1024 * 1024,
  maxDepth: 64,
  maxItems: 1024 * 1024,
  maxStringLength: 8 * 1024 * 1024,
});

/** Options for {@link decodeCbor}; every limit defaults to {@link DEFAULT_CBOR_LIMITS}. */
export interface CborDecodeOptions extends Partial<CborLimits> {
  /**
   * A budget shared with other decodes of one operation ({@link CborBudget}): `maxItems` then counts
   * the items of every decode under it together (tag-24 items decoded later included), and its
   * `maxBytes` bounds their total input.
   */
  readonly budget?: CborBudget;
  /** Accept indefinite-length strings, arrays and maps (default `false`: `ERR_CBOR_INDEFINITE_LENGTH`). */
  readonly allowIndefinite?: boolean;
  /**
   * Accept non-preferred (longer than necessary) integer, length and tag-number encodings
   * (default `false`: `ERR_CBOR_NON_PREFERRED`).
   */
  readonly allowNonPreferred?: boolean;
  /**
   * Accept tdate (tag 0) text with fractional seconds or a numeric offset, as foreign data sometimes
   * carries (default `false`: 18013-5 allows only `YYYY-MM-DDTHH:MM:SSZ`).
   */
  readonly lenientDates?: boolean;
  /**
   * Called once for every deviation an `allow…` / `lenient…` option let through (never for strict
   * options, which throw instead), with the input offset of the item. This is how a verifier reports
   * what it tolerated; embedded (tag-24) items decoded later with the same options report too.
   */
  readonly onTolerated?: (deviation: CborDeviation, offset: number) => void;
  /**
   * Reject floating-point values (major type 7, additional information 25–27) anywhere in this input
   * and in the tag-24 items decoded from it (`ERR_CBOR_FLOAT_NOT_ALLOWED`). For structures whose CDDL
   * has no float at all, such as the MobileSecurityObject, so a `uint` is major type 0 only and
   * `f9 3c00` is never read as 1.
   */
  readonly noFloats?: boolean;
}

/**
 * An encoding deviation a lenient decode tolerated: a non-shortest argument (`non-preferred`), an
 * indefinite-length item, or a tdate that is not `YYYY-MM-DDTHH:MM:SSZ` (`tdate-form`: fractional
 * seconds, an offset, lower-case letters).
 */
export type CborDeviation = 'non-preferred' | 'indefinite-length' | 'tdate-form';

/** Options for {@link encodeCbor}. */
export interface CborEncodeOptions {
  /**
   * Map key order. `'deterministic'` (default) sorts keys bytewise by their encoding (RFC 8949
   * §4.2.1 core deterministic encoding); `'insertion'` keeps the `Map` / object order, which is what
   * the byte-exact Annex D rebuilds need (their maps list keys in CDDL order).
   */
  readonly keyOrder?: 'deterministic' | 'insertion';
}
