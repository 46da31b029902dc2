import { ErrorCode } from '@mdlkit/core/errors';
import { CheckId } from '../report/check-ids.js';
import type { DocumentCheck, ElementRecord } from './document-state.js';

/** The mDL namespace whose `issuing_country` / `issuing_jurisdiction` the DS subject constrains. */
export const MDL_NAMESPACE = 'org.iso.18013.5.1';

/** The EU PID namespace (ARF Annex 3.01, PID Rulebook §3.1): same two elements, same meaning. */
export const PID_NAMESPACE = 'eu.europa.ec.eudi.pid.1';

/**
 * The ISO/IEC TS 23220-2 common namespace the Photo ID (`org.iso.23220.photoid.1`, ISO/IEC TS 23220-4
 * Annex C Table C.1) carries its `issuing_country` in (mandatory there).
 */
export const ISO23220_NAMESPACE = 'org.iso.23220.1';

/**
 * The namespaces whose `issuing_country` (ISO 3166-1 alpha-2) names the issuing authority's
 * country, and so must equal the DS certificate subject countryName (which Annex B makes the
 * IACA's): the mDL (18013-5 §7.2.1 Table 5, Annex B.1.4), the EU PID (PID Rulebook §3.1.1:
 * "issuing_country … Alpha-2 country code … of the PID Provider's country") and the ISO/IEC 23220-2
 * common elements of the Photo ID (`issuing_country`: the alpha-2 code of the issuing authority's
 * country, as in the mDL).
 */
export const ISSUER_NAMESPACES: ReadonlySet<string> = new Set([
  MDL_NAMESPACE,
  PID_NAMESPACE,
  ISO23220_NAMESPACE,
]);

/**
 * The namespaces whose `issuing_jurisdiction` (ISO 3166-2) must equal the DS subject
 * stateOrProvinceName: the mDL (Table 5) and the EU PID ("issuing_jurisdiction … the first part of
 * the code SHALL be the same as the value for issuing_country"). ISO/IEC 23220-2 has no
 * `issuing_jurisdiction` (its `issuing_subdivision` is not tied to a certificate field by anything
 * this reader implements), so `org.iso.23220.1` is not listed.
 */
export const JURISDICTION_NAMESPACES: ReadonlySet<string> = new Set([MDL_NAMESPACE, PID_NAMESPACE]);

/** Every disclosed element `identifier` of `nameSpaces` (issuer- and device-signed). */
export function issuerElements(
  elements: readonly ElementRecord[],
  identifier: string,
  nameSpaces: ReadonlySet<string> = ISSUER_NAMESPACES,
): ElementRecord[] {
  return elements.filter((e) => nameSpaces.has(e.nameSpace) && e.identifier === identifier);
}

/**
 * `issuing-country`: every disclosed `issuing_country` of {@link ISSUER_NAMESPACES} (mDL, EU PID,
 * ISO/IEC 23220-2) equals the DS certificate subject countryName (§7.2.1, Table 5; Annex B.1.4).
 */
export const issuingCountry: DocumentCheck = {
  id: CheckId.ISSUING_COUNTRY,
  required: false,
  protects: 'all-elements',
  run(state, r) {
    const disclosed = issuerElements(state.elements, 'issuing_country');
    const subject = state.path?.leaf.subject;
    if (disclosed.length === 0) {
      r.skip(CheckId.ISSUING_COUNTRY, 'issuing_country was not disclosed');
    } else if (subject === undefined) {
      r.skip(CheckId.ISSUING_COUNTRY, 'no DS certificate to compare with');
    } else if (disclosed.every((e) => typeof e.value === 'string' && e.value === subject.country)) {
      r.pass(CheckId.ISSUING_COUNTRY, 'issuing_country equals the DS certificate countryName');
    } else {
      const first = disclosed.find((e) => !(typeof e.value === 'string' && e.value === subject.country))!;
      r.fail(
        CheckId.ISSUING_COUNTRY,
        ErrorCode.ERR_ISSUING_COUNTRY_MISMATCH,
        'issuing_country differs from the DS certificate subject countryName',
        { nameSpace: first.nameSpace },
      );
    }
  },
};
