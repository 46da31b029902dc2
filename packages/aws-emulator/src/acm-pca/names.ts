import { isIP } from 'node:net';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AttributeTypeAndValue,
  AttributeValue,
  GeneralName,
  Name,
  RelativeDistinguishedName,
} from '@peculiar/asn1-x509';
import { AwsError } from '../errors.js';
import type { Input } from '../internal/input.js';

/**
 * `ASN1Subject` members in the order the emulator writes them, with their attribute OIDs
 * (RFC 5280 §4.1.2.4 / X.520). Country, serial number and DN qualifier are PrintableString
 * (RFC 5280 requires it); the rest are UTF8String.
 */
const SUBJECT_FIELDS: readonly (readonly [string, string, 'printable' | 'utf8'])[] = [
  ['Country', '2.5.4.6', 'printable'],
  ['Organization', '2.5.4.10', 'utf8'],
  ['OrganizationalUnit', '2.5.4.11', 'utf8'],
  ['DistinguishedNameQualifier', '2.5.4.46', 'printable'],
  ['State', '2.5.4.8', 'utf8'],
  ['CommonName', '2.5.4.3', 'utf8'],
  ['SerialNumber', '2.5.4.5', 'printable'],
  ['Locality', '2.5.4.7', 'utf8'],
  ['Title', '2.5.4.12', 'utf8'],
  ['Surname', '2.5.4.4', 'utf8'],
  ['GivenName', '2.5.4.42', 'utf8'],
  ['Initials', '2.5.4.43', 'utf8'],
  ['Pseudonym', '2.5.4.65', 'utf8'],
  ['GenerationQualifier', '2.5.4.44', 'utf8'],
];

const OID = /^([0-2])((\.0)|(\.[1-9][0-9]*))*$/;
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** Checks an OID string (`InvalidArgsException` otherwise). */
export function checkOid(oid: string, member: string): string {
  if (!OID.test(oid) || oid.length > 64)
    throw new AwsError('InvalidArgsException', `${member} is not a valid OID`);
  return oid;
}

function rdn(type: string, value: string, kind: 'printable' | 'utf8'): RelativeDistinguishedName {
  const attributeValue =
    kind === 'printable'
      ? new AttributeValue({ printableString: value })
      : new AttributeValue({ utf8String: value });
  return new RelativeDistinguishedName([new AttributeTypeAndValue({ type, value: attributeValue })]);
}

/**
 * `ASN1Subject` → DER `Name`. `CustomAttributes` cannot be combined with the named members.
 * @throws {AwsError} `InvalidArgsException` for an empty subject, a bad country or a bad OID.
 */
export function subjectToName(subject: Input, member = 'Subject'): Name {
  const custom = subject.CustomAttributes;
  const rdns: RelativeDistinguishedName[] = [];
  for (const [field, oid, kind] of SUBJECT_FIELDS) {
    const value = subject[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || value.length === 0 || value.length > 64) {
      throw new AwsError('InvalidArgsException', `${member}.${field} must be a string of 1 to 64 characters`);
    }
    if (field === 'Country' && !/^[A-Z]{2}$/.test(value)) {
      throw new AwsError('InvalidArgsException', `${member}.Country must be a two-letter ISO 3166 code`);
    }
    if (kind === 'printable' && !PRINTABLE.test(value)) {
      throw new AwsError('InvalidArgsException', `${member}.${field} must be a PrintableString`);
    }
    rdns.push(rdn(oid, value, kind));
  }
  if (Array.isArray(custom) && custom.length > 0) {
    if (rdns.length > 0) {
      throw new AwsError(
        'InvalidArgsException',
        `${member}.CustomAttributes cannot be used together with standard subject attributes`,
      );
    }
    for (const attribute of custom as Input[]) {
      const oid = checkOid(
        String(attribute.ObjectIdentifier ?? ''),
        `${member}.CustomAttributes.ObjectIdentifier`,
      );
      const value = attribute.Value;
      if (typeof value !== 'string' || value.length === 0) {
        throw new AwsError(
          'InvalidArgsException',
          `${member}.CustomAttributes.Value must be a non-empty string`,
        );
      }
      rdns.push(rdn(oid, value, PRINTABLE.test(value) && oid === '2.5.4.6' ? 'printable' : 'utf8'));
    }
  }
  if (rdns.length === 0) throw new AwsError('InvalidArgsException', `${member} must not be empty`);
  return new Name(rdns);
}

/** DER bytes of a `Name`. */
export function nameDer(name: Name): ArrayBuffer {
  return AsnConvert.serialize(name);
}

/**
 * `GeneralName` (API form) → ASN.1 `GeneralName`: DNS, URI, IP, RFC 822, registered id, directory
 * name, other name (value as UTF8String).
 * @throws {AwsError} `InvalidArgsException` when not exactly one member is given or a value is bad.
 */
export function toGeneralName(input: Input, member: string): GeneralName {
  const given = Object.entries(input).filter(([, value]) => value !== undefined && value !== null);
  if (given.length !== 1) {
    throw new AwsError('InvalidArgsException', `${member} must have exactly one member`);
  }
  const [kind, value] = given[0]!;
  const text = typeof value === 'string' ? value : undefined;
  switch (kind) {
    case 'DnsName':
      if (text === undefined || text.length === 0 || text.length > 253) break;
      return new GeneralName({ dNSName: text });
    case 'UniformResourceIdentifier':
      if (text === undefined || text.length === 0) break;
      return new GeneralName({ uniformResourceIdentifier: text });
    case 'Rfc822Name':
      if (text === undefined || !text.includes('@')) break;
      return new GeneralName({ rfc822Name: text });
    case 'IpAddress':
      if (text === undefined || isIP(text) === 0) break;
      return new GeneralName({ iPAddress: text });
    case 'RegisteredId':
      if (text === undefined) break;
      return new GeneralName({ registeredID: checkOid(text, `${member}.RegisteredId`) });
    case 'DirectoryName':
      if (typeof value !== 'object') break;
      return new GeneralName({ directoryName: subjectToName(value as Input, `${member}.DirectoryName`) });
    case 'OtherName': {
      const other = value as Input;
      const typeId = checkOid(String(other.TypeId ?? ''), `${member}.OtherName.TypeId`);
      if (typeof other.Value !== 'string') break;
      const utf8 = AsnConvert.serialize(new AttributeValue({ utf8String: other.Value }));
      return new GeneralName({ otherName: { typeId, value: utf8 } });
    }
    default:
      throw new AwsError('InvalidArgsException', `${member}.${kind} is not supported by the emulator`);
  }
  throw new AwsError('InvalidArgsException', `${member}.${kind} is not valid`);
}
