import { MdlError } from '@mdlkit/core/errors';
import { MDL_DOCTYPE, MDL_NAMESPACE, validateMdlElements } from '@mdlkit/core/mdoc';
import type { DsCertificateInfo } from '../internal/ds-certificate.js';
import { entriesOf, type NameSpacesInput } from '../items/create-issuer-signed-items.js';

type NameSpaceElements = ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>;

/**
 * Issuer-side data checks before anything is signed: the mDL namespace against core's schema, and
 * `issuing_country` / `issuing_jurisdiction` against the DS certificate subject (a reader rejects
 * a mismatch, ISO/IEC 18013-5 §9.3.1 — spec §1.6). Errors name the element, never its value.
 *
 * @example
 * ```ts
 * validateIssuerData({ docType: MDL_DOCTYPE, nameSpaces, ds });
 * ```
 * @throws {@link MdlError} `ERR_DATA_ELEMENT_INVALID` / `ERR_DATA_ELEMENT_MISSING` /
 * `ERR_DATA_ELEMENT_UNKNOWN` from core's mDL schema (`validateMdlElements`); `ERR_ISSUE_COUNTRY_MISMATCH`.
 */
export function validateIssuerData(input: {
  readonly docType: string;
  readonly nameSpaces: NameSpacesInput;
  readonly ds: Pick<DsCertificateInfo, 'country' | 'stateOrProvince'>;
  /** Require every mandatory mDL element (default `true`: an issuer builds a complete mDL). */
  readonly requireMandatory?: boolean | undefined;
}): void {
  if (input.docType !== MDL_DOCTYPE) return;
  const nameSpaces = input.nameSpaces;
  // The same lookup as over `entriesOf` (own enumerable keys of a record), without the entry arrays.
  const mdl =
    nameSpaces instanceof Map
      ? nameSpaces.get(MDL_NAMESPACE)
      : Object.prototype.propertyIsEnumerable.call(nameSpaces, MDL_NAMESPACE)
        ? (nameSpaces as Readonly<Record<string, NameSpaceElements>>)[MDL_NAMESPACE]
        : undefined;
  if (mdl === undefined) {
    if (input.requireMandatory === false) return;
    throw new MdlError('ERR_DATA_ELEMENT_MISSING', 'an mDL needs the org.iso.18013.5.1 namespace', {
      details: { nameSpace: MDL_NAMESPACE },
    });
  }
  const elements: ReadonlyMap<string, unknown> = mdl instanceof Map ? mdl : new Map(entriesOf(mdl));
  validateMdlElements(elements, { requireMandatory: input.requireMandatory ?? true, throwOnFinding: true });
  const country = elements.get('issuing_country');
  if (country !== undefined && country !== input.ds.country) {
    throw new MdlError(
      'ERR_ISSUE_COUNTRY_MISMATCH',
      'issuing_country differs from the DS certificate countryName',
      {
        details: { nameSpace: MDL_NAMESPACE, elementIdentifier: 'issuing_country' },
      },
    );
  }
  const jurisdiction = elements.get('issuing_jurisdiction');
  if (jurisdiction !== undefined && input.ds.stateOrProvince !== undefined) {
    const expected = `${input.ds.country}-${input.ds.stateOrProvince}`;
    if (jurisdiction !== expected && jurisdiction !== input.ds.stateOrProvince) {
      throw new MdlError(
        'ERR_ISSUE_COUNTRY_MISMATCH',
        'issuing_jurisdiction differs from the DS certificate stateOrProvinceName',
        { details: { nameSpace: MDL_NAMESPACE, elementIdentifier: 'issuing_jurisdiction' } },
      );
    }
  }
}
