import type { PublicKey } from '@mdlkit/core/crypto';
import { EncodedCbor } from '../../cbor/index.js';
import { coseKeyToPublicKey } from '../../cose/index.js';
import { ErrorCode } from '../../errors/codes.js';
import { MdlError } from '../../errors/mdl-error.js';

/**
 * A public key as the session functions accept it: an imported handle, a decoded COSE_Key map, or
 * the tag-24 `EReaderKeyBytes` / `EDeviceKeyBytes` exactly as received.
 */
export type SessionPublicKeyInput = PublicKey | ReadonlyMap<number | string, unknown> | EncodedCbor;

/** @internal Resolves {@link SessionPublicKeyInput} to a crypto handle (COSE_Key import by `/cose`). */
export function toPublicKey(input: SessionPublicKeyInput): PublicKey {
  if (input instanceof EncodedCbor) return coseKeyToPublicKey(input.bytes);
  if (input instanceof Map) return coseKeyToPublicKey(input);
  if (typeof input === 'object' && input !== null && (input as PublicKey).type === 'public')
    return input as PublicKey;
  throw new MdlError(
    ErrorCode.ERR_INVALID_ARGUMENT,
    'public key must be a PublicKey, a COSE_Key or COSE_Key bytes',
  );
}
