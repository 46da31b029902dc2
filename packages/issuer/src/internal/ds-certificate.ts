import { importPublicKey, type PublicKey } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { parseCertificate } from '@mdlkit/pki';

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

// Batches sign thousands of MSOs with one DS certificate: parse it once. Looked up by array
// identity first, then by bytes among the last few certificates parsed (a caller that loads the
// DER afresh for every document hits too).
const cache = new WeakMap<Uint8Array, DsCertificateInfo>();
const recent: DsCertificateInfo[] = [];
const RECENT = 8;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = a.length - 1; i >= 0; i--) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Parse (once) the DS certificate.
 * @throws {@link MdlError} `ERR_X509_MALFORMED` when it cannot be parsed.
 */
export function dsCertificateInfo(der: Uint8Array): DsCertificateInfo {
  const hit = cache.get(der);
  if (hit !== undefined) return hit;
  if (!(der instanceof Uint8Array))
    throw new MdlError('ERR_INVALID_ARGUMENT', 'dsCertificate must be DER bytes');
  for (const r of recent) {
    if (sameBytes(r.der, der)) {
      cache.set(der, r);
      return r;
    }
  }
  let info: DsCertificateInfo;
  try {
    const cert = parseCertificate(der);
    info = {
      der: der.slice(),
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
      country: cert.subject.country,
      stateOrProvince: cert.subject.stateOrProvince,
      publicKey: importPublicKey({ format: 'spki', der: cert.publicKeyInfo.spki }),
    };
  } catch (error) {
    if (error instanceof MdlError && error.code.startsWith('ERR_X509')) throw error;
    throw new MdlError('ERR_X509_MALFORMED', 'the DS certificate cannot be parsed', { cause: error });
  }
  cache.set(der, info);
  recent.unshift(info);
  if (recent.length > RECENT) recent.pop();
  return info;
}
