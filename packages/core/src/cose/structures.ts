import { sigStructureScratch } from '../caches.js';
import { cborHeadLength } from '../cbor/encode.js';
import { MdlError } from '../errors/mdl-error.js';

/** Inputs of a `Sig_structure` / `MAC_structure`. */
export interface ToBeSignedInput {
  /** The protected header `bstr` content exactly as received / encoded. */
  readonly protectedBytes: Uint8Array;
  /** `external_aad` (empty for 18013-5). */
  readonly externalAad?: Uint8Array | undefined;
  /** The payload bytes (attached payload, or the detached content). */
  readonly payload: Uint8Array;
}

/** Length of the preferred-serialization head of a bstr of `length` bytes (RFC 8949 §3). */
function bstrHeadLength(length: number): number {
  if (length <= 0xffffffff) return cborHeadLength(length);
  throw new MdlError('ERR_CBOR_UNENCODABLE', 'byte string too long');
}

/** Writes the bstr head and `part` at `o`; returns the offset after them. */
function writeBstr(out: Uint8Array, o: number, part: Uint8Array): number {
  const n = part.length;
  if (n < 24) out[o++] = 0x40 | n;
  else if (n < 0x100) {
    out[o++] = 0x58;
    out[o++] = n;
  } else if (n < 0x10000) {
    out[o++] = 0x59;
    out[o++] = n >>> 8;
    out[o++] = n & 0xff;
  } else {
    out[o++] = 0x5a;
    out[o++] = n >>> 24;
    out[o++] = (n >>> 16) & 0xff;
    out[o++] = (n >>> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  out.set(part, o);
  return o + n;
}

/**
 * `[context, protected, external_aad, payload]` written in one allocation: a 4-element array of a
 * short text string and three byte strings, in preferred serialization — byte-identical to
 * `encodeCbor([...])` (a property test checks this), without the general encoder's buffer growth
 * and copies (or any intermediate arrays) on the verification hot path.
 */
function encodeToBeSigned(
  context: Uint8Array,
  protectedBytes: Uint8Array,
  aad: Uint8Array,
  payload: Uint8Array,
  into?: Uint8Array,
): Uint8Array {
  const length =
    1 +
    context.length +
    bstrHeadLength(protectedBytes.length) +
    protectedBytes.length +
    bstrHeadLength(aad.length) +
    aad.length +
    bstrHeadLength(payload.length) +
    payload.length;
  let out: Uint8Array;
  if (into !== undefined && length <= into.length) {
    out = into.subarray(0, length);
  } else {
    out = new Uint8Array(length);
  }
  out[0] = 0x84;
  out.set(context, 1);
  let o = 1 + context.length;
  o = writeBstr(out, o, protectedBytes);
  o = writeBstr(out, o, aad);
  writeBstr(out, o, payload);
  return out;
}

// Text strings "Signature1" and "MAC0" with their CBOR heads (major type 3).
const SIGNATURE1 = Uint8Array.of(0x6a, ...Array.from('Signature1', (c) => c.charCodeAt(0)));
const MAC0 = Uint8Array.of(0x64, ...Array.from('MAC0', (c) => c.charCodeAt(0)));

const NO_AAD = new Uint8Array(0);

function check(input: ToBeSignedInput): Uint8Array {
  if (!(input.protectedBytes instanceof Uint8Array))
    throw new MdlError('ERR_INVALID_ARGUMENT', 'protectedBytes must be a Uint8Array');
  if (!(input.payload instanceof Uint8Array))
    throw new MdlError('ERR_INVALID_ARGUMENT', 'payload must be a Uint8Array');
  const aad = input.externalAad ?? NO_AAD;
  if (!(aad instanceof Uint8Array))
    throw new MdlError('ERR_INVALID_ARGUMENT', 'externalAad must be a Uint8Array');
  return aad;
}

/**
 * @internal {@link buildSigStructure} into core's Sig_structure scratch buffer, handed to `use` and
 * zeroed after it returns: for a verifier that consumes the bytes before it returns (node:crypto's
 * synchronous one-shot verify), saving an allocation per signature check.
 */
export function withSigStructure<R>(input: ToBeSignedInput, use: (data: Uint8Array) => R): R {
  const aad = check(input);
  const lent = sigStructureScratch.take(
    1 +
      SIGNATURE1.length +
      bstrHeadLength(input.protectedBytes.length) +
      input.protectedBytes.length +
      bstrHeadLength(aad.length) +
      aad.length +
      bstrHeadLength(input.payload.length) +
      input.payload.length,
  );
  const data = encodeToBeSigned(SIGNATURE1, input.protectedBytes, aad, input.payload, lent);
  try {
    return use(data);
  } finally {
    if (lent !== undefined) sigStructureScratch.give(lent, data.length);
  }
}

/**
 * The encoded COSE_Sign1 `Sig_structure` — the bytes a signer signs.
 *
 * ```cddl
 * Sig_structure = [
 *     context : "Signature" / "Signature1",
 *     body_protected : empty_or_serialized_map,
 *     ? sign_protected : empty_or_serialized_map,
 *     external_aad : bstr,
 *     payload : bstr
 * ]
 * ```
 * RFC 9052 §4.4 (COSE_Sign1 uses context "Signature1" without sign_protected).
 *
 * @example
 * ```ts
 * const tbs = buildSigStructure({ protectedBytes: msg.protectedBytes, payload: msg.payload! });
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for non-`Uint8Array` inputs.
 */
export function buildSigStructure(input: ToBeSignedInput): Uint8Array {
  const aad = check(input);
  return encodeToBeSigned(SIGNATURE1, input.protectedBytes, aad, input.payload);
}

/**
 * The encoded COSE_Mac0 `MAC_structure` — the bytes the MAC is computed over.
 *
 * ```cddl
 * MAC_structure = [
 *     context : "MAC" / "MAC0",
 *     protected : empty_or_serialized_map,
 *     external_aad : bstr,
 *     payload : bstr
 * ]
 * ```
 * RFC 9052 §6.3 (COSE_Mac0 uses context "MAC0").
 *
 * @example
 * ```ts
 * const toMac = buildMacStructure({ protectedBytes, payload: deviceAuthenticationBytes });
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for non-`Uint8Array` inputs.
 */
export function buildMacStructure(input: ToBeSignedInput): Uint8Array {
  const aad = check(input);
  return encodeToBeSigned(MAC0, input.protectedBytes, aad, input.payload);
}
