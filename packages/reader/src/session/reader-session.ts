import { EncodedCbor } from '@mdlkit/core/cbor';
import { coseKeyToPublicKey, publicKeyToCoseKey } from '@mdlkit/core/cose';
import { generateKeyPair, type PrivateKey } from '@mdlkit/core/crypto';
import { ErrorCode, MdlError } from '@mdlkit/core/errors';
import {
  type DeviceEngagement,
  decodeDeviceEngagement,
  parseDeviceEngagementUri,
  type ReceivedDeviceEngagement,
} from '@mdlkit/core/mdoc';
import {
  buildSessionTranscript,
  type Handover,
  SessionEncryption,
  type SessionStatus,
  type SessionTranscript,
} from '@mdlkit/core/session';
import { parseNdefMessage } from '../internal/ndef.js';

/** How the mdoc's DeviceEngagement reached the reader. */
export type EngagementInput =
  /** QR code text `mdoc:<base64url DeviceEngagement>` (§8.2.2.3); handover is QR (`null`). */
  | { readonly qr: string }
  /**
   * NFC Connection Handover (§8.2.2.1): the Handover Select NDEF message read from the mdoc (it
   * carries the `iso.org:18013:deviceengagement` record) and, for negotiated handover, the Handover
   * Request the reader sent (`null` / absent for static handover).
   */
  | { readonly handoverSelect: Uint8Array; readonly handoverRequest?: Uint8Array | null };

/** A DeviceEngagement as received, with the handover it came with. */
export interface ReadEngagement extends ReceivedDeviceEngagement {
  readonly handover: Handover;
}

const ENGAGEMENT_RECORD_TYPE = 'iso.org:18013:deviceengagement';
const TNF_EXTERNAL = 4;

/**
 * Reads the mdoc's DeviceEngagement from a QR code or an NFC Handover Select message, keeping the
 * received bytes (they go into the SessionTranscript as DeviceEngagementBytes).
 *
 * ```cddl
 * DeviceEngagement = { 0 : tstr, 1 : Security, ? 2 : DeviceRetrievalMethods, … }
 * Security = [int, EDeviceKeyBytes]
 * ```
 * ISO/IEC 18013-5 §8.2.1 (structure), §8.2.2.1 (NFC), §8.2.2.3 (QR).
 *
 * @example
 * ```ts
 * const { engagement, handover } = readDeviceEngagement({ qr: scannedText });
 * ```
 * @throws {@link MdlError} `ERR_ENGAGEMENT_INVALID` (bad QR text, NDEF message without an engagement
 *   record, unsupported cipher suite), `ERR_CBOR_*` / `ERR_STRUCTURE_INVALID` for a malformed engagement.
 */
export function readDeviceEngagement(input: EngagementInput): ReadEngagement {
  if (typeof input !== 'object' || input === null) {
    throw new MdlError(ErrorCode.ERR_INVALID_ARGUMENT, 'engagement input is required');
  }
  if ('qr' in input) {
    return { ...parseDeviceEngagementUri(input.qr), handover: { kind: 'qr' } };
  }
  if (!(input.handoverSelect instanceof Uint8Array)) {
    throw new MdlError(ErrorCode.ERR_INVALID_ARGUMENT, 'handoverSelect must be a Uint8Array');
  }
  const record = parseNdefMessage(input.handoverSelect).find(
    (r) => r.tnf === TNF_EXTERNAL && r.type === ENGAGEMENT_RECORD_TYPE,
  );
  if (record === undefined) {
    throw new MdlError(
      ErrorCode.ERR_ENGAGEMENT_INVALID,
      'the Handover Select message has no DeviceEngagement record',
    );
  }
  return {
    ...decodeDeviceEngagement(record.payload),
    handover: {
      kind: 'nfc',
      handoverSelect: input.handoverSelect,
      handoverRequest: input.handoverRequest ?? null,
    },
  };
}

/** Options for {@link ReaderSession.start}. */
export interface StartReaderSessionOptions {
  /** The mdoc's engagement (QR text or NFC handover messages). */
  readonly engagement: EngagementInput;
  /** Reuse a given ephemeral reader key (tests, vectors); default: a fresh key on the EDeviceKey curve. */
  readonly eReaderKey?: PrivateKey;
  /** Random source for the ephemeral key (default: the crypto provider's CSPRNG). */
  readonly randomBytes?: (length: number) => Uint8Array;
  /**
   * Map key order of the messages this session encodes: `deterministic` (default, RFC 8949
   * §4.2.1) or `insertion` (the CDDL order, which is what the Annex D example uses).
   */
  readonly keyOrder?: 'deterministic' | 'insertion';
}

/** A decrypted message from the mdoc. */
export interface ReceivedMessage {
  /** The DeviceResponse bytes, when the message carried data. */
  readonly deviceResponse?: Uint8Array;
  /** Session status (10 encryption error, 11 CBOR error, 20 termination); any status ends the session. */
  readonly status?: SessionStatus;
}

/**
 * The reader side of an 18013-5 proximity session (§9.1.1): reads the engagement, makes the
 * ephemeral reader key on the mdoc's curve, builds the SessionTranscript, derives the session keys
 * and encrypts / decrypts with {@link SessionEncryption}. Keep `sessionTranscript` and
 * `eReaderKey`: `verifyDeviceResponse` needs them for device authentication.
 *
 * @example
 * ```ts
 * const session = await ReaderSession.start({ engagement: { qr } });
 * transport.send(await session.establish(deviceRequestBytes));
 * const { deviceResponse } = await session.receive(await transport.receive());
 * const report = await verifyDeviceResponse(deviceResponse!, {
 *   trust, sessionTranscript: session.sessionTranscript, eReaderKey: session.eReaderKey,
 * });
 * transport.send(session.terminate());
 * ```
 */
export class ReaderSession {
  /** The engagement as received. */
  readonly engagement: DeviceEngagement;
  /** `[DeviceEngagementBytes, EReaderKeyBytes, Handover]` (§9.1.5.1). */
  readonly sessionTranscript: SessionTranscript;
  /** The reader's ephemeral private key (EReaderKey.priv); secret. */
  readonly eReaderKey: PrivateKey;
  /** EReaderKeyBytes as sent in SessionEstablishment. */
  readonly eReaderKeyBytes: EncodedCbor;
  readonly #encryption: SessionEncryption;
  readonly #keyOrder: 'deterministic' | 'insertion';
  #established = false;

  private constructor(
    engagement: DeviceEngagement,
    transcript: SessionTranscript,
    eReaderKey: PrivateKey,
    eReaderKeyBytes: EncodedCbor,
    encryption: SessionEncryption,
    keyOrder: 'deterministic' | 'insertion',
  ) {
    this.#keyOrder = keyOrder;
    this.engagement = engagement;
    this.sessionTranscript = transcript;
    this.eReaderKey = eReaderKey;
    this.eReaderKeyBytes = eReaderKeyBytes;
    this.#encryption = encryption;
  }

  /**
   * Starts a session from an engagement.
   *
   * @throws {@link MdlError} as {@link readDeviceEngagement}; `ERR_COSE_KEY_INVALID` /
   *   `ERR_CRYPTO_*` for an unusable EDeviceKey or an eReaderKey on another curve.
   */
  static async start(options: StartReaderSessionOptions): Promise<ReaderSession> {
    const { engagement, bytes, handover } = readDeviceEngagement(options.engagement);
    const eDeviceKey = coseKeyToPublicKey(engagement.security.eDeviceKey as ReadonlyMap<number, unknown>);
    const eReaderKey =
      options.eReaderKey ??
      generateKeyPair({
        curve: eDeviceKey.curve,
        ...(options.randomBytes ? { randomBytes: options.randomBytes } : {}),
      }).privateKey;
    if (eReaderKey.curve !== eDeviceKey.curve) {
      throw new MdlError(ErrorCode.ERR_CRYPTO_INVALID_KEY, 'the reader key must be on the EDeviceKey curve', {
        details: { curve: eReaderKey.curve, deviceCurve: eDeviceKey.curve },
      });
    }
    const eReaderKeyBytes = EncodedCbor.fromValue(publicKeyToCoseKey(eReaderKey.publicKey));
    const sessionTranscript = buildSessionTranscript({
      deviceEngagementBytes: bytes,
      eReaderKeyBytes,
      handover,
    });
    const encryption = await SessionEncryption.establish({
      role: 'reader',
      privateKey: eReaderKey,
      publicKey: engagement.security.eDeviceKeyBytes,
      sessionTranscript,
    });
    return new ReaderSession(
      engagement,
      sessionTranscript,
      eReaderKey,
      eReaderKeyBytes,
      encryption,
      options.keyOrder ?? 'deterministic',
    );
  }

  /**
   * The first message: SessionEstablishment `{eReaderKey, data}` with the encrypted DeviceRequest.
   *
   * ```cddl
   * SessionEstablishment = { "eReaderKey" : EReaderKeyBytes, "data" : bstr }
   * ```
   * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` when called twice; session errors.
   */
  async establish(deviceRequest: Uint8Array): Promise<Uint8Array> {
    if (this.#established) {
      throw new MdlError(ErrorCode.ERR_INVALID_ARGUMENT, 'SessionEstablishment was already sent; use send()');
    }
    this.#established = true;
    return this.#encryption.sealSessionEstablishment(this.eReaderKeyBytes, deviceRequest, {
      keyOrder: this.#keyOrder,
    });
  }

  /**
   * A further request in the same session: SessionData `{data}`.
   *
   * @throws {@link MdlError} `ERR_SESSION_TERMINATED`, `ERR_SESSION_COUNTER_EXHAUSTED`.
   */
  send(deviceRequest: Uint8Array): Promise<Uint8Array> {
    return this.#encryption.sealSessionData(deviceRequest, { keyOrder: this.#keyOrder });
  }

  /**
   * Decrypts a SessionData message from the mdoc.
   *
   * ```cddl
   * SessionData = { ? "data" : bstr, ? "status" : uint }
   * ```
   * @throws {@link MdlError} `ERR_SESSION_DECRYPT_FAILED` (the session ends; send status 10),
   *   `ERR_CBOR_*` / `ERR_STRUCTURE_INVALID` (send status 11), `ERR_SESSION_TERMINATED`.
   */
  async receive(sessionData: Uint8Array): Promise<ReceivedMessage> {
    const { plaintext, status } = await this.#encryption.openSessionData(sessionData);
    return {
      ...(plaintext === undefined ? {} : { deviceResponse: plaintext }),
      ...(status === undefined ? {} : { status }),
    };
  }

  /** Ends the session; returns SessionData `{status: 20}` to send. */
  terminate(): Uint8Array {
    return this.#encryption.terminate();
  }
}
