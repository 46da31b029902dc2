import { type EncodedCbor, toBase64Url } from '@mdlkit/core/cbor';
import {
  type AnyCoseSigner,
  randomBytes as defaultRandomBytes,
  exportPrivateKey,
  generateKeyPair,
} from '@mdlkit/core/crypto';
import { ANNEX_C_PROTOCOL, encodeEncryptionInfo } from '@mdlkit/core/online';
import { buildIsoDcApiHandover, buildSessionTranscript, type SessionTranscript } from '@mdlkit/core/session';
import { buildDeviceRequest } from '../device-request/build-device-request.js';
import { checkedElements, dcqlQueryForIntents, invalid, type PresentationIntent } from '../online/intent.js';
import type { AnnexCState } from '../online/state.js';

/** Options for {@link createAnnexCRequest}. */
export interface CreateAnnexCRequestOptions {
  /** What to ask for: one DocRequest per intent. */
  readonly intent: PresentationIntent | readonly PresentationIntent[];
  /** The verifier page's origin (it is bound into the transcript), e.g. `https://verifier.example`. */
  readonly origin: string;
  /** Sign every DocRequest with ReaderAuth (ISO 18013-5 §9.1.4) using this reader key and chain. */
  readonly readerAuth?: { readonly signer: AnyCoseSigner; readonly certificateChain: readonly Uint8Array[] };
  /** How long the state is valid (default 300 s). */
  readonly lifetimeSeconds?: number;
  /** Time of the request (default now). */
  readonly now?: Date;
  /** Random source for the nonce, the state id and the recipient key (default the CSPRNG). */
  readonly randomBytes?: (length: number) => Uint8Array;
}

/** The Digital Credentials API request for Annex C. */
export interface DcApiAnnexCRequest {
  readonly protocol: typeof ANNEX_C_PROTOCOL;
  readonly data: { readonly deviceRequest: string; readonly encryptionInfo: string };
}

/** What {@link createAnnexCRequest} returns. */
export interface CreatedAnnexCRequest {
  readonly dcApi: DcApiAnnexCRequest;
  /** Keep server-side until the response arrives (holds the HPKE recipient key under `secret`). */
  readonly state: AnnexCState;
}

/**
 * Builds an ISO/IEC TS 18013-7 Annex C request (`org-iso-mdoc` over the Digital Credentials API):
 * a DeviceRequest (optionally with ReaderAuth over the dcapi SessionTranscript) and an
 * EncryptionInfo with a fresh P-256 HPKE recipient key and nonce.
 *
 * @example
 * ```ts
 * const { dcApi, state } = await createAnnexCRequest({
 *   intent: { docType: 'org.iso.18013.5.1.mDL', elements: { 'org.iso.18013.5.1': { age_over_21: false } } },
 *   origin: 'https://verifier.example',
 * });
 * ```
 * @throws {@link MdlError} `ERR_ONLINE_REQUEST_INVALID` for a bad intent or origin; the signer's errors.
 */
export async function createAnnexCRequest(
  options: CreateAnnexCRequestOptions,
): Promise<CreatedAnnexCRequest> {
  const random = options?.randomBytes ?? defaultRandomBytes;
  const now = options.now ?? new Date();
  const lifetime = options.lifetimeSeconds ?? 300;
  if (!Number.isFinite(lifetime) || lifetime <= 0)
    invalid('lifetimeSeconds must be positive', 'lifetimeSeconds');
  const origin = checkedOrigin(options.origin);
  const intents = Array.isArray(options.intent)
    ? (options.intent as readonly PresentationIntent[])
    : [options.intent as PresentationIntent];
  const dcqlQuery = dcqlQueryForIntents(intents);
  const docTypes = new Set<string>();
  for (const i of intents) {
    if (docTypes.has(i.docType)) invalid('Annex C requests ask for each docType once', 'intent');
    docTypes.add(i.docType);
  }

  const pair = generateKeyPair({ curve: 'P-256', randomBytes: random });
  const encryptionInfo = encodeEncryptionInfo({
    nonce: random(32),
    recipientPublicKey: pair.publicKey,
  }).base64url;
  const transcript = annexCTranscript(encryptionInfo, origin);
  const deviceRequest = await buildDeviceRequest({
    docRequests: intents.map((intent, index) => ({
      docType: intent.docType,
      nameSpaces: checkedElements(intent, index),
    })),
    ...(options.readerAuth === undefined
      ? {}
      : {
          readerAuth: {
            signer: options.readerAuth.signer,
            certificateChain: options.readerAuth.certificateChain,
            sessionTranscript: transcript,
          },
        }),
  });
  const deviceRequestText = toBase64Url(deviceRequest.bytes);
  const state: AnnexCState = {
    version: 1,
    protocol: 'annex-c',
    id: toBase64Url(random(16)),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + lifetime * 1000).toISOString(),
    dcqlQuery,
    origin,
    encryptionInfo,
    deviceRequest: deviceRequestText,
    secret: { decryptionKey: exportPrivateKey(pair.privateKey, 'jwk') },
  };
  return {
    dcApi: { protocol: ANNEX_C_PROTOCOL, data: { deviceRequest: deviceRequestText, encryptionInfo } },
    state,
  };
}

/**
 * The Annex C SessionTranscript `[null, null, ["dcapi", SHA-256(cbor([encryptionInfo, origin]))]]`.
 *
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for a bad encryptionInfo or origin.
 */
export function annexCTranscript(encryptionInfo: string, origin: string): SessionTranscript {
  return buildSessionTranscript({
    deviceEngagementBytes: null as EncodedCbor | null,
    eReaderKeyBytes: null,
    handover: buildIsoDcApiHandover({ encryptionInfo, origin }),
  });
}

function checkedOrigin(value: unknown): string {
  if (typeof value !== 'string') invalid('Annex C requests need the origin of the verifier page', 'origin');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return invalid('origin must be a serialized origin such as https://verifier.example', 'origin');
  }
  if (url.origin !== value)
    invalid('origin must be a serialized origin (scheme://host[:port], no path)', 'origin');
  return value;
}
