import { Aes128Gcm, CipherSuite, DhkemP256HkdfSha256, HkdfSha256 } from '@hpke/core';
import { exportPrivateKey, exportPublicKey, type PrivateKey, type PublicKey } from '@mdlkit/core/crypto';
import { MdlError } from '../errors/mdl-error.js';

/**
 * The one HPKE suite mdlkit speaks: RFC 9180 mode_base, DHKEM(P-256, HKDF-SHA256) (KEM 0x0010),
 * HKDF-SHA256 (KDF 0x0001), AES-128-GCM (AEAD 0x0001) — the suite ISO/IEC TS 18013-7 Annex C
 * prescribes for the `org-iso-mdoc` response (and 18013-5 ed2 document encryption).
 *
 * Implemented by `@hpke/core` (WebCrypto on Node, browsers and workers); this module only
 * states every option once and maps its errors onto mdlkit codes.
 */
export const HpkeSuite = { kem: 0x0010, kdf: 0x0001, aead: 0x0001 } as const;

/** Options for {@link hpkeSeal}. */
export interface HpkeSealOptions {
  /** The recipient's P-256 public key (Annex C: `recipientPublicKey` of EncryptionInfo). */
  readonly recipientPublicKey: PublicKey;
  /** The plaintext (Annex C: the DeviceResponse bytes). */
  readonly plaintext: Uint8Array;
  /** The HPKE `info` (Annex C: the CBOR-encoded SessionTranscript, not tag 24). */
  readonly info: Uint8Array;
  /** Additional authenticated data (Annex C: empty, the default). */
  readonly aad?: Uint8Array;
  /**
   * Input keying material for the ephemeral key (RFC 9180 `DeriveKeyPair(ikmE)`). Only for test
   * vectors: leave it out and a fresh ephemeral key is generated.
   */
  readonly ephemeralIkm?: Uint8Array;
}

/** The result of {@link hpkeSeal}. */
export interface HpkeSealed {
  /** The encapsulated key `enc` (uncompressed P-256 point, 65 bytes). */
  readonly enc: Uint8Array;
  /** The AEAD ciphertext including the 16-byte tag. */
  readonly ciphertext: Uint8Array;
}

/** Options for {@link hpkeOpen}. */
export interface HpkeOpenOptions {
  /** The recipient's P-256 private key. */
  readonly recipientPrivateKey: PrivateKey;
  /** The encapsulated key from the sender. */
  readonly enc: Uint8Array;
  /** The ciphertext from the sender. */
  readonly ciphertext: Uint8Array;
  /** The HPKE `info` the sender used. */
  readonly info: Uint8Array;
  /** Additional authenticated data (default empty). */
  readonly aad?: Uint8Array;
}

function suite(): CipherSuite {
  return new CipherSuite({ kem: new DhkemP256HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes128Gcm() });
}

function requireP256(key: PublicKey | PrivateKey, name: string): void {
  if (key?.curve !== 'P-256') {
    throw new MdlError('ERR_CRYPTO_UNSUPPORTED_CURVE', `${name} must be a P-256 key for DHKEM(P-256)`);
  }
}

function bytes(value: unknown, name: string): Uint8Array {
  if (!(value instanceof Uint8Array))
    throw new MdlError('ERR_INVALID_ARGUMENT', `${name} must be a Uint8Array`);
  return value;
}

/**
 * HPKE single-shot seal (RFC 9180 §6.1 `Seal` in mode_base) with the suite {@link HpkeSuite}.
 *
 * @example
 * ```ts
 * const { enc, ciphertext } = await hpkeSeal({ recipientPublicKey, plaintext: deviceResponse, info: transcript.encoded.bytes });
 * ```
 * @throws {@link MdlError} `ERR_CRYPTO_UNSUPPORTED_CURVE` for a non-P-256 key,
 *   `ERR_INVALID_ARGUMENT` for non-byte input, `ERR_CRYPTO_INVALID_KEY` when the key is rejected.
 */
export async function hpkeSeal(options: HpkeSealOptions): Promise<HpkeSealed> {
  requireP256(options?.recipientPublicKey, 'recipientPublicKey');
  const plaintext = bytes(options.plaintext, 'plaintext');
  const info = bytes(options.info, 'info');
  const aad = options.aad === undefined ? new Uint8Array(0) : bytes(options.aad, 'aad');
  const s = suite();
  let recipientPublicKey: CryptoKey;
  try {
    recipientPublicKey = await s.kem.importKey(
      'raw',
      exportPublicKey(options.recipientPublicKey, 'raw').slice().buffer,
      true,
    );
  } catch (cause) {
    throw new MdlError('ERR_CRYPTO_INVALID_KEY', 'recipient public key rejected by HPKE', { cause });
  }
  const params =
    options.ephemeralIkm === undefined
      ? { recipientPublicKey, info: own(info) }
      : { recipientPublicKey, info: own(info), ekm: own(bytes(options.ephemeralIkm, 'ephemeralIkm')) };
  try {
    const sealed = await s.seal(params, own(plaintext), own(aad));
    return { enc: new Uint8Array(sealed.enc), ciphertext: new Uint8Array(sealed.ct) };
  } catch (cause) {
    throw new MdlError('ERR_INTERNAL', 'HPKE seal failed', { cause });
  }
}

/**
 * HPKE single-shot open (RFC 9180 §6.1 `Open` in mode_base) with the suite {@link HpkeSuite}.
 *
 * @example
 * ```ts
 * const deviceResponse = await hpkeOpen({ recipientPrivateKey, enc, ciphertext, info: transcript.encoded.bytes });
 * ```
 * @throws {@link MdlError} `ERR_CRYPTO_DECRYPT_FAILED` when the ciphertext does not open (wrong
 *   key, wrong info, tampered bytes, malformed `enc`); `ERR_CRYPTO_UNSUPPORTED_CURVE` for a non-P-256 key.
 */
export async function hpkeOpen(options: HpkeOpenOptions): Promise<Uint8Array> {
  requireP256(options?.recipientPrivateKey, 'recipientPrivateKey');
  const enc = bytes(options.enc, 'enc');
  const ciphertext = bytes(options.ciphertext, 'ciphertext');
  const info = bytes(options.info, 'info');
  const aad = options.aad === undefined ? new Uint8Array(0) : bytes(options.aad, 'aad');
  const s = suite();
  let recipientKey: CryptoKey;
  try {
    const jwk = exportPrivateKey(options.recipientPrivateKey, 'jwk');
    recipientKey = await s.kem.importKey('jwk', { ...jwk, key_ops: ['deriveBits'] } as JsonWebKey, false);
  } catch (cause) {
    throw new MdlError('ERR_CRYPTO_INVALID_KEY', 'recipient private key rejected by HPKE', { cause });
  }
  try {
    const pt = await s.open({ recipientKey, enc: own(enc), info: own(info) }, own(ciphertext), own(aad));
    return new Uint8Array(pt);
  } catch (cause) {
    throw new MdlError('ERR_CRYPTO_DECRYPT_FAILED', 'HPKE ciphertext does not open with this key and info', {
      cause,
    });
  }
}

/** A private copy with its own ArrayBuffer (never a view into a shared slab) for the HPKE library. */
function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}
