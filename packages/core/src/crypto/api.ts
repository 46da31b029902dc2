/**
 * @internal The provider-bound crypto functions, written once. `#crypto-backend` (core's package.json
 * `imports`) is `node/backend.ts` under the `node` condition and `web/backend.ts` everywhere else, so
 * Node and the browser each load one backend and neither branches at run time (decision 0028).
 */
import { backend } from '#crypto-backend';
import type { CryptoFunctions } from './bind.js';
import { bindCrypto } from './bind.js';

const api: CryptoFunctions = bindCrypto(backend);

/**
 * Which provider these functions use: `'node'` (node:crypto, selected by the `node`
 * condition) or `'webcrypto'` (WebCrypto + `@noble` everywhere else).
 *
 * @example
 * ```ts
 * if (cryptoProvider === 'node') console.log('native OpenSSL');
 * ```
 */
export const cryptoProvider: CryptoFunctions['cryptoProvider'] = api.cryptoProvider;

/**
 * Hash `data` with SHA-256 / SHA-384 / SHA-512 (synchronous on every provider).
 *
 * @example
 * ```ts
 * const salt = digest('SHA-256', sessionTranscriptBytes);
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for an unknown hash or non-`Uint8Array` data.
 */
export const digest: CryptoFunctions['digest'] = api.digest;

/**
 * Whether the SHA-256 / SHA-384 / SHA-512 digest of `data` equals `expected` — what a reader asks
 * of every received IssuerSignedItem. Same answer as comparing {@link digest} with the expected
 * bytes, without materialising the digest (on node:crypto it never leaves a string). An
 * `EncodedCbor` is hashed over its `#6.24(bstr)` encoding (`tagged()`) as received, read in
 * place without a copy. Digests are public values: the comparison is not constant-time.
 *
 * @example
 * ```ts
 * digestEquals('SHA-256', item.bytes, valueDigests.get(nameSpace)!.get(digestID)!); // true
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for an unknown hash or non-`Uint8Array` input.
 */
export const digestEquals: CryptoFunctions['digestEquals'] = api.digestEquals;

/**
 * Hash `data` with SHA-256 / SHA-384 / SHA-512 and write the digest into `out` at `offset`, without
 * an array for the digest itself — for writers that place many digests (an MSO's value digests)
 * straight into the buffer they encode. Returns the offset after the digest.
 *
 * @example
 * ```ts
 * const out = new Uint8Array(64);
 * digestInto('SHA-256', itemBytes, out, 32); // 64
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for an unknown hash, non-`Uint8Array` data or
 * output, or no room for the digest at `offset`.
 */
export const digestInto: CryptoFunctions['digestInto'] = api.digestInto;

/**
 * HMAC (RFC 2104) with SHA-256 / SHA-384 / SHA-512. Compare tags with `constantTimeEqual`.
 *
 * @example
 * ```ts
 * const tag = hmac('SHA-256', eMacKey, macStructure);
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT`.
 */
export const hmac: CryptoFunctions['hmac'] = api.hmac;

/**
 * HKDF extract-and-expand (RFC 5869). 18013-5 §9.1.1.5 session keys: `hash` SHA-256,
 * `ikm` = Z_AB, `salt` = SHA-256(SessionTranscriptBytes), `info` = "SKReader" / "SKDevice" / "EMacKey", `length` 32.
 *
 * @example
 * ```ts
 * const skReader = hkdf({ hash: 'SHA-256', ikm: zab, salt, info: utf8('SKReader'), length: 32 });
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` (length outside 1 … 255·HashLen).
 */
export const hkdf: CryptoFunctions['hkdf'] = api.hkdf;

/**
 * Cryptographically secure random bytes from the provider's CSPRNG.
 *
 * @example
 * ```ts
 * const salt = randomBytes(32);
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for a negative, fractional or > 1 MiB length.
 */
export const randomBytes: CryptoFunctions['randomBytes'] = api.randomBytes;

/**
 * Generate a key pair on any supported curve (scalar / seed drawn from `randomBytes`, or the
 * provider's CSPRNG).
 *
 * @example
 * ```ts
 * const { privateKey, publicKey } = generateKeyPair({ curve: 'P-256' });
 * ```
 * @throws {@link MdlError} `ERR_CRYPTO_UNSUPPORTED_CURVE`.
 */
export const generateKeyPair: CryptoFunctions['generateKeyPair'] = api.generateKeyPair;

/**
 * Verify a COSE signature over `data`. ECDSA signatures are fixed-width `r‖s` and high-S values
 * are accepted (OpenSSL / KMS produce them); a signature of the wrong length, out-of-range r / s,
 * or otherwise invalid resolves to `false` — never a crash.
 *
 * @example
 * ```ts
 * const ok = await verifySignature({ alg: CoseAlg.ES256, key, data: sigStructure, signature });
 * ```
 * @throws {@link MdlError} `ERR_COSE_ALG_KEY_MISMATCH` (e.g. ES256 with an Ed25519 key),
 * `ERR_COSE_ALG_UNSUPPORTED`, `ERR_INVALID_ARGUMENT`.
 */
export const verifySignature: CryptoFunctions['verifySignature'] = api.verifySignature;

/**
 * {@link verifySignature} without a promise, where the provider verifies synchronously (node:crypto);
 * `undefined` where it does not (WebCrypto). `data` is read before it returns, so a caller may pass
 * bytes in a buffer it reuses right after.
 *
 * @example
 * ```ts
 * const ok = verifySignatureSync?.({ alg: CoseAlg.ES256, key, data, signature }) ?? (await verifySignature({ alg: CoseAlg.ES256, key, data, signature }));
 * ```
 * @throws {@link MdlError} as {@link verifySignature}.
 */
export const verifySignatureSync: CryptoFunctions['verifySignatureSync'] = api.verifySignatureSync;

/**
 * A {@link CoseSigner} backed by an in-memory private key (holders, tests, development).
 *
 * @example
 * ```ts
 * const signer = createLocalSigner({ privateKey, alg: CoseAlg.ES256 });
 * const sig = await signWithPort(signer, sigStructure);
 * ```
 * @throws {@link MdlError} `ERR_COSE_ALG_KEY_MISMATCH`, `ERR_COSE_ALG_UNSUPPORTED`.
 */
export const createLocalSigner: CryptoFunctions['createLocalSigner'] = api.createLocalSigner;

/**
 * A {@link CoseDigestSigner} backed by an in-memory ECDSA key: signs a precomputed digest like
 * AWS KMS `MessageType: DIGEST` does, so the KMS code path can be tested locally.
 *
 * @example
 * ```ts
 * const signer = createLocalDigestSigner({ privateKey, alg: CoseAlg.ES256 });
 * ```
 * @throws {@link MdlError} `ERR_COSE_ALG_KEY_MISMATCH` (EdDSA keys), `ERR_CRYPTO_DIGEST_SIGNING_UNSUPPORTED`.
 */
export const createLocalDigestSigner: CryptoFunctions['createLocalDigestSigner'] =
  api.createLocalDigestSigner;

/**
 * Sign to-be-signed bytes through either signer port: message signers get the bytes, digest
 * signers get their hash under {@link hashForAlg}(alg) (design decision 3, 18013-5 digest §3.5).
 *
 * @example
 * ```ts
 * const signature = await signWithPort(kmsSigner, encodedSigStructure);
 * ```
 * @throws {@link MdlError} `ERR_CRYPTO_DIGEST_SIGNING_UNSUPPORTED` (EdDSA digest signer),
 * `ERR_SIGNER_FAILED` (the signer threw a non-mdlkit error or returned no bytes).
 */
export const signWithPort: CryptoFunctions['signWithPort'] = api.signWithPort;

/**
 * ECDH (BSI TR-03111 ECKA-DH / RFC 7748): the shared secret Z_AB — the x coordinate for EC2
 * curves, the u coordinate for X25519 / X448.
 *
 * @example
 * ```ts
 * const zab = await ecdh({ privateKey: eReaderKey, publicKey: eDeviceKey });
 * ```
 * @throws {@link MdlError} `ERR_CRYPTO_INVALID_KEY` (different curves, all-zero result),
 * `ERR_CRYPTO_UNSUPPORTED_CURVE` (EdDSA keys).
 */
export const ecdh: CryptoFunctions['ecdh'] = api.ecdh;

/**
 * AES-GCM encryption with a 16-byte tag appended (18013-5 §9.1.1.5 uses AES-256-GCM, 12-byte IV).
 *
 * @example
 * ```ts
 * const data = await aesGcmEncrypt({ key: skReader, iv, plaintext });
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` (key not 16 / 32 bytes, IV not 12 bytes).
 */
export const aesGcmEncrypt: CryptoFunctions['aesGcmEncrypt'] = api.aesGcmEncrypt;

/**
 * AES-GCM decryption of `ciphertext‖tag`.
 *
 * @example
 * ```ts
 * const plaintext = await aesGcmDecrypt({ key: skDevice, iv, ciphertext: data });
 * ```
 * @throws {@link MdlError} `ERR_CRYPTO_DECRYPT_FAILED` (tag mismatch, truncated input),
 * `ERR_INVALID_ARGUMENT`.
 */
export const aesGcmDecrypt: CryptoFunctions['aesGcmDecrypt'] = api.aesGcmDecrypt;
