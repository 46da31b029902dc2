import { ErrorCode } from '@mdlkit/core/errors';
import { CheckId } from '../report/check-ids.js';
import type { DocumentCheck, ElementRecord } from './document-state.js';

/** The mDL namespace whose `issuing_country` / `issuing_jurisdiction` the DS subject constrains. */
export const MDL_NAMESPACE = 'org.iso.18013.5.1';

/** The EU PID namespace (ARF Annex 3.01, PID Rulebook §3.1): same two elements, same meaning. */
export const PID_NAMESPACE = 'eu.europa.ec.eudi.pid.1';

/**
 * The namespaces whose `issuing_country` (ISO 3166-1 alpha-2) and `issuing_jurisdiction`
 * (ISO 3166-2) name the issuer, and so must agree with the DS certificate subject: the mDL
 * (18013-5 §7.2.1 Table 5, Annex B.1.4) and the EU PID (PID Rulebook §3.1.1: "issuing_country …
 * Alpha-2 country code … of the PID Provider's country"; "issuing_jurisdiction … the first part of
 * the code SHALL be the same as the value for issuing_country").
 */
export const ISSUER_NAMESPACES: ReadonlySet<string> = new Set([MDL_NAMESPACE, PID_NAMESPACE]);

/** Every disclosed element `identifier` of {@link ISSUER_NAMESPACES} (issuer- and device-signed). */
export function issuerElements(elements: readonly ElementRecord[], identifier: string): ElementRecord[] {
  return elements.filter((e) => ISSUER_NAMESPACES.has(e.nameSpace) && e.identifier === identifier);
}

/**
 * `issuing-country`: every disclosed `issuing_country` of the mDL and EU PID namespaces equals the
 * DS certificate subject countryName (§7.2.1, Table 5; Annex B.1.4).
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
