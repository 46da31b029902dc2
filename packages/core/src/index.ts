export {
  BoundedCache,
  type BoundedCacheOptions,
  type CacheKind,
  type CacheLimits,
  type CacheStats,
  cacheStats,
  clearCaches,
  HandleMemo,
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
