import { MdlError } from '@mdlkit/core/errors';
import {
  AttributeTypeAndValue,
  AttributeValue,
  GeneralName,
  Name,
  RelativeDistinguishedName,
} from '@peculiar/asn1-x509';
import { serializeDer } from '../internal/der.js';
import { NameAttributeOid } from '../oids.js';

/**
 * A distinguished name to encode. Attributes are written one per RDN in the order C, ST, L, O, OU,
 * CN, serialNumber; countryName and serialNumber as PrintableString, the rest as UTF8String
 * (18013-5 B.1.2: "countryName … PrintableString"; other DirectoryString attributes PrintableString
 * or UTF8String).
 */
export interface NameInput {
  /** countryName: upper-case ISO 3166-1 alpha-2 code. */
  readonly country?: string;
  /** stateOrProvinceName (AAMVA: ISO 3166-2 code such as `US-NY`). */
  readonly stateOrProvince?: string;
  readonly locality?: string;
  readonly organization?: string;
  readonly organizationalUnit?: string;
  /** commonName (mandatory in every Annex B profile). */
  readonly commonName: string;
  /** serialNumber attribute (PrintableString). */
  readonly serialNumber?: string;
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/**
 * Encode a {@link NameInput} as a DER `Name`.
 *
 * @example
 * ```ts
 * encodeName({ country: 'US', stateOrProvince: 'US-NY', commonName: 'NY IACA' });
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for empty values or a non-printable country / serialNumber.
 */
export function encodeName(input: NameInput): Uint8Array {
  const entries: [string, string | undefined, 'printableString' | 'utf8String'][] = [
    [NameAttributeOid.countryName, input.country, 'printableString'],
    [NameAttributeOid.stateOrProvinceName, input.stateOrProvince, 'utf8String'],
    [NameAttributeOid.localityName, input.locality, 'utf8String'],
    [NameAttributeOid.organizationName, input.organization, 'utf8String'],
    [NameAttributeOid.organizationalUnitName, input.organizationalUnit, 'utf8String'],
    [NameAttributeOid.commonName, input.commonName, 'utf8String'],
    [NameAttributeOid.serialNumber, input.serialNumber, 'printableString'],
  ];
  const rdns: RelativeDistinguishedName[] = [];
  for (const [oid, value, type] of entries) {
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.length === 0 || value.length > 256) {
      throw new MdlError(
        'ERR_INVALID_ARGUMENT',
        `name attribute ${oid} must be a non-empty string (≤ 256 chars)`,
      );
    }
    if (type === 'printableString' && !PRINTABLE.test(value)) {
      throw new MdlError('ERR_INVALID_ARGUMENT', `name attribute ${oid} must be PrintableString characters`);
    }
    const v = new AttributeValue(
      type === 'printableString' ? { printableString: value } : { utf8String: value },
    );
    rdns.push(new RelativeDistinguishedName([new AttributeTypeAndValue({ type: oid, value: v })]));
  }
  return serializeDer(new Name(rdns));
}

/** An rfc822Name (e-mail) or URI general name (the forms Annex B allows for issuerAltName). */
export type AltNameInput = { readonly email: string } | { readonly uri: string };

/** Convert {@link AltNameInput}s to asn1-x509 GeneralNames. */
export function toGeneralNames(names: readonly AltNameInput[]): GeneralName[] {
  return names.map((n) => {
    if ('email' in n) return new GeneralName({ rfc822Name: n.email });
    return new GeneralName({ uniformResourceIdentifier: n.uri });
  });
}
