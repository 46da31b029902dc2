import { hmac } from '@mdlkit/core/crypto';
import { decodeCbor } from '../cbor/decode.js';
import { encodeCbor } from '../cbor/encode.js';
import type { CborDecodeOptions } from '../cbor/options.js';
import { CborTagged } from '../cbor/types.js';
import { constantTimeEqual } from '../crypto/algorithms.js';
import type { CoseMacAlg, HashAlgorithm } from '../crypto/ports.js';
import { MdlError } from '../errors/mdl-error.js';
import {
  CoseHeader,
  type CoseHeaderLabel,
  type CoseHeaderMap,
  type CoseHeaders,
  checkCrit,
  encodeProtected,
  getHeader,
  readHeaders,
} from './headers.js';
import { resolvePayload, unwrapCoseArray } from './sign1.js';
import { buildMacStructure } from './structures.js';

/** CBOR tag of COSE_Mac0 (RFC 9052 §2). */
export const COSE_MAC0_TAG = 17;

/**
 * A decoded COSE_Mac0.
 *
 * ```cddl
 * COSE_Mac0_Tagged = #6.17(COSE_Mac0)
 * COSE_Mac0 = [
 *    Headers,
 *    payload : bstr / nil,
 *    tag : bstr,
 * ]
 * ```
 * RFC 9052 §6.2. 18013-5 DeviceMac is an untagged COSE_Mac0 with a detached payload and alg 5
 * (HMAC 256/256) keyed with EMacKey (§9.1.3.5).
 */
export interface CoseMac0 extends CoseHeaders {
  readonly payload: Uint8Array | null;
  readonly tag: Uint8Array;
  readonly tagged: boolean;
}

const MAC_HASH: Readonly<Record<CoseMacAlg, HashAlgorithm>> = { 5: 'SHA-256', 6: 'SHA-384', 7: 'SHA-512' };

/**
 * Read a COSE_Mac0 from a decoded CBOR value (tagged 17 or untagged).
 *
 * @example
 * ```ts
 * const mac0 = parseCoseMac0(deviceAuth.get('deviceMac'));
 * ```
 * @throws {@link MdlError} `ERR_COSE_MALFORMED`, `ERR_COSE_DUPLICATE_HEADER`, `ERR_CBOR_*`.
 */
export function parseCoseMac0(value: unknown, options: CborDecodeOptions = {}): CoseMac0 {
  const { items, tagged } = unwrapCoseArray(value, COSE_MAC0_TAG, 'COSE_Mac0');
  const payload = items[2];
  const tag = items[3];
  const headers = readHeaders(items[0], items[1], options);
  if (!(payload === null || payload instanceof Uint8Array)) {
    throw new MdlError('ERR_COSE_MALFORMED', 'COSE_Mac0 payload must be bstr or nil');
  }
  if (!(tag instanceof Uint8Array)) throw new MdlError('ERR_COSE_MALFORMED', 'COSE_Mac0 tag must be a bstr');
  return {
    protectedBytes: headers.protectedBytes,
    protected: headers.protected,
    unprotected: headers.unprotected,
    payload,
    tag,
    tagged,
  };
}

/**
 * Decode a COSE_Mac0 from bytes.
 *
 * @example
 * ```ts
 * const mac0 = decodeCoseMac0(bytes);
 * ```
 * @throws {@link MdlError} `ERR_CBOR_*`, `ERR_COSE_MALFORMED`, `ERR_COSE_DUPLICATE_HEADER`.
 */
export function decodeCoseMac0(bytes: Uint8Array, options: CborDecodeOptions = {}): CoseMac0 {
  return parseCoseMac0(decodeCbor(bytes, options), options);
}

/**
 * Encode a COSE_Mac0 (protected bytes emitted as held).
 *
 * @example
 * ```ts
 * encodeCoseMac0(mac0);
 * ```
 * @throws {@link MdlError} `ERR_CBOR_UNENCODABLE`.
 */
export function encodeCoseMac0(message: CoseMac0, options: { readonly tagged?: boolean } = {}): Uint8Array {
  const arr = [message.protectedBytes, message.unprotected, message.payload, message.tag];
  return encodeCbor((options.tagged ?? message.tagged) ? new CborTagged(COSE_MAC0_TAG, arr) : arr);
}

function macAlg(headers: CoseHeaders): CoseMacAlg {
  const found = getHeader(headers, CoseHeader.alg);
  if (found === undefined) throw new MdlError('ERR_COSE_ALG_MISSING', 'COSE alg header is missing');
  if (found.value !== 5 && found.value !== 6 && found.value !== 7) {
    throw new MdlError('ERR_COSE_ALG_UNSUPPORTED', 'unsupported COSE MAC algorithm');
  }
  return found.value;
}

/** Options for {@link createCoseMac0}. */
export interface CreateCoseMac0Options {
  /** The MAC key (18013-5: EMacKey, 32 bytes). */
  readonly key: Uint8Array;
  /** MAC algorithm (default HMAC 256/256, alg 5). */
  readonly alg?: CoseMacAlg;
  readonly payload: Uint8Array;
  /** Leave the payload out (`nil`) — DeviceMac style (default `false`). */
  readonly detached?: boolean;
  readonly protectedHeaders?: CoseHeaderMap;
  readonly unprotectedHeaders?: CoseHeaderMap;
  readonly externalAad?: Uint8Array;
  readonly tagged?: boolean;
}

/**
 * Build a COSE_Mac0: protected = `{1: alg}`, tag = HMAC(key, MAC_structure).
 *
 * @example
 * ```ts
 * const { message } = createCoseMac0({ key: eMacKey, payload: deviceAuthenticationBytes, detached: true });
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT`, `ERR_COSE_DUPLICATE_HEADER`, `ERR_COSE_ALG_UNSUPPORTED`.
 */
export function createCoseMac0(options: CreateCoseMac0Options): {
  readonly message: CoseMac0;
  readonly bytes: Uint8Array;
} {
  const alg = options.alg ?? 5;
  const hash = MAC_HASH[alg];
  if (hash === undefined) throw new MdlError('ERR_COSE_ALG_UNSUPPORTED', 'unsupported COSE MAC algorithm');
  const prot = new Map<CoseHeaderLabel, unknown>([[CoseHeader.alg, alg]]);
  for (const [k, v] of options.protectedHeaders ?? []) {
    if (k === CoseHeader.alg) throw new MdlError('ERR_INVALID_ARGUMENT', 'alg is set from options.alg');
    prot.set(k, v);
  }
  const unprotected = new Map(options.unprotectedHeaders ?? []);
  for (const k of unprotected.keys()) {
    if (prot.has(k)) throw new MdlError('ERR_COSE_DUPLICATE_HEADER', 'header label appears in both buckets');
  }
  const protectedBytes = encodeProtected(prot);
  const toMac = buildMacStructure({
    protectedBytes,
    externalAad: options.externalAad,
    payload: options.payload,
  });
  const tag = hmac(hash, options.key, toMac);
  const message: CoseMac0 = Object.freeze({
    protectedBytes,
    protected: prot,
    unprotected,
    payload: options.detached === true ? null : options.payload,
    tag,
    tagged: options.tagged === true,
  });
  return { message, bytes: encodeCoseMac0(message) };
}

/** Options for {@link verifyCoseMac0}. */
export interface VerifyCoseMac0Options {
  readonly message: CoseMac0;
  readonly key: Uint8Array;
  readonly detachedPayload?: Uint8Array;
  readonly externalAad?: Uint8Array;
  /** Accept alg in the unprotected bucket (default `false`: `ERR_COSE_ALG_NOT_PROTECTED`). */
  readonly allowUnprotectedAlg?: boolean;
}

/**
 * Verify a COSE_Mac0 tag (constant-time comparison). `false` for a wrong tag.
 *
 * @example
 * ```ts
 * const ok = verifyCoseMac0({ message: mac0, key: eMacKey, detachedPayload: deviceAuthenticationBytes });
 * ```
 * @throws {@link MdlError} `ERR_COSE_ALG_MISSING`, `ERR_COSE_ALG_UNSUPPORTED`, `ERR_COSE_ALG_NOT_PROTECTED`,
 * `ERR_COSE_PAYLOAD_MISSING`, `ERR_COSE_MALFORMED`.
 */
export function verifyCoseMac0(options: VerifyCoseMac0Options): boolean {
  const { message } = options;
  const alg = macAlg(message);
  if (!message.protected.has(CoseHeader.alg) && options.allowUnprotectedAlg !== true) {
    throw new MdlError('ERR_COSE_ALG_NOT_PROTECTED', 'COSE alg is not in the protected header');
  }
  checkCrit(message);
  const payload = resolvePayload(message.payload, options.detachedPayload);
  const toMac = buildMacStructure({
    protectedBytes: message.protectedBytes,
    externalAad: options.externalAad,
    payload,
  });
  return constantTimeEqual(hmac(MAC_HASH[alg], options.key, toMac), message.tag);
}
