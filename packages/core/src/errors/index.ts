/**
 * @module
 * `@mdlkit/core/errors`: the one error type (`MdlError`), its stable codes and the details each code carries.
 */
export { ErrorCode } from './codes.js';
export type {
  CborErrorDetails,
  CoreErrorDetailsByCode,
  CoseAlgErrorDetails,
  ErrorDetails,
  ErrorDetailsByCode,
  HolderRecordErrorDetails,
  InputFormatErrorDetails,
  IssueMismatchErrorDetails,
  LimitErrorDetails,
  MdlErrorCode,
  MdlErrorDetails,
  ProfileViolationErrorDetails,
  SignerErrorDetails,
  StructureErrorDetails,
  ValidityTooLongErrorDetails,
} from './details.js';
export { isMdlError, MdlError, type MdlErrorOptions, type MdlErrorOptionsArg } from './mdl-error.js';
