import { bytesEqual } from '@mdlkit/core/cbor';
import { sha1 } from '@noble/hashes/legacy.js';
import { type ParsedCertificate, parseCertificate } from '../certificate/parse-certificate.js';
import {
  ExtensionOid,
  MdlEku,
  NameAttributeOid,
  NamedCurve,
  PublicKeyAlgorithmOid,
  SignatureAlgorithmOid,
} from '../oids.js';
import {
  type CertificateProfile,
  type CertificateProfileId,
  certificateProfiles,
  type ExtensionPresence,
  maxNotAfter,
} from '../profiles/profiles.js';
import { type LintFinding, type LintRuleId, LintRules, type LintSeverity } from './rules.js';

/** Which requirement set to apply. `aamva` adds the AAMVA rules (stateOrProvinceName required). */
export type LintRuleset = 'iso' | 'aamva';

/** Which edition of 18013-5 to check against (the second edition is a draft). */
export type SpecEdition = '2021' | 'ed2';

/** Options for {@link lintCertificate}. */
export interface LintCertificateOptions {
  /** The profile to check; detected from the certificate when omitted. */
  readonly profile?: CertificateProfileId;
  /** The issuing certificate (DER or parsed), enabling issuer-relative rules (AKI, names, link validity). */
  readonly issuer?: Uint8Array | ParsedCertificate;
  /** `iso` (default) or `aamva`. */
  readonly ruleset?: LintRuleset;
  /** `2021` (default) or `ed2`. */
  readonly edition?: SpecEdition;
}

/** Result of {@link lintCertificate}. */
export interface LintResult {
  /** The profile checked (undefined when it could not be determined and none was given). */
  readonly profile: CertificateProfileId | undefined;
  /** Every violated requirement. */
  readonly findings: readonly LintFinding[];
  /** True when no finding has severity `error`. */
  readonly ok: boolean;
}

const EXT_RULES: Readonly<Record<string, { missing?: LintRuleId; criticality?: LintRuleId }>> = {
  [ExtensionOid.subjectKeyIdentifier]: { missing: 'ski.missing', criticality: 'ski.criticality' },
  [ExtensionOid.authorityKeyIdentifier]: { missing: 'aki.missing', criticality: 'aki.criticality' },
  [ExtensionOid.keyUsage]: { missing: 'ku.missing', criticality: 'ku.criticality' },
  [ExtensionOid.basicConstraints]: { missing: 'bc.missing', criticality: 'bc.criticality' },
  [ExtensionOid.extKeyUsage]: { missing: 'eku.missing', criticality: 'eku.criticality' },
  [ExtensionOid.issuerAltName]: { missing: 'ian.missing', criticality: 'ian.criticality' },
  [ExtensionOid.subjectAltName]: { missing: 'san.missing', criticality: 'san.criticality' },
  [ExtensionOid.cRLDistributionPoints]: { missing: 'crldp.missing', criticality: 'crldp.criticality' },
  [ExtensionOid.authorityInfoAccess]: { criticality: 'aia.criticality' },
  [ExtensionOid.ocspNoCheck]: { criticality: 'ocsp-nocheck.criticality' },
};

/** Extensions a relying party can process (RFC 5280 4.2 plus the Annex B ones). */
const RECOGNIZED_EXTENSIONS: ReadonlySet<string> = new Set<string>(Object.values(ExtensionOid));

/**
 * Guess the Annex B profile of a certificate: CA certificates are IACA (self-issued) or IACA link
 * certificates; end-entity certificates by their EKU.
 *
 * @example
 * ```ts
 * detectProfile(parseCertificate(dsDer)); // 'ds'
 * ```
 */
export function detectProfile(cert: ParsedCertificate): CertificateProfileId | undefined {
  const eku = cert.extKeyUsage ?? [];
  if (eku.includes(MdlEku.documentSigner)) return 'ds';
  if (eku.includes(MdlEku.readerAuth)) return 'reader-auth';
  if (eku.includes(MdlEku.vicalSigner)) return 'vical-signer';
  if (eku.includes(MdlEku.ocspSigning)) return 'ocsp-signer';
  if (cert.basicConstraints?.ca === true || cert.keyUsage?.includes('keyCertSign') === true) {
    return cert.selfIssued ? 'iaca' : 'iaca-link';
  }
  return undefined;
}

/**
 * Check a certificate against its ISO/IEC 18013-5 Annex B profile and return every violated
 * requirement as `{ rule, severity, clause, message }`. Never throws on odd certificates
 * (negative serials, unknown critical extensions, malformed extension values): those are findings.
 *
 * @example
 * ```ts
 * const { ok, findings } = lintCertificate(dsDer, { profile: 'ds', issuer: iacaDer });
 * ```
 * @throws {@link MdlError} `ERR_X509_MALFORMED` only when the bytes are not a DER certificate at all.
 */
export function lintCertificate(
  certificate: Uint8Array | ParsedCertificate,
  options: LintCertificateOptions = {},
): LintResult {
  const cert = certificate instanceof Uint8Array ? parseCertificate(certificate) : certificate;
  const issuer =
    options.issuer === undefined
      ? undefined
      : options.issuer instanceof Uint8Array
        ? parseCertificate(options.issuer)
        : options.issuer;
  const ruleset = options.ruleset ?? 'iso';
  const edition = options.edition ?? '2021';
  const findings: LintFinding[] = [];
  const add = (rule: LintRuleId, message: string, severity?: LintSeverity): void => {
    const def = LintRules[rule];
    findings.push({ rule, severity: severity ?? def.severity, clause: def.clause, message });
  };

  const profileId = options.profile ?? detectProfile(cert);
  if (profileId === undefined) {
    add(
      'profile.undetermined',
      'No Annex B profile could be inferred (no mdl EKU, not a CA); only generic rules were checked',
    );
  }
  const profile = profileId === undefined ? undefined : certificateProfiles[profileId];

  checkGeneric(cert, add);
  checkNames(cert, profile, issuer, ruleset, add);
  checkPublicKey(cert, profile, add);
  checkExtensions(cert, profile, issuer, edition, add);
  if (profile !== undefined) checkValidity(cert, profile, issuer, add);

  return { profile: profileId, findings, ok: findings.every((f) => f.severity !== 'error') };
}

type Add = (rule: LintRuleId, message: string, severity?: LintSeverity) => void;

const ALLOWED_SIGNATURES: ReadonlySet<string> = new Set<string>(Object.values(SignatureAlgorithmOid));

function checkGeneric(cert: ParsedCertificate, add: Add): void {
  if (cert.version !== 3) add('version', `Certificate is version ${cert.version}; Annex B requires v3`);
  const serial = cert.serialNumber;
  if (serial.length > 0 && (serial[0]! & 0x80) !== 0) add('serial.negative', 'serialNumber is negative');
  if (serial.every((b) => b === 0)) add('serial.zero', 'serialNumber is zero');
  if (
    serial.length > 1 &&
    ((serial[0] === 0 && (serial[1]! & 0x80) === 0) || (serial[0] === 0xff && (serial[1]! & 0x80) !== 0))
  ) {
    add('serial.encoding', 'serialNumber INTEGER is not minimally encoded');
  }
  if (serial.length > 20) add('serial.too-long', `serialNumber has ${serial.length} octets (max 20)`);
  const magnitude = serial[0] === 0 ? serial.length - 1 : serial.length;
  if ((serial[0]! & 0x80) === 0 && magnitude < 8) {
    add('serial.entropy', `serialNumber has ${magnitude} octets; it cannot hold 63 random bits`);
  } else if ((serial[0]! & 0x80) === 0 && magnitude < 9) {
    add('serial.entropy-recommended', `serialNumber has ${magnitude} octets; 71 random bits are recommended`);
  }
  if (!ALLOWED_SIGNATURES.has(cert.signatureAlgorithm.oid)) {
    add(
      'signature.algorithm',
      `Signature algorithm ${cert.signatureAlgorithm.oid} is not ECDSA with SHA-256/384/512`,
    );
  } else if (cert.signatureAlgorithm.hasParameters) {
    add('signature.parameters', 'ECDSA signature AlgorithmIdentifier carries parameters');
  }
  if (!bytesEqual(cert.signatureAlgorithm.der, cert.tbsSignatureAlgorithm.der)) {
    add('signature.mismatch', 'TBSCertificate.signature differs from Certificate.signatureAlgorithm');
  }
  if (cert.hasUniqueIds) add('unique-ids.present', 'issuerUniqueID / subjectUniqueID present');
  const t = cert.validityEncoding;
  for (const [field, enc, date] of [
    ['notBefore', t.notBefore, cert.notBefore],
    ['notAfter', t.notAfter, cert.notAfter],
  ] as const) {
    const year = date.getUTCFullYear();
    if (year < 2050 !== (enc === 'utcTime'))
      add('validity.encoding', `${field} uses ${enc} for year ${year}`);
  }
  if (cert.notAfter.getTime() <= cert.notBefore.getTime())
    add('validity.order', 'notAfter is not after notBefore');
}

function checkNames(
  cert: ParsedCertificate,
  profile: CertificateProfile | undefined,
  issuer: ParsedCertificate | undefined,
  ruleset: LintRuleset,
  add: Add,
): void {
  const subject = cert.subject;
  const country = subject.attributes.find((a) => a.oid === NameAttributeOid.countryName);
  const countryRequired = profile === undefined || profile.subjectCountryRequired;
  if (country === undefined) {
    if (countryRequired) add('name.country.missing', 'subject has no countryName');
  } else {
    if (!/^[A-Z]{2}$/.test(country.value))
      add('name.country.format', 'countryName is not an upper-case alpha-2 code');
    if (country.stringType !== 'printableString') {
      add('name.country.string-type', `countryName is a ${country.stringType}, not a PrintableString`);
    }
  }
  if (subject.commonName === undefined) add('name.common-name.missing', 'subject has no commonName');
  if (profile?.subjectOrganizationRequired === true && subject.organization === undefined) {
    add('name.organization.missing', 'subject has no organizationName');
  }
  for (const a of subject.attributes) {
    if (a.oid === NameAttributeOid.countryName) continue;
    if (a.stringType !== 'printableString' && a.stringType !== 'utf8String' && a.stringType !== 'ia5String') {
      add('name.string-type', `subject attribute ${a.oid} is a ${a.stringType}`);
    }
  }
  const state = subject.stateOrProvince;
  const isIaca = profile?.id === 'iaca' || profile?.id === 'iaca-link';
  if (ruleset === 'aamva' && (isIaca || profile?.issuedByIaca === true)) {
    if (state === undefined) add('name.state.required', 'AAMVA: subject has no stateOrProvinceName');
    else if (!/^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(state)) {
      add('name.state.format', 'AAMVA: stateOrProvinceName is not an ISO 3166-2 code (e.g. US-NY)');
    }
  }
  if (profile?.selfSigned === true && !cert.selfIssued) {
    add('issuer.not-self-signed', 'issuer and subject names differ for a self-signed profile');
  }
  if (issuer !== undefined && !cert.selfIssued) {
    if (!bytesEqual(cert.issuer.der, issuer.subject.der)) {
      add('issuer.name-mismatch', 'issuer name bytes differ from the issuing certificate subject');
    }
    if (profile?.issuedByIaca === true) checkIacaNameRules(cert, issuer, add);
  }
}

/**
 * countryName must equal the IACA's; stateOrProvinceName must equal the IACA's when the IACA has
 * one (18013-5 B.1.1, 9.3.3).
 */
function checkIacaNameRules(cert: ParsedCertificate, iaca: ParsedCertificate, add: Add): void {
  const c = cert.subject.country;
  const ic = iaca.subject.country;
  if (ic !== undefined && c !== undefined && c !== ic) {
    add('name.country.mismatch', 'subject countryName differs from the IACA countryName');
  }
  const s = cert.subject.stateOrProvince;
  const is = iaca.subject.stateOrProvince;
  if (is !== undefined) {
    if (s === undefined) add('name.state.missing', 'IACA has stateOrProvinceName but the subject has none');
    else if (s !== is) add('name.state.mismatch', 'subject stateOrProvinceName differs from the IACA');
  }
}

function checkPublicKey(cert: ParsedCertificate, profile: CertificateProfile | undefined, add: Add): void {
  const k = cert.publicKeyInfo;
  if (k.algorithm === PublicKeyAlgorithmOid.ecPublicKey) {
    if (k.curve === undefined) {
      add('spki.curve', `EC key on curve ${k.curveOid ?? '(not a named curve)'} is not allowed`);
      return;
    }
    const size = NamedCurve[k.curve].size;
    if (k.publicKey[0] !== 0x04 || k.publicKey.length !== 1 + 2 * size) {
      add('spki.point-format', 'EC public key is not an uncompressed point');
    }
    return;
  }
  if (k.algorithm === PublicKeyAlgorithmOid.ed25519 || k.algorithm === PublicKeyAlgorithmOid.ed448) {
    if (profile !== undefined && !profile.allowEdwardsKeys) {
      add('spki.algorithm', `${profile.title} keys must be EC (id-ecPublicKey)`);
    }
    if (k.hasParameters) add('spki.parameters', 'EdDSA AlgorithmIdentifier carries parameters');
    return;
  }
  add('spki.algorithm', `Public key algorithm ${k.algorithm} is not allowed`);
}

function presenceFor(
  presence: ExtensionPresence,
  presenceEd2: ExtensionPresence | undefined,
  edition: SpecEdition,
): ExtensionPresence {
  return edition === 'ed2' && presenceEd2 !== undefined ? presenceEd2 : presence;
}

function checkExtensions(
  cert: ParsedCertificate,
  profile: CertificateProfile | undefined,
  issuer: ParsedCertificate | undefined,
  edition: SpecEdition,
  add: Add,
): void {
  const seen = new Set<string>();
  for (const e of cert.extensions) {
    if (seen.has(e.oid)) add('ext.duplicate', `extension ${e.oid} appears more than once`);
    seen.add(e.oid);
  }
  for (const oid of cert.malformedExtensions)
    add('ext.malformed', `extension ${oid} value cannot be decoded`);
  const rules = profile?.extensions ?? [];
  const byOid = new Map(rules.map((r) => [r.oid, r]));
  for (const e of cert.extensions) {
    const rule = byOid.get(e.oid);
    if (rule !== undefined && presenceFor(rule.presence, rule.presenceEd2, edition) === 'forbidden') {
      if (e.oid === ExtensionOid.extKeyUsage)
        add('eku.unexpected', `${profile?.title} carries an extendedKeyUsage`);
      else add('ext.forbidden', `extension ${rule.name} (${e.oid}) is not allowed`);
      continue;
    }
    if (rule === undefined && e.critical && !RECOGNIZED_EXTENSIONS.has(e.oid)) {
      add('ext.unknown-critical', `unknown extension ${e.oid} is marked critical`);
    }
    if (rule === undefined && profile === undefined) {
      if (
        [
          ExtensionOid.policyMappings,
          ExtensionOid.nameConstraints,
          ExtensionOid.policyConstraints,
          ExtensionOid.inhibitAnyPolicy,
          ExtensionOid.freshestCRL,
        ].includes(e.oid as never)
      ) {
        add('ext.forbidden', `extension ${e.oid} is not allowed in Annex B certificates`);
      }
    }
    if (rule?.critical !== undefined && e.critical !== rule.critical) {
      const r = EXT_RULES[e.oid]?.criticality;
      if (r !== undefined) add(r, `${rule.name} must be ${rule.critical ? 'critical' : 'non-critical'}`);
    }
    if (
      rule === undefined &&
      profile !== undefined &&
      e.critical &&
      RECOGNIZED_EXTENSIONS.has(e.oid) &&
      e.oid !== ExtensionOid.basicConstraints
    ) {
      add(
        'ext.unknown-critical',
        `extension ${e.oid} is not in the ${profile.title} profile and is marked critical`,
      );
    }
  }
  for (const rule of rules) {
    if (presenceFor(rule.presence, rule.presenceEd2, edition) !== 'mandatory') continue;
    if (!seen.has(rule.oid)) {
      const r = EXT_RULES[rule.oid]?.missing;
      if (r !== undefined) add(r, `mandatory extension ${rule.name} is missing`);
    }
  }
  if (profile === undefined) return;

  // subjectKeyIdentifier: RFC 5280 method 1 (SHA-1 over the subjectPublicKey BIT STRING value).
  if (cert.subjectKeyIdentifier !== undefined) {
    const expected = sha1(cert.publicKeyInfo.publicKey);
    if (!bytesEqual(expected, cert.subjectKeyIdentifier)) {
      add('ski.method', 'subjectKeyIdentifier is not the SHA-1 of the subject public key');
    }
  }
  // authorityKeyIdentifier: keyIdentifier = issuer SKI.
  const aki = cert.authorityKeyIdentifier;
  if (aki !== undefined) {
    if (aki.keyIdentifier === undefined)
      add('aki.key-id-missing', 'authorityKeyIdentifier has no keyIdentifier');
    else if (
      issuer?.subjectKeyIdentifier !== undefined &&
      !bytesEqual(aki.keyIdentifier, issuer.subjectKeyIdentifier)
    ) {
      add('aki.mismatch', 'authorityKeyIdentifier differs from the issuer subjectKeyIdentifier');
    }
  }
  // keyUsage: exact set.
  if (cert.keyUsage !== undefined) {
    const want = new Set(profile.keyUsage);
    const got = new Set(cert.keyUsage);
    const same = want.size === got.size && [...want].every((k) => got.has(k));
    if (!same)
      add(
        'ku.mismatch',
        `keyUsage is {${[...got].join(', ')}}; ${profile.title} requires {${[...want].join(', ')}}`,
      );
  }
  // basicConstraints.
  const bc = cert.basicConstraints;
  if (profile.ca) {
    if (bc !== undefined && !bc.ca) add('bc.not-ca', 'basicConstraints cA is FALSE');
    if (bc?.ca === true && bc.pathLen !== 0)
      add('bc.path-len', 'basicConstraints pathLenConstraint is not 0');
  } else if (bc?.ca === true) {
    add('bc.ca-in-end-entity', `${profile.title} has basicConstraints cA TRUE`);
  }
  // extendedKeyUsage OIDs.
  if (cert.extKeyUsage !== undefined) {
    for (const oid of profile.eku) {
      if (!cert.extKeyUsage.includes(oid)) add('eku.oid-missing', `extendedKeyUsage lacks ${oid}`);
    }
    if (edition === 'ed2') {
      for (const oid of profile.ekuRecommendedEd2) {
        if (!cert.extKeyUsage.includes(oid))
          add('eku.generic-recommended', `extendedKeyUsage lacks the generic ${oid}`);
      }
    }
  }
  // issuerAltName: at least one rfc822Name or URI.
  const ianNames = cert.issuerAltName;
  if (
    ianNames !== undefined &&
    !ianNames.some((n) => n.form === 'rfc822Name' || n.form === 'uniformResourceIdentifier')
  ) {
    add(
      'ian.form',
      `issuerAltName has no rfc822Name or URI (found: ${ianNames.map((n) => n.form).join(', ') || 'none'})`,
    );
  }
  if (profile.id === 'reader-auth' && ianNames === undefined && issuer !== undefined && isIacaLike(issuer)) {
    add('ian.missing', 'reader certificate issued by an IACA must carry issuerAltName');
  }
  // cRLDistributionPoints: URI fullName, no reasons / cRLIssuer.
  const dps = cert.crlDistributionPoints;
  if (dps !== undefined) {
    for (const dp of dps) {
      const forms = dp.fullName.map((n) => n.form);
      if (dp.relativeName || forms.length === 0 || !forms.every((f) => f === 'uniformResourceIdentifier')) {
        add(
          'crldp.form',
          `cRLDistributionPoints distributionPoint is not a URI (found: ${forms.join(', ') || 'none'})`,
        );
      }
      if (dp.hasReasons || dp.hasCrlIssuer)
        add('crldp.reasons', 'cRLDistributionPoints uses reasons or cRLIssuer');
    }
    if (edition === 'ed2' && profile.id === 'iaca') {
      add(
        'crldp.not-recommended',
        'second edition: a CRL distribution point in the IACA is optional and not recommended',
      );
    }
  }
  if (profile.id === 'ocsp-signer') {
    const noCheck = seen.has(ExtensionOid.ocspNoCheck);
    if (!noCheck && dps === undefined)
      add('ocsp.revocation-info', 'neither cRLDistributionPoints nor id-pkix-ocsp-nocheck');
    if (noCheck && cert.notAfter.getTime() - cert.notBefore.getTime() > 90 * 86_400_000) {
      add('ocsp.nocheck-validity', 'OCSP signer with id-pkix-ocsp-nocheck is valid for more than 90 days');
    }
  }
}

function isIacaLike(cert: ParsedCertificate): boolean {
  return cert.basicConstraints?.ca === true && cert.subject.country !== undefined;
}

function checkValidity(
  cert: ParsedCertificate,
  profile: CertificateProfile,
  issuer: ParsedCertificate | undefined,
  add: Add,
): void {
  const limit = maxNotAfter(profile, cert.notBefore);
  if (cert.notAfter.getTime() > limit.getTime()) {
    const days = Math.round((cert.notAfter.getTime() - cert.notBefore.getTime()) / 86_400_000);
    const max =
      'years' in profile.maxValidity
        ? `${profile.maxValidity.years} years`
        : `${profile.maxValidity.days} days`;
    add('validity.too-long', `validity is ${days} days; ${profile.title} allows at most ${max}`);
  }
  if (
    profile.id === 'iaca-link' &&
    issuer !== undefined &&
    cert.notAfter.getTime() > issuer.notAfter.getTime()
  ) {
    add('validity.exceeds-issuer', 'link certificate notAfter is later than the old IACA notAfter');
  }
}
