import { bytesEqual, type CborDecodeOptions, type EncodedCbor } from '@mdlkit/core/cbor';
import {
  CoseHeader,
  type CoseKey,
  coseKeyToPublicKey,
  getSignatureAlg,
  parseCoseMac0,
  parseCoseSign1,
  verifyCoseMac0,
  verifyCoseSign1,
} from '@mdlkit/core/cose';
import {
  assertIsoAlgCurvePair,
  CoseAlg,
  CoseMacAlg,
  curveInfo,
  type PrivateKey,
  type PublicKey,
} from '@mdlkit/core/crypto';
import { ErrorCode, isMdlError, MdlError } from '@mdlkit/core/errors';
import {
  buildDeviceAuthenticationBytes,
  deriveEMacKey,
  type SessionTranscriptInput,
} from '@mdlkit/core/session';
import { deviceKeys } from '../internal/caches.js';

/**
 * The algorithms 18013-5 allows for DeviceSignature (§9.1.3.6): ES256, ES384, ES512, EdDSA.
 *
 * @example
 * ```ts
 * DEVICE_SIGNATURE_ALGORITHMS.includes(CoseAlg.ES256); // true
 * ```
 */
export const DEVICE_SIGNATURE_ALGORITHMS: readonly CoseAlg[] = Object.freeze([
  CoseAlg.ES256,
  CoseAlg.ES384,
  CoseAlg.ES512,
  CoseAlg.EdDSA,
]);

/** Options for {@link verifyDeviceAuth}. */
export interface VerifyDeviceAuthOptions {
  /** `Document.docType` as received. */
  readonly docType: string;
  /** `DeviceSigned.nameSpaces` exactly as received (tag 24). */
  readonly deviceNameSpacesBytes: EncodedCbor;
  /** `DeviceAuth.deviceSignature` as decoded (COSE_Sign1), if present. */
  readonly deviceSignature: unknown;
  /** `DeviceAuth.deviceMac` as decoded (COSE_Mac0), if present. */
  readonly deviceMac: unknown;
  /** The MSO `deviceKey` (COSE_Key). */
  readonly deviceKey: CoseKey;
  /** The reader's own SessionTranscript (never one taken from the wallet). */
  readonly sessionTranscript: SessionTranscriptInput;
  /** The reader's ephemeral private key, needed to check a DeviceMac. */
  readonly eReaderKey?: PrivateKey | undefined;
  /** Signature algorithms to accept (default {@link DEVICE_SIGNATURE_ALGORITHMS}). */
  readonly allowedAlgorithms?: readonly CoseAlg[];
  /** CBOR options (limits, budget) for the COSE protected header (default: core's defaults). */
  readonly decodeOptions?: CborDecodeOptions;
  /**
   * A DeviceSignature whose payload is attached instead of detached (18013-5 §9.1.3.6 says null):
   * `reject` (default) fails with `ERR_DEVICE_SIGNATURE_INVALID`; `if-identical` accepts it only when
   * the attached bytes are exactly the DeviceAuthenticationBytes the reader built, and calls
   * `onAttachedPayload`. Different attached bytes are always rejected.
   */
  readonly attachedPayload?: 'reject' | 'if-identical';
  /** Called when an identical attached payload was accepted. */
  readonly onAttachedPayload?: () => void;
}

/**
 * Verifies mdoc authentication (ISO/IEC 18013-5 §9.1.3, §9.3.2): rebuilds DeviceAuthenticationBytes
 * from the reader's SessionTranscript, the docType and the received DeviceNameSpacesBytes, then
 * checks either the DeviceSignature (COSE_Sign1, detached, with the MSO `deviceKey`) or the
 * DeviceMac (COSE_Mac0 HMAC 256/256, detached, with EMacKey derived from the reader's ephemeral key
 * and the MSO `deviceKey`).
 *
 * ```cddl
 * DeviceAuth = { "deviceSignature" : DeviceSignature // "deviceMac" : DeviceMac }
 * DeviceAuthentication = ["DeviceAuthentication", SessionTranscript, DocType, DeviceNameSpacesBytes]
 * ```
 *
 * @example
 * ```ts
 * const method = await verifyDeviceAuth({ docType, deviceNameSpacesBytes, deviceSignature, deviceMac,
 *   deviceKey, sessionTranscript, eReaderKey });
 * ```
 * @returns which method the mdoc used.
 * @throws {@link MdlError} `ERR_DEVICE_AUTH_MISSING`, `ERR_DEVICE_SIGNATURE_INVALID`,
 *   `ERR_DEVICE_MAC_INVALID`, `ERR_DEVICE_MAC_KEY_UNAVAILABLE`, `ERR_COSE_*`, `ERR_CRYPTO_*`,
 *   `ERR_TRANSCRIPT_INVALID`.
 */
export async function verifyDeviceAuth(options: VerifyDeviceAuthOptions): Promise<'signature' | 'mac'> {
  const hasSig = options.deviceSignature !== undefined;
  const hasMac = options.deviceMac !== undefined;
  if (hasSig === hasMac) {
    throw new MdlError(
      ErrorCode.ERR_DEVICE_AUTH_MISSING,
      hasSig
        ? 'DeviceAuth carries both a signature and a MAC'
        : 'DeviceAuth carries neither a signature nor a MAC',
    );
  }
  const payload = buildDeviceAuthenticationBytes({
    sessionTranscript: options.sessionTranscript,
    docType: options.docType,
    deviceNameSpacesBytes: options.deviceNameSpacesBytes,
  }).tagged();

  if (hasSig) {
    await verifyDeviceSignatureOver(
      payload,
      options.deviceSignature,
      options.deviceKey,
      options.allowedAlgorithms,
      options.decodeOptions,
      options.attachedPayload === 'if-identical' ? (options.onAttachedPayload ?? (() => {})) : undefined,
    );
    return 'signature';
  }

  const message = parseCoseMac0(options.deviceMac, options.decodeOptions);
  if (message.payload !== null) {
    throw new MdlError(ErrorCode.ERR_DEVICE_MAC_INVALID, 'DeviceMac must have a detached (null) payload');
  }
  const alg = message.protected.get(CoseHeader.alg) ?? message.unprotected.get(CoseHeader.alg);
  if (!message.protected.has(CoseHeader.alg) && alg !== undefined) {
    throw new MdlError(
      ErrorCode.ERR_COSE_ALG_NOT_PROTECTED,
      'the DeviceMac alg is not in the protected header',
    );
  }
  if (alg !== CoseMacAlg.HS256) {
    throw new MdlError(
      alg === undefined ? ErrorCode.ERR_COSE_ALG_MISSING : ErrorCode.ERR_COSE_ALG_UNSUPPORTED,
      'DeviceMac must use HMAC 256/256 (alg 5)',
      { details: { alg: typeof alg === 'number' ? alg : String(alg) } },
    );
  }
  if (options.eReaderKey === undefined) {
    throw new MdlError(
      ErrorCode.ERR_DEVICE_MAC_KEY_UNAVAILABLE,
      'the mdoc used DeviceMac; pass the reader ephemeral private key (eReaderKey) to check it',
    );
  }
  const deviceKey = coseKeyToPublicKey(options.deviceKey);
  // Every cipher-suite-1 key-agreement curve (§9.1.5.2): the EC2 curves (P-256/384/521, brainpool)
  // and the Montgomery curves X25519 / X448. Ed25519 / Ed448 are signature-only.
  if (curveInfo(deviceKey.curve).use === 'eddsa') {
    throw new MdlError(
      ErrorCode.ERR_CRYPTO_UNSUPPORTED_CURVE,
      'the MSO deviceKey is a signature-only key; DeviceMac needs a key-agreement curve',
      { details: { curve: deviceKey.curve } },
    );
  }
  if (deviceKey.curve !== options.eReaderKey.curve) {
    throw new MdlError(
      ErrorCode.ERR_CRYPTO_INVALID_KEY,
      'DeviceMac needs the MSO deviceKey and the reader ephemeral key on the same curve',
      { details: { curve: deviceKey.curve, readerCurve: options.eReaderKey.curve } },
    );
  }
  let eMacKey: Uint8Array;
  try {
    eMacKey = await deriveEMacKey({
      privateKey: options.eReaderKey,
      publicKey: deviceKey,
      sessionTranscript: options.sessionTranscript,
    });
  } catch (error) {
    if (isMdlError(error)) throw error;
    throw new MdlError(ErrorCode.ERR_DEVICE_MAC_INVALID, 'EMacKey could not be derived', { cause: error });
  }
  if (!verifyCoseMac0({ message, key: eMacKey, detachedPayload: payload })) {
    throw new MdlError(ErrorCode.ERR_DEVICE_MAC_INVALID, 'the DeviceMac does not verify');
  }
  return 'mac';
}

/**
 * @internal Checks a DeviceSignature over given DeviceAuthenticationBytes (the transcript doctor
 * also uses it for transcripts core does not model, such as the pre-1.0 OpenID4VP handover).
 */
export async function verifyDeviceSignatureOver(
  payload: Uint8Array,
  deviceSignature: unknown,
  deviceKey: CoseKey,
  allowedAlgorithms: readonly CoseAlg[] | undefined,
  decodeOptions?: CborDecodeOptions,
  onIdenticalAttachedPayload?: () => void,
): Promise<void> {
  let message = parseCoseSign1(deviceSignature, decodeOptions);
  const wasAttached = message.payload !== null;
  if (message.payload !== null) {
    // The signature must still be over the reader's own DeviceAuthenticationBytes: an attached payload
    // is only ever compared with them, never used in their place.
    if (onIdenticalAttachedPayload === undefined || !bytesEqual(message.payload, payload)) {
      throw new MdlError(
        ErrorCode.ERR_DEVICE_SIGNATURE_INVALID,
        onIdenticalAttachedPayload === undefined
          ? 'DeviceSignature must have a detached (null) payload'
          : 'the attached DeviceSignature payload differs from the DeviceAuthenticationBytes the reader built',
      );
    }
    message = { ...message, payload: null };
  }
  const { alg, isProtected } = getSignatureAlg(message);
  if (!isProtected) {
    throw new MdlError(
      ErrorCode.ERR_COSE_ALG_NOT_PROTECTED,
      'the DeviceSignature alg is not in the protected header',
    );
  }
  if (!(allowedAlgorithms ?? DEVICE_SIGNATURE_ALGORITHMS).includes(alg)) {
    throw new MdlError(ErrorCode.ERR_COSE_ALG_UNSUPPORTED, 'the DeviceSignature alg is not allowed', {
      details: { alg },
    });
  }
  const key = deviceKeyOf(deviceKey);
  assertIsoAlgCurvePair(alg, key);
  const ok = await verifyCoseSign1({ message, key, detachedPayload: payload });
  if (!ok) throw new MdlError(ErrorCode.ERR_DEVICE_SIGNATURE_INVALID, 'the DeviceSignature does not verify');
  if (wasAttached) onIdenticalAttachedPayload?.();
}

// The MSO device key imported once per decoded COSE_Key map (the reader's caches module); only
// successful imports are remembered.

function deviceKeyOf(deviceKey: CoseKey): PublicKey {
  let key = deviceKeys.get(deviceKey);
  if (key === undefined) {
    key = coseKeyToPublicKey(deviceKey);
    deviceKeys.set(deviceKey, key);
  }
  return key;
}
