import { MdlError } from '@mdlkit/core/errors';
import {
  type CertificateProfileId,
  type LintFinding,
  type LintResult,
  lintCertificate,
  type SpecEdition,
} from '@mdlkit/pki';

/** How issued certificates are linted: `strict` throws on any error finding, `report` only returns them. */
export type LintMode = 'strict' | 'report';

/**
 * Thrown when a certificate ACM-PCA issued violates its ISO/IEC 18013-5 Annex B profile (a
 * misconfigured template, validity or CA configuration): code `ERR_X509_PROFILE_VIOLATION`, with
 * every finding and the certificate itself for inspection.
 */
export class CertificateProfileViolationError extends MdlError<'ERR_X509_PROFILE_VIOLATION'> {
  /** Every finding of the linter (errors and warnings). */
  readonly findings: readonly LintFinding[];
  /** The offending certificate, DER. */
  readonly certificate: Uint8Array;

  constructor(
    profile: CertificateProfileId,
    certificate: Uint8Array,
    findings: readonly LintFinding[],
    where: string,
  ) {
    const rules = findings.filter((f) => f.severity === 'error').map((f) => f.rule);
    super(
      'ERR_X509_PROFILE_VIOLATION',
      `The ${profile} certificate issued by AWS Private CA (${where}) violates ISO/IEC 18013-5 Annex B: ${rules.join(', ')}.`,
      { details: { profile, rules: rules.join(','), where } },
    );
    this.name = 'CertificateProfileViolationError';
    this.findings = findings;
    this.certificate = certificate;
  }
}

/** @internal Lint an issued certificate and, in strict mode, throw on any error finding. */
export function lintIssued(
  certificate: Uint8Array,
  profile: CertificateProfileId,
  options: { issuer?: Uint8Array; edition?: SpecEdition; mode?: LintMode; where: string },
): LintResult {
  const result = lintCertificate(certificate, {
    profile,
    ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
    ...(options.edition === undefined ? {} : { edition: options.edition }),
  });
  if (!result.ok && (options.mode ?? 'strict') === 'strict') {
    throw new CertificateProfileViolationError(profile, certificate, result.findings, options.where);
  }
  return result;
}
