import { ErrorCode } from '../../errors/codes.js';
import { MdlError, type MdlErrorDetails } from '../../errors/mdl-error.js';

/** Throws `ERR_TRANSCRIPT_INVALID` with a `path` naming the offending part (never a value). */
export function transcriptInvalid(message: string, path: string, cause?: unknown): never {
  throw new MdlError(ErrorCode.ERR_TRANSCRIPT_INVALID, message, {
    details: { path },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Throws `ERR_STRUCTURE_INVALID` for a session message that does not match its CDDL. */
export function structureInvalid(message: string, details: MdlErrorDetails, cause?: unknown): never {
  throw new MdlError(ErrorCode.ERR_STRUCTURE_INVALID, message, {
    details,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Throws `ERR_INVALID_ARGUMENT` for a caller mistake (wrong option type or size). */
export function invalidArgument(message: string, details: MdlErrorDetails = {}): never {
  throw new MdlError(ErrorCode.ERR_INVALID_ARGUMENT, message, { details });
}
