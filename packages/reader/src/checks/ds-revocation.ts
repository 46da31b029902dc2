import { CheckId } from '../report/check-ids.js';
import { checkDsRevocation } from '../revocation/check-revocation.js';
import type { DocumentCheck } from './document-state.js';

/** `ds-revocation`: the DS certificate is not on its IACA's CRL (Annex B.3.2), when CRLs are given. */
export const dsRevocation: DocumentCheck = {
  id: CheckId.DS_REVOCATION,
  required: false,
  protects: 'all-elements',
  async run(state, r) {
    const { ctx } = state;
    await checkDsRevocation(r, {
      revocation: ctx.options.revocation,
      policy: ctx.policy === 'strict' ? 'strict' : 'lenient',
      path: state.path,
      mso: state.mso,
      trust: ctx.options.trust,
      now: ctx.now,
      decode: ctx.decode,
    });
  },
};
