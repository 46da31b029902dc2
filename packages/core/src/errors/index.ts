export { ErrorCode } from './codes.js';
export { isMdlError, MdlError, type MdlErrorDetails, type MdlErrorOptions } from './mdl-error.js';
