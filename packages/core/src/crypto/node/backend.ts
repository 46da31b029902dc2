/**
 * @internal The node:crypto provider (OpenSSL): every curve of 18013-5 cipher suite 1 is native here,
 * including brainpool, Ed448 and X448. Runtime `KeyObject`s are cached per key handle in WeakMaps,
 * so a verification loop over one handle imports the key once.
 */
import type { BinaryToTextEncoding, JsonWebKey, KeyObject } from 'node:crypto';
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  hkdfSync,
  sign as nodeSign,
  verify as nodeVerify,
  hash as oneShotHash,
  randomFillSync,
} from 'node:crypto';
import {
  nodePrivateKeyObjects,
  nodePublicKeyObjects,
  nodePublicKeysByPoint,
  nodeRandomPool,
} from '../../caches.js';
import { MdlError } from '../../errors/mdl-error.js';
import { hashForAlg } from '../algorithms.js';
import type { CryptoBackend } from '../backend.js';
import { ecdsaRawToDerWith } from '../ecdsa-signature.js';
import type { PrivateKey, PublicKey } from '../keys.js';
import type { CoseAlg, HashAlgorithm } from '../ports.js';
import { encodePkcs8, encodeSpki } from '../spki.js';

const NODE_HASH: Readonly<Record<HashAlgorithm, string>> = {
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

/** View a Buffer as a plain Uint8Array (no copy) so callers never see Buffer. */
const u8 = (b: Uint8Array): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

// How a public key reaches OpenSSL. OpenSSL 3.0 decodes DER keys slowly, so there a key goes in as
// a JWK (Node 20.20, OpenSSL 3.0.19, P-256: 70 µs CPU per JWK import against 101 µs per SPKI
// import). From OpenSSL 3.5 (Node 22.23, OpenSSL 3.5.8) decoding is faster than the JWK path (15 µs
// against 18 µs), and a decoded key is a provider key that a verify uses as it is, where a key
// built from JWK coordinates is a legacy key converted on its first use: import plus first verify
// of a new P-256 key cost 30 µs over a verify with a known key through SPKI (and DER signatures,
// see `nodeVerifySync`) against 42 µs through JWK. Versions between 3.0 and 3.5 were not measured and
// keep JWK. Brainpool has no JWK name in node and always goes through SPKI.
const SPKI_IMPORT = opensslAtLeast(process.versions.openssl ?? '', 3, 5);
const JWK_CURVES: ReadonlySet<string> = new Set([
  'P-256',
  'P-384',
  'P-521',
  'Ed25519',
  'Ed448',
  'X25519',
  'X448',
]);

function opensslAtLeast(version: string, major: number, minor: number): boolean {
  const [a, b] = version.split('.').map((part) => Number.parseInt(part, 10));
  return a !== undefined && b !== undefined && (a > major || (a === major && b >= minor));
}

const b64u = (b: Uint8Array): string =>
  Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64url');

/** The JWK node:crypto can import for a key (with `d` for a private key), or `undefined` for brainpool. */
function jwkFor(key: PublicKey, d?: Uint8Array): JsonWebKey | undefined {
  if (!JWK_CURVES.has(key.curve)) return undefined;
  const jwk: JsonWebKey =
    key.kty === 'EC2'
      ? { kty: 'EC', crv: key.curve, x: b64u(key.x), y: b64u(key.y!) }
      : { kty: 'OKP', crv: key.curve, x: b64u(key.x) };
  if (d !== undefined) jwk.d = b64u(d);
  return jwk;
}

function importPublicKeyObject(key: PublicKey): KeyObject {
  const jwk = SPKI_IMPORT ? undefined : jwkFor(key);
  if (jwk !== undefined) return createPublicKey({ key: jwk, format: 'jwk' });
  const der = encodeSpki(key);
  return createPublicKey({
    key: Buffer.from(der.buffer, der.byteOffset, der.byteLength),
    format: 'der',
    type: 'spki',
  });
}

// KeyObjects are kept per handle and by key bytes, in core's caches module (see there).

function pointId(key: PublicKey): string {
  return `${key.curve}:${Buffer.from(key.point.buffer, key.point.byteOffset, key.point.byteLength).toString('latin1')}`;
}

function publicKeyObject(key: PublicKey): KeyObject {
  let ko = nodePublicKeyObjects.get(key) as KeyObject | undefined;
  if (ko !== undefined) return ko;
  const id = pointId(key);
  ko = nodePublicKeysByPoint.get(id) as KeyObject | undefined;
  if (ko === undefined) {
    try {
      ko = importPublicKeyObject(key);
    } catch (cause) {
      throw new MdlError('ERR_CRYPTO_INVALID_KEY', 'node:crypto rejected the public key', {
        details: { curve: key.curve },
        cause,
      });
    }
    // Kept from the second import on (the cache's admission rule).
    nodePublicKeysByPoint.set(id, ko);
  }
  nodePublicKeyObjects.set(key, ko);
  return ko;
}

function privateKeyObject(key: PrivateKey): KeyObject {
  let ko = nodePrivateKeyObjects.get(key) as KeyObject | undefined;
  if (ko === undefined) {
    try {
      const jwk = jwkFor(key.publicKey, key.d);
      ko =
        jwk !== undefined
          ? createPrivateKey({ key: jwk, format: 'jwk' })
          : createPrivateKey({ key: Buffer.from(encodePkcs8(key)), format: 'der', type: 'pkcs8' });
    } catch (cause) {
      throw new MdlError('ERR_CRYPTO_INVALID_KEY', 'node:crypto rejected the private key', {
        details: { curve: key.curve },
        cause,
      });
    }
    nodePrivateKeyObjects.set(key, ko);
  }
  return ko;
}

// Salts and digest IDs come from a block of CSPRNG output in core's caches module (see there).
const pooledRandomBytes = (length: number): Uint8Array => nodeRandomPool.take(length, randomFillSync);

function nodeVerifySync(alg: CoseAlg, key: PublicKey, data: Uint8Array, signature: Uint8Array): boolean {
  const ko = publicKeyObject(key);
  try {
    if (alg === -8) return nodeVerify(null, data, ko, signature);
    // DER, not `dsaEncoding: 'ieee-p1363'`: to convert r‖s node:crypto asks OpenSSL for the key's
    // legacy EC_KEY, which for a provider key (every SPKI import) builds a second copy of the key —
    // about 120,000 instructions for each new device key. The DER goes into a Buffer from node's
    // pool (public bytes, read before verify returns, never handed out): a Uint8Array of this size
    // would be one off-heap allocation per verify.
    return nodeVerify(NODE_HASH[hashForAlg(alg)], data, ko, ecdsaRawToDerWith(signature, Buffer.allocUnsafe));
  } catch {
    return false;
  }
}

// One-shot `crypto.hash` (Node ≥ 20.12) skips the Hash object, and asking it for a string rather
// than a Buffer skips the Buffer too: every Buffer node:crypto returns has its own off-heap backing
// store, which costs about a microsecond to create and collect — more than hashing a 100-byte
// IssuerSignedItem. The string is UTF-16LE: each code unit carries two digest bytes (low byte first,
// on any host), so reading it takes half the `charCodeAt` calls a latin1 string would (≈ 40 ns less
// per digest; every digest length is even). Readers and issuers take one digest per IssuerSignedItem.
function digestUnits(hash: HashAlgorithm, data: Uint8Array): string {
  // Any Buffer encoding is accepted at run time; @types/node lists only the binary-to-text ones.
  return oneShotHash(NODE_HASH[hash], data, 'utf16le' as BinaryToTextEncoding);
}

function writeUnits(units: string, out: Uint8Array, offset: number): void {
  for (let i = 0, p = offset; i < units.length; i++, p += 2) {
    const c = units.charCodeAt(i);
    out[p] = c;
    out[p + 1] = c >>> 8;
  }
}

function nodeSignSync(alg: CoseAlg, key: PrivateKey, data: Uint8Array): Uint8Array {
  const ko = privateKeyObject(key);
  if (alg === -8) return u8(nodeSign(null, data, ko));
  return u8(nodeSign(NODE_HASH[hashForAlg(alg)], data, { key: ko, dsaEncoding: 'ieee-p1363' }));
}

/** The node:crypto backend: what `#crypto-backend` resolves to under the `node` condition. */
export const backend: CryptoBackend = {
  name: 'node',
  digest: (hash, data) => {
    const units = digestUnits(hash, data);
    // ≤ 64 bytes: an on-heap Uint8Array.
    const out = new Uint8Array(2 * units.length);
    writeUnits(units, out, 0);
    return out;
  },
  digestInto: (hash, data, out, offset) => writeUnits(digestUnits(hash, data), out, offset),
  digestEquals: (hash, data, expected) => {
    const units = digestUnits(hash, data);
    if (2 * units.length !== expected.length) return false;
    for (let i = 0; i < units.length; i++) {
      if (units.charCodeAt(i) !== (expected[2 * i]! | (expected[2 * i + 1]! << 8))) return false;
    }
    return true;
  },
  hmac: (hash, key, data) => u8(createHmac(NODE_HASH[hash], key).update(data).digest()),
  hkdf: (hash, ikm, salt, info, length) => new Uint8Array(hkdfSync(NODE_HASH[hash], ikm, salt, info, length)),
  randomBytes: pooledRandomBytes,
  keyRandomBytes: (length) => randomFillSync(new Uint8Array(length)),
  // OpenSSL checks the point (on the curve, coordinates < p) when it imports a key.
  adoptEcPoint: (key) => void publicKeyObject(key),
  verify: async (alg, key, data, signature) => nodeVerifySync(alg, key, data, signature),
  verifySync: nodeVerifySync,
  sign: async (alg, key, data) => nodeSignSync(alg, key, data),
  signSync: nodeSignSync,
  ecdh: async (_curve, privateKey, publicKey) =>
    u8(diffieHellman({ privateKey: privateKeyObject(privateKey), publicKey: publicKeyObject(publicKey) })),
  aesGcmEncrypt: async (key, iv, plaintext, aad) => {
    const cipher = createCipheriv(key.length === 32 ? 'aes-256-gcm' : 'aes-128-gcm', key, iv, {
      authTagLength: 16,
    });
    cipher.setAAD(aad);
    const a = cipher.update(plaintext);
    const b = cipher.final();
    const tag = cipher.getAuthTag();
    const out = new Uint8Array(a.length + b.length + tag.length);
    out.set(a, 0);
    out.set(b, a.length);
    out.set(tag, a.length + b.length);
    return out;
  },
  aesGcmDecrypt: async (key, iv, ciphertext, aad) => {
    const split = ciphertext.length - 16;
    try {
      const decipher = createDecipheriv(key.length === 32 ? 'aes-256-gcm' : 'aes-128-gcm', key, iv, {
        authTagLength: 16,
      });
      decipher.setAAD(aad);
      decipher.setAuthTag(ciphertext.subarray(split));
      const a = decipher.update(ciphertext.subarray(0, split));
      const b = decipher.final();
      const out = new Uint8Array(a.length + b.length);
      out.set(a, 0);
      out.set(b, a.length);
      return out;
    } catch (cause) {
      throw new MdlError('ERR_CRYPTO_DECRYPT_FAILED', 'AES-GCM decryption failed', { cause });
    }
  },
};
