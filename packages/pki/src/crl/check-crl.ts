import { bytesEqual } from '@mdlkit/core/cbor';
import type { ErrorCode } from '@mdlkit/core/errors';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AuthorityKeyIdentifier, CertificateList, CRLNumber } from '@peculiar/asn1-x509';
import { type ParsedCertificate, parseCertificate } from '../certificate/parse-certificate.js';
import { toBytes } from '../internal/bytes.js';
import { isSignedDer, parseDer, serializeDer } from '../internal/der.js';
import { ExtensionOid } from '../oids.js';
import { verifiedBy } from '../path/validate-certificate-path.js';
import { iacaCrlProfile } from '../profiles/profiles.js';

/** Options for {@link checkCrl}. */
export interface CheckCrlOptions {
  /** The certificate whose status is asked (DER or parsed). */
  readonly certificate: Uint8Array | ParsedCertificate;
  /** The CRL, DER. */
  readonly crl: Uint8Array;
  /** The IACA that issued both the certificate and the CRL (DER or parsed). */
  readonly issuer: Uint8Array | ParsedCertificate;
  /** Time of the check. */
  readonly now: Date;
}

/** Result of {@link checkCrl}. */
export type CrlCheckResult =
  | { readonly status: 'good'; readonly crlNumber?: number; readonly nextUpdate: Date }
  | { readonly status: 'revoked'; readonly code: 'ERR_CERT_REVOKED'; readonly revocationDate: Date }
  | { readonly status: 'undetermined'; readonly code: ErrorCode; readonly reason: string };

/**
 * Check a certificate against an IACA CRL (18013-5 B.3.2; RFC 5280 6.3): the CRL must be signed by
 * the IACA, name the IACA as issuer (and the certificate must have been issued by it), be current
 * (thisUpdate ≤ now ≤ nextUpdate), be a full CRL (no delta / indirect CRL extensions), and then the
 * serial is looked up. Anything that prevents a trustworthy answer is `undetermined` (a policy
 * decision for the caller), never `good`.
 *
 * @example
 * ```ts
 * const r = await checkCrl({ certificate: dsDer, crl, issuer: iacaDer, now: new Date() });
 * if (r.status === 'revoked') …
 * ```
 * @throws {@link MdlError} `ERR_X509_MALFORMED` when the certificate or issuer cannot be parsed (a bad CRL is `undetermined`).
 */
export async function checkCrl(options: CheckCrlOptions): Promise<CrlCheckResult> {
  const cert =
    options.certificate instanceof Uint8Array ? parseCertificate(options.certificate) : options.certificate;
  const iaca = options.issuer instanceof Uint8Array ? parseCertificate(options.issuer) : options.issuer;
  const undetermined = (code: ErrorCode, reason: string): CrlCheckResult => ({
    status: 'undetermined',
    code,
    reason,
  });

  let list: CertificateList;
  try {
    list = parseDer(options.crl, CertificateList, 'ERR_CRL_INVALID', 'CRL');
  } catch {
    return undetermined('ERR_CRL_INVALID', 'the CRL is not DER CertificateList');
  }
  const tbs = list.tbsCertList;
  if (list.tbsCertListRaw === undefined) return undetermined('ERR_CRL_INVALID', 'CRL TBS bytes unavailable');
  if (!isSignedDer(options.crl, toBytes(list.tbsCertListRaw), serializeDer(list.signatureAlgorithm))) {
    return undetermined('ERR_CRL_INVALID', 'the CRL outer structure is not DER');
  }
  if (tbs.version !== 1) return undetermined('ERR_CRL_INVALID', 'CRL is not version 2');
  if (list.signatureAlgorithm.algorithm !== tbs.signature.algorithm) {
    return undetermined('ERR_CRL_INVALID', 'CRL signature algorithm fields differ');
  }
  // asn1-schema re-encodes the Name exactly as received for DER input (string types are kept).
  if (!bytesEqual(serializeDer(tbs.issuer), iaca.subject.der)) {
    return undetermined('ERR_CRL_INVALID', 'CRL issuer is not the IACA');
  }
  if (!bytesEqual(cert.issuer.der, iaca.subject.der)) {
    return undetermined('ERR_CRL_INVALID', 'the certificate was not issued by this IACA');
  }
  const ok = await verifiedBy(
    iaca,
    list.signatureAlgorithm.algorithm,
    toBytes(list.tbsCertListRaw),
    toBytes(list.signature),
  );
  if (!ok) return undetermined('ERR_CRL_INVALID', 'CRL signature does not verify with the IACA key');

  let crlNumber: number | undefined;
  for (const e of tbs.crlExtensions ?? []) {
    if (e.extnID === ExtensionOid.authorityKeyIdentifier) {
      try {
        const aki = AsnConvert.parse(e.extnValue.buffer, AuthorityKeyIdentifier);
        const ski = iaca.subjectKeyIdentifier;
        if (
          aki.keyIdentifier !== undefined &&
          ski !== undefined &&
          !bytesEqual(toBytes(aki.keyIdentifier.buffer), ski)
        ) {
          return undetermined('ERR_CRL_INVALID', 'CRL authorityKeyIdentifier is not the IACA SKI');
        }
      } catch {
        return undetermined('ERR_CRL_INVALID', 'CRL authorityKeyIdentifier is malformed');
      }
    } else if (e.extnID === ExtensionOid.cRLNumber) {
      try {
        crlNumber = AsnConvert.parse(e.extnValue.buffer, CRLNumber).value;
      } catch {
        return undetermined('ERR_CRL_INVALID', 'CRL cRLNumber is malformed');
      }
    } else if (
      e.extnID === ExtensionOid.deltaCRLIndicator ||
      e.extnID === ExtensionOid.issuingDistributionPoint
    ) {
      return undetermined('ERR_CRL_INVALID', 'delta or indirect CRLs are not used for IACA CRLs');
    } else if (e.critical && !iacaCrlProfile.allowedExtensions.includes(e.extnID)) {
      return undetermined('ERR_CRL_INVALID', `unknown critical CRL extension ${e.extnID}`);
    }
  }

  const now = options.now.getTime();
  const thisUpdate = tbs.thisUpdate.getTime();
  if (now < thisUpdate.getTime()) return undetermined('ERR_CRL_INVALID', 'CRL thisUpdate is in the future');
  if (tbs.nextUpdate === undefined) return undetermined('ERR_CRL_INVALID', 'CRL has no nextUpdate');
  const nextUpdate = tbs.nextUpdate.getTime();
  if (now > nextUpdate.getTime()) return undetermined('ERR_CRL_STALE', 'CRL is past its nextUpdate');

  for (const entry of tbs.revokedCertificates ?? []) {
    if (bytesEqual(toBytes(entry.userCertificate), cert.serialNumber)) {
      for (const e of entry.crlEntryExtensions ?? []) {
        if (e.critical) return undetermined('ERR_CRL_INVALID', 'critical CRL entry extension');
      }
      return { status: 'revoked', code: 'ERR_CERT_REVOKED', revocationDate: entry.revocationDate.getTime() };
    }
  }
  return { status: 'good', nextUpdate, ...(crlNumber === undefined ? {} : { crlNumber }) };
}
