import { bytesEqual, toHex } from '@mdlkit/core/cbor';
import { MdlError } from '@mdlkit/core/errors';
import { ECParameters } from '@peculiar/asn1-ecc';
import { AsnConvert, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  CRLDistributionPoints,
  ExtendedKeyUsage,
  GeneralNames,
  KeyUsage,
  Name,
  SubjectKeyIdentifier,
  Time,
} from '@peculiar/asn1-x509';
import { bytesKey, toBytes } from '../internal/bytes.js';
import { parsedCertificates } from '../internal/caches.js';
import { derElementLength, derFault, derHeaderLength, isSignedDer, parseDer } from '../internal/der.js';
import {
  ExtensionOid,
  NameAttributeOid,
  NamedCurve,
  type NamedCurveName,
  PublicKeyAlgorithmOid,
} from '../oids.js';

/**
 * A view of `TBSCertificate` that keeps every top-level field as the DER bytes received, so names
 * and keys are compared and hashed exactly as they arrived (RFC 5280 §4.1).
 *
 * ```asn1
 * TBSCertificate  ::=  SEQUENCE  {
 *   version         [0]  EXPLICIT Version DEFAULT v1,
 *   serialNumber         CertificateSerialNumber,
 *   signature            AlgorithmIdentifier,
 *   issuer               Name,
 *   validity             Validity,
 *   subject              Name,
 *   subjectPublicKeyInfo SubjectPublicKeyInfo,
 *   issuerUniqueID  [1]  IMPLICIT UniqueIdentifier OPTIONAL,
 *   subjectUniqueID [2]  IMPLICIT UniqueIdentifier OPTIONAL,
 *   extensions      [3]  EXPLICIT Extensions OPTIONAL }
 * ```
 */
class RawTbsCertificate {
  version?: ArrayBuffer;
  serialNumber: ArrayBuffer = new ArrayBuffer(0);
  signature: ArrayBuffer = new ArrayBuffer(0);
  issuer: ArrayBuffer = new ArrayBuffer(0);
  validity: ArrayBuffer = new ArrayBuffer(0);
  subject: ArrayBuffer = new ArrayBuffer(0);
  subjectPublicKeyInfo: ArrayBuffer = new ArrayBuffer(0);
  issuerUniqueID?: ArrayBuffer;
  subjectUniqueID?: ArrayBuffer;
  extensions?: ArrayBuffer;
}
{
  const prop = (options: Parameters<typeof AsnProp>[0], key: string): void =>
    AsnProp(options)(RawTbsCertificate.prototype, key);
  prop({ type: AsnPropTypes.Any, context: 0, optional: true }, 'version');
  for (const key of ['serialNumber', 'signature', 'issuer', 'validity', 'subject', 'subjectPublicKeyInfo']) {
    prop({ type: AsnPropTypes.Any }, key);
  }
  prop({ type: AsnPropTypes.Any, context: 1, implicit: true, optional: true }, 'issuerUniqueID');
  prop({ type: AsnPropTypes.Any, context: 2, implicit: true, optional: true }, 'subjectUniqueID');
  prop({ type: AsnPropTypes.Any, context: 3, optional: true }, 'extensions');
  AsnType({ type: AsnTypeTypes.Sequence })(RawTbsCertificate);
}

/** How a DirectoryString / attribute value was encoded. */
export type NameStringType =
  | 'printableString'
  | 'utf8String'
  | 'teletexString'
  | 'universalString'
  | 'bmpString'
  | 'ia5String'
  | 'other';

/** One attribute of a distinguished name, in the order received. */
export interface NameAttribute {
  /** Attribute type OID (2.5.4.6 countryName …). */
  readonly oid: string;
  /** Decoded string value ('' for non-string values). */
  readonly value: string;
  /** The ASN.1 string type it was encoded with. */
  readonly stringType: NameStringType;
  /** Index of the RelativeDistinguishedName it belongs to. */
  readonly rdnIndex: number;
}

/** A distinguished name: its DER bytes as received plus decoded attributes. */
export interface DistinguishedName {
  /** The DER `Name` exactly as it appears in the certificate. */
  readonly der: Uint8Array;
  /** Every attribute in order. */
  readonly attributes: readonly NameAttribute[];
  /** First countryName value, if any. */
  readonly country?: string;
  /** First stateOrProvinceName value, if any. */
  readonly stateOrProvince?: string;
  /** First organizationName value, if any. */
  readonly organization?: string;
  /** First commonName value, if any. */
  readonly commonName?: string;
  /** RFC 4514-style text (for messages and logs), most-specific attribute last as encoded. */
  readonly text: string;
}

/** Key usage bit names (RFC 5280 §4.2.1.3). */
export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

/** A GeneralName reduced to its form and text. */
export interface GeneralNameInfo {
  /** The GeneralName CHOICE alternative. */
  readonly form:
    | 'rfc822Name'
    | 'dNSName'
    | 'uniformResourceIdentifier'
    | 'directoryName'
    | 'iPAddress'
    | 'registeredID'
    | 'otherName'
    | 'x400Address'
    | 'ediPartyName';
  /** Text value where one exists. */
  readonly value: string;
}

/** One CRL distribution point (RFC 5280 §4.2.1.13). */
export interface DistributionPointInfo {
  /** fullName entries (empty when nameRelativeToCRLIssuer or absent). */
  readonly fullName: readonly GeneralNameInfo[];
  /** True when `nameRelativeToCRLIssuer` is used. */
  readonly relativeName: boolean;
  /** True when `reasons` is present (forbidden by Annex B). */
  readonly hasReasons: boolean;
  /** True when `cRLIssuer` is present (forbidden by Annex B). */
  readonly hasCrlIssuer: boolean;
}

/** An extension as received. */
export interface ParsedExtension {
  readonly oid: string;
  readonly critical: boolean;
  /** The extnValue OCTET STRING contents (the DER of the extension value). */
  readonly value: Uint8Array;
}

/** Subject public key info, decoded. */
export interface PublicKeyInfo {
  /** The DER SubjectPublicKeyInfo exactly as received. */
  readonly spki: Uint8Array;
  /** Algorithm OID (id-ecPublicKey, Ed25519, Ed448, …). */
  readonly algorithm: string;
  /** Named-curve OID for EC keys (undefined when parameters are not a namedCurve). */
  readonly curveOid?: string;
  /** The curve name when it is one of {@link NamedCurve}. */
  readonly curve?: NamedCurveName;
  /** True when the algorithm parameters field is present (must be absent for EdDSA). */
  readonly hasParameters: boolean;
  /** The subjectPublicKey BIT STRING contents (the point / raw key). */
  readonly publicKey: Uint8Array;
}

/** A certificate decoded once; every piece keeps the bytes received. */
export interface ParsedCertificate {
  /** The DER certificate. */
  readonly der: Uint8Array;
  /** Stable content key (used by caches). */
  readonly key: string;
  /** The TBSCertificate bytes as received (what the issuer signed). */
  readonly tbs: Uint8Array;
  /** X.509 version number (1, 2 or 3). */
  readonly version: number;
  /** serialNumber INTEGER contents, two's complement, as received. */
  readonly serialNumber: Uint8Array;
  /** Upper-case hex of the serial; a leading '-' when negative. */
  readonly serialHex: string;
  /** Outer signatureAlgorithm. */
  readonly signatureAlgorithm: {
    readonly oid: string;
    readonly hasParameters: boolean;
    readonly der: Uint8Array;
  };
  /** TBSCertificate.signature (must equal the outer one). */
  readonly tbsSignatureAlgorithm: { readonly oid: string; readonly der: Uint8Array };
  /** signatureValue BIT STRING contents (DER ECDSA-Sig-Value for ECDSA). */
  readonly signatureValue: Uint8Array;
  readonly issuer: DistinguishedName;
  readonly subject: DistinguishedName;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Time encodings used (RFC 5280 §4.1.2.5: UTCTime through 2049). */
  readonly validityEncoding: {
    readonly notBefore: 'utcTime' | 'generalizedTime';
    readonly notAfter: 'utcTime' | 'generalizedTime';
  };
  readonly publicKeyInfo: PublicKeyInfo;
  readonly hasUniqueIds: boolean;
  readonly extensions: readonly ParsedExtension[];
  /** issuer and subject DER are identical. */
  readonly selfIssued: boolean;
  /** Decoded known extensions (undefined when absent); `malformedExtensions` lists the ones that failed. */
  readonly keyUsage?: readonly KeyUsageName[];
  readonly basicConstraints?: { readonly ca: boolean; readonly pathLen?: number };
  readonly extKeyUsage?: readonly string[];
  readonly subjectKeyIdentifier?: Uint8Array;
  readonly authorityKeyIdentifier?: {
    readonly keyIdentifier?: Uint8Array;
    readonly hasIssuerAndSerial: boolean;
  };
  readonly issuerAltName?: readonly GeneralNameInfo[];
  readonly subjectAltName?: readonly GeneralNameInfo[];
  readonly crlDistributionPoints?: readonly DistributionPointInfo[];
  /** OIDs of known extensions whose value could not be decoded. */
  readonly malformedExtensions: readonly string[];
}

const STRING_TYPES: readonly Exclude<NameStringType, 'other'>[] = [
  'printableString',
  'utf8String',
  'teletexString',
  'universalString',
  'bmpString',
  'ia5String',
];

const SHORT_NAMES: Readonly<Record<string, string>> = {
  [NameAttributeOid.countryName]: 'C',
  [NameAttributeOid.stateOrProvinceName]: 'ST',
  [NameAttributeOid.localityName]: 'L',
  [NameAttributeOid.organizationName]: 'O',
  [NameAttributeOid.organizationalUnitName]: 'OU',
  [NameAttributeOid.commonName]: 'CN',
  [NameAttributeOid.serialNumber]: 'serialNumber',
};

/** Decode a DER `Name` (bytes kept). */
export function decodeName(der: Uint8Array): DistinguishedName {
  const name = parseDer(der, Name, 'ERR_X509_MALFORMED', 'Name');
  const attributes: NameAttribute[] = [];
  name.forEach((rdn, rdnIndex) => {
    for (const atv of rdn) {
      const v = atv.value as unknown as Record<string, unknown>;
      let stringType: NameStringType = 'other';
      let value = '';
      for (const t of STRING_TYPES) {
        if (typeof v[t] === 'string') {
          stringType = t;
          value = v[t] as string;
          break;
        }
      }
      attributes.push({ oid: atv.type, value, stringType, rdnIndex });
    }
  });
  const first = (oid: string): string | undefined => attributes.find((a) => a.oid === oid)?.value;
  const text = attributes
    .map((a) => `${SHORT_NAMES[a.oid] ?? a.oid}=${a.value.replace(/([,+"\\<>;=])/g, '\\$1')}`)
    .join(', ');
  return {
    der,
    attributes,
    text,
    ...optional('country', first(NameAttributeOid.countryName)),
    ...optional('stateOrProvince', first(NameAttributeOid.stateOrProvinceName)),
    ...optional('organization', first(NameAttributeOid.organizationName)),
    ...optional('commonName', first(NameAttributeOid.commonName)),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

const KU_BITS: readonly KeyUsageName[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

/** Map a GeneralName to its form and text. */
export function generalNameInfo(gn: import('@peculiar/asn1-x509').GeneralName): GeneralNameInfo {
  if (gn.rfc822Name !== undefined) return { form: 'rfc822Name', value: gn.rfc822Name };
  if (gn.dNSName !== undefined) return { form: 'dNSName', value: gn.dNSName };
  if (gn.uniformResourceIdentifier !== undefined) {
    return { form: 'uniformResourceIdentifier', value: gn.uniformResourceIdentifier };
  }
  if (gn.directoryName !== undefined) {
    return {
      form: 'directoryName',
      value: decodeName(new Uint8Array(AsnConvert.serialize(gn.directoryName))).text,
    };
  }
  if (gn.iPAddress !== undefined) return { form: 'iPAddress', value: gn.iPAddress };
  if (gn.registeredID !== undefined) return { form: 'registeredID', value: gn.registeredID };
  if (gn.otherName !== undefined) return { form: 'otherName', value: gn.otherName.typeId };
  if (gn.x400Address !== undefined) return { form: 'x400Address', value: '' };
  return { form: 'ediPartyName', value: '' };
}

function decodeTime(der: ArrayBuffer): { date: Date; encoding: 'utcTime' | 'generalizedTime' } {
  const t = AsnConvert.parse(der, Time);
  if (t.utcTime) return { date: t.utcTime, encoding: 'utcTime' };
  if (t.generalTime) return { date: t.generalTime, encoding: 'generalizedTime' };
  throw new MdlError('ERR_X509_MALFORMED', 'Certificate validity: unknown time encoding');
}

class RawValidity {
  notBefore: ArrayBuffer = new ArrayBuffer(0);
  notAfter: ArrayBuffer = new ArrayBuffer(0);
}
AsnProp({ type: AsnPropTypes.Any })(RawValidity.prototype, 'notBefore');
AsnProp({ type: AsnPropTypes.Any })(RawValidity.prototype, 'notAfter');
AsnType({ type: AsnTypeTypes.Sequence })(RawValidity);

class RawAlgorithm {
  algorithm = '';
  parameters?: ArrayBuffer;
}
AsnProp({ type: AsnPropTypes.ObjectIdentifier })(RawAlgorithm.prototype, 'algorithm');
AsnProp({ type: AsnPropTypes.Any, optional: true })(RawAlgorithm.prototype, 'parameters');
AsnType({ type: AsnTypeTypes.Sequence })(RawAlgorithm);

class RawSpki {
  algorithm: ArrayBuffer = new ArrayBuffer(0);
  subjectPublicKey: ArrayBuffer = new ArrayBuffer(0);
}
AsnProp({ type: AsnPropTypes.Any })(RawSpki.prototype, 'algorithm');
AsnProp({ type: AsnPropTypes.BitString })(RawSpki.prototype, 'subjectPublicKey');
AsnType({ type: AsnTypeTypes.Sequence })(RawSpki);

/** The unused-bits count of the subjectPublicKey BIT STRING of a DER SubjectPublicKeyInfo. */
function spkiUnusedBits(spki: Uint8Array): number | undefined {
  // SEQUENCE { AlgorithmIdentifier, BIT STRING }: skip the outer header and the algorithm element.
  const outer = derHeaderLength(spki);
  const algorithm = derElementLength(spki.subarray(outer));
  const key = spki.subarray(outer + algorithm);
  return key[0] === 0x03 ? key[derHeaderLength(key)] : undefined;
}

/** Decode a DER SubjectPublicKeyInfo (bytes kept). */
export function decodePublicKeyInfo(spki: Uint8Array): PublicKeyInfo {
  const raw = parseDer(spki, RawSpki, 'ERR_X509_MALFORMED', 'SubjectPublicKeyInfo');
  // Every key pki reads (EC points, Ed25519, RSA) is whole octets: no unused bits (RFC 5480 §2.2).
  if (new Uint8Array(raw.subjectPublicKey).length === 0 || spkiUnusedBits(spki) !== 0) {
    throw new MdlError('ERR_X509_MALFORMED', 'SubjectPublicKeyInfo: subjectPublicKey has unused bits');
  }
  const alg = parseDer(toBytes(raw.algorithm), RawAlgorithm, 'ERR_X509_MALFORMED', 'AlgorithmIdentifier');
  let curveOid: string | undefined;
  if (alg.algorithm === PublicKeyAlgorithmOid.ecPublicKey && alg.parameters !== undefined) {
    try {
      curveOid = AsnConvert.parse(alg.parameters, ECParameters).namedCurve;
    } catch {
      curveOid = undefined;
    }
  }
  const curve = (Object.keys(NamedCurve) as NamedCurveName[]).find((n) => NamedCurve[n].oid === curveOid);
  return {
    spki,
    algorithm: alg.algorithm,
    hasParameters: alg.parameters !== undefined,
    publicKey: toBytes(raw.subjectPublicKey),
    ...optional('curveOid', curveOid),
    ...optional('curve', curve),
  };
}

function decodeAlgorithm(der: Uint8Array): { oid: string; hasParameters: boolean; der: Uint8Array } {
  const alg = parseDer(der, RawAlgorithm, 'ERR_X509_MALFORMED', 'AlgorithmIdentifier');
  return { oid: alg.algorithm, hasParameters: alg.parameters !== undefined, der };
}

/** Serial INTEGER contents → upper-case hex with '-' for negative values (two's complement). */
export function serialToHex(serial: Uint8Array): string {
  if (serial.length === 0) return '';
  if ((serial[0]! & 0x80) === 0)
    return toHex(serial)
      .replace(/^(00)+(?=.)/, '')
      .toUpperCase();
  let value = 0n;
  for (const b of serial) value = (value << 8n) | BigInt(b);
  value -= 1n << BigInt(serial.length * 8);
  return `-${(-value).toString(16).toUpperCase()}`;
}

/**
 * Parse a DER X.509 certificate. Results are cached by content (pki's `parsed-certificates` cache), so parsing the
 * same certificate again — for example the DS certificate in every IssuerAuth — costs one map
 * lookup.
 *
 * @example
 * ```ts
 * const cert = parseCertificate(der);
 * cert.subject.country; // 'US'
 * ```
 * @throws {@link MdlError} `ERR_X509_MALFORMED` when the bytes are not one DER certificate.
 */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  if (!(der instanceof Uint8Array)) throw new MdlError('ERR_X509_MALFORMED', 'Certificate: expected bytes');
  const key = bytesKey(der);
  const hit = parsedCertificates.get(key);
  if (hit !== undefined) return hit;
  const parsed = parseUncached(der.slice(), key);
  parsedCertificates.set(key, parsed);
  return parsed;
}

function parseUncached(der: Uint8Array, key: string): ParsedCertificate {
  const cert = parseDer(der, Certificate, 'ERR_X509_MALFORMED', 'Certificate');
  if (cert.tbsCertificateRaw === undefined) {
    throw new MdlError('ERR_X509_MALFORMED', 'Certificate: TBSCertificate bytes unavailable');
  }
  const tbs = toBytes(cert.tbsCertificateRaw);
  if (!isSignedDer(der, tbs, new Uint8Array(AsnConvert.serialize(cert.signatureAlgorithm)))) {
    throw new MdlError('ERR_X509_MALFORMED', 'Certificate: outer structure is not DER');
  }
  const raw = parseDer(tbs, RawTbsCertificate, 'ERR_X509_MALFORMED', 'TBSCertificate');
  try {
    const t = cert.tbsCertificate;
    const serialNumber = toBytes(t.serialNumber);
    const issuer = decodeName(toBytes(raw.issuer));
    const subject = decodeName(toBytes(raw.subject));
    const validity = AsnConvert.parse(raw.validity, RawValidity);
    const nb = decodeTime(validity.notBefore);
    const na = decodeTime(validity.notAfter);
    const extensions: ParsedExtension[] = (t.extensions ?? []).map((e) => ({
      oid: e.extnID,
      critical: e.critical,
      value: toBytes(e.extnValue.buffer),
    }));
    const decoded = decodeExtensions(extensions);
    return {
      der,
      key,
      tbs,
      version: t.version + 1,
      serialNumber,
      serialHex: serialToHex(serialNumber),
      signatureAlgorithm: decodeAlgorithm(new Uint8Array(AsnConvert.serialize(cert.signatureAlgorithm))),
      tbsSignatureAlgorithm: decodeAlgorithm(toBytes(raw.signature)),
      signatureValue: toBytes(cert.signatureValue),
      issuer,
      subject,
      notBefore: nb.date,
      notAfter: na.date,
      validityEncoding: { notBefore: nb.encoding, notAfter: na.encoding },
      publicKeyInfo: decodePublicKeyInfo(toBytes(raw.subjectPublicKeyInfo)),
      hasUniqueIds: raw.issuerUniqueID !== undefined || raw.subjectUniqueID !== undefined,
      extensions,
      selfIssued: bytesEqual(issuer.der, subject.der),
      ...decoded,
    };
  } catch (cause) {
    if (cause instanceof MdlError) throw cause;
    throw new MdlError('ERR_X509_MALFORMED', 'Certificate: malformed field', { cause });
  }
}

type DecodedExtensions = Pick<
  ParsedCertificate,
  | 'keyUsage'
  | 'basicConstraints'
  | 'extKeyUsage'
  | 'subjectKeyIdentifier'
  | 'authorityKeyIdentifier'
  | 'issuerAltName'
  | 'subjectAltName'
  | 'crlDistributionPoints'
  | 'malformedExtensions'
>;

/**
 * Throws unless `value` re-encodes to exactly `received`: the certificate is DER (RFC 5280 §4.1), and
 * an extension a validator acts on (basicConstraints, keyUsage, extendedKeyUsage) must not be
 * accepted in a BER form — a `cA` boolean of 0x01, an explicit DEFAULT, a long-form length.
 */
function requireDer(value: object, received: Uint8Array): void {
  if (!bytesEqual(new Uint8Array(AsnConvert.serialize(value)), received)) throw new Error('not DER');
}

/**
 * Throws unless the named-bit BIT STRING `received` (keyUsage) is DER: unused bits zero and every
 * trailing 0 bit removed (X.690 §11.2.1–11.2.2) — a re-encoding keeps the received unused-bit count,
 * so this rule is checked on the bytes.
 */
function requireDerNamedBits(received: Uint8Array): void {
  if (received.length < 3 || received[0] !== 0x03 || received[1] !== received.length - 2) {
    throw new Error('not DER');
  }
  const unused = received[2]!;
  const last = received[received.length - 1]!;
  if (received.length === 3) {
    if (unused !== 0) throw new Error('not DER');
    return;
  }
  let trailingZeros = 0;
  while (trailingZeros < 8 && (last & (1 << trailingZeros)) === 0) trailingZeros++;
  if (last === 0 || unused !== trailingZeros) throw new Error('not DER');
}

/** The extensions {@link decodeExtensions} reads. */
const KNOWN_EXTENSIONS: ReadonlySet<string> = new Set([
  ExtensionOid.keyUsage,
  ExtensionOid.basicConstraints,
  ExtensionOid.extKeyUsage,
  ExtensionOid.subjectKeyIdentifier,
  ExtensionOid.authorityKeyIdentifier,
  ExtensionOid.issuerAltName,
  ExtensionOid.subjectAltName,
  ExtensionOid.cRLDistributionPoints,
]);

/** Decode the extensions Annex B cares about; failures (BER forms included) are listed, never thrown. */
function decodeExtensions(extensions: readonly ParsedExtension[]): DecodedExtensions {
  const out: { -readonly [K in keyof DecodedExtensions]: DecodedExtensions[K] } = { malformedExtensions: [] };
  const malformed: string[] = [];
  for (const ext of extensions) {
    const buf = ext.value.slice().buffer as ArrayBuffer;
    try {
      // An extension value is DER too (RFC 5280 §4.1): a BER form of one pki reads is malformed.
      if (KNOWN_EXTENSIONS.has(ext.oid) && derFault(ext.value) !== undefined) throw new Error('not DER');
      switch (ext.oid) {
        case ExtensionOid.keyUsage: {
          const ku = AsnConvert.parse(buf, KeyUsage);
          requireDer(ku, ext.value);
          requireDerNamedBits(ext.value);
          const flags = ku.toNumber();
          out.keyUsage = KU_BITS.filter((_, i) => (flags & (1 << i)) !== 0);
          break;
        }
        case ExtensionOid.basicConstraints: {
          const bc = AsnConvert.parse(buf, BasicConstraints);
          requireDer(bc, ext.value);
          out.basicConstraints =
            bc.pathLenConstraint === undefined ? { ca: bc.cA } : { ca: bc.cA, pathLen: bc.pathLenConstraint };
          break;
        }
        case ExtensionOid.extKeyUsage: {
          const eku = AsnConvert.parse(buf, ExtendedKeyUsage);
          requireDer(eku, ext.value);
          out.extKeyUsage = [...eku];
          break;
        }
        case ExtensionOid.subjectKeyIdentifier:
          out.subjectKeyIdentifier = toBytes(AsnConvert.parse(buf, SubjectKeyIdentifier).buffer);
          break;
        case ExtensionOid.authorityKeyIdentifier: {
          const aki = AsnConvert.parse(buf, AuthorityKeyIdentifier);
          out.authorityKeyIdentifier = {
            hasIssuerAndSerial:
              aki.authorityCertIssuer !== undefined || aki.authorityCertSerialNumber !== undefined,
            ...optional('keyIdentifier', aki.keyIdentifier ? toBytes(aki.keyIdentifier.buffer) : undefined),
          };
          break;
        }
        case ExtensionOid.issuerAltName:
          out.issuerAltName = [...AsnConvert.parse(buf, GeneralNames)].map(generalNameInfo);
          break;
        case ExtensionOid.subjectAltName:
          out.subjectAltName = [...AsnConvert.parse(buf, GeneralNames)].map(generalNameInfo);
          break;
        case ExtensionOid.cRLDistributionPoints:
          out.crlDistributionPoints = [...AsnConvert.parse(buf, CRLDistributionPoints)].map((dp) => ({
            fullName: (dp.distributionPoint?.fullName ?? []).map(generalNameInfo),
            relativeName: dp.distributionPoint?.nameRelativeToCRLIssuer !== undefined,
            hasReasons: dp.reasons !== undefined,
            hasCrlIssuer: dp.cRLIssuer !== undefined,
          }));
          break;
        default:
          break;
      }
    } catch {
      malformed.push(ext.oid);
    }
  }
  out.malformedExtensions = malformed;
  return out;
}
