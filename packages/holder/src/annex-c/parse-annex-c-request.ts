import { fromBase64Url } from '@mdlkit/core/cbor';
import { MdlError } from '@mdlkit/core/errors';
import { ANNEX_C_PROTOCOL, type EncryptionInfo, parseEncryptionInfo } from '@mdlkit/core/online';
import { buildIsoDcApiHandover, buildSessionTranscript, type SessionTranscript } from '@mdlkit/core/session';
import type { TrustStore, ValidationPolicy } from '@mdlkit/pki';
import { type ParsedDeviceRequest, parseDeviceRequest } from '../request/parse-device-request.js';

/** Options for {@link parseAnnexCRequest}. */
export interface ParseAnnexCRequestOptions {
  /** The DC API request `{ protocol: 'org-iso-mdoc', data: { deviceRequest, encryptionInfo } }`. */
  readonly request: object;
  /** The verifier origin the platform asserts (bound into the transcript). */
  readonly origin: string;
  /** Trusted reader roots for ReaderAuth. */
  readonly readerTrust?: TrustStore;
  /** Refuse requests without verified ReaderAuth (`ERR_READER_AUTH_INVALID`). Default false. */
  readonly requireReaderAuth?: boolean;
  readonly now?: Date;
  readonly policy?: ValidationPolicy;
}

/** A checked Annex C request. */
export interface ParsedAnnexCRequest {
  readonly deviceRequest: ParsedDeviceRequest;
  readonly encryptionInfo: EncryptionInfo;
  /** The base64url `encryptionInfo` exactly as received. */
  readonly encryptionInfoText: string;
  readonly origin: string;
  /** `[null, null, ["dcapi", SHA-256(cbor([encryptionInfo, origin]))]]`. */
  readonly sessionTranscript: SessionTranscript;
}

/**
 * Parses and checks an ISO/IEC TS 18013-7 Annex C request on the wallet side: the EncryptionInfo,
 * the dcapi SessionTranscript from it and the platform origin, and the DeviceRequest with its
 * ReaderAuth verified over that transcript.
 *
 * @example
 * ```ts
 * const request = await parseAnnexCRequest({ request: dcApiRequest, origin: 'https://verifier.example', readerTrust });
 * ```
 * @throws {@link MdlError} `ERR_ONLINE_REQUEST_INVALID`, `ERR_REQUEST_INVALID`, `ERR_READER_AUTH_INVALID`.
 */
export async function parseAnnexCRequest(options: ParseAnnexCRequestOptions): Promise<ParsedAnnexCRequest> {
  const input = options?.request as Readonly<Record<string, unknown>> | null | undefined;
  if (typeof input !== 'object' || input === null || input.protocol !== ANNEX_C_PROTOCOL) {
    throw new MdlError('ERR_ONLINE_REQUEST_INVALID', `not an ${ANNEX_C_PROTOCOL} request`);
  }
  const data = input.data as Record<string, unknown> | undefined;
  if (typeof data?.deviceRequest !== 'string' || typeof data.encryptionInfo !== 'string') {
    throw new MdlError(
      'ERR_ONLINE_REQUEST_INVALID',
      'an Annex C request carries deviceRequest and encryptionInfo',
    );
  }
  if (typeof options.origin !== 'string' || options.origin.length === 0) {
    throw new MdlError('ERR_ONLINE_REQUEST_INVALID', 'Annex C requests need the platform-asserted origin');
  }
  const encryptionInfo = parseEncryptionInfo(data.encryptionInfo);
  const sessionTranscript = buildSessionTranscript({
    deviceEngagementBytes: null,
    eReaderKeyBytes: null,
    handover: buildIsoDcApiHandover({ encryptionInfo: data.encryptionInfo, origin: options.origin }),
  });
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(data.deviceRequest);
  } catch (cause) {
    throw new MdlError('ERR_ONLINE_REQUEST_INVALID', 'deviceRequest is not base64url', { cause });
  }
  const deviceRequest = await parseDeviceRequest(bytes, {
    sessionTranscript,
    ...(options.readerTrust === undefined ? {} : { trustStore: options.readerTrust }),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.policy === undefined ? {} : { policy: options.policy }),
    ...(options.requireReaderAuth === undefined ? {} : { requireReaderAuth: options.requireReaderAuth }),
  });
  return {
    deviceRequest,
    encryptionInfo,
    encryptionInfoText: data.encryptionInfo,
    origin: options.origin,
    sessionTranscript,
  };
}
