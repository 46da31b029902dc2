import { bytesEqual } from '@mdlkit/core/cbor';
import { MdlError } from '@mdlkit/core/errors';
import { GeneralName, Name } from '@peculiar/asn1-x509';
import type { AltNameInput } from '../certificate/names.js';
import { parseCertificate } from '../certificate/parse-certificate.js';
import { parseDer } from '../internal/der.js';
import { iacaLinkProfile } from '../profiles/profiles.js';
import {
  assembleCertificate,
  type CommonCertificateOptions,
  extensionsFor,
  type IssuerInput,
  issuerAltNameOf,
  issuerCertificate,
  serialFrom,
} from './build-certificate.js';

/** Options for {@link buildIacaLinkCertificate}. */
export interface BuildIacaLinkCertificateOptions extends CommonCertificateOptions {
  /** The new IACA root certificate (DER): its subject and key go into the link certificate. */
  readonly newIaca: Uint8Array;
  /** The old IACA certificate and its signer (the old key signs the link). */
  readonly oldIaca: IssuerInput;
  /** issuerAltName; defaults to the old IACA's. */
  readonly issuerAltName?: readonly AltNameInput[];
  /** CRL distribution point URI (mandatory). */
  readonly crlDistributionPoint: string;
}

/**
 * Build an IACA link certificate (Table B.2): issuer = old IACA subject, subject and key = the new
 * IACA's, AKI = old IACA SKI, keyCertSign + cRLSign (critical), CA pathLen 0 (critical),
 * subjectAltName directoryName with the new DN when the DN changes, notAfter ≤ old IACA notAfter.
 *
 * @example
 * ```ts
 * const link = await buildIacaLinkCertificate({ newIaca, oldIaca: { certificate: oldDer, signer: oldSigner }, crlDistributionPoint, notBefore, notAfter, randomBytes });
 * ```
 * @throws {@link MdlError} `ERR_X509_VALIDITY_TOO_LONG` (also when notAfter exceeds the old IACA),
 * `ERR_X509_PROFILE_VIOLATION`, `ERR_INVALID_ARGUMENT`, or the signer's code.
 */
export async function buildIacaLinkCertificate(
  options: BuildIacaLinkCertificateOptions,
): Promise<Uint8Array> {
  const old = issuerCertificate(options.oldIaca);
  const next = parseCertificate(options.newIaca);
  if (options.notAfter.getTime() > old.notAfter.getTime()) {
    throw new MdlError(
      'ERR_X509_VALIDITY_TOO_LONG',
      'link certificate notAfter must not exceed the old IACA notAfter',
    );
  }
  const notAfter = options.notAfter;
  const extensions = [
    extensionsFor.ski(next.publicKeyInfo.spki),
    extensionsFor.aki(old.subjectKeyIdentifier!),
    extensionsFor.keyUsage(iacaLinkProfile.keyUsage),
    extensionsFor.caConstraints(),
  ];
  if (!bytesEqual(old.subject.der, next.subject.der)) {
    const dn = parseDer(next.subject.der, Name, 'ERR_X509_MALFORMED', 'new IACA subject');
    extensions.push(extensionsFor.subjectAltName([new GeneralName({ directoryName: dn })]));
  }
  const ian = issuerAltNameOf(old);
  if (options.issuerAltName !== undefined)
    extensions.push(extensionsFor.issuerAltName(options.issuerAltName));
  else if (ian !== undefined) extensions.push(extensionsFor.issuerAltNameRaw(ian));
  extensions.push(extensionsFor.crlDistributionPoint(options.crlDistributionPoint));
  return assembleCertificate({
    profile: iacaLinkProfile,
    subject: next.subject.der,
    issuerName: old.subject.der,
    spki: next.publicKeyInfo.spki,
    notBefore: options.notBefore,
    notAfter,
    serialNumber: serialFrom(options),
    extensions,
    signer: options.oldIaca.signer,
    issuer: old,
    ...(options.ruleset === undefined ? {} : { ruleset: options.ruleset }),
    ...(options.edition === undefined ? {} : { edition: options.edition }),
  });
}
