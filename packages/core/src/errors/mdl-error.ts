import type { ErrorCode } from './codes.js';

/** Structured, non-secret details an error may carry (names, ids, sizes — never element values). */
export type MdlErrorDetails = Readonly<Record<string, string | number | boolean | undefined>>;

/** Options for {@link MdlError}. */
export interface MdlErrorOptions {
  /** Typed, non-secret context (namespace, digest id, limit, offset …). */
  readonly details?: MdlErrorDetails;
  /** The underlying error (SDK error, crypto error), kept for debugging. */
  readonly cause?: unknown;
}

/**
 * The one error type mdlkit throws. `code` is stable and is what callers and tests branch on;
 * `message` is for people and never contains secrets or data element values. `C` is one of core's
 * {@link ErrorCode}s by default; an adapter package may define its own codes (a union of string
 * literals, `ERR_<AREA>_…`) and a subclass for them, as `@mdlkit/pkcs11` does.
 *
 * @example
 * ```ts
 * try { decodeCbor(bytes) } catch (e) { if (isMdlError(e, 'ERR_CBOR_TRUNCATED')) … }
 * ```
 */
export class MdlError<C extends string = ErrorCode> extends Error {
  /** The stable error code. */
  readonly code: C;
  /** Typed, non-secret details. */
  readonly details: MdlErrorDetails;

  constructor(code: C, message: string, options: MdlErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MdlError';
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** True when `error` is an {@link MdlError} (optionally with the given code). */
export function isMdlError<C extends string = ErrorCode>(error: unknown, code?: C): error is MdlError<C> {
  return error instanceof MdlError && (code === undefined || error.code === code);
}
