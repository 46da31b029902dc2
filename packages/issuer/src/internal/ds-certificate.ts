import { importPublicKey, type PublicKey } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { parseCertificate } from '@mdlkit/pki';
import { dsByArray, dsByCertificate } from './caches.js';

/** What the issuer needs from its DS certificate, parsed once. */
export interface DsCertificateInfo {
  readonly der: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Subject countryName (for the issuing_country check). */
  readonly country: string | undefined;
  /** Subject stateOrProvinceName (for issuing_jurisdiction). */
  readonly stateOrProvince: string | undefined;
  readonly publicKey: PublicKey;
}

/**
 * Parse (once) the DS certificate; cached in the issuer's caches module by array, and by the parsed
 * certificate pki's content cache hands out again for the same bytes.
 * @throws {@link MdlError} `ERR_X509_MALFORMED` when it cannot be parsed.
 */
export function dsCertificateInfo(der: Uint8Array): DsCertificateInfo {
  if (!(der instanceof Uint8Array))
    throw new MdlError('ERR_INVALID_ARGUMENT', 'dsCertificate must be DER bytes');
  const hit = dsByArray.get(der);
  if (hit !== undefined) return hit;
  let info: DsCertificateInfo;
  try {
    const cert = parseCertificate(der);
    info = dsByCertificate.get(cert) ?? {
      der: der.slice(),
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
      country: cert.subject.country,
      stateOrProvince: cert.subject.stateOrProvince,
      publicKey: importPublicKey({ format: 'spki', der: cert.publicKeyInfo.spki }),
    };
    dsByCertificate.set(cert, info);
  } catch (error) {
    if (error instanceof MdlError && error.code.startsWith('ERR_X509')) throw error;
    throw new MdlError('ERR_X509_MALFORMED', 'the DS certificate cannot be parsed', { cause: error });
  }
  dsByArray.set(der, info);
  return info;
}
