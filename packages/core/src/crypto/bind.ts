import type { EncodedCbor } from '../cbor/encoded-cbor.js';
import type { CryptoBackend } from './backend.js';
import type { KeyPair } from './keys.js';
import {
  type AesGcmDecryptOptions,
  type AesGcmEncryptOptions,
  aesGcmDecryptWith,
  aesGcmEncryptWith,
  createLocalDigestSigner,
  createLocalSignerWith,
  digestEqualsWith,
  digestIntoWith,
  digestWith,
  type EcdhOptions,
  ecdhWith,
  type GenerateKeyPairOptions,
  generateKeyPairWith,
  type HkdfOptions,
  hkdfWith,
  hmacWith,
  type LocalSignerOptions,
  randomBytesWith,
  signWithPortWith,
  type VerifySignatureOptions,
  verifySignatureSyncWith,
  verifySignatureWith,
} from './operations.js';
import type { AnyCoseSigner, CoseDigestSigner, CoseSigner, HashAlgorithm } from './ports.js';

/**
 * @internal The provider-bound crypto functions; `api.ts` exports one set, bound to the
 * runtime's backend, under the same names. Documentation lives on those exports.
 */
export interface CryptoFunctions {
  readonly cryptoProvider: 'node' | 'webcrypto';
  readonly digest: (hash: HashAlgorithm, data: Uint8Array) => Uint8Array;
  readonly digestEquals: (
    hash: HashAlgorithm,
    data: Uint8Array | EncodedCbor,
    expected: Uint8Array,
  ) => boolean;
  readonly digestInto: (hash: HashAlgorithm, data: Uint8Array, out: Uint8Array, offset: number) => number;
  readonly hmac: (hash: HashAlgorithm, key: Uint8Array, data: Uint8Array) => Uint8Array;
  readonly hkdf: (options: HkdfOptions) => Uint8Array;
  readonly randomBytes: (length: number) => Uint8Array;
  readonly generateKeyPair: (options: GenerateKeyPairOptions) => KeyPair;
  readonly verifySignature: (options: VerifySignatureOptions) => Promise<boolean>;
  readonly verifySignatureSync: ((options: VerifySignatureOptions) => boolean) | undefined;
  readonly createLocalSigner: (options: LocalSignerOptions) => CoseSigner;
  readonly createLocalDigestSigner: (options: LocalSignerOptions) => CoseDigestSigner;
  readonly signWithPort: (signer: AnyCoseSigner, toBeSigned: Uint8Array) => Promise<Uint8Array>;
  readonly ecdh: (options: EcdhOptions) => Promise<Uint8Array>;
  readonly aesGcmEncrypt: (options: AesGcmEncryptOptions) => Promise<Uint8Array>;
  readonly aesGcmDecrypt: (options: AesGcmDecryptOptions) => Promise<Uint8Array>;
}

/** @internal bind the operations to a backend. */
export function bindCrypto(b: CryptoBackend): CryptoFunctions {
  return {
    cryptoProvider: b.name,
    digest: (hash, data) => digestWith(b, hash, data),
    digestEquals: (hash, data, expected) => digestEqualsWith(b, hash, data, expected),
    digestInto: (hash, data, out, offset) => digestIntoWith(b, hash, data, out, offset),
    hmac: (hash, key, data) => hmacWith(b, hash, key, data),
    hkdf: (o) => hkdfWith(b, o),
    randomBytes: (n) => randomBytesWith(b, n),
    generateKeyPair: (o) => generateKeyPairWith(b, o),
    verifySignature: (o) => verifySignatureWith(b, o),
    verifySignatureSync: verifySignatureSyncWith(b),
    createLocalSigner: (o) => createLocalSignerWith(b, o),
    createLocalDigestSigner,
    signWithPort: (signer, tbs) => signWithPortWith(b, signer, tbs),
    ecdh: (o) => ecdhWith(b, o),
    aesGcmEncrypt: (o) => aesGcmEncryptWith(b, o),
    aesGcmDecrypt: (o) => aesGcmDecryptWith(b, o),
  };
}
