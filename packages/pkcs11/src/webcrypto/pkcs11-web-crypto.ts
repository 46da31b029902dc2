import { MdlError } from '@mdlkit/core/errors';
import { Pkcs11Error } from '../errors/pkcs11-error.js';
import type { Pkcs11Signer } from '../signer/create-pkcs11-signer.js';

/** Options for {@link createPkcs11WebCrypto}. */
export interface Pkcs11WebCryptoOptions {
  /** The token key the facade exposes. */
  readonly signer: Pkcs11Signer;
  /** The platform WebCrypto every other call goes to (`globalThis.crypto`); injected, never read from globals. */
  readonly crypto: Crypto;
}

/** A WebCrypto facade over one token key. */
export interface Pkcs11WebCrypto {
  /** A `Crypto` whose `subtle.sign` signs on the token when given {@link Pkcs11WebCrypto.privateKey}. */
  readonly crypto: Crypto;
  /** A `CryptoKey`-shaped handle for the token key, usable only with this facade's `subtle.sign`. */
  readonly privateKey: CryptoKey;
  /** The key's public key, imported into the platform WebCrypto (`verify`). */
  readonly publicKey: CryptoKey;
  /** The algorithm to pass to X.509 / CSR generators (`{ name: 'ECDSA', hash }` or `Ed25519`). */
  readonly signingAlgorithm: Algorithm;
}

/**
 * A WebCrypto-shaped facade, as `@mdlkit/aws-kms` has for KMS, so libraries that sign through
 * `crypto.subtle.sign` — `@peculiar/x509`'s certificate and CSR generators — sign with the token
 * key. ECDSA: `subtle.sign({ name: 'ECDSA', hash })` digests the data with the platform digest and
 * signs the digest on the token (`CKM_ECDSA`), returning WebCrypto's `r‖s`; Ed25519 signs the data
 * with `CKM_EDDSA`. Any other call, and `sign` with another key, goes to the injected `crypto`.
 *
 * @throws {@link MdlError} `ERR_CRYPTO_INVALID_KEY` when the public key does not import. The
 *   facade's `subtle.sign` rejects with `ERR_PKCS11_KEY_USAGE` for another algorithm or hash.
 * @example
 * ```ts
 * const hsm = await createPkcs11WebCrypto({ signer, crypto: globalThis.crypto });
 * const csr = await Pkcs10CertificateRequestGenerator.create(
 *   { name: 'C=US, CN=DS', keys: hsm, signingAlgorithm: hsm.signingAlgorithm }, hsm.crypto);
 * ```
 */
export async function createPkcs11WebCrypto(options: Pkcs11WebCryptoOptions): Promise<Pkcs11WebCrypto> {
  const { signer, crypto: base } = options;
  const isEd = signer.kind === 'message';
  const importAlgorithm: EcKeyImportParams | Algorithm = isEd
    ? { name: 'Ed25519' }
    : { name: 'ECDSA', namedCurve: signer.curve };
  let publicKey: CryptoKey;
  try {
    publicKey = await base.subtle.importKey('spki', new Uint8Array(signer.publicKey), importAlgorithm, true, [
      'verify',
    ]);
  } catch (cause) {
    throw new MdlError(
      'ERR_CRYPTO_INVALID_KEY',
      `The public key of PKCS#11 key ${signer.keyLabel} does not import.`,
      {
        cause,
        details: { key: signer.keyLabel, curve: signer.curve },
      },
    );
  }
  const keyAlgorithm: KeyAlgorithm & { namedCurve?: string; hash?: { name: string } } =
    signer.kind === 'message'
      ? { name: 'Ed25519' }
      : { name: 'ECDSA', namedCurve: signer.curve, hash: { name: signer.hash } };
  const privateKey: CryptoKey = Object.freeze({
    type: 'private',
    extractable: false,
    algorithm: Object.freeze(keyAlgorithm),
    usages: ['sign'] as KeyUsage[],
  });

  const tokenSign = async (algorithm: AlgorithmIdentifier, data: BufferSource): Promise<ArrayBuffer> => {
    const name = typeof algorithm === 'string' ? algorithm : algorithm.name;
    const hashParam =
      typeof algorithm === 'string' ? undefined : (algorithm as { hash?: AlgorithmIdentifier }).hash;
    const hash =
      hashParam === undefined ? undefined : typeof hashParam === 'string' ? hashParam : hashParam.name;
    const bytes = toBytes(data);
    let signature: Uint8Array;
    if (signer.kind === 'message') {
      if (name.toLowerCase() !== 'ed25519') throw wrongAlgorithm(signer.keyLabel, name, 'Ed25519');
      signature = await signer.sign(bytes);
    } else {
      if (name.toUpperCase() !== 'ECDSA' || (hash !== undefined && hash.toUpperCase() !== signer.hash)) {
        throw wrongAlgorithm(signer.keyLabel, `${name}/${hash ?? '?'}`, `ECDSA/${signer.hash}`);
      }
      signature = await signer.signDigest(new Uint8Array(await base.subtle.digest(signer.hash, bytes)));
    }
    const out = new ArrayBuffer(signature.length);
    new Uint8Array(out).set(signature);
    return out;
  };

  const subtle = new Proxy(base.subtle, {
    get(target, property) {
      if (property === 'sign') {
        return (algorithm: AlgorithmIdentifier, key: CryptoKey, data: BufferSource): Promise<ArrayBuffer> =>
          key === privateKey ? tokenSign(algorithm, data) : target.sign(algorithm, key, data);
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const facade = Object.freeze({
    subtle,
    getRandomValues: base.getRandomValues.bind(base),
    randomUUID: base.randomUUID.bind(base),
  }) satisfies Crypto;
  return Object.freeze({
    crypto: facade,
    privateKey,
    publicKey,
    signingAlgorithm:
      signer.kind === 'message' ? { name: 'Ed25519' } : ({ name: 'ECDSA', hash: signer.hash } as Algorithm),
  });
}

function toBytes(data: BufferSource): Uint8Array<ArrayBuffer> {
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  if (ArrayBuffer.isView(data))
    return new Uint8Array(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  throw new MdlError('ERR_INVALID_ARGUMENT', 'subtle.sign needs an ArrayBuffer or a typed array.');
}

function wrongAlgorithm(key: string, asked: string, supported: string): Pkcs11Error {
  return new Pkcs11Error(
    'ERR_PKCS11_KEY_USAGE',
    `PKCS#11 key ${key} signs ${supported} only; ${asked} was requested.`,
    {
      details: { key, asked, supported },
    },
  );
}
