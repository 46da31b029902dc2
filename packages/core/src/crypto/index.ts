/**
 * @module
 * `@mdlkit/core/crypto` (WebCrypto and `@noble` everywhere but Node): keys, hashes, HMAC / HKDF, ECDSA /
 * EdDSA sign and verify, ECDH, AES-GCM and local signers, each primitive wrapped once with every
 * option stated. One entry for every runtime: Node gets the functions over node:crypto (OpenSSL), other
 * runtimes over WebCrypto + `@noble` — the backend is chosen by the `node` condition of
 * `#crypto-backend` in core's package.json `imports`.
 */
export {
  assertAlgMatchesKey,
  assertIsoAlgCurvePair,
  constantTimeEqual,
  hashForAlg,
  hashLength,
  ISO_ALG_CURVES,
  isCoseAlg,
} from './algorithms.js';
export {
  aesGcmDecrypt,
  aesGcmEncrypt,
  createLocalDigestSigner,
  createLocalSigner,
  cryptoProvider,
  digest,
  digestEquals,
  digestInto,
  ecdh,
  generateKeyPair,
  hkdf,
  hmac,
  randomBytes,
  signWithPort,
  verifySignature,
  verifySignatureSync,
} from './api.js';
export {
  Curve,
  type CurveInfo,
  curveFromCoseCrv,
  curveInfo,
  isCurve,
  type KeyType,
} from './curves.js';
export { ecdsaDerToRaw, ecdsaRawToDer } from './ecdsa-signature.js';
export {
  exportPrivateKey,
  exportPublicKey,
  importPrivateKey,
  importPublicKey,
  type PrivateKeyInput,
  type PublicKeyFormat,
  type PublicKeyInput,
} from './import-key.js';
export type {
  DecryptDataKeyOptions,
  EncryptionContext,
  GenerateDataKeyOptions,
  GeneratedDataKey,
  KeyEncryptionKey,
  RewrapDataKeyOptions,
} from './key-encryption.js';
export type { Jwk, KeyPair, PrivateKey, PublicKey } from './keys.js';
export type {
  AesGcmDecryptOptions,
  AesGcmEncryptOptions,
  EcdhOptions,
  GenerateKeyPairOptions,
  HkdfOptions,
  LocalSignerOptions,
  VerifySignatureOptions,
} from './operations.js';
export {
  type AnyCoseSigner,
  CoseAlg,
  type CoseDigestSigner,
  CoseMacAlg,
  type CoseSigner,
  type HashAlgorithm,
} from './ports.js';
