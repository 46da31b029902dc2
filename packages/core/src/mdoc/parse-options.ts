import type { CborDecodeOptions } from '../cbor/options.js';
import { MdlError } from '../errors/mdl-error.js';

/**
 * Count limits of one parse, on top of the CBOR decoder's own limits (depth, items, string length,
 * the shared {@link CborBudget}). Each exceeded limit throws its own code.
 */
export interface MdocLimits {
  /** Most documents in one DeviceResponse (`ERR_LIMIT_DOCUMENTS`). */
  readonly maxDocuments: number;
  /** Most namespaces per document, issuer- and device-signed counted separately (`ERR_LIMIT_NAMESPACES`). */
  readonly maxNameSpaces: number;
  /** Most data elements per document, issuer- and device-signed together (`ERR_LIMIT_ELEMENTS`). */
  readonly maxElements: number;
}

/**
 * The count limits used when none are given — the reader's defaults: a few documents, each with a
 * few hundred elements, fit comfortably.
 *
 * @example
 * ```ts
 * decodeDeviceResponse(bytes, { limits: { ...DEFAULT_MDOC_LIMITS, maxDocuments: 2 } });
 * ```
 */
export const DEFAULT_MDOC_LIMITS: MdocLimits = Object.freeze({
  maxDocuments: 16,
  maxNameSpaces: 64,
  maxElements: 1024,
});

/**
 * Which rules a parse holds a structure to.
 *
 * - `'model'` (default): every rule of the CDDL and of the clauses the model quotes is checked here
 *   and fails with `ERR_STRUCTURE_INVALID` (text-only keys, COSE message shapes, exactly one of
 *   deviceSignature / deviceMac, non-empty and non-overlapping keyAuthorizations, one entry per
 *   DocumentError, digestIDs below 2^31, an MSO status naming exactly one mechanism with well-formed
 *   entries).
 * - `'verifier'`: what a verifier reads before it checks each document on its own. Everything it
 *   hashes or reads is still checked here, but the rules that the verifier reports per document (with
 *   their own codes, so that one bad document does not hide the others) are left to it: COSE messages
 *   and DeviceAuth entries are kept as decoded, keyAuthorizations may be empty or overlap (they
 *   authorise what they list), status entries are kept as decoded maps, keys that are not text are
 *   ignored, a major version other than 1 fails with `ERR_VERSION_UNSUPPORTED` and an unknown MSO
 *   digest algorithm with `ERR_MSO_INVALID`.
 */
export type MdocRules = 'model' | 'verifier';

/** Options of the `parse*` functions of `@mdlkit/core/mdoc` (structures already decoded). */
export interface MdocParseOptions {
  /** Count limits; missing ones default to {@link DEFAULT_MDOC_LIMITS}. */
  readonly limits?: Partial<MdocLimits>;
  /** {@link MdocRules}; `'model'` by default. */
  readonly rules?: MdocRules;
}

/**
 * Options of the `decode*` functions of `@mdlkit/core/mdoc`: the CBOR profile and limits (pass one
 * `budget` to bound the whole input, every tag-24 item and COSE header decoded from it included)
 * plus the {@link MdocParseOptions}.
 */
export interface MdocDecodeOptions extends CborDecodeOptions, MdocParseOptions {}

/** @internal The resolved options of one parse. */
export interface ParseContext {
  readonly limits: MdocLimits;
  readonly verifier: boolean;
}

const MODEL: ParseContext = { limits: DEFAULT_MDOC_LIMITS, verifier: false };
const VERIFIER: ParseContext = { limits: DEFAULT_MDOC_LIMITS, verifier: true };

/** @internal */
export function parseContext(options: MdocParseOptions | MdocDecodeOptions | undefined): ParseContext {
  if (options === undefined) return MODEL;
  const verifier = options.rules === 'verifier';
  const given = options.limits;
  if (given === undefined) return verifier ? VERIFIER : MODEL;
  // Only the count limits are read (an options object may carry other limits beside them).
  const limits: MdocLimits = {
    maxDocuments: countLimit(given, 'maxDocuments'),
    maxNameSpaces: countLimit(given, 'maxNameSpaces'),
    maxElements: countLimit(given, 'maxElements'),
  };
  return { limits, verifier };
}

function countLimit(given: Partial<MdocLimits>, name: keyof MdocLimits): number {
  const value = given[name];
  if (value === undefined) return DEFAULT_MDOC_LIMITS[name];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'limits must be non-negative integers', {
      details: { limit: name },
    });
  }
  return value;
}

/** @internal Throws the code of an exceeded count limit. */
export function overLimit(
  code: 'ERR_LIMIT_DOCUMENTS' | 'ERR_LIMIT_NAMESPACES' | 'ERR_LIMIT_ELEMENTS',
  message: string,
  max: number,
  actual: number,
): never {
  throw new MdlError(code, message, { details: { limit: max, actual } });
}
