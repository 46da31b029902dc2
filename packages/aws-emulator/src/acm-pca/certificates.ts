import { randomBytes, webcrypto } from 'node:crypto';
import { CertificationRequest } from '@peculiar/asn1-csr';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, id_ce_subjectAltName } from '@peculiar/asn1-x509';
import type { Operation, OperationContext } from '../context.js';
import { AwsError } from '../errors.js';
import {
  type Input,
  optObject,
  optString,
  reqBlob,
  reqEnum,
  reqObject,
  reqString,
} from '../internal/input.js';
import {
  type Extension,
  Pkcs10CertificateRequest,
  SubjectKeyIdentifierExtension,
  X509CertificateGenerator,
  Name as X509Name,
} from '../internal/x509.js';
import { ALL_PCA_SIGNING_ALGORITHMS, ECDSA_HASH, findAuthority } from './authorities.js';
import {
  authorityKeyIdentifier,
  basicConstraints,
  crlDistributionPoint,
  extendedKeyUsage,
  keyIdentifier,
  keyUsage,
  ocspAccess,
  passthroughExtensions,
  subjectKeyIdentifier,
} from './extensions.js';
import { idempotencyToken, remember, rememberedArn } from './idempotency.js';
import { nameDer, subjectToName } from './names.js';
import type { IssuedCertificate, PcaAuthority } from './state.js';
import { type CertificateTemplate, resolveTemplate } from './templates.js';

const crypto = webcrypto as unknown as Crypto;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** CSR public key algorithms AWS Private CA issues for: EC P-256/P-384/P-521 and RSA. */
// ECParameters namedCurve (RFC 5480 §2.1.1) DER: prime256v1, secp384r1, secp521r1.
const EC_CURVES = new Set(['06082a8648ce3d030107', '06052b81040022', '06052b81040023']);
const ID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';

interface ParsedCsr {
  readonly spki: Uint8Array;
  readonly subjectDer: ArrayBuffer;
  readonly subjectIsEmpty: boolean;
  readonly subjectAltName?: Extension;
}

/**
 * Parses and checks the `Csr` blob (PEM text, as the SDK and CLI send it).
 * @throws {AwsError} `MalformedCSRException` when it is not a PEM CSR, its signature does not verify,
 *   or its key type is not one AWS Private CA issues for.
 */
async function parseCsr(bytes: Uint8Array): Promise<ParsedCsr> {
  const text = Buffer.from(bytes).toString('utf8');
  if (!/-----BEGIN (NEW )?CERTIFICATE REQUEST-----/.test(text)) {
    throw new AwsError('MalformedCSRException', 'The CSR must be PEM-encoded.');
  }
  let csr: Pkcs10CertificateRequest;
  try {
    csr = new Pkcs10CertificateRequest(text.replace('NEW CERTIFICATE REQUEST', 'CERTIFICATE REQUEST'));
  } catch {
    throw new AwsError('MalformedCSRException', 'The CSR could not be parsed.');
  }
  const asn = AsnConvert.parse(csr.rawData, CertificationRequest);
  const spkiAsn = asn.certificationRequestInfo.subjectPKInfo;
  const algorithm = spkiAsn.algorithm.algorithm;
  let supported = algorithm === RSA_ENCRYPTION;
  if (algorithm === ID_EC_PUBLIC_KEY && spkiAsn.algorithm.parameters) {
    supported = EC_CURVES.has(Buffer.from(spkiAsn.algorithm.parameters).toString('hex'));
  }
  if (!supported)
    throw new AwsError('MalformedCSRException', 'The CSR public key algorithm is not supported.');
  let valid = false;
  try {
    valid = await csr.verify(crypto);
  } catch {
    valid = false;
  }
  if (!valid) throw new AwsError('MalformedCSRException', 'The CSR signature is not valid.');
  const subject = asn.certificationRequestInfo.subject;
  return {
    spki: new Uint8Array(AsnConvert.serialize(spkiAsn)),
    subjectDer: AsnConvert.serialize(subject),
    subjectIsEmpty: subject.length === 0,
    ...(csr.getExtension(id_ce_subjectAltName)
      ? { subjectAltName: csr.getExtension(id_ce_subjectAltName)! }
      : {}),
  };
}

function addMonths(date: Date, months: number): Date {
  const out = new Date(date.getTime());
  out.setUTCMonth(out.getUTCMonth() + months);
  return out;
}

/**
 * `Validity` → a date: DAYS / MONTHS / YEARS from now, ABSOLUTE epoch seconds, END_DATE as
 * GeneralizedTime `YYYYMMDDHHMMSS` or UTCTime `YYMMDDHHMMSS` (YY ≥ 50 → 19YY, else 20YY).
 */
function validityDate(validity: Input, now: Date, member: string): Date {
  const type = reqEnum(validity, 'Type', ['ABSOLUTE', 'DAYS', 'END_DATE', 'MONTHS', 'YEARS'] as const);
  const value = validity.Value;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new AwsError('ValidationException', `${member}.Value must be a positive integer.`);
  }
  switch (type) {
    case 'DAYS':
      return new Date(now.getTime() + value * DAY_MS);
    case 'MONTHS':
      return addMonths(now, value);
    case 'YEARS':
      return addMonths(now, value * 12);
    case 'ABSOLUTE':
      return new Date(value * 1000);
    case 'END_DATE': {
      let text = String(value);
      if (text.length === 12) text = `${Number(text.slice(0, 2)) >= 50 ? '19' : '20'}${text}`;
      const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
      if (match === null)
        throw new AwsError('ValidationException', `${member}.Value must be YYYYMMDDHHMMSS or YYMMDDHHMMSS.`);
      const [, y, mo, d, h, mi, s] = match.map(Number) as [
        number,
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
      if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
        throw new AwsError('ValidationException', `${member}.Value is not a valid date.`);
      }
      return date;
    }
  }
}

function crlUri(context: OperationContext, authority: PcaAuthority): string | undefined {
  const crl = authority.revocationConfiguration?.CrlConfiguration as Input | undefined;
  if (crl?.Enabled !== true) return undefined;
  if ((crl.CrlDistributionPointExtensionConfiguration as Input | undefined)?.OmitExtension === true)
    return undefined;
  const cname = typeof crl.CustomCname === 'string' ? crl.CustomCname : undefined;
  const bucket = typeof crl.S3BucketName === 'string' ? crl.S3BucketName : undefined;
  const host = cname ?? (bucket === undefined ? undefined : `${bucket}.s3.${context.region}.amazonaws.com`);
  return host === undefined ? undefined : `http://${host}/crl/${authority.id}.crl`;
}

function ocspUri(context: OperationContext, authority: PcaAuthority): string | undefined {
  const ocsp = authority.revocationConfiguration?.OcspConfiguration as Input | undefined;
  if (ocsp?.Enabled !== true) return undefined;
  const cname = typeof ocsp.OcspCustomCname === 'string' ? ocsp.OcspCustomCname : undefined;
  return `http://${cname ?? `ocsp.acm-pca.${context.region}.amazonaws.com`}`;
}

function caKeyIdentifier(authority: PcaAuthority): Uint8Array {
  const ski = authority.certificate?.getExtension(SubjectKeyIdentifierExtension);
  return ski ? new Uint8Array(Buffer.from(ski.keyId, 'hex')) : keyIdentifier(authority.spki);
}

function caPathLength(authority: PcaAuthority): number | undefined {
  if (authority.certificate === undefined) return undefined;
  const parsed = AsnConvert.parse(authority.certificate.rawData, Certificate);
  const bc = parsed.tbsCertificate.extensions?.find((e) => e.extnID === '2.5.29.19');
  if (bc === undefined) return undefined;
  const bytes = new Uint8Array(bc.extnValue.buffer);
  // SEQUENCE { BOOLEAN TRUE, INTEGER n } — the pathLen is the trailing small INTEGER when present.
  if (bytes.length >= 8 && bytes[5] === 0x02) return bytes[7];
  return undefined;
}

function newSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return bytes.toString('hex');
}

function checkIssuable(authority: PcaAuthority, template: CertificateTemplate): void {
  if (template.kind === 'root') {
    if (authority.type !== 'ROOT') {
      throw new AwsError(
        'InvalidArgsException',
        'A root CA certificate template can only be used by a ROOT certificate authority.',
      );
    }
    if (authority.status !== 'PENDING_CERTIFICATE' && authority.status !== 'ACTIVE') {
      throw new AwsError(
        'InvalidStateException',
        `The certificate authority is in the ${authority.status} state.`,
      );
    }
    return;
  }
  if (authority.status !== 'ACTIVE') {
    throw new AwsError(
      'InvalidStateException',
      `The certificate authority is in the ${authority.status} state and cannot issue certificates.`,
    );
  }
}

/**
 * `IssueCertificate`: templates (see `templates.ts`), ApiPassthrough (ignored, as AWS documents,
 * unless the template is an APIPassthrough variant), Validity / ValidityNotBefore (ABSOLUTE only;
 * default not-before is issuance minus 60 minutes, as AWS does), signed by the CA key with the
 * requested ECDSA algorithm; returns the certificate ARN at once. The same `IdempotencyToken` for the
 * same CA within five minutes returns the first call's certificate ARN and issues nothing.
 */
export const issueCertificate: Operation = async (context, input) => {
  const authority = findAuthority(context, reqString(input, 'CertificateAuthorityArn'));
  const token = idempotencyToken(input);
  const tokenKey = token === undefined ? undefined : `IssueCertificate:${authority.arn}:${token}`;
  const csrBytes = reqBlob(input, 'Csr', { max: 32768 });
  const signingAlgorithm = reqEnum(input, 'SigningAlgorithm', ALL_PCA_SIGNING_ALGORITHMS);
  const validity = reqObject(input, 'Validity');
  const notBeforeInput = optObject(input, 'ValidityNotBefore');
  const template = resolveTemplate(optString(input, 'TemplateArn'));
  // "An APIPassthrough or APICSRPassthrough template variant must be selected, or else this
  // parameter is ignored." (IssueCertificate API reference)
  const passthrough = template.apiPassthrough ? optObject(input, 'ApiPassthrough') : undefined;
  if (notBeforeInput !== undefined && notBeforeInput.Type !== 'ABSOLUTE') {
    throw new AwsError(
      'ValidationException',
      'ValidityNotBefore must be expressed with the Validity type ABSOLUTE.',
    );
  }
  checkIssuable(authority, template);
  const hash = ECDSA_HASH[signingAlgorithm];
  if (hash === undefined) {
    throw new AwsError(
      'InvalidArgsException',
      `The signing algorithm ${signingAlgorithm} is not compatible with the certificate authority key algorithm ${authority.keyAlgorithm}.`,
    );
  }
  const csr = await parseCsr(csrBytes);
  if (template.kind === 'root' && Buffer.compare(Buffer.from(csr.spki), Buffer.from(authority.spki)) !== 0) {
    throw new AwsError(
      'InvalidArgsException',
      'A root CA certificate must be issued for the certificate authority CSR.',
    );
  }
  if (template.kind === 'subordinate') {
    const issuerPathLength = caPathLength(authority);
    if (issuerPathLength !== undefined && (template.pathLength ?? 0) >= issuerPathLength) {
      throw new AwsError(
        'InvalidArgsException',
        'The path length of the template exceeds the path length of the CA certificate.',
      );
    }
  }

  const earlier = rememberedArn(context, tokenKey);
  if (earlier !== undefined) return { CertificateArn: earlier };

  const now = context.now();
  const notBefore = notBeforeInput
    ? validityDate(notBeforeInput, now, 'ValidityNotBefore')
    : new Date(now.getTime() - HOUR_MS);
  const notAfter = validityDate(validity, now, 'Validity');
  if (notAfter.getTime() <= notBefore.getTime() || notAfter.getTime() <= now.getTime()) {
    throw new AwsError('ValidationException', 'The certificate validity period is not valid.');
  }
  if (template.kind !== 'root' && authority.certificate && notAfter > authority.certificate.notAfter) {
    throw new AwsError(
      'ValidationException',
      'The certificate validity specified exceeds the certificate authority validity.',
    );
  }

  const apiSubject = passthrough?.Subject as Input | undefined;
  const subjectDer = apiSubject
    ? nameDer(subjectToName(apiSubject, 'ApiPassthrough.Subject'))
    : csr.subjectDer;
  const subjectIsEmpty = apiSubject ? false : csr.subjectIsEmpty;
  const issuerDer =
    template.kind === 'root' || authority.certificate === undefined
      ? subjectDer
      : AsnConvert.serialize(
          AsnConvert.parse(authority.certificate.rawData, Certificate).tbsCertificate.subject,
        );

  const extensions: Extension[] = [
    basicConstraints(template.kind !== 'end-entity', template.pathLength, template.basicConstraintsCritical),
  ];
  if (template.keyUsage !== undefined) extensions.push(keyUsage(template.keyUsage));
  if (template.extendedKeyUsage !== undefined) {
    extensions.push(extendedKeyUsage(template.extendedKeyUsage, template.extendedKeyUsageCritical ?? false));
  }
  extensions.push(subjectKeyIdentifier(keyIdentifier(csr.spki)));
  if (template.kind !== 'root') {
    extensions.push(authorityKeyIdentifier(caKeyIdentifier(authority)));
    const crl = crlUri(context, authority);
    if (crl !== undefined) extensions.push(crlDistributionPoint(crl));
    const ocsp = ocspUri(context, authority);
    if (ocsp !== undefined) extensions.push(ocspAccess(ocsp));
  }
  const present = new Set(extensions.map((e) => e.type));
  for (const extension of passthroughExtensions(
    passthrough?.Extensions as Input | undefined,
    subjectIsEmpty,
  )) {
    // The template wins over passthrough values for the same extension.
    if (!present.has(extension.type)) extensions.push(extension);
  }
  if (
    template.kind === 'end-entity' &&
    csr.subjectAltName &&
    !extensions.some((e) => e.type === id_ce_subjectAltName)
  ) {
    extensions.push(csr.subjectAltName);
  }

  const serial = newSerial();
  const arn = `${authority.arn}/certificate/${serial}`;
  // remembered before signing, so a concurrent call with the same token issues nothing
  remember(context, tokenKey, arn);
  const certificate = await X509CertificateGenerator.create(
    {
      serialNumber: serial,
      subject: new X509Name(subjectDer),
      issuer: new X509Name(issuerDer),
      notBefore,
      notAfter,
      publicKey: new Uint8Array(csr.spki),
      signingKey: authority.keys.privateKey,
      signingAlgorithm: { name: 'ECDSA', hash },
      extensions,
    },
    crypto,
  );
  const chainPem =
    template.kind === 'root' || authority.certificatePem === undefined
      ? undefined
      : [authority.certificatePem, ...(authority.chainPem === undefined ? [] : [authority.chainPem])].join(
          '\n',
        );
  const issued: IssuedCertificate = {
    arn,
    serial,
    pem: certificate.toString('pem'),
    certificate,
    pendingPolls: context.pcaTiming.certificatePendingPolls,
    chainPem,
    selfSigned: template.kind === 'root',
  };
  authority.certificates.set(serial, issued);
  return { CertificateArn: arn };
};

/** `GetCertificate`: `RequestInProgressException` for the configured number of polls, then PEMs. */
export const getCertificate: Operation = (context, input) => {
  const authority = findAuthority(context, reqString(input, 'CertificateAuthorityArn'));
  const certificateArn = reqString(input, 'CertificateArn');
  const prefix = `${authority.arn}/certificate/`;
  if (!certificateArn.startsWith(prefix)) {
    throw new AwsError('InvalidArnException', `The ARN ${certificateArn} is not valid.`);
  }
  const issued = authority.certificates.get(certificateArn.slice(prefix.length));
  if (issued === undefined) {
    throw new AwsError('ResourceNotFoundException', `Could not find certificate ${certificateArn}.`);
  }
  if (issued.pendingPolls > 0) {
    issued.pendingPolls -= 1;
    throw new AwsError('RequestInProgressException', 'The certificate is being issued. Try again later.');
  }
  return {
    Certificate: issued.pem,
    ...(issued.chainPem === undefined ? {} : { CertificateChain: issued.chainPem }),
  };
};

function normalizeSerial(serial: string): string {
  const hex = serial.replace(/:/g, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex))
    throw new AwsError('InvalidArgsException', 'CertificateSerial must be hexadecimal.');
  return hex.replace(/^(00)+(?=[0-9a-f]{2})/, '');
}

/**
 * `RevokeCertificate`: by serial (hex, colons allowed); twice → `RequestAlreadyProcessedException`;
 * the root CA's own self-signed certificate → `InvalidRequestException`.
 */
export const revokeCertificate: Operation = (context, input) => {
  const authority = findAuthority(context, reqString(input, 'CertificateAuthorityArn'));
  const serial = normalizeSerial(reqString(input, 'CertificateSerial', { max: 128 }));
  const reason = reqEnum(input, 'RevocationReason', [
    'AFFILIATION_CHANGED',
    'A_A_COMPROMISE',
    'CERTIFICATE_AUTHORITY_COMPROMISE',
    'CESSATION_OF_OPERATION',
    'KEY_COMPROMISE',
    'PRIVILEGE_WITHDRAWN',
    'SUPERSEDED',
    'UNSPECIFIED',
  ] as const);
  if (authority.status !== 'ACTIVE' && authority.status !== 'DISABLED' && authority.status !== 'EXPIRED') {
    throw new AwsError(
      'InvalidStateException',
      `The certificate authority is in the ${authority.status} state.`,
    );
  }
  const issued = authority.certificates.get(serial);
  if (issued === undefined) {
    throw new AwsError('ResourceNotFoundException', `Could not find a certificate with serial ${serial}.`);
  }
  if (issued.selfSigned) {
    // "You cannot revoke a root CA self-signed certificate." (RevokeCertificate API reference)
    throw new AwsError('InvalidRequestException', 'You cannot revoke a root CA self-signed certificate.');
  }
  if (issued.revoked !== undefined) {
    throw new AwsError('RequestAlreadyProcessedException', 'The certificate has already been revoked.');
  }
  issued.revoked = { reason, date: context.now() };
  return {};
};
