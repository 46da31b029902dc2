import { publicKeyToCoseKey } from '@mdlkit/core/cose';
import type { PublicKey } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';

/**
 * The device key as an untagged COSE_Key map carrying only kty/crv/x/y (spec §2.2). A map is
 * passed through after a shape check.
 */
export function toCoseKey(key: PublicKey | ReadonlyMap<number, unknown>): ReadonlyMap<number, unknown> {
  if (key instanceof Map) {
    if (!key.has(1)) throw new MdlError('ERR_COSE_KEY_INVALID', 'device COSE_Key has no kty');
    return key;
  }
  const k = key as PublicKey;
  if (k?.type !== 'public')
    throw new MdlError('ERR_INVALID_ARGUMENT', 'deviceKey must be a public key or a COSE_Key');
  return publicKeyToCoseKey(k);
}
