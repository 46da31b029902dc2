/**
 * The crypto operations, written once against {@link CryptoBackend}. `api.ts` binds
 * them to the provider `#crypto-backend` resolves to; `@mdlkit/core/crypto` exports the bound
 * functions (the `node` condition selects node:crypto, everything else gets WebCrypto + @noble).
 */
import { EncodedCbor, taggedView } from '../cbor/encoded-cbor.js';
import { isMdlError, MdlError } from '../errors/mdl-error.js';
import { assertAlgMatchesKey, hashForAlg, hashLength, signatureLength } from './algorithms.js';
import type { CryptoBackend } from './backend.js';
import type { Curve } from './curves.js';
import { curveInfo } from './curves.js';
import { privateKeyFromRaw } from './import-key.js';
import type { KeyPair, PrivateKey, PublicKey } from './keys.js';
import { nobleEcdsaSignDigest, nobleRandomPrivate } from './noble.js';
import type { AnyCoseSigner, CoseAlg, CoseDigestSigner, CoseSigner, HashAlgorithm } from './ports.js';

/** Options for `verifySignature`. */
export interface VerifySignatureOptions {
  /** COSE algorithm (ES256 / ES384 / ES512 / EdDSA). */
  readonly alg: CoseAlg;
  /** The signer's public key handle (reuse it: the runtime key is cached on it). */
  readonly key: PublicKey;
  /** Exactly the bytes that were signed (e.g. the encoded `Sig_structure`). */
  readonly data: Uint8Array;
  /** COSE signature: ECDSA fixed-width `r‖s`, or the EdDSA signature. */
  readonly signature: Uint8Array;
}

/** Options for `generateKeyPair`. */
export interface GenerateKeyPairOptions {
  readonly curve: Curve;
  /** Random source (defaults to the provider's CSPRNG); inject one to reproduce vectors. */
  readonly randomBytes?: ((length: number) => Uint8Array) | undefined;
}

/** Options for `createLocalSigner` / `createLocalDigestSigner`. */
export interface LocalSignerOptions {
  readonly privateKey: PrivateKey;
  readonly alg: CoseAlg;
}

/** Options for `hkdf` (RFC 5869). */
export interface HkdfOptions {
  readonly hash: HashAlgorithm;
  /** Input keying material (for 18013-5 session keys: the ECDH shared secret Z_AB). */
  readonly ikm: Uint8Array;
  /** Salt (empty = HashLen zero bytes, RFC 5869 §2.2). */
  readonly salt: Uint8Array;
  readonly info: Uint8Array;
  /** Output length in bytes, 1 … 255·HashLen. */
  readonly length: number;
}

/** Options for `ecdh`. */
export interface EcdhOptions {
  readonly privateKey: PrivateKey;
  readonly publicKey: PublicKey;
}

/** Options for `aesGcmEncrypt`. */
export interface AesGcmEncryptOptions {
  /** 32 bytes (AES-256, 18013-5 session encryption) or 16 bytes (AES-128). */
  readonly key: Uint8Array;
  /** 12 bytes. */
  readonly iv: Uint8Array;
  readonly plaintext: Uint8Array;
  /** Additional authenticated data (18013-5: empty). */
  readonly aad?: Uint8Array | undefined;
}

/** Options for `aesGcmDecrypt`. */
export interface AesGcmDecryptOptions {
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
  /** Ciphertext with the 16-byte tag appended. */
  readonly ciphertext: Uint8Array;
  readonly aad?: Uint8Array | undefined;
}

const EMPTY = new Uint8Array(0);

function assertBytes(value: unknown, name: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new MdlError('ERR_INVALID_ARGUMENT', `${name} must be a Uint8Array`, { details: { name } });
  }
}

function assertHash(hash: HashAlgorithm): void {
  hashLength(hash);
}

export function digestWith(b: CryptoBackend, hash: HashAlgorithm, data: Uint8Array): Uint8Array {
  assertHash(hash);
  assertBytes(data, 'data');
  return b.digest(hash, data);
}

export function digestIntoWith(
  b: CryptoBackend,
  hash: HashAlgorithm,
  data: Uint8Array,
  out: Uint8Array,
  offset: number,
): number {
  const length = hashLength(hash);
  assertBytes(data, 'data');
  assertBytes(out, 'out');
  if (!Number.isInteger(offset) || offset < 0 || offset + length > out.length) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'out has no room for the digest at offset', {
      details: { offset, length, outLength: out.length },
    });
  }
  b.digestInto(hash, data, out, offset);
  return offset + length;
}

export function digestEqualsWith(
  b: CryptoBackend,
  hash: HashAlgorithm,
  data: Uint8Array | EncodedCbor,
  expected: Uint8Array,
): boolean {
  assertHash(hash);
  // An embedded item is hashed over its #6.24(bstr) encoding as received, read in place.
  const bytes = data instanceof EncodedCbor ? taggedView(data) : data;
  assertBytes(bytes, 'data');
  assertBytes(expected, 'expected');
  return b.digestEquals(hash, bytes, expected);
}

export function hmacWith(
  b: CryptoBackend,
  hash: HashAlgorithm,
  key: Uint8Array,
  data: Uint8Array,
): Uint8Array {
  assertHash(hash);
  assertBytes(key, 'key');
  assertBytes(data, 'data');
  return b.hmac(hash, key, data);
}

export function hkdfWith(b: CryptoBackend, o: HkdfOptions): Uint8Array {
  const len = hashLength(o.hash);
  assertBytes(o.ikm, 'ikm');
  assertBytes(o.salt, 'salt');
  assertBytes(o.info, 'info');
  if (!Number.isInteger(o.length) || o.length < 1 || o.length > 255 * len) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'HKDF output length must be 1 … 255·HashLen', {
      details: { length: o.length },
    });
  }
  return b.hkdf(o.hash, o.ikm, o.salt, o.info, o.length);
}

export function randomBytesWith(b: CryptoBackend, length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > 1 << 20) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'randomBytes length must be 0 … 1 MiB', {
      details: { length },
    });
  }
  return b.randomBytes(length);
}

export function generateKeyPairWith(b: CryptoBackend, o: GenerateKeyPairOptions): KeyPair {
  const fromBackend = b.keyRandomBytes ?? b.randomBytes;
  const rnd = o.randomBytes ?? ((n: number) => fromBackend(n));
  const privateKey = privateKeyFromRaw(o.curve, nobleRandomPrivate(o.curve, rnd));
  return { privateKey, publicKey: privateKey.publicKey };
}

export async function verifySignatureWith(b: CryptoBackend, o: VerifySignatureOptions): Promise<boolean> {
  assertAlgMatchesKey(o.alg, o.key);
  assertBytes(o.data, 'data');
  assertBytes(o.signature, 'signature');
  if (o.signature.length !== signatureLength(o.key)) return false;
  return b.verify(o.alg, o.key, o.data, o.signature);
}

/**
 * {@link verifySignatureWith} on a backend that verifies synchronously (`undefined` on one that does
 * not): `o.data` is read before this returns.
 */
export function verifySignatureSyncWith(
  b: CryptoBackend,
): ((o: VerifySignatureOptions) => boolean) | undefined {
  const verifySync = b.verifySync;
  if (verifySync === undefined) return undefined;
  return (o) => {
    assertAlgMatchesKey(o.alg, o.key);
    assertBytes(o.data, 'data');
    assertBytes(o.signature, 'signature');
    if (o.signature.length !== signatureLength(o.key)) return false;
    return verifySync(o.alg, o.key, o.data, o.signature);
  };
}

export function createLocalSignerWith(b: CryptoBackend, o: LocalSignerOptions): CoseSigner {
  assertAlgMatchesKey(o.alg, o.privateKey);
  const { privateKey, alg } = o;
  const backendSync = b.signSync;
  // Not an async function: it hands back the backend's promise itself (an async wrapper returning a
  // promise costs two more microtask turns per signature). Bad input still rejects, never throws.
  const sign = (toBeSigned: Uint8Array): Promise<Uint8Array> => {
    try {
      assertBytes(toBeSigned, 'toBeSigned');
      return b.sign(alg, privateKey, toBeSigned);
    } catch (error) {
      return Promise.reject(error);
    }
  };
  if (backendSync === undefined) return Object.freeze({ kind: 'message' as const, alg, sign });
  return Object.freeze({
    kind: 'message' as const,
    alg,
    sign,
    signSync: (toBeSigned: Uint8Array): Uint8Array => {
      assertBytes(toBeSigned, 'toBeSigned');
      return backendSync(alg, privateKey, toBeSigned);
    },
  });
}

export function createLocalDigestSigner(o: LocalSignerOptions): CoseDigestSigner {
  assertAlgMatchesKey(o.alg, o.privateKey);
  const { privateKey, alg } = o;
  const expected = hashLength(hashForAlg(alg));
  return Object.freeze({
    kind: 'digest' as const,
    alg,
    signDigest: async (digest: Uint8Array): Promise<Uint8Array> => {
      assertBytes(digest, 'digest');
      if (digest.length !== expected) {
        throw new MdlError('ERR_INVALID_ARGUMENT', 'digest length does not match the algorithm', {
          details: { expected, actual: digest.length },
        });
      }
      return nobleEcdsaSignDigest(privateKey.curve, digest, privateKey.d);
    },
  });
}

export async function signWithPortWith(
  b: CryptoBackend,
  signer: AnyCoseSigner,
  toBeSigned: Uint8Array,
): Promise<Uint8Array> {
  assertBytes(toBeSigned, 'toBeSigned');
  let signature: unknown;
  try {
    if (signer.kind === 'message') signature = await signer.sign(toBeSigned);
    else if (signer.kind === 'digest') {
      if (signer.alg === -8) {
        throw new MdlError(
          'ERR_CRYPTO_DIGEST_SIGNING_UNSUPPORTED',
          'EdDSA cannot be signed through a digest signer (PureEdDSA signs the whole message)',
        );
      }
      signature = await signer.signDigest(b.digest(hashForAlg(signer.alg), toBeSigned));
    } else throw new MdlError('ERR_INVALID_ARGUMENT', 'unknown signer kind');
  } catch (cause) {
    if (isMdlError(cause)) throw cause;
    throw new MdlError('ERR_SIGNER_FAILED', 'signer failed', { cause });
  }
  if (!(signature instanceof Uint8Array) || signature.length === 0) {
    throw new MdlError('ERR_SIGNER_FAILED', 'signer returned no signature bytes');
  }
  return signature;
}

export async function ecdhWith(b: CryptoBackend, o: EcdhOptions): Promise<Uint8Array> {
  const { privateKey, publicKey } = o;
  if (privateKey.curve !== publicKey.curve) {
    throw new MdlError('ERR_CRYPTO_INVALID_KEY', 'ECDH keys are on different curves', {
      details: { curve: privateKey.curve, peerCurve: publicKey.curve },
    });
  }
  if (curveInfo(privateKey.curve).use === 'eddsa') {
    throw new MdlError('ERR_CRYPTO_UNSUPPORTED_CURVE', 'EdDSA keys cannot be used for key agreement', {
      details: { curve: privateKey.curve },
    });
  }
  let z: Uint8Array;
  try {
    z = await b.ecdh(privateKey.curve, privateKey, publicKey);
  } catch (cause) {
    // What the runtime throws for a key it refuses (OpenSSL, WebCrypto) becomes one typed error here,
    // for every backend.
    if (isMdlError(cause)) throw cause;
    throw new MdlError('ERR_CRYPTO_INVALID_KEY', 'ECDH failed (invalid key)', {
      details: { curve: privateKey.curve },
      cause,
    });
  }
  // RFC 7748 §6.1: an all-zero X25519 / X448 output means a small-order peer key. Checked here, over
  // whichever backend computed it, so no backend can leave it out. (For EC2 curves x = 0 is a
  // legitimate shared secret.) Every byte is ORed in: no early exit on a secret.
  if (curveInfo(privateKey.curve).kty === 'OKP') {
    let any = 0;
    for (let i = 0; i < z.length; i++) any |= z[i]!;
    if (any === 0) {
      throw new MdlError('ERR_CRYPTO_INVALID_KEY', 'ECDH failed (invalid key)', {
        details: { curve: privateKey.curve },
      });
    }
  }
  return z;
}

function checkAes(key: Uint8Array, iv: Uint8Array, aad: Uint8Array | undefined): void {
  assertBytes(key, 'key');
  assertBytes(iv, 'iv');
  if (aad !== undefined) assertBytes(aad, 'aad');
  if (key.length !== 32 && key.length !== 16) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'AES-GCM key must be 16 or 32 bytes', {
      details: { length: key.length },
    });
  }
  if (iv.length !== 12) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'AES-GCM IV must be 12 bytes', {
      details: { length: iv.length },
    });
  }
}

export async function aesGcmEncryptWith(b: CryptoBackend, o: AesGcmEncryptOptions): Promise<Uint8Array> {
  checkAes(o.key, o.iv, o.aad);
  assertBytes(o.plaintext, 'plaintext');
  return b.aesGcmEncrypt(o.key, o.iv, o.plaintext, o.aad ?? EMPTY);
}

export async function aesGcmDecryptWith(b: CryptoBackend, o: AesGcmDecryptOptions): Promise<Uint8Array> {
  checkAes(o.key, o.iv, o.aad);
  assertBytes(o.ciphertext, 'ciphertext');
  if (o.ciphertext.length < 16)
    throw new MdlError('ERR_CRYPTO_DECRYPT_FAILED', 'ciphertext shorter than the tag');
  return b.aesGcmDecrypt(o.key, o.iv, o.ciphertext, o.aad ?? EMPTY);
}
