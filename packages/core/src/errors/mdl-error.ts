import type { ErrorCode } from './codes.js';
import type { ErrorDetails, ErrorDetailsByCode, MdlErrorCode, MdlErrorDetails } from './details.js';

/** Options for {@link MdlError} with code `C`. */
export interface MdlErrorOptions<C extends MdlErrorCode = ErrorCode> {
  /** Typed, non-secret context (namespace, digest id, limit, offset …): the shape {@link ErrorDetailsByCode} gives `C`. */
  readonly details?: ErrorDetailsByCode[C];
  /** The underlying error (SDK error, crypto error), kept for debugging. */
  readonly cause?: unknown;
}

/**
 * The options argument of {@link MdlError}'s constructor: optional when the code's details have no
 * required field, required (with `details`) when they do — so `err.details` never lies about a field.
 */
export type MdlErrorOptionsArg<C extends MdlErrorCode> =
  Record<never, never> extends ErrorDetailsByCode[C]
    ? [options?: MdlErrorOptions<C>]
    : [options: MdlErrorOptions<C> & { readonly details: ErrorDetailsByCode[C] }];

/**
 * The one error type mdlkit throws. `code` is stable and is what callers and tests branch on;
 * `message` is for people and never contains secrets or data element values; `details` has the shape
 * the code declares in {@link ErrorDetailsByCode}. `C` is one of core's {@link ErrorCode}s by default; an
 * adapter package registers its own codes (`ERR_<AREA>_…`) in {@link ErrorDetailsByCode} and may add
 * a subclass for them, as `@mdlkit/pkcs11` does.
 *
 * @example
 * ```ts
 * try { decodeCbor(bytes) } catch (e) {
 *   if (isMdlError(e, 'ERR_CBOR_TRUNCATED')) console.log(e.details.offset); // number | undefined
 * }
 * ```
 */
export class MdlError<C extends MdlErrorCode = ErrorCode> extends Error {
  /** The stable error code. */
  readonly code: C;
  /** Typed, non-secret details (`{}` when none were given). */
  readonly details: ErrorDetails<C>;

  constructor(code: C, message: string, ...[options]: MdlErrorOptionsArg<C>) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MdlError';
    this.code = code;
    this.details = (options?.details ?? {}) as ErrorDetails<C>;
  }
}

/** True when `error` is an {@link MdlError} (optionally with the given code); narrows `details` to that code's. */
export function isMdlError<C extends MdlErrorCode = ErrorCode>(
  error: unknown,
  code?: C,
): error is MdlError<C> {
  return error instanceof MdlError && (code === undefined || error.code === code);
}

export type { MdlErrorDetails };
