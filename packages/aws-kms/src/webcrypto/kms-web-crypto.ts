import { MdlError } from '@mdlkit/core/errors';
import type { KmsSigner } from '../signer/create-kms-signer.js';
import { KMS_KEY_SPECS } from '../signer/kms-key-spec.js';

/** Options for {@link createKmsWebCrypto}. */
export interface KmsWebCryptoOptions {
  /** The KMS signer whose key the facade exposes. */
  readonly signer: KmsSigner;
  /**
   * The platform WebCrypto every other operation is delegated to (`globalThis.crypto` in Node ≥ 20
   * and browsers). Injected, never read from globals.
   */
  readonly crypto: Crypto;
}

/** A WebCrypto facade over one KMS key. */
export interface KmsWebCrypto {
  /** A `Crypto` whose `subtle.sign` signs with KMS when given {@link KmsWebCrypto.privateKey}. */
  readonly crypto: Crypto;
  /** A `CryptoKey`-shaped handle for the KMS key: usable only with this facade's `subtle.sign`. */
  readonly privateKey: CryptoKey;
  /** The key's public key, imported into the platform WebCrypto (exportable, `verify`). */
  readonly publicKey: CryptoKey;
  /** The signing algorithm to pass to X.509 / CSR generators (`{ name: 'ECDSA', hash }` or `Ed25519`). */
  readonly signingAlgorithm: Algorithm;
}

/**
 * A WebCrypto-shaped facade so libraries that sign through `crypto.subtle.sign` — notably
 * `@peculiar/x509`'s `X509CertificateGenerator` and `Pkcs10CertificateRequestGenerator` — can sign
 * certificates and CSRs with a KMS key. For ECDSA keys `subtle.sign({ name: 'ECDSA', hash })`
 * hashes the data with the platform digest and signs the digest in KMS (`DIGEST` mode), returning
 * WebCrypto's `r‖s` form; for Ed25519 it signs the data in `RAW` mode. Every other call (and
 * `sign` with any other key) goes to the injected platform `crypto`.
 *
 * The port-based path needs no facade: a {@link KmsSigner} is a `CoseDigestSigner` /
 * `CoseSigner`, which `@mdlkit/pki`'s builders accept directly.
 *
 * @throws {@link MdlError} `ERR_CRYPTO_INVALID_KEY` when the KMS public key cannot be imported.
 *   The facade's `subtle.sign` rejects with `ERR_SIGNER_KEY_USAGE` when asked for another algorithm
 *   or hash than the key's, and with the signer's errors otherwise.
 * @example
 * ```ts
 * const kmsCrypto = await createKmsWebCrypto({ signer, crypto: globalThis.crypto });
 * const csr = await Pkcs10CertificateRequestGenerator.create(
 *   { name: 'C=US, CN=DS', keys: kmsCrypto, signingAlgorithm: kmsCrypto.signingAlgorithm },
 *   kmsCrypto.crypto,
 * );
 * ```
 */
export async function createKmsWebCrypto(options: KmsWebCryptoOptions): Promise<KmsWebCrypto> {
  const { signer, crypto: base } = options;
  const profile = KMS_KEY_SPECS[signer.keySpec];
  const curve = profile.webCryptoCurve;
  const isEd = curve === 'Ed25519';
  const importAlgorithm: EcKeyImportParams | Algorithm = isEd
    ? { name: 'Ed25519' }
    : { name: 'ECDSA', namedCurve: curve };
  let publicKey: CryptoKey;
  try {
    publicKey = await base.subtle.importKey('spki', new Uint8Array(signer.publicKey), importAlgorithm, true, [
      'verify',
    ]);
  } catch (cause) {
    throw new MdlError(
      'ERR_CRYPTO_INVALID_KEY',
      `The public key of KMS key ${signer.keyId} does not import as ${curve}.`,
      {
        cause,
        details: { keyId: signer.keyId, curve },
      },
    );
  }
  const keyAlgorithm: KeyAlgorithm & { namedCurve?: string; hash?: { name: string } } = isEd
    ? { name: 'Ed25519' }
    : { name: 'ECDSA', namedCurve: curve, hash: { name: profile.hash ?? 'SHA-256' } };
  const privateKey: CryptoKey = Object.freeze({
    type: 'private',
    extractable: false,
    algorithm: Object.freeze(keyAlgorithm),
    usages: ['sign'] as KeyUsage[],
  });

  const kmsSign = async (algorithm: AlgorithmIdentifier, data: BufferSource): Promise<ArrayBuffer> => {
    const name = typeof algorithm === 'string' ? algorithm : algorithm.name;
    const hashParam =
      typeof algorithm === 'string' ? undefined : (algorithm as { hash?: AlgorithmIdentifier }).hash;
    const hash =
      hashParam === undefined ? undefined : typeof hashParam === 'string' ? hashParam : hashParam.name;
    const bytes = toBytes(data);
    let signature: Uint8Array;
    if (signer.kind === 'message') {
      if (name.toLowerCase() !== 'ed25519') throw wrongAlgorithm(signer.keyId, name, 'Ed25519');
      signature = await signer.sign(bytes);
    } else {
      if (name.toUpperCase() !== 'ECDSA' || (hash !== undefined && hash.toUpperCase() !== signer.hash)) {
        throw wrongAlgorithm(signer.keyId, `${name}/${hash ?? '?'}`, `ECDSA/${signer.hash}`);
      }
      const digest = new Uint8Array(await base.subtle.digest(signer.hash, bytes));
      signature = await signer.signDigest(digest);
    }
    const out = new ArrayBuffer(signature.length);
    new Uint8Array(out).set(signature);
    return out;
  };

  const subtle = new Proxy(base.subtle, {
    get(target, property) {
      if (property === 'sign') {
        return (algorithm: AlgorithmIdentifier, key: CryptoKey, data: BufferSource): Promise<ArrayBuffer> =>
          key === privateKey ? kmsSign(algorithm, data) : target.sign(algorithm, key, data);
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
    signingAlgorithm: isEd ? { name: 'Ed25519' } : ({ name: 'ECDSA', hash: profile.hash } as Algorithm),
  });
}

function toBytes(data: BufferSource): Uint8Array<ArrayBuffer> {
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  if (ArrayBuffer.isView(data))
    return new Uint8Array(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  throw new MdlError('ERR_INVALID_ARGUMENT', 'subtle.sign needs an ArrayBuffer or a typed array.');
}

function wrongAlgorithm(keyId: string, asked: string, supported: string): MdlError {
  return new MdlError(
    'ERR_SIGNER_KEY_USAGE',
    `KMS key ${keyId} signs ${supported} only; ${asked} was requested.`,
    { details: { keyId, asked, supported } },
  );
}
