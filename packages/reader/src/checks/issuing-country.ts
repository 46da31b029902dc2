import { ErrorCode } from '@mdlkit/core/errors';
import { CheckId } from '../report/check-ids.js';
import type { DocumentCheck, ElementRecord } from './document-state.js';

/** The mDL namespace whose `issuing_country` / `issuing_jurisdiction` the DS subject constrains. */
export const MDL_NAMESPACE = 'org.iso.18013.5.1';

/** Every disclosed element `identifier` of the mDL namespace (issuer- and device-signed). */
export function mdlElements(elements: readonly ElementRecord[], identifier: string): ElementRecord[] {
  return elements.filter((e) => e.nameSpace === MDL_NAMESPACE && e.identifier === identifier);
}

/**
 * `issuing-country`: every disclosed `issuing_country` equals the DS certificate subject
 * countryName (§7.2.1, Table 5; Annex B.1.4).
 */
export const issuingCountry: DocumentCheck = {
  id: CheckId.ISSUING_COUNTRY,
  required: false,
  protects: 'all-elements',
  run(state, r) {
    const disclosed = mdlElements(state.elements, 'issuing_country');
    const subject = state.path?.leaf.subject;
    if (disclosed.length === 0) {
      r.skip(CheckId.ISSUING_COUNTRY, 'issuing_country was not disclosed');
    } else if (subject === undefined) {
      r.skip(CheckId.ISSUING_COUNTRY, 'no DS certificate to compare with');
    } else if (disclosed.every((e) => typeof e.value === 'string' && e.value === subject.country)) {
      r.pass(CheckId.ISSUING_COUNTRY, 'issuing_country equals the DS certificate countryName');
    } else {
      r.fail(
        CheckId.ISSUING_COUNTRY,
        ErrorCode.ERR_ISSUING_COUNTRY_MISMATCH,
        'issuing_country differs from the DS certificate subject countryName',
      );
    }
  },
};
