/**
 * @module
 * `@mdlkit/core/crypto` under the `node` export condition: the same functions as the browser entry,
 * over node:crypto (OpenSSL).
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
} from './node/api.js';
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
