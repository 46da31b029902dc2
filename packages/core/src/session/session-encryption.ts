import { aesGcmDecrypt, aesGcmEncrypt } from '@mdlkit/core/crypto';
import type { CborDecodeOptions, CborEncodeOptions, EncodedCbor } from '../cbor/index.js';
import { ErrorCode } from '../errors/codes.js';
import { MdlError } from '../errors/mdl-error.js';
import { type DeriveSessionKeysOptions, deriveSessionKeys, type SessionKeys } from './session-keys.js';
import {
  encodeSessionData,
  encodeSessionEstablishment,
  parseSessionData,
  type SessionData,
  SessionStatus,
} from './session-messages.js';

/** Which side of the session this instance is. */
export const SessionRole = {
  MDOC: 'mdoc',
  READER: 'reader',
} as const;
/** `'mdoc'` or `'reader'`. */
export type SessionRole = (typeof SessionRole)[keyof typeof SessionRole];

/** The largest message counter: the counter is a 4-byte big-endian field of the IV. */
export const MAX_SESSION_COUNTER = 0xffff_ffff;

/** Options for the {@link SessionEncryption} constructor. */
export interface SessionEncryptionOptions {
  /** Our role: the reader encrypts with SKReader, the mdoc with SKDevice. */
  readonly role: SessionRole;
  /** SKReader and SKDevice (see `deriveSessionKeys`). */
  readonly keys: SessionKeys;
  /**
   * Next counters to use, to resume a session persisted across a restart. Default `1` / `1` (a new
   * session). Never set a value below one already used with the same keys: that reuses an IV.
   */
  readonly counters?: { readonly send: number; readonly receive: number };
}

/** Options for {@link SessionEncryption.establish}. */
export interface EstablishSessionOptions extends DeriveSessionKeysOptions {
  /** Our role (see {@link SessionRole}). */
  readonly role: SessionRole;
}

/** The result of {@link SessionEncryption.openSessionData}. */
export interface OpenedSessionData {
  /** The decrypted payload (DeviceRequest / DeviceResponse bytes), when `data` was present. */
  readonly plaintext?: Uint8Array;
  /** The status, when present; any status ends the session. */
  readonly status?: SessionStatus;
}

// IV identifiers: reader 00…00, mdoc 00…01 (18013-5 §9.1.1.5).
const READER_ID = 0;
const MDOC_ID = 1;
const KEY_LENGTH = 32;

/**
 * Session encryption of ISO/IEC 18013-5:2021 §9.1.1.5 (ed2 §12.2.5; spec digest §3.9): AES-256-GCM,
 * empty AAD, `data` = ciphertext ‖ 16-byte tag, IV = 8-byte identifier ‖ 4-byte big-endian message
 * counter. The identifier is `0000000000000000` for messages the reader encrypts (key SKReader) and
 * `0000000000000001` for messages the mdoc encrypts (key SKDevice). Each direction's counter starts at
 * 1 and increases by one per message; a counter is never reused — past 2^32 − 1 the session is
 * exhausted (`ERR_SESSION_COUNTER_EXHAUSTED`).
 *
 * A failed decryption ends the session (the spec requires status 10 and termination); so does a
 * received or sent status. Afterwards every call throws `ERR_SESSION_TERMINATED`. No randomness is
 * used: IVs are deterministic by construction.
 *
 * Counters are reserved synchronously, so concurrent `encrypt` calls get distinct IVs; decrypt
 * messages in the order they arrived.
 *
 * @example
 * ```ts
 * const reader = await SessionEncryption.establish({
 *   role: 'reader', privateKey: eReaderKey.privateKey, publicKey: eDeviceKeyBytes, sessionTranscript,
 * });
 * const first = await reader.sealSessionEstablishment(eReaderKeyBytes, deviceRequestBytes);
 * const { plaintext } = await reader.openSessionData(sessionDataBytes);
 * ```
 */
export class SessionEncryption {
  /** Our role. */
  readonly role: SessionRole;
  readonly #sendKey: Uint8Array;
  readonly #receiveKey: Uint8Array;
  readonly #sendId: number;
  readonly #receiveId: number;
  #sendCounter: number;
  #receiveCounter: number;
  #terminated = false;

  /**
   * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for an unknown role, keys that are not 32 bytes,
   *   or counters outside 1 … 2^32 − 1.
   */
  constructor(options: SessionEncryptionOptions) {
    const { role, keys } = options;
    if (role !== SessionRole.MDOC && role !== SessionRole.READER) {
      throw new MdlError(ErrorCode.ERR_INVALID_ARGUMENT, "role must be 'mdoc' or 'reader'");
    }
    if (!isKey(keys?.skReader) || !isKey(keys?.skDevice)) {
      throw new MdlError(ErrorCode.ERR_INVALID_ARGUMENT, 'skReader and skDevice must be 32-byte Uint8Arrays');
    }
    const send = options.counters?.send ?? 1;
    const receive = options.counters?.receive ?? 1;
    if (!isCounter(send) || !isCounter(receive)) {
      throw new MdlError(ErrorCode.ERR_INVALID_ARGUMENT, 'counters must be integers in 1 … 2^32 − 1');
    }
    this.role = role;
    const reader = role === SessionRole.READER;
    this.#sendKey = (reader ? keys.skReader : keys.skDevice).slice();
    this.#receiveKey = (reader ? keys.skDevice : keys.skReader).slice();
    this.#sendId = reader ? READER_ID : MDOC_ID;
    this.#receiveId = reader ? MDOC_ID : READER_ID;
    this.#sendCounter = send;
    this.#receiveCounter = receive;
  }

  /**
   * Derives the session keys (see `deriveSessionKeys`) and returns a new session for `role`.
   *
   * @example
   * ```ts
   * const mdoc = await SessionEncryption.establish({
   *   role: 'mdoc', privateKey: eDeviceKey.privateKey, publicKey: establishment.eReaderKeyBytes, sessionTranscript,
   * });
   * const deviceRequest = await mdoc.decrypt(establishment.data);
   * ```
   * @throws {@link MdlError} as `deriveSessionKeys` and the constructor.
   */
  static async establish(options: EstablishSessionOptions): Promise<SessionEncryption> {
    const keys = await deriveSessionKeys(options);
    return new SessionEncryption({ role: options.role, keys });
  }

  /** The counter the next {@link SessionEncryption.encrypt} will use. */
  get sendCounter(): number {
    return this.#sendCounter;
  }

  /** The counter the next {@link SessionEncryption.decrypt} expects. */
  get receiveCounter(): number {
    return this.#receiveCounter;
  }

  /** Whether the session has ended (status sent or received, decrypt failure, {@link SessionEncryption.terminate}). */
  get terminated(): boolean {
    return this.#terminated;
  }

  /**
   * Encrypts one outgoing message with our key and the next send counter.
   *
   * @example
   * ```ts
   * const data = await session.encrypt(deviceResponseBytes);
   * ```
   * @throws {@link MdlError} `ERR_SESSION_TERMINATED`; `ERR_SESSION_COUNTER_EXHAUSTED` after
   *   2^32 − 1 messages; `ERR_INVALID_ARGUMENT` when `plaintext` is not a `Uint8Array`.
   */
  async encrypt(plaintext: Uint8Array): Promise<Uint8Array> {
    this.#assertOpen();
    if (!(plaintext instanceof Uint8Array)) {
      throw new MdlError(ErrorCode.ERR_INVALID_ARGUMENT, 'plaintext must be a Uint8Array');
    }
    const counter = this.#sendCounter;
    if (counter > MAX_SESSION_COUNTER) {
      throw new MdlError(
        ErrorCode.ERR_SESSION_COUNTER_EXHAUSTED,
        'send counter exhausted; start a new session',
      );
    }
    this.#sendCounter = counter + 1;
    return aesGcmEncrypt({ key: this.#sendKey, iv: sessionIv(this.#sendId, counter), plaintext });
  }

  /**
   * Decrypts one incoming message with the peer's key and the next receive counter. A failure ends
   * the session (answer with `SessionStatus.ENCRYPTION_ERROR`).
   *
   * @example
   * ```ts
   * const deviceRequestBytes = await session.decrypt(establishment.data);
   * ```
   * @throws {@link MdlError} `ERR_SESSION_DECRYPT_FAILED` (wrong key, wrong counter, tampered or
   *   truncated data); `ERR_SESSION_TERMINATED`; `ERR_SESSION_COUNTER_EXHAUSTED`.
   */
  async decrypt(ciphertext: Uint8Array): Promise<Uint8Array> {
    this.#assertOpen();
    const counter = this.#receiveCounter;
    if (counter > MAX_SESSION_COUNTER) {
      throw new MdlError(
        ErrorCode.ERR_SESSION_COUNTER_EXHAUSTED,
        'receive counter exhausted; start a new session',
      );
    }
    if (!(ciphertext instanceof Uint8Array)) {
      throw new MdlError(ErrorCode.ERR_INVALID_ARGUMENT, 'ciphertext must be a Uint8Array');
    }
    this.#receiveCounter = counter + 1;
    try {
      return await aesGcmDecrypt({
        key: this.#receiveKey,
        iv: sessionIv(this.#receiveId, counter),
        ciphertext,
      });
    } catch (cause) {
      this.#terminated = true;
      throw new MdlError(ErrorCode.ERR_SESSION_DECRYPT_FAILED, 'session message could not be decrypted', {
        details: { counter },
        cause,
      });
    }
  }

  /**
   * Reader only: encrypts the DeviceRequest and wraps it in the SessionEstablishment message.
   *
   * @example
   * ```ts
   * const message = await reader.sealSessionEstablishment(eReaderKeyBytes, deviceRequestBytes);
   * ```
   * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` when called by the mdoc; as
   *   {@link SessionEncryption.encrypt}.
   */
  async sealSessionEstablishment(
    eReaderKeyBytes: EncodedCbor,
    deviceRequest: Uint8Array,
    options: CborEncodeOptions = {},
  ): Promise<Uint8Array> {
    if (this.role !== SessionRole.READER) {
      throw new MdlError(ErrorCode.ERR_INVALID_ARGUMENT, 'only the reader sends SessionEstablishment');
    }
    const data = await this.encrypt(deviceRequest);
    return encodeSessionEstablishment({ eReaderKeyBytes, data }, options);
  }

  /**
   * Encrypts `plaintext` into a SessionData message. With `terminate: true` the message also carries
   * status 20 (session termination) and the session ends.
   *
   * @example
   * ```ts
   * const message = await mdoc.sealSessionData(deviceResponseBytes);
   * ```
   * @throws {@link MdlError} as {@link SessionEncryption.encrypt}.
   */
  async sealSessionData(
    plaintext: Uint8Array,
    options: CborEncodeOptions & { readonly terminate?: boolean } = {},
  ): Promise<Uint8Array> {
    const data = await this.encrypt(plaintext);
    const message: SessionData =
      options.terminate === true ? { data, status: SessionStatus.SESSION_TERMINATION } : { data };
    if (options.terminate === true) this.#terminated = true;
    return encodeSessionData(message, options.keyOrder === undefined ? {} : { keyOrder: options.keyOrder });
  }

  /**
   * Parses a received SessionData message and decrypts its `data`. Any `status` ends the session
   * (10 / 11 report an error on the other side, 20 is a normal termination).
   *
   * @example
   * ```ts
   * const { plaintext, status } = await reader.openSessionData(bytes);
   * ```
   * @throws {@link MdlError} `ERR_CBOR_*` / `ERR_STRUCTURE_INVALID` for a malformed message (answer
   *   with status 11); as {@link SessionEncryption.decrypt}.
   */
  async openSessionData(bytes: Uint8Array, options: CborDecodeOptions = {}): Promise<OpenedSessionData> {
    this.#assertOpen();
    const message = parseSessionData(bytes, options);
    const plaintext = message.data === undefined ? undefined : await this.decrypt(message.data);
    if (message.status !== undefined) this.#terminated = true;
    return {
      ...(plaintext === undefined ? {} : { plaintext }),
      ...(message.status === undefined ? {} : { status: message.status }),
    };
  }

  /**
   * Ends the session and returns the SessionData termination message (`{"status": 20}`) to send.
   * Calling it again returns the same message.
   *
   * @example
   * ```ts
   * transport.send(session.terminate()); // a1 66 737461747573 14
   * ```
   */
  terminate(): Uint8Array {
    this.#terminated = true;
    return encodeSessionData({ status: SessionStatus.SESSION_TERMINATION });
  }

  #assertOpen(): void {
    if (this.#terminated) throw new MdlError(ErrorCode.ERR_SESSION_TERMINATED, 'the session has ended');
  }
}

/**
 * The 12-byte AES-GCM IV: 8-byte identifier (0 = reader, 1 = mdoc) ‖ 4-byte big-endian counter.
 *
 * @example
 * ```ts
 * sessionIv(1, 1); // 00000000 00000001 00000001
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for an identifier other than 0/1 or a counter
 *   outside 1 … 2^32 − 1.
 */
export function sessionIv(identifier: number, counter: number): Uint8Array {
  if (identifier !== READER_ID && identifier !== MDOC_ID) {
    throw new MdlError(ErrorCode.ERR_INVALID_ARGUMENT, 'IV identifier must be 0 (reader) or 1 (mdoc)');
  }
  if (!isCounter(counter)) {
    throw new MdlError(ErrorCode.ERR_INVALID_ARGUMENT, 'counter must be an integer in 1 … 2^32 − 1');
  }
  const iv = new Uint8Array(12);
  const view = new DataView(iv.buffer);
  view.setUint32(4, identifier);
  view.setUint32(8, counter);
  return iv;
}

function isKey(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === KEY_LENGTH;
}

function isCounter(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_SESSION_COUNTER;
}
