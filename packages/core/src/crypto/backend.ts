/**
 * @internal The primitives a runtime provides. `node/backend.ts` implements them with node:crypto,
 * `web/backend.ts` with WebCrypto + @noble. The public functions in `operations.ts` validate
 * arguments once and then call these, so both providers behave identically on bad input.
 */
import type { Curve } from './curves.js';
import type { PrivateKey, PublicKey } from './keys.js';
import type { CoseAlg, HashAlgorithm } from './ports.js';

export interface CryptoBackend {
  readonly name: 'node' | 'webcrypto';
  digest(hash: HashAlgorithm, data: Uint8Array): Uint8Array;
  /** The digest written to `out` at `offset` (room checked by the caller). */
  digestInto(hash: HashAlgorithm, data: Uint8Array, out: Uint8Array, offset: number): void;
  /** Whether the digest of `data` equals `expected` (public values: not constant-time). */
  digestEquals(hash: HashAlgorithm, data: Uint8Array, expected: Uint8Array): boolean;
  hmac(hash: HashAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array;
  /** Arguments validated by the caller (length ≤ 255·HashLen). */
  hkdf(hash: HashAlgorithm, ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array;
  /** CSPRNG output for public or short-lived uses (salts, nonces); it may be served from a pool. */
  randomBytes(length: number): Uint8Array;
  /** CSPRNG output for key material: drawn for the call, never through a pool (default `randomBytes`). */
  readonly keyRandomBytes?: (length: number) => Uint8Array;
  /**
   * {@link CryptoBackend.verify} where the runtime verifies synchronously: `data` is read before it
   * returns, so the caller may pass bytes in a buffer it reuses right after.
   */
  readonly verifySync?: (alg: CoseAlg, key: PublicKey, data: Uint8Array, signature: Uint8Array) => boolean;
  /**
   * Where the runtime checks an EC point when it imports a key, {@link importPublicKey} leaves the
   * check to it: import the uncompressed point of `key` (length checked by the caller) into a
   * runtime key kept for the handle — the key its first verify needs anyway — and throw
   * `ERR_CRYPTO_INVALID_KEY` if the runtime refuses it (not on the curve, a coordinate ≥ p).
   * Without it core checks the point with @noble.
   */
  readonly adoptEcPoint?: (key: PublicKey) => void;
  /** Alg/key compatibility and signature length checked by the caller. Never throws for a bad signature. */
  verify(alg: CoseAlg, key: PublicKey, data: Uint8Array, signature: Uint8Array): Promise<boolean>;
  /** Message signing; returns r‖s (ECDSA) or the EdDSA signature. */
  sign(alg: CoseAlg, key: PrivateKey, data: Uint8Array): Promise<Uint8Array>;
  /** {@link CryptoBackend.sign} without a promise, where the runtime signs synchronously (node:crypto). */
  readonly signSync?: (alg: CoseAlg, key: PrivateKey, data: Uint8Array) => Uint8Array;
  /**
   * Same-curve check done by the caller, and the RFC 7748 §6.1 all-zero check after it (so a backend
   * need not, and cannot forget to). Returns the x / u coordinate. A key the runtime refuses may
   * throw anything: the caller turns what is not an `MdlError` into `ERR_CRYPTO_INVALID_KEY`.
   */
  ecdh(curve: Curve, privateKey: PrivateKey, publicKey: PublicKey): Promise<Uint8Array>;
  /** Key 16 or 32 bytes, IV 12 bytes, 16-byte tag appended. */
  aesGcmEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
  /** Throws `ERR_CRYPTO_DECRYPT_FAILED` when the tag does not verify. */
  aesGcmDecrypt(
    key: Uint8Array,
    iv: Uint8Array,
    ciphertext: Uint8Array,
    aad: Uint8Array,
  ): Promise<Uint8Array>;
}
