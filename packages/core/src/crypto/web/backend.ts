/**
 * @internal The WebCrypto provider for browsers, Deno, Bun, workers (and anything else without
 * the `node` condition; `#crypto-backend` in core's package.json `imports`). WebCrypto does the NIST curves, AES-GCM, and Ed25519 / X25519
 * where the runtime has them; @noble fills the gaps (brainpool, Ed448, X448, and Ed25519 / X25519
 * on runtimes without them). Hashes, HMAC and HKDF use @noble/hashes so they can be synchronous.
 * Runtime `CryptoKey`s are cached per key handle in WeakMaps.
 */
import { hkdf as nobleHkdf } from '@noble/hashes/hkdf.js';
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { type HandleMemo, webKeys, webSupport } from '../../caches.js';
import { MdlError } from '../../errors/mdl-error.js';
import { hashForAlg } from '../algorithms.js';
import type { CryptoBackend } from '../backend.js';
import type { Curve } from '../curves.js';
import { curveInfo } from '../curves.js';
import type { PrivateKey, PublicKey } from '../keys.js';
import {
  nobleEcdh,
  nobleEcdsaSignDigest,
  nobleEcdsaVerifyDigest,
  nobleEddsaSign,
  nobleEddsaVerify,
} from '../noble.js';
import type { HashAlgorithm } from '../ports.js';
import { encodePkcs8 } from '../spki.js';

const NOBLE_HASH = { 'SHA-256': sha256, 'SHA-384': sha384, 'SHA-512': sha512 } as const;

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (s === undefined) throw new MdlError('ERR_NOT_SUPPORTED', 'WebCrypto (crypto.subtle) is not available');
  return s;
}

const NIST: ReadonlySet<Curve> = new Set<Curve>(['P-256', 'P-384', 'P-521']);

/** WebCrypto wants ArrayBuffer-backed views; copy only when needed. */
const buf = (b: Uint8Array): Uint8Array<ArrayBuffer> =>
  b.buffer instanceof ArrayBuffer ? (b as Uint8Array<ArrayBuffer>) : new Uint8Array(b);

// Whether this runtime's WebCrypto implements an algorithm (Ed25519 / X25519 are recent).
const support = webSupport;
async function tryWeb<T>(algorithm: string, web: () => Promise<T>, fallback: () => T): Promise<T> {
  if (support.get(algorithm) === false) return fallback();
  try {
    const result = await web();
    support.set(algorithm, true);
    return result;
  } catch (e) {
    if ((e as { name?: unknown } | null)?.name === 'NotSupportedError') {
      support.set(algorithm, false);
      return fallback();
    }
    throw e;
  }
}

function cached<K extends object>(
  map: HandleMemo<K, Promise<CryptoKey>>,
  key: K,
  make: () => Promise<CryptoKey>,
): Promise<CryptoKey> {
  let p = map.get(key);
  if (p === undefined) {
    p = make();
    map.set(key, p);
    p.catch(() => map.delete(key));
  }
  return p;
}

function importPublic(key: PublicKey, usage: 'verify' | 'ecdh'): Promise<CryptoKey> {
  const map = usage === 'verify' ? webKeys.verify : webKeys.ecdhPublic;
  return cached(map, key, () => {
    const algorithm = NIST.has(key.curve)
      ? { name: usage === 'verify' ? 'ECDSA' : 'ECDH', namedCurve: key.curve }
      : { name: key.curve };
    return subtle().importKey('raw', buf(key.point), algorithm, false, usage === 'verify' ? ['verify'] : []);
  });
}

function importPrivate(key: PrivateKey, usage: 'sign' | 'ecdh'): Promise<CryptoKey> {
  const map = usage === 'sign' ? webKeys.sign : webKeys.ecdhPrivate;
  return cached(map, key, () => {
    const algorithm = NIST.has(key.curve)
      ? { name: usage === 'sign' ? 'ECDSA' : 'ECDH', namedCurve: key.curve }
      : { name: key.curve };
    return subtle().importKey('pkcs8', buf(encodePkcs8(key)), algorithm, false, [
      usage === 'sign' ? 'sign' : 'deriveBits',
    ]);
  });
}

const decryptFailed = (cause?: unknown): MdlError =>
  new MdlError('ERR_CRYPTO_DECRYPT_FAILED', 'AES-GCM decryption failed', { cause });

/** The WebCrypto (+ @noble) backend: what `#crypto-backend` resolves to everywhere but Node. */
export const backend: CryptoBackend = {
  name: 'webcrypto',
  digest: (hash: HashAlgorithm, data) => NOBLE_HASH[hash](data),
  digestInto: (hash: HashAlgorithm, data, out, offset) => out.set(NOBLE_HASH[hash](data), offset),
  digestEquals: (hash: HashAlgorithm, data, expected) => {
    const d = NOBLE_HASH[hash](data);
    if (d.length !== expected.length) return false;
    for (let i = 0; i < d.length; i++) if (d[i] !== expected[i]) return false;
    return true;
  },
  hmac: (hash, key, data) => nobleHmac(NOBLE_HASH[hash], key, data),
  hkdf: (hash, ikm, salt, info, length) => nobleHkdf(NOBLE_HASH[hash], ikm, salt, info, length),
  randomBytes: (length) => {
    const out = new Uint8Array(length);
    // getRandomValues fills at most 65,536 bytes per call.
    for (let o = 0; o < length; o += 65536) globalThis.crypto.getRandomValues(out.subarray(o, o + 65536));
    return out;
  },
  verify: async (alg, key, data, signature) => {
    if (alg === -8) {
      const fallback = (): boolean => nobleEddsaVerify(key.curve, data, signature, key.point);
      if (key.curve !== 'Ed25519') return fallback();
      return tryWeb(
        'Ed25519',
        async () => subtle().verify('Ed25519', await importPublic(key, 'verify'), buf(signature), buf(data)),
        fallback,
      );
    }
    const hash = hashForAlg(alg);
    if (!NIST.has(key.curve)) {
      return nobleEcdsaVerifyDigest(key.curve, NOBLE_HASH[hash](data), signature, key.point);
    }
    try {
      return await subtle().verify(
        { name: 'ECDSA', hash },
        await importPublic(key, 'verify'),
        buf(signature),
        buf(data),
      );
    } catch {
      return false;
    }
  },
  sign: async (alg, key, data) => {
    if (alg === -8) {
      const fallback = (): Uint8Array => nobleEddsaSign(key.curve, data, key.d);
      if (key.curve !== 'Ed25519') return fallback();
      return tryWeb(
        'Ed25519',
        async () =>
          new Uint8Array(await subtle().sign('Ed25519', await importPrivate(key, 'sign'), buf(data))),
        fallback,
      );
    }
    const hash = hashForAlg(alg);
    if (!NIST.has(key.curve)) return nobleEcdsaSignDigest(key.curve, NOBLE_HASH[hash](data), key.d);
    return new Uint8Array(
      await subtle().sign({ name: 'ECDSA', hash }, await importPrivate(key, 'sign'), buf(data)),
    );
  },
  ecdh: async (curve, privateKey, publicKey) => {
    const fallback = (): Uint8Array => nobleEcdh(curve, privateKey.d, publicKey.point);
    if (!NIST.has(curve) && curve !== 'X25519') return fallback();
    const web = async (): Promise<Uint8Array> => {
      const bits = await subtle().deriveBits(
        { name: NIST.has(curve) ? 'ECDH' : curve, public: await importPublic(publicKey, 'ecdh') },
        await importPrivate(privateKey, 'ecdh'),
        curveInfo(curve).size * 8,
      );
      return new Uint8Array(bits);
    };
    return curve === 'X25519' ? await tryWeb('X25519', web, fallback) : await web();
  },
  aesGcmEncrypt: async (key, iv, plaintext, aad) => {
    const k = await subtle().importKey('raw', buf(key), 'AES-GCM', false, ['encrypt']);
    const params = { name: 'AES-GCM', iv: buf(iv), additionalData: buf(aad), tagLength: 128 };
    return new Uint8Array(await subtle().encrypt(params, k, buf(plaintext)));
  },
  aesGcmDecrypt: async (key, iv, ciphertext, aad) => {
    const k = await subtle().importKey('raw', buf(key), 'AES-GCM', false, ['decrypt']);
    const params = { name: 'AES-GCM', iv: buf(iv), additionalData: buf(aad), tagLength: 128 };
    try {
      return new Uint8Array(await subtle().decrypt(params, k, buf(ciphertext)));
    } catch (cause) {
      throw decryptFailed(cause);
    }
  },
};
