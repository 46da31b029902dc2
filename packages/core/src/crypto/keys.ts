import type { Curve, KeyType } from './curves.js';

/**
 * An imported public key. Create one with `importPublicKey` (or `generateKeyPair`, or the COSE_Key
 * importer in `@mdlkit/core/cose`); the crypto provider caches the runtime key object (a node
 * `KeyObject` or a WebCrypto `CryptoKey`) for each handle, so verifying many signatures with the
 * same handle never re-imports the key. Keep and reuse handles; treat them as immutable.
 */
export interface PublicKey {
  readonly type: 'public';
  readonly curve: Curve;
  readonly kty: KeyType;
  /** EC2: x coordinate (fixed width). OKP: the raw public key. */
  readonly x: Uint8Array;
  /** EC2: y coordinate (fixed width; decompressed if the key arrived compressed). OKP: `undefined`. */
  readonly y: Uint8Array | undefined;
  /** EC2: SEC1 uncompressed point `04‖x‖y`. OKP: the raw public key (same bytes as `x`). */
  readonly point: Uint8Array;
}

/**
 * A private key held in memory (the raw scalar / seed) with its public key. Local keys are for
 * holders, tests and development; production issuer keys live behind a signer port (KMS, HSM).
 */
export interface PrivateKey {
  readonly type: 'private';
  readonly curve: Curve;
  readonly kty: KeyType;
  /** EC2: the scalar `d` (fixed width). OKP: the private key / seed (RFC 8032 / RFC 7748). */
  readonly d: Uint8Array;
  readonly publicKey: PublicKey;
}

/** A private key and its public key. */
export interface KeyPair {
  readonly privateKey: PrivateKey;
  readonly publicKey: PublicKey;
}

/**
 * A JSON Web Key (RFC 7517 / 7518 §6.2 EC, RFC 8037 OKP). Brainpool curves use the names of
 * RFC 5639 (`brainpoolP256r1` …) as `crv`, as several JOSE libraries do.
 */
export interface Jwk {
  readonly kty: string;
  readonly crv?: string;
  readonly x?: string;
  readonly y?: string;
  readonly d?: string;
  readonly [other: string]: unknown;
}
