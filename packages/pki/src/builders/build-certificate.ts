import type { AnyCoseSigner } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { sha1 } from '@noble/hashes/legacy.js';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  CRLDistributionPoints,
  DistributionPoint,
  DistributionPointName,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  GeneralName,
  IssueAlternativeName,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  Name,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';
import { type AltNameInput, encodeName, type NameInput, toGeneralNames } from '../certificate/names.js';
import type { KeyUsageName, ParsedCertificate } from '../certificate/parse-certificate.js';
import { decodePublicKeyInfo, parseCertificate } from '../certificate/parse-certificate.js';
import { toArrayBuffer } from '../internal/bytes.js';
import { signatureOidForSigner, signDer } from '../internal/crypto.js';
import { parseDer, serializeDer } from '../internal/der.js';
import { type LintRuleset, lintCertificate, type SpecEdition } from '../lint/lint-certificate.js';
import { ExtensionOid } from '../oids.js';
import { type CertificateProfile, maxNotAfter } from '../profiles/profiles.js';

/** A source of cryptographically secure random bytes (inject for reproducible tests). */
export type RandomBytes = (length: number) => Uint8Array;

/** The issuing CA: its certificate (DER) and a signer for its private key. */
export interface IssuerInput {
  /** The issuer certificate, DER. Its subject becomes the issuer name (exact bytes), its SKI the AKI. */
  readonly certificate: Uint8Array;
  /** Signs with the issuer's private key (local key, KMS or HSM). ECDSA only. */
  readonly signer: AnyCoseSigner;
}

/** Options every certificate builder shares. */
export interface CommonCertificateOptions {
  /** Start of validity (whole seconds; milliseconds are dropped). */
  readonly notBefore: Date;
  /** End of validity; must respect the profile limit. */
  readonly notAfter: Date;
  /** CSPRNG used for the serial number (16 octets, 126 random bits). */
  readonly randomBytes: RandomBytes;
  /** Use this serial number (INTEGER contents, positive, ≤ 20 octets) instead of a random one. */
  readonly serialNumber?: Uint8Array;
  /** Ruleset for the self-check lint (default `iso`). */
  readonly ruleset?: LintRuleset;
  /** Edition for the self-check lint (default `2021`). */
  readonly edition?: SpecEdition;
}

const KU_FLAGS: Readonly<Record<KeyUsageName, number>> = {
  digitalSignature: KeyUsageFlags.digitalSignature,
  nonRepudiation: KeyUsageFlags.nonRepudiation,
  keyEncipherment: KeyUsageFlags.keyEncipherment,
  dataEncipherment: KeyUsageFlags.dataEncipherment,
  keyAgreement: KeyUsageFlags.keyAgreement,
  keyCertSign: KeyUsageFlags.keyCertSign,
  cRLSign: KeyUsageFlags.cRLSign,
  encipherOnly: KeyUsageFlags.encipherOnly,
  decipherOnly: KeyUsageFlags.decipherOnly,
};

/**
 * A random positive serial number: 16 octets from the CSPRNG with the top bit cleared and the next
 * bit set, so the INTEGER is positive, always 16 octets long and carries 126 random bits
 * (18013-5 B.1.1: ≥ 63 bits, should ≥ 71; ≤ 20 octets).
 *
 * @example
 * ```ts
 * const serial = randomSerialNumber(randomBytes);
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` when the random source returns the wrong length.
 */
export function randomSerialNumber(randomBytes: RandomBytes): Uint8Array {
  const bytes = randomBytes(16);
  if (!(bytes instanceof Uint8Array) || bytes.length !== 16) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'randomBytes(16) did not return 16 bytes');
  }
  const out = bytes.slice();
  out[0] = (out[0]! & 0x3f) | 0x40;
  return out;
}

/**
 * The RFC 5280 §4.2.1.2 method-1 key identifier: SHA-1 of the subjectPublicKey BIT STRING value.
 *
 * @example
 * ```ts
 * const ski = keyIdentifier(spkiDer); // 20 bytes
 * ```
 * @throws {@link MdlError} `ERR_X509_MALFORMED` when `spki` is not a SubjectPublicKeyInfo.
 */
export function keyIdentifier(spki: Uint8Array): Uint8Array {
  return sha1(decodePublicKeyInfo(spki).publicKey);
}

function ext(oid: string, critical: boolean, value: unknown): Extension {
  return new Extension({ extnID: oid, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

/** Building blocks for the Annex B extensions (kept here so every builder emits them the same way). */
export const extensionsFor: {
  ski(spki: Uint8Array): Extension;
  aki(issuerSki: Uint8Array): Extension;
  keyUsage(usages: readonly KeyUsageName[]): Extension;
  caConstraints(): Extension;
  eku(oids: readonly string[], critical: boolean): Extension;
  issuerAltName(names: readonly AltNameInput[]): Extension;
  issuerAltNameRaw(value: Uint8Array): Extension;
  subjectAltName(names: readonly GeneralName[]): Extension;
  crlDistributionPoint(uri: string): Extension;
} = {
  ski: (spki) =>
    ext(
      ExtensionOid.subjectKeyIdentifier,
      false,
      new SubjectKeyIdentifier(toArrayBuffer(keyIdentifier(spki))),
    ),
  aki: (issuerSki) =>
    ext(
      ExtensionOid.authorityKeyIdentifier,
      false,
      new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(toArrayBuffer(issuerSki)) }),
    ),
  keyUsage: (usages) =>
    ext(ExtensionOid.keyUsage, true, new KeyUsage(usages.reduce((acc, u) => acc | KU_FLAGS[u], 0))),
  caConstraints: () =>
    ext(ExtensionOid.basicConstraints, true, new BasicConstraints({ cA: true, pathLenConstraint: 0 })),
  eku: (oids, critical) => ext(ExtensionOid.extKeyUsage, critical, new ExtendedKeyUsage([...oids])),
  issuerAltName: (names) =>
    ext(ExtensionOid.issuerAltName, false, new IssueAlternativeName(toGeneralNames(names))),
  issuerAltNameRaw: (value) =>
    new Extension({
      extnID: ExtensionOid.issuerAltName,
      critical: false,
      extnValue: new OctetString(toArrayBuffer(value)),
    }),
  subjectAltName: (names) => ext(ExtensionOid.subjectAltName, false, new SubjectAlternativeName([...names])),
  crlDistributionPoint: (uri) =>
    ext(
      ExtensionOid.cRLDistributionPoints,
      false,
      new CRLDistributionPoints([
        new DistributionPoint({
          distributionPoint: new DistributionPointName({
            fullName: [new GeneralName({ uniformResourceIdentifier: uri })],
          }),
        }),
      ]),
    ),
};

/** Everything {@link assembleCertificate} needs. */
export interface CertificateSpec {
  readonly profile: CertificateProfile;
  readonly subject: Uint8Array;
  readonly issuerName: Uint8Array;
  readonly spki: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly serialNumber: Uint8Array;
  readonly extensions: readonly Extension[];
  readonly signer: AnyCoseSigner;
  /** Issuer certificate for the self-check (undefined for self-signed). */
  readonly issuer?: ParsedCertificate;
  readonly ruleset?: LintRuleset;
  readonly edition?: SpecEdition;
  /**
   * Skip the validity / serial limits and the self-check lint. Only for producing deliberately
   * non-conformant certificates (negative test vectors); never for issuance.
   */
  readonly unchecked?: boolean;
}

function wholeSeconds(d: Date, what: string): Date {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) {
    throw new MdlError('ERR_INVALID_ARGUMENT', `${what} must be a valid Date`);
  }
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

/** Check the serial number rules a caller-provided serial must meet. */
function checkSerial(serial: Uint8Array): void {
  if (
    serial.length === 0 ||
    serial.length > 20 ||
    (serial[0]! & 0x80) !== 0 ||
    serial.every((b) => b === 0)
  ) {
    throw new MdlError(
      'ERR_INVALID_ARGUMENT',
      'serialNumber must be a positive INTEGER of at most 20 octets',
    );
  }
  if (serial.length > 1 && serial[0] === 0 && (serial[1]! & 0x80) === 0) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'serialNumber must be minimally encoded');
  }
}

/** Resolve the serial from options (explicit or random). */
export function serialFrom(options: CommonCertificateOptions): Uint8Array {
  if (options.serialNumber !== undefined) {
    checkSerial(options.serialNumber);
    return options.serialNumber.slice();
  }
  return randomSerialNumber(options.randomBytes);
}

/**
 * Assemble a TBSCertificate, sign it through the signer port and return the DER certificate, then
 * lint the result against its profile (a builder never returns a certificate that breaks its own
 * profile).
 *
 * @throws {@link MdlError} `ERR_X509_VALIDITY_TOO_LONG`, `ERR_INVALID_ARGUMENT`, `ERR_NOT_SUPPORTED`
 * (non-ECDSA signer), `ERR_SIGNER_*` from the signer, `ERR_X509_PROFILE_VIOLATION` if the self-check fails.
 */
export async function assembleCertificate(spec: CertificateSpec): Promise<Uint8Array> {
  const notBefore = wholeSeconds(spec.notBefore, 'notBefore');
  const notAfter = wholeSeconds(spec.notAfter, 'notAfter');
  if (notAfter.getTime() <= notBefore.getTime()) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'notAfter must be after notBefore');
  }
  const unchecked = spec.unchecked === true;
  if (!unchecked && notAfter.getTime() > maxNotAfter(spec.profile, notBefore).getTime()) {
    throw new MdlError('ERR_X509_VALIDITY_TOO_LONG', `validity exceeds the ${spec.profile.title} limit`, {
      details: { profile: spec.profile.id },
    });
  }
  if (!unchecked) checkSerial(spec.serialNumber);
  const sigOid = signatureOidForSigner(spec.signer);
  const algorithm = new AlgorithmIdentifier({ algorithm: sigOid });
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: toArrayBuffer(spec.serialNumber),
    signature: algorithm,
    issuer: parseDer(spec.issuerName, Name, 'ERR_INVALID_ARGUMENT', 'issuer Name'),
    validity: new Validity({ notBefore, notAfter }),
    subject: parseDer(spec.subject, Name, 'ERR_INVALID_ARGUMENT', 'subject Name'),
    subjectPublicKeyInfo: parseDer(
      spec.spki,
      SubjectPublicKeyInfo,
      'ERR_INVALID_ARGUMENT',
      'publicKey (SPKI)',
    ),
    extensions: new Extensions([...spec.extensions]),
  });
  const tbsDer = serializeDer(tbs);
  const signature = await signDer(spec.signer, tbsDer);
  const der = serializeDer(
    new Certificate({
      tbsCertificate: tbs,
      signatureAlgorithm: new AlgorithmIdentifier({ algorithm: sigOid }),
      signatureValue: toArrayBuffer(signature),
    }),
  );
  if (unchecked) return der;
  const lint = lintCertificate(der, {
    profile: spec.profile.id,
    ...(spec.issuer === undefined ? {} : { issuer: spec.issuer }),
    ruleset: spec.ruleset ?? 'iso',
    edition: spec.edition ?? '2021',
  });
  if (!lint.ok) {
    const rules = lint.findings.filter((f) => f.severity === 'error').map((f) => f.rule);
    throw new MdlError(
      'ERR_X509_PROFILE_VIOLATION',
      `built certificate violates ${spec.profile.title}: ${rules.join(', ')}`,
      {
        details: { profile: spec.profile.id, rules: rules.join(',') },
      },
    );
  }
  return der;
}

/** Parse and sanity-check the issuer certificate of a builder. */
export function issuerCertificate(issuer: IssuerInput): ParsedCertificate {
  if (issuer === undefined || !(issuer.certificate instanceof Uint8Array)) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'issuer.certificate (DER) is required');
  }
  const cert = parseCertificate(issuer.certificate);
  if (cert.subjectKeyIdentifier === undefined) {
    throw new MdlError(
      'ERR_X509_PROFILE_VIOLATION',
      'issuer certificate has no subjectKeyIdentifier (needed for the AKI)',
    );
  }
  return cert;
}

/** Default the subject's country / state to the IACA's and reject mismatches. */
export function subjectUnderIaca(subject: NameInput, iaca: ParsedCertificate): NameInput {
  const country = subject.country ?? iaca.subject.country;
  const state = subject.stateOrProvince ?? iaca.subject.stateOrProvince;
  if (country !== iaca.subject.country) {
    throw new MdlError('ERR_X509_COUNTRY_MISMATCH', 'subject countryName must equal the IACA countryName');
  }
  if (iaca.subject.stateOrProvince !== undefined && state !== iaca.subject.stateOrProvince) {
    throw new MdlError(
      'ERR_X509_STATE_MISMATCH',
      'subject stateOrProvinceName must equal the IACA stateOrProvinceName',
    );
  }
  return {
    ...subject,
    ...(country === undefined ? {} : { country }),
    ...(state === undefined ? {} : { stateOrProvince: state }),
  };
}

/** The issuer's issuerAltName extension value (copied into end-entity certificates by default). */
export function issuerAltNameOf(issuer: ParsedCertificate): Uint8Array | undefined {
  return issuer.extensions.find((e) => e.oid === ExtensionOid.issuerAltName)?.value;
}

export { encodeName };
