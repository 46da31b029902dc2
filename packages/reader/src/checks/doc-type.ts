import { ErrorCode } from '@mdlkit/core/errors';
import { CheckId } from '../report/check-ids.js';
import type { DocumentCheck } from './document-state.js';

/** `doc-type`: the MSO docType equals `Document.docType` (§9.3.1 step 4). */
export const docType: DocumentCheck = {
  id: CheckId.DOC_TYPE,
  required: true,
  protects: 'all-elements',
  run(state, r) {
    if (state.mso.docType === state.doc.docType) {
      r.pass(CheckId.DOC_TYPE, 'the MSO docType equals the document docType');
    } else {
      r.fail(
        CheckId.DOC_TYPE,
        ErrorCode.ERR_MSO_DOCTYPE_MISMATCH,
        'the MSO docType differs from the document docType',
      );
    }
  },
};
