import { exportPublicKey, importPublicKey } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { parseCertificate } from '@mdlkit/pki';

/** @internal The SubjectPublicKeyInfo of a DER certificate. */
export function certificateSpki(certificate: Uint8Array): Uint8Array {
  if (!(certificate instanceof Uint8Array)) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'certificate must be DER bytes');
  }
  return parseCertificate(certificate).publicKeyInfo.spki;
}

/**
 * @internal True when two SPKIs carry the same key (same curve, same point), whatever the point
 * encoding (compressed or not) — the comparison is of the keys, not of the DER bytes.
 */
export function sameSpkiKey(a: Uint8Array, b: Uint8Array): boolean {
  const ka = importPublicKey({ format: 'spki', der: a });
  const kb = importPublicKey({ format: 'spki', der: b });
  if (ka.curve !== kb.curve) return false;
  const pa = exportPublicKey(ka, 'raw');
  const pb = exportPublicKey(kb, 'raw');
  return pa.length === pb.length && pa.every((byte, i) => byte === pb[i]);
}
