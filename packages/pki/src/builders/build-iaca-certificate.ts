import type { AnyCoseSigner } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import type { AltNameInput, NameInput } from '../certificate/names.js';
import { iacaProfile, readerRootProfile } from '../profiles/profiles.js';
import {
  assembleCertificate,
  type CommonCertificateOptions,
  encodeName,
  extensionsFor,
  keyIdentifier,
  serialFrom,
} from './build-certificate.js';

/** Options for {@link buildIacaCertificate}. */
export interface BuildIacaCertificateOptions extends CommonCertificateOptions {
  /** Subject (= issuer) name; `country` and `commonName` are mandatory. */
  readonly subject: NameInput;
  /** The IACA public key, DER SubjectPublicKeyInfo (EC named curve). */
  readonly publicKey: Uint8Array;
  /** Signer for the IACA private key (self-signature). */
  readonly signer: AnyCoseSigner;
  /** issuerAltName: at least one e-mail or URI contact (mandatory). */
  readonly issuerAltName: readonly AltNameInput[];
  /** CRL distribution point URI (mandatory in 2021; optional in the second edition). */
  readonly crlDistributionPoint?: string;
}

/**
 * Build and self-sign an IACA root certificate to ISO/IEC 18013-5 Table B.1: v3, random serial,
 * ECDSA signature, issuer = subject, ≤ 20 years, SKI (SHA-1 method, non-critical), keyUsage
 * keyCertSign + cRLSign (critical), basicConstraints cA TRUE pathLen 0 (critical), issuerAltName
 * (non-critical), cRLDistributionPoints URI (non-critical).
 *
 * @example
 * ```ts
 * const iaca = await buildIacaCertificate({
 *   subject: { country: 'US', stateOrProvince: 'US-NY', commonName: 'NY IACA' },
 *   publicKey: spki, signer, issuerAltName: [{ uri: 'https://dmv.example/iaca' }],
 *   crlDistributionPoint: 'https://dmv.example/iaca.crl',
 *   notBefore, notAfter, randomBytes,
 * });
 * ```
 * @throws {@link MdlError} `ERR_X509_VALIDITY_TOO_LONG`, `ERR_INVALID_ARGUMENT`, `ERR_NOT_SUPPORTED`,
 * `ERR_X509_PROFILE_VIOLATION`, or the signer's `ERR_SIGNER_*` code.
 */
export async function buildIacaCertificate(options: BuildIacaCertificateOptions): Promise<Uint8Array> {
  if (options.subject?.country === undefined) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'IACA subject countryName is mandatory');
  }
  return buildCaRoot(options, 'iaca');
}

/** Options for {@link buildReaderRootCertificate}. */
export interface BuildReaderRootCertificateOptions
  extends Omit<BuildIacaCertificateOptions, 'issuerAltName'> {
  /** Optional issuerAltName (18013-5 has no reader-root profile). */
  readonly issuerAltName?: readonly AltNameInput[];
}

/**
 * Build a self-signed reader root CA certificate. 18013-5 defines no reader-CA profile; mdlkit
 * mirrors the IACA profile (Table B.1) with issuerAltName and CRL distribution point optional.
 *
 * @example
 * ```ts
 * const root = await buildReaderRootCertificate({ subject: { commonName: 'reader root' }, publicKey, signer, notBefore, notAfter, randomBytes });
 * ```
 * @throws {@link MdlError} as {@link buildIacaCertificate}.
 */
export async function buildReaderRootCertificate(
  options: BuildReaderRootCertificateOptions,
): Promise<Uint8Array> {
  return buildCaRoot(options, 'reader-root');
}

async function buildCaRoot(
  options: BuildReaderRootCertificateOptions,
  kind: 'iaca' | 'reader-root',
): Promise<Uint8Array> {
  const profile = kind === 'iaca' ? iacaProfile : readerRootProfile;
  const name = encodeName(options.subject);
  const extensions = [
    extensionsFor.ski(options.publicKey),
    extensionsFor.keyUsage(profile.keyUsage),
    extensionsFor.caConstraints(),
  ];
  if (options.issuerAltName !== undefined && options.issuerAltName.length > 0) {
    extensions.push(extensionsFor.issuerAltName(options.issuerAltName));
  }
  if (options.crlDistributionPoint !== undefined) {
    extensions.push(extensionsFor.crlDistributionPoint(options.crlDistributionPoint));
  }
  keyIdentifier(options.publicKey);
  return assembleCertificate({
    profile,
    subject: name,
    issuerName: name,
    spki: options.publicKey,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    serialNumber: serialFrom(options),
    extensions,
    signer: options.signer,
    ...(options.ruleset === undefined ? {} : { ruleset: options.ruleset }),
    ...(options.edition === undefined ? {} : { edition: options.edition }),
  });
}
