import { ErrorCode } from '@mdlkit/core/errors';
import { CheckId } from '../report/check-ids.js';
import type { DocumentCheck } from './document-state.js';

/** `mso-signed-within-ds-validity`: MSO `signed` lies within the DS certificate validity (§9.3.1 step 5). */
export const msoSignedWithinDsValidity: DocumentCheck = {
  id: CheckId.MSO_SIGNED_WITHIN_DS_VALIDITY,
  required: true,
  protects: 'all-elements',
  run(state, r) {
    const path = state.path;
    if (path === undefined) {
      r.skip(CheckId.MSO_SIGNED_WITHIN_DS_VALIDITY, 'no DS certificate to compare with');
      return;
    }
    const signed = state.mso.validityInfo.signed.epochMilliseconds;
    if (signed < path.leaf.notBefore.getTime() || signed > path.leaf.notAfter.getTime()) {
      r.fail(
        CheckId.MSO_SIGNED_WITHIN_DS_VALIDITY,
        ErrorCode.ERR_MSO_SIGNED_OUTSIDE_DS_VALIDITY,
        'the MSO was signed outside the DS certificate validity',
        { signed: state.mso.validityInfo.signed.value },
      );
    } else {
      r.pass(CheckId.MSO_SIGNED_WITHIN_DS_VALIDITY, 'the MSO was signed within the DS certificate validity');
    }
  },
};
