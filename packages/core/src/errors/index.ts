/**
 * @module
 * `@mdlkit/core/errors`: the one error type (`MdlError`) and its stable codes.
 */
export { ErrorCode } from './codes.js';
export { isMdlError, MdlError, type MdlErrorDetails, type MdlErrorOptions } from './mdl-error.js';
