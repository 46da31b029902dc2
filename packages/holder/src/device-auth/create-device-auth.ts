import { type EncodedCbor, RawCbor } from '@mdlkit/core/cbor';
import { createCoseMac0, signCoseSign1 } from '@mdlkit/core/cose';
import type { AnyCoseSigner, PrivateKey } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import {
  type DeviceAuth,
  type DeviceSigned,
  deviceSignedToCbor,
  encodeDeviceNameSpaces,
} from '@mdlkit/core/mdoc';
import {
  buildDeviceAuthenticationBytes,
  deriveEMacKey,
  type SessionPublicKeyInput,
  type SessionTranscriptInput,
} from '@mdlkit/core/session';

/** How the mdoc authenticates: a device signature, or a MAC keyed by EMacKey. */
export type DeviceAuthMethod =
  | {
      /** `deviceSignature`: COSE_Sign1 with the device key (signer port: secure element, local key …). */
      readonly kind: 'signature';
      readonly signer: AnyCoseSigner;
    }
  | {
      /**
       * `deviceMac`: COSE_Mac0 (HMAC 256/256) keyed by EMacKey = HKDF(ECDH(SDeviceKey, EReaderKey)).
       * Needs the device private key and the reader's ephemeral key; not usable in online flows
       * without an EReaderKey.
       */
      readonly kind: 'mac';
      readonly devicePrivateKey: PrivateKey;
      readonly eReaderKey: SessionPublicKeyInput;
    };

/** Options of {@link createDeviceSigned}. */
export interface CreateDeviceSignedOptions {
  readonly docType: string;
  /** The SessionTranscript of this session (bytes or parsed), exactly as both sides hold it. */
  readonly sessionTranscript: SessionTranscriptInput;
  readonly method: DeviceAuthMethod;
  /** Device-signed elements (empty by default; 2021 mDL readers expect none for the mDL namespace). */
  readonly deviceNameSpaces?: ReadonlyMap<string, ReadonlyMap<string, unknown>>;
}

/** DeviceSigned, ready to embed in a Document. */
export interface CreatedDeviceSigned {
  /** DeviceNameSpacesBytes (tag 24), exactly what was authenticated. */
  readonly nameSpaces: EncodedCbor;
  /** DeviceAuthenticationBytes that were signed / MACed (detached content). */
  readonly deviceAuthenticationBytes: Uint8Array;
  /** DeviceSigned as core/mdoc models it (the COSE structure as its encoded bytes, `RawCbor`). */
  readonly deviceSigned: DeviceSigned;
  /** The CBOR value of DeviceSigned (`{ nameSpaces, deviceAuth }`), the COSE structure spliced verbatim. */
  readonly value: Map<string, unknown>;
}

/**
 * Build DeviceSigned: DeviceNameSpacesBytes (tag 24 even when empty), DeviceAuthenticationBytes
 * from the real SessionTranscript, and DeviceAuth by `deviceSignature` (COSE_Sign1, payload
 * `null`, detached) or `deviceMac` (COSE_Mac0, HMAC 256/256 with EMacKey, payload `null`).
 *
 * ```cddl
 * DeviceSigned = { "nameSpaces" : DeviceNameSpacesBytes, "deviceAuth" : DeviceAuth }
 * DeviceNameSpacesBytes = #6.24(bstr .cbor DeviceNameSpaces)
 * DeviceAuth = { "deviceSignature" : DeviceSignature // "deviceMac" : DeviceMac }
 * ```
 * ISO/IEC 18013-5 §8.3.2.1.2.2, §9.1.3.
 *
 * @example
 * ```ts
 * const ds = await createDeviceSigned({ docType, sessionTranscript, method: { kind: 'signature', signer } });
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for an unknown method; session / COSE / signer errors unchanged.
 */
export async function createDeviceSigned(options: CreateDeviceSignedOptions): Promise<CreatedDeviceSigned> {
  const deviceNameSpaces = options.deviceNameSpaces ?? new Map<string, ReadonlyMap<string, unknown>>();
  const nameSpaces = encodeDeviceNameSpaces(deviceNameSpaces);
  const deviceAuthenticationBytes = buildDeviceAuthenticationBytes({
    sessionTranscript: options.sessionTranscript,
    docType: options.docType,
    deviceNameSpacesBytes: nameSpaces,
  }).tagged();
  const { method } = options;
  let deviceAuth: DeviceAuth;
  if (method.kind === 'signature') {
    const { bytes } = await signCoseSign1({
      signer: method.signer,
      payload: deviceAuthenticationBytes,
      detached: true,
    });
    deviceAuth = { deviceSignature: new RawCbor(bytes) };
  } else if (method.kind === 'mac') {
    const key = await deriveEMacKey({
      privateKey: method.devicePrivateKey,
      publicKey: method.eReaderKey,
      sessionTranscript: options.sessionTranscript,
    });
    const { bytes } = createCoseMac0({ key, payload: deviceAuthenticationBytes, detached: true });
    deviceAuth = { deviceMac: new RawCbor(bytes) };
  } else {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'device authentication must be "signature" or "mac"');
  }
  const deviceSigned: DeviceSigned = {
    nameSpacesBytes: nameSpaces,
    nameSpaces: deviceNameSpaces,
    deviceAuth,
  };
  return { nameSpaces, deviceAuthenticationBytes, deviceSigned, value: deviceSignedToCbor(deviceSigned) };
}
