import { MdlError } from '@mdlkit/core/errors';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AuthorityKeyIdentifier,
  CertificateList,
  CRLNumber,
  Extension,
  KeyIdentifier,
  Name,
  RevokedCertificate,
  TBSCertList,
  Time,
  Version,
} from '@peculiar/asn1-x509';
import type { IssuerInput } from '../builders/build-certificate.js';
import { issuerCertificate } from '../builders/build-certificate.js';
import { toArrayBuffer } from '../internal/bytes.js';
import { signatureOidForSigner, signDer } from '../internal/crypto.js';
import { parseDer, serializeDer } from '../internal/der.js';
import { ExtensionOid } from '../oids.js';
import { iacaCrlProfile } from '../profiles/profiles.js';

/** One revoked certificate. */
export interface RevokedEntry {
  /** The certificate's serialNumber INTEGER contents (as in `ParsedCertificate.serialNumber`). */
  readonly serialNumber: Uint8Array;
  readonly revocationDate: Date;
}

/** Options for {@link buildCrl}. */
export interface BuildCrlOptions {
  /** The IACA certificate and its signer. */
  readonly issuer: IssuerInput;
  readonly thisUpdate: Date;
  /** At most 90 days after thisUpdate (B.2: issued at least every 90 days). */
  readonly nextUpdate: Date;
  /** Monotonically increasing CRL number (non-negative safe integer). */
  readonly crlNumber: number;
  /** Revoked certificates; an empty list omits `revokedCertificates` (never an empty SEQUENCE). */
  readonly revoked: readonly RevokedEntry[];
}

/**
 * Build and sign an IACA CRL to the Annex B CRL profile (B.2): v2, ECDSA, issuer = IACA subject
 * (exact bytes), thisUpdate and nextUpdate, entries with serial + revocationDate only (no entry
 * extensions), CRL extensions authorityKeyIdentifier (= IACA SKI) and cRLNumber only, both
 * non-critical; no delta or indirect CRLs.
 *
 * ```asn1
 * TBSCertList ::= SEQUENCE {
 *   version Version OPTIONAL, signature AlgorithmIdentifier, issuer Name,
 *   thisUpdate Time, nextUpdate Time OPTIONAL,
 *   revokedCertificates SEQUENCE OF SEQUENCE { userCertificate CertificateSerialNumber,
 *     revocationDate Time, crlEntryExtensions Extensions OPTIONAL } OPTIONAL,
 *   crlExtensions [0] EXPLICIT Extensions OPTIONAL }
 * ```
 *
 * @example
 * ```ts
 * const crl = await buildCrl({ issuer: { certificate: iacaDer, signer }, thisUpdate, nextUpdate, crlNumber: 7, revoked: [{ serialNumber: ds.serialNumber, revocationDate }] });
 * ```
 * @throws {@link MdlError} `ERR_CRL_INVALID` (profile limits), `ERR_INVALID_ARGUMENT`, `ERR_NOT_SUPPORTED`, or the signer's code.
 */
export async function buildCrl(options: BuildCrlOptions): Promise<Uint8Array> {
  const iaca = issuerCertificate(options.issuer);
  const thisUpdate = seconds(options.thisUpdate, 'thisUpdate');
  const nextUpdate = seconds(options.nextUpdate, 'nextUpdate');
  if (nextUpdate.getTime() <= thisUpdate.getTime()) {
    throw new MdlError('ERR_CRL_INVALID', 'nextUpdate must be after thisUpdate');
  }
  if (nextUpdate.getTime() - thisUpdate.getTime() > iacaCrlProfile.maxUpdateIntervalDays * 86_400_000) {
    throw new MdlError(
      'ERR_CRL_INVALID',
      'an IACA CRL is issued at least every 90 days (nextUpdate too far)',
    );
  }
  if (!Number.isSafeInteger(options.crlNumber) || options.crlNumber < 0) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'crlNumber must be a non-negative safe integer');
  }
  const seen = new Set<string>();
  const revoked = options.revoked.map((r) => {
    const s = r.serialNumber;
    if (!(s instanceof Uint8Array) || s.length === 0 || s.length > 20) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'revoked serialNumber must be 1…20 octets');
    }
    const k = s.join(',');
    if (seen.has(k)) throw new MdlError('ERR_INVALID_ARGUMENT', 'duplicate revoked serialNumber');
    seen.add(k);
    return new RevokedCertificate({
      userCertificate: toArrayBuffer(s),
      revocationDate: new Time(seconds(r.revocationDate, 'revocationDate')),
    });
  });
  const sigOid = signatureOidForSigner(options.issuer.signer);
  const ext = (oid: string, value: unknown): Extension =>
    new Extension({ extnID: oid, critical: false, extnValue: new OctetString(AsnConvert.serialize(value)) });
  const tbs = new TBSCertList({
    version: Version.v2,
    signature: new AlgorithmIdentifier({ algorithm: sigOid }),
    issuer: parseDer(iaca.subject.der, Name, 'ERR_X509_MALFORMED', 'IACA subject'),
    thisUpdate: new Time(thisUpdate),
    nextUpdate: new Time(nextUpdate),
    ...(revoked.length === 0 ? {} : { revokedCertificates: revoked }),
    crlExtensions: [
      ext(
        ExtensionOid.authorityKeyIdentifier,
        new AuthorityKeyIdentifier({
          keyIdentifier: new KeyIdentifier(toArrayBuffer(iaca.subjectKeyIdentifier!)),
        }),
      ),
      ext(ExtensionOid.cRLNumber, new CRLNumber(options.crlNumber)),
    ],
  });
  const tbsDer = serializeDer(tbs);
  const signature = await signDer(options.issuer.signer, tbsDer);
  return serializeDer(
    new CertificateList({
      tbsCertList: tbs,
      signatureAlgorithm: new AlgorithmIdentifier({ algorithm: sigOid }),
      signature: toArrayBuffer(signature),
    }),
  );
}

function seconds(d: Date, what: string): Date {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) {
    throw new MdlError('ERR_INVALID_ARGUMENT', `${what} must be a valid Date`);
  }
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}
