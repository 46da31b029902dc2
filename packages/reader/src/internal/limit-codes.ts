/**
 * @module
 * The error codes that are resource guards: a limit or the response's one CBOR budget running out
 * stops the whole call, wherever it happens — it never becomes the failure of one check or one
 * document (docs/security.md). Internal.
 */
import { ErrorCode } from '@mdlkit/core/errors';

const LIMIT_CODES: ReadonlySet<string> = new Set([
  ErrorCode.ERR_CBOR_INPUT_TOO_LARGE,
  ErrorCode.ERR_CBOR_DEPTH_EXCEEDED,
  ErrorCode.ERR_CBOR_ITEM_COUNT_EXCEEDED,
  ErrorCode.ERR_CBOR_STRING_TOO_LONG,
]);

/** Whether `code` is a resource guard (`ERR_LIMIT_*` or a CBOR limit). */
export function isLimitCode(code: string): boolean {
  return code.startsWith('ERR_LIMIT_') || LIMIT_CODES.has(code);
}
