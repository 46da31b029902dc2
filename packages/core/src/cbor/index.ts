/**
 * @module
 * `@mdlkit/core/cbor`: the one CBOR profile (RFC 8949 preferred, definite-length; tag 24 with the
 * received bytes kept, tdate and full-date), decoding under limits and one budget per input, and the
 * byte helpers. Decision 0002.
 */
export { CborBudget } from './budget.js';
export {
  bytesEqual,
  concatBytes,
  fromBase64Url,
  fromHex,
  toBase64Url,
  toHex,
  utf8Decode,
  utf8Encode,
} from './bytes.js';
export { decodeCbor } from './decode.js';
export { CborWriter, cborHeadLength, compareTextKeys, encodeCbor, encodeCborWith } from './encode.js';
export { EncodedCbor } from './encoded-cbor.js';
export { cborMapGet, isCborMap } from './map.js';
export {
  type CborDecodeOptions,
  type CborDeviation,
  type CborEncodeOptions,
  type CborLimits,
  DEFAULT_CBOR_LIMITS,
} from './options.js';
export { CborSimple, CborTag, CborTagged, FullDate, RawCbor, TDate, type TDateOptions } from './types.js';
