import { digest, ecdh, hkdf, type PrivateKey } from '@mdlkit/core/crypto';
import { utf8Encode } from '../cbor/index.js';
import { ErrorCode } from '../errors/codes.js';
import { MdlError } from '../errors/mdl-error.js';
import type { SessionTranscriptInput } from './authentication-bytes.js';
import { type SessionPublicKeyInput, toPublicKey } from './internal/peer-key.js';
import { transcriptEncoding } from './session-transcript.js';

export type { SessionPublicKeyInput } from './internal/peer-key.js';

const KEY_LENGTH = 32;
const INFO_SK_READER = utf8Encode('SKReader');
const INFO_SK_DEVICE = utf8Encode('SKDevice');
const INFO_EMAC_KEY = utf8Encode('EMacKey');

/** The two session keys (AES-256-GCM, 32 bytes each). Secret: never log them. */
export interface SessionKeys {
  /** Encrypts reader → mdoc messages. */
  readonly skReader: Uint8Array;
  /** Encrypts mdoc → reader messages. */
  readonly skDevice: Uint8Array;
}

/** Options for {@link deriveSessionKeys}. */
export interface DeriveSessionKeysOptions {
  /** Our ephemeral private key: EDeviceKey on the mdoc, EReaderKey on the reader. */
  readonly privateKey: PrivateKey;
  /**
   * The other side's ephemeral public key: EReaderKey on the mdoc, EDeviceKey on the reader — a
   * `PublicKey` handle, a decoded COSE_Key, or EReaderKeyBytes / EDeviceKeyBytes (tag 24).
   */
  readonly publicKey: SessionPublicKeyInput;
  /** The session transcript; the HKDF salt is SHA-256 of its tag-24 SessionTranscriptBytes. */
  readonly sessionTranscript: SessionTranscriptInput;
}

/**
 * Derives SKReader and SKDevice (ISO/IEC 18013-5:2021 §9.1.1.5, ed2 §12.2.5; spec digest §3.9):
 * Z_AB = ECDH(own ephemeral private key, peer ephemeral public key) (BSI TR-03111 ECKA-DH, the
 * x-coordinate), then HKDF-SHA-256 (RFC 5869) with IKM = Z_AB, salt = SHA-256(SessionTranscriptBytes),
 * info = "SKReader" / "SKDevice", L = 32. Both sides derive the same pair.
 *
 * @example
 * ```ts
 * const { skReader, skDevice } = await deriveSessionKeys({
 *   privateKey: eReaderKey.privateKey, publicKey: eDeviceKeyBytes, sessionTranscript,
 * });
 * ```
 * @throws {@link MdlError} `ERR_TRANSCRIPT_INVALID` (bad transcript); `ERR_COSE_KEY_INVALID`,
 *   `ERR_CRYPTO_INVALID_KEY`, `ERR_CRYPTO_UNSUPPORTED_CURVE` (bad or mismatched keys).
 */
export async function deriveSessionKeys(options: DeriveSessionKeysOptions): Promise<SessionKeys> {
  const { ikm, salt } = await keyAgreement(options);
  return {
    skReader: hkdf({ hash: 'SHA-256', ikm, salt, info: INFO_SK_READER, length: KEY_LENGTH }),
    skDevice: hkdf({ hash: 'SHA-256', ikm, salt, info: INFO_SK_DEVICE, length: KEY_LENGTH }),
  };
}

/** Options for {@link deriveEMacKey}. */
export interface DeriveEMacKeyOptions {
  /**
   * mdoc: the static device private key (SDeviceKey, the MSO `deviceKey`); reader: its ephemeral
   * private key (EReaderKey).
   */
  readonly privateKey: PrivateKey;
  /** mdoc: EReaderKey (public); reader: the MSO `deviceKey` (SDeviceKey, public). */
  readonly publicKey: SessionPublicKeyInput;
  /** The session transcript; the HKDF salt is SHA-256 of its tag-24 SessionTranscriptBytes. */
  readonly sessionTranscript: SessionTranscriptInput;
}

/**
 * Derives EMacKey, the HMAC key of DeviceMac (ISO/IEC 18013-5:2021 §9.1.3.5, ed2 §12.4.5; spec
 * digest §3.10): Z_AB = ECDH(SDeviceKey, EReaderKey), HKDF-SHA-256 with salt =
 * SHA-256(SessionTranscriptBytes), info = "EMacKey", L = 32. Online flows (OpenID4VP, DC API) have
 * no EReaderKey, so DeviceMac is not available there.
 *
 * @example
 * ```ts
 * const eMacKey = await deriveEMacKey({
 *   privateKey: eReaderKey.privateKey, publicKey: msoDeviceKey, sessionTranscript,
 * });
 * ```
 * @throws {@link MdlError} as {@link deriveSessionKeys}.
 */
export async function deriveEMacKey(options: DeriveEMacKeyOptions): Promise<Uint8Array> {
  const { ikm, salt } = await keyAgreement(options);
  return hkdf({ hash: 'SHA-256', ikm, salt, info: INFO_EMAC_KEY, length: KEY_LENGTH });
}

async function keyAgreement(options: {
  readonly privateKey: PrivateKey;
  readonly publicKey: SessionPublicKeyInput;
  readonly sessionTranscript: SessionTranscriptInput;
}): Promise<{ ikm: Uint8Array; salt: Uint8Array }> {
  const transcript = transcriptEncoding(options.sessionTranscript);
  const { privateKey } = options;
  if (typeof privateKey !== 'object' || privateKey === null || privateKey.type !== 'private') {
    throw new MdlError(ErrorCode.ERR_INVALID_ARGUMENT, 'privateKey must be a PrivateKey handle');
  }
  const publicKey = toPublicKey(options.publicKey);
  const ikm = await ecdh({ privateKey, publicKey });
  return { ikm, salt: digest('SHA-256', transcript.tagged()) };
}
