import { CheckId } from '../report/check-ids.js';
import { checkMsoRevocation } from '../revocation/check-revocation.js';
import type { DocumentCheck } from './document-state.js';

/** `mso-revocation`: the MSO is not revoked by its status / identifier list (ed2 §12.3.6), when asked. */
export const msoRevocation: DocumentCheck = {
  id: CheckId.MSO_REVOCATION,
  required: false,
  protects: 'all-elements',
  async run(state, r) {
    const { ctx } = state;
    await checkMsoRevocation(r, {
      revocation: ctx.options.revocation,
      path: state.path,
      mso: state.mso,
      trust: ctx.options.trust,
      now: ctx.now,
      decode: ctx.decode,
    });
  },
};
