import { ErrorCode } from '@mdlkit/core/errors';
import { CheckId } from '../report/check-ids.js';
import type { DocumentCheck } from './document-state.js';
import { issuerElements, JURISDICTION_NAMESPACES } from './issuing-country.js';

/**
 * `issuing-jurisdiction`: every disclosed `issuing_jurisdiction` of {@link JURISDICTION_NAMESPACES}
 * (mDL, EU PID) equals the DS certificate subject stateOrProvinceName when the certificate has one
 * (§7.2.1, Table 5; Annex B.1.4).
 */
export const issuingJurisdiction: DocumentCheck = {
  id: CheckId.ISSUING_JURISDICTION,
  required: false,
  protects: 'all-elements',
  run(state, r) {
    const disclosed = issuerElements(state.elements, 'issuing_jurisdiction', JURISDICTION_NAMESPACES);
    const subject = state.path?.leaf.subject;
    if (disclosed.length === 0) {
      r.skip(CheckId.ISSUING_JURISDICTION, 'issuing_jurisdiction was not disclosed');
    } else if (subject === undefined) {
      r.skip(CheckId.ISSUING_JURISDICTION, 'no DS certificate to compare with');
    } else if (subject.stateOrProvince === undefined) {
      r.skip(CheckId.ISSUING_JURISDICTION, 'the DS certificate has no stateOrProvinceName');
    } else if (disclosed.every((e) => typeof e.value === 'string' && e.value === subject.stateOrProvince)) {
      r.pass(
        CheckId.ISSUING_JURISDICTION,
        'issuing_jurisdiction equals the DS certificate stateOrProvinceName',
      );
    } else {
      r.fail(
        CheckId.ISSUING_JURISDICTION,
        ErrorCode.ERR_ISSUING_JURISDICTION_MISMATCH,
        'issuing_jurisdiction differs from the DS certificate subject stateOrProvinceName',
        {
          nameSpace: disclosed.find(
            (e) => !(typeof e.value === 'string' && e.value === subject.stateOrProvince),
          )!.nameSpace,
        },
      );
    }
  },
};
