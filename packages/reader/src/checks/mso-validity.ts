import { ErrorCode } from '@mdlkit/core/errors';
import { CheckId } from '../report/check-ids.js';
import type { DocumentCheck } from './document-state.js';

/** `mso-validity`: `validFrom ≤ now ≤ validUntil`, with the caller's clock skew (§9.3.1 step 5). */
export const msoValidity: DocumentCheck = {
  id: CheckId.MSO_VALIDITY,
  required: true,
  protects: 'all-elements',
  run(state, r) {
    const { ctx } = state;
    const { validFrom, validUntil } = state.mso.validityInfo;
    const t = ctx.now.getTime();
    if (t + ctx.skewMs < validFrom.epochMilliseconds) {
      r.fail(CheckId.MSO_VALIDITY, ErrorCode.ERR_MSO_NOT_YET_VALID, 'the MSO is not yet valid', {
        validFrom: validFrom.value,
      });
    } else if (t - ctx.skewMs > validUntil.epochMilliseconds) {
      r.fail(CheckId.MSO_VALIDITY, ErrorCode.ERR_MSO_EXPIRED, 'the MSO has expired', {
        validUntil: validUntil.value,
      });
    } else if (validUntil.epochMilliseconds < validFrom.epochMilliseconds) {
      r.fail(CheckId.MSO_VALIDITY, ErrorCode.ERR_MSO_INVALID, 'the MSO validUntil is before its validFrom');
    } else {
      r.pass(CheckId.MSO_VALIDITY, 'the MSO is within its validity period');
    }
  },
};
