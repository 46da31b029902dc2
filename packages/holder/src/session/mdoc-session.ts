import type { EncodedCbor } from '@mdlkit/core/cbor';
import type { KeyPair } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import {
  buildSessionTranscript,
  type Handover,
  parseSessionEstablishment,
  SessionEncryption,
  SessionRole,
  type SessionTranscript,
} from '@mdlkit/core/session';

/** Options of {@link MdocSession}. */
export interface MdocSessionOptions {
  /** The ephemeral device key pair advertised in the engagement. */
  readonly eDeviceKey: KeyPair;
  /** DeviceEngagementBytes exactly as shown to the reader. */
  readonly deviceEngagementBytes: EncodedCbor;
  /** The handover. Default QR (`null`). */
  readonly handover?: Handover;
}

/** What the mdoc learns from the reader's SessionEstablishment. */
export interface EstablishedSession {
  /** The decrypted DeviceRequest bytes (parse with `parseDeviceRequest`). */
  readonly deviceRequest: Uint8Array;
  /** The SessionTranscript both sides now share. */
  readonly sessionTranscript: SessionTranscript;
  /** EReaderKeyBytes as received (for deviceMac). */
  readonly eReaderKeyBytes: EncodedCbor;
}

/**
 * The mdoc side of a proximity session (ISO/IEC 18013-5 §9.1.1): receives SessionEstablishment,
 * builds the SessionTranscript from the engagement it showed and the reader's key, derives the
 * session keys and wraps core's `SessionEncryption` (role mdoc). State → class.
 *
 * @example
 * ```ts
 * const session = new MdocSession({ eDeviceKey, deviceEngagementBytes });
 * const { deviceRequest, sessionTranscript } = await session.receiveEstablishment(bytesFromReader);
 * const reply = await session.sendResponse(deviceResponseBytes);
 * ```
 */
export class MdocSession {
  readonly #options: MdocSessionOptions;
  #encryption: SessionEncryption | undefined;
  #transcript: SessionTranscript | undefined;

  constructor(options: MdocSessionOptions) {
    this.#options = options;
  }

  /** The SessionTranscript, once established. */
  get sessionTranscript(): SessionTranscript | undefined {
    return this.#transcript;
  }

  /**
   * Handle the reader's first message.
   * @throws {@link MdlError} `ERR_SESSION_STATUS` when called twice; session / CBOR / decrypt errors
   * from core (`ERR_SESSION_DECRYPT_FAILED` …).
   */
  async receiveEstablishment(bytes: Uint8Array): Promise<EstablishedSession> {
    if (this.#encryption !== undefined) {
      throw new MdlError('ERR_SESSION_STATUS', 'the session is already established');
    }
    const establishment = parseSessionEstablishment(bytes);
    const sessionTranscript = buildSessionTranscript({
      deviceEngagementBytes: this.#options.deviceEngagementBytes,
      eReaderKeyBytes: establishment.eReaderKeyBytes,
      handover: this.#options.handover ?? { kind: 'qr' },
    });
    const encryption = await SessionEncryption.establish({
      role: SessionRole.MDOC,
      privateKey: this.#options.eDeviceKey.privateKey,
      publicKey: establishment.eReaderKeyBytes,
      sessionTranscript,
    });
    const deviceRequest = await encryption.decrypt(establishment.data);
    this.#encryption = encryption;
    this.#transcript = sessionTranscript;
    return { deviceRequest, sessionTranscript, eReaderKeyBytes: establishment.eReaderKeyBytes };
  }

  /**
   * Encrypt a DeviceResponse into SessionData (optionally ending the session, status 20).
   * @throws {@link MdlError} `ERR_SESSION_STATUS` before establishment; core session errors.
   */
  async sendResponse(
    deviceResponse: Uint8Array,
    options: { readonly terminate?: boolean } = {},
  ): Promise<Uint8Array> {
    return this.#session().sealSessionData(
      deviceResponse,
      options.terminate === true ? { terminate: true } : {},
    );
  }

  /**
   * Open a later SessionData from the reader (a further request, or termination).
   * @throws {@link MdlError} core session errors.
   */
  async receive(
    bytes: Uint8Array,
  ): Promise<{ readonly deviceRequest?: Uint8Array; readonly terminated: boolean }> {
    const opened = await this.#session().openSessionData(bytes);
    return {
      ...(opened.plaintext === undefined ? {} : { deviceRequest: opened.plaintext }),
      terminated: opened.status !== undefined,
    };
  }

  /** SessionData with status 20 (session termination). */
  terminate(): Uint8Array {
    return this.#session().terminate();
  }

  #session(): SessionEncryption {
    if (this.#encryption === undefined)
      throw new MdlError('ERR_SESSION_STATUS', 'the session is not established');
    return this.#encryption;
  }
}
