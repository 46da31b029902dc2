import type { PublicKey } from '@mdlkit/core/crypto';
import { fromBase64Url, toBase64Url } from '../cbor/bytes.js';
import { decodeCbor } from '../cbor/decode.js';
import { encodeCbor } from '../cbor/encode.js';
import { coseKeyToPublicKey, publicKeyToCoseKey } from '../cose/cose-key.js';
import { MdlError } from '../errors/mdl-error.js';

/** The W3C Digital Credentials API protocol identifier of ISO/IEC TS 18013-7 Annex C. */
export const ANNEX_C_PROTOCOL = 'org-iso-mdoc' as const;

const DCAPI = 'dcapi';
const MAX_MESSAGE = 16 * 1024 * 1024;

/**
 * The verifier's encryption parameters of an Annex C request.
 *
 * ```cddl
 * EncryptionInfo = [
 *   "dcapi",
 *   EncryptionParameters
 * ]
 * EncryptionParameters = {
 *   "nonce": bstr,                      ; fresh per request, at least 16 bytes
 *   "recipientPublicKey": COSE_Key      ; the verifier's ephemeral P-256 HPKE key
 * }
 * ```
 * ISO/IEC TS 18013-7 (2nd edition DTS) Annex C — draft text; structure cross-checked with the
 * Multipaz verifier and the A-SIT Plus `vck` library (both encode exactly this array and map).
 */
export interface EncryptionInfo {
  readonly nonce: Uint8Array;
  readonly recipientPublicKey: PublicKey;
}

/**
 * The wallet's encrypted answer to an Annex C request.
 *
 * ```cddl
 * EncryptedResponse = [
 *   "dcapi",
 *   EncryptedResponseData
 * ]
 * EncryptedResponseData = {
 *   "enc": bstr,          ; HPKE encapsulated key
 *   "cipherText": bstr    ; HPKE ciphertext of the DeviceResponse
 * }
 * ```
 * ISO/IEC TS 18013-7 (2nd edition DTS) Annex C — draft text.
 */
export interface EncryptedResponse {
  readonly enc: Uint8Array;
  readonly cipherText: Uint8Array;
}

function fail(
  code: 'ERR_ONLINE_REQUEST_INVALID' | 'ERR_ONLINE_RESPONSE_INVALID',
  why: string,
  cause?: unknown,
): never {
  throw new MdlError(code, why, cause === undefined ? {} : { cause });
}

/**
 * Encodes EncryptionInfo as CBOR and as the base64url text the request carries (`encryptionInfo`).
 *
 * @example
 * ```ts
 * const { base64url } = encodeEncryptionInfo({ nonce, recipientPublicKey: keyPair.publicKey });
 * ```
 * @throws {@link MdlError} `ERR_ONLINE_REQUEST_INVALID` for a nonce shorter than 16 bytes or a non-P-256 key.
 */
export function encodeEncryptionInfo(info: EncryptionInfo): {
  readonly bytes: Uint8Array;
  readonly base64url: string;
} {
  if (!(info?.nonce instanceof Uint8Array) || info.nonce.length < 16) {
    fail('ERR_ONLINE_REQUEST_INVALID', 'EncryptionInfo nonce must be at least 16 bytes');
  }
  if (info.recipientPublicKey?.curve !== 'P-256') {
    fail('ERR_ONLINE_REQUEST_INVALID', 'recipientPublicKey must be a P-256 key (DHKEM(P-256))');
  }
  const value = [
    DCAPI,
    new Map<string, unknown>([
      ['nonce', info.nonce],
      ['recipientPublicKey', publicKeyToCoseKey(info.recipientPublicKey)],
    ]),
  ];
  const bytes = encodeCbor(value);
  return { bytes, base64url: toBase64Url(bytes) };
}

/**
 * Parses the base64url `encryptionInfo` of an Annex C request.
 *
 * @throws {@link MdlError} `ERR_ONLINE_REQUEST_INVALID` for anything that is not the CDDL above.
 */
export function parseEncryptionInfo(base64url: string): EncryptionInfo {
  const value = decodeMessage(base64url, 'ERR_ONLINE_REQUEST_INVALID', 'encryptionInfo');
  const params = dcapiBody(value, 'ERR_ONLINE_REQUEST_INVALID', 'EncryptionInfo');
  const nonce = params.get('nonce');
  const key = params.get('recipientPublicKey');
  if (!(nonce instanceof Uint8Array) || nonce.length < 16)
    fail('ERR_ONLINE_REQUEST_INVALID', 'EncryptionInfo nonce must be a bstr of at least 16 bytes');
  if (!(key instanceof Map)) fail('ERR_ONLINE_REQUEST_INVALID', 'recipientPublicKey must be a COSE_Key');
  let recipientPublicKey: PublicKey;
  try {
    recipientPublicKey = coseKeyToPublicKey(key as Map<number, unknown>);
  } catch (cause) {
    return fail('ERR_ONLINE_REQUEST_INVALID', 'recipientPublicKey is not a valid COSE_Key', cause);
  }
  if (recipientPublicKey.curve !== 'P-256')
    fail('ERR_ONLINE_REQUEST_INVALID', 'recipientPublicKey must be P-256');
  return { nonce: new Uint8Array(nonce), recipientPublicKey };
}

/**
 * Encodes an EncryptedResponse as the base64url text of the DC API `response` member.
 *
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for non-byte members.
 */
export function encodeEncryptedResponse(response: EncryptedResponse): {
  readonly bytes: Uint8Array;
  readonly base64url: string;
} {
  if (!(response?.enc instanceof Uint8Array) || !(response.cipherText instanceof Uint8Array)) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'enc and cipherText must be Uint8Arrays');
  }
  const bytes = encodeCbor([
    DCAPI,
    new Map<string, unknown>([
      ['enc', response.enc],
      ['cipherText', response.cipherText],
    ]),
  ]);
  return { bytes, base64url: toBase64Url(bytes) };
}

/**
 * Parses the base64url `response` of an Annex C answer into its HPKE parts.
 *
 * @throws {@link MdlError} `ERR_ONLINE_RESPONSE_INVALID` for anything that is not the CDDL above.
 */
export function parseEncryptedResponse(base64url: string): EncryptedResponse {
  const value = decodeMessage(base64url, 'ERR_ONLINE_RESPONSE_INVALID', 'response');
  const data = dcapiBody(value, 'ERR_ONLINE_RESPONSE_INVALID', 'EncryptedResponse');
  const enc = data.get('enc');
  const cipherText = data.get('cipherText');
  if (!(enc instanceof Uint8Array) || !(cipherText instanceof Uint8Array)) {
    fail('ERR_ONLINE_RESPONSE_INVALID', 'EncryptedResponseData needs bstr enc and cipherText');
  }
  return { enc: new Uint8Array(enc), cipherText: new Uint8Array(cipherText) };
}

function decodeMessage(
  base64url: unknown,
  code: 'ERR_ONLINE_REQUEST_INVALID' | 'ERR_ONLINE_RESPONSE_INVALID',
  name: string,
): unknown {
  if (typeof base64url !== 'string' || base64url.length === 0 || base64url.length > MAX_MESSAGE) {
    fail(code, `${name} must be a non-empty base64url string`);
  }
  if (!/^[A-Za-z0-9_-]+$/.test(base64url)) fail(code, `${name} must be base64url without padding`);
  try {
    return decodeCbor(fromBase64Url(base64url));
  } catch (cause) {
    return fail(code, `${name} is not valid CBOR`, cause);
  }
}

function dcapiBody(
  value: unknown,
  code: 'ERR_ONLINE_REQUEST_INVALID' | 'ERR_ONLINE_RESPONSE_INVALID',
  name: string,
): Map<unknown, unknown> {
  if (!Array.isArray(value) || value.length !== 2 || value[0] !== DCAPI || !(value[1] instanceof Map)) {
    fail(code, `${name} must be ["dcapi", {…}]`);
  }
  return value[1] as Map<unknown, unknown>;
}
