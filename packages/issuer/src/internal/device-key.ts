import type { PublicKey } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';

/**
 * The device key after a shape check: an untagged COSE_Key map is passed through, a core public
 * key handle too (the MSO writer writes it as its COSE_Key — kty/crv/x/y only, spec §2.2 — without
 * building a Map).
 *
 * @throws {@link MdlError} `ERR_COSE_KEY_INVALID` for a map without kty; `ERR_INVALID_ARGUMENT` for
 * anything that is neither a COSE_Key map nor a public key.
 */
export function checkDeviceKey(
  key: PublicKey | ReadonlyMap<number, unknown>,
): PublicKey | ReadonlyMap<number, unknown> {
  if (key instanceof Map) {
    if (!key.has(1)) throw new MdlError('ERR_COSE_KEY_INVALID', 'device COSE_Key has no kty');
    return key;
  }
  if (!isPublicKeyHandle(key)) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'deviceKey must be a public key or a COSE_Key');
  }
  return key;
}

/** A core public key handle with the coordinates its COSE_Key needs (x, and y for EC2). */
export function isPublicKeyHandle(key: unknown): key is PublicKey {
  const k = key as Partial<PublicKey> | null;
  return (
    k?.type === 'public' &&
    k.x instanceof Uint8Array &&
    (k.kty === 'EC2' ? k.y instanceof Uint8Array : k.kty === 'OKP')
  );
}
