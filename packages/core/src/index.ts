/**
 * @module
 * The mdlkit core: the COSE signer ports and algorithm ids, the error type and codes, and the cache
 * registry (`cacheStats`, `setCacheLimits`, `clearCaches`). The parts live in subpath entries:
 * `/cbor`, `/cose`, `/crypto`, `/errors`, `/session`, `/mdoc`, `/status`, `/online`.
 */
export {
  BoundedCache,
  type BoundedCacheOptions,
  type CacheAdmission,
  type CacheKind,
  type CacheLimits,
  type CacheStats,
  cacheStats,
  clearCaches,
  HandleMemo,
  type SightingsOptions,
  setCacheLimits,
  stringBytes,
} from './caches.js';
export {
  type AnyCoseSigner,
  CoseAlg,
  type CoseDigestSigner,
  CoseMacAlg,
  type CoseSigner,
  type HashAlgorithm,
} from './crypto/ports.js';
export {
  ErrorCode,
  isMdlError,
  MdlError,
  type MdlErrorDetails,
  type MdlErrorOptions,
} from './errors/index.js';
