import { EncodedCbor, toBase64Url } from '@mdlkit/core/cbor';
import { publicKeyToCoseKey } from '@mdlkit/core/cose';
import { type Curve, generateKeyPair, type KeyPair } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';

/** BLE retrieval options (ISO/IEC 18013-5 §8.2.2.2, spec §2.8). */
export interface BleRetrievalOptions {
  /** mdoc peripheral server mode supported. */
  readonly peripheralServerMode: boolean;
  /** mdoc central client mode supported. */
  readonly centralClientMode: boolean;
  /** Peripheral server mode service UUID (16 bytes). */
  readonly peripheralServerUuid?: Uint8Array;
  /** Central client mode service UUID (16 bytes). */
  readonly centralClientUuid?: Uint8Array;
  /** mdoc BLE device address (6 bytes). */
  readonly deviceAddress?: Uint8Array;
}

/** Options of {@link createQrEngagement}. */
export interface CreateQrEngagementOptions {
  /** Curve of the ephemeral device key. Default `'P-256'`. */
  readonly curve?: Curve;
  /** Use this ephemeral key instead of generating one (tests, vectors). */
  readonly eDeviceKey?: KeyPair;
  /** BLE retrieval method to advertise. */
  readonly ble?: BleRetrievalOptions;
  /** Randomness for key generation. Default: the crypto provider's CSPRNG. */
  readonly randomBytes?: (length: number) => Uint8Array;
}

/** A QR device engagement. */
export interface QrEngagement {
  /** `mdoc:` + base64url(DeviceEngagement) without padding — the QR code text. */
  readonly uri: string;
  /** DeviceEngagementBytes (tag 24) — SessionTranscript[0]. */
  readonly deviceEngagementBytes: EncodedCbor;
  /** The ephemeral device key pair (EDeviceKey): keep the private key for session keys. */
  readonly eDeviceKey: KeyPair;
}

/**
 * Create a QR device engagement with a fresh ephemeral key (cipher suite 1).
 *
 * ```cddl
 * DeviceEngagement = { 0 : tstr, 1 : Security, ? 2 : DeviceRetrievalMethods }
 * Security = [int, EDeviceKeyBytes]
 * EDeviceKeyBytes = #6.24(bstr .cbor COSE_Key)
 * DeviceRetrievalMethod = [uint type, uint version, RetrievalOptions]  ; BLE = 2
 * BleOptions = { 0 : bool, 1 : bool, ? 10 : bstr, ? 11 : bstr, ? 20 : bstr }
 * ```
 * ISO/IEC 18013-5 §8.2.1.1, §8.2.2.3 (QR: `mdoc:` + base64url without padding).
 *
 * @example
 * ```ts
 * const { uri, eDeviceKey, deviceEngagementBytes } = createQrEngagement({
 *   ble: { peripheralServerMode: false, centralClientMode: true, centralClientUuid },
 * });
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for BLE UUIDs that are not 16 bytes.
 */
export function createQrEngagement(options: CreateQrEngagementOptions = {}): QrEngagement {
  const eDeviceKey =
    options.eDeviceKey ??
    generateKeyPair({
      curve: options.curve ?? 'P-256',
      ...(options.randomBytes === undefined ? {} : { randomBytes: options.randomBytes }),
    });
  const eDeviceKeyBytes = EncodedCbor.fromValue(publicKeyToCoseKey(eDeviceKey.publicKey));
  const engagement = new Map<number, unknown>([
    [0, '1.0'],
    [1, [1, eDeviceKeyBytes]],
  ]);
  if (options.ble !== undefined) {
    const ble = options.ble;
    const opts = new Map<number, unknown>([
      [0, ble.peripheralServerMode],
      [1, ble.centralClientMode],
    ]);
    for (const [label, uuid] of [
      [10, ble.peripheralServerUuid],
      [11, ble.centralClientUuid],
    ] as const) {
      if (uuid === undefined) continue;
      if (!(uuid instanceof Uint8Array) || uuid.length !== 16) {
        throw new MdlError('ERR_INVALID_ARGUMENT', 'BLE service UUIDs are 16 bytes');
      }
      opts.set(label, uuid);
    }
    if (ble.deviceAddress !== undefined) opts.set(20, ble.deviceAddress);
    engagement.set(2, [[2, 1, opts]]);
  }
  const deviceEngagementBytes = EncodedCbor.fromValue(engagement);
  return { uri: `mdoc:${toBase64Url(deviceEngagementBytes.bytes)}`, deviceEngagementBytes, eDeviceKey };
}
