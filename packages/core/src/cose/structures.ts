import { encodeCbor } from '../cbor/encode.js';
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

function check(input: ToBeSignedInput): Uint8Array {
  for (const [name, v] of [
    ['protectedBytes', input.protectedBytes],
    ['payload', input.payload],
  ] as const) {
    if (!(v instanceof Uint8Array))
      throw new MdlError('ERR_INVALID_ARGUMENT', `${name} must be a Uint8Array`);
  }
  const aad = input.externalAad ?? new Uint8Array(0);
  if (!(aad instanceof Uint8Array))
    throw new MdlError('ERR_INVALID_ARGUMENT', 'externalAad must be a Uint8Array');
  return aad;
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
  return encodeCbor(['Signature1', input.protectedBytes, aad, input.payload]);
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
  return encodeCbor(['MAC0', input.protectedBytes, aad, input.payload]);
}
