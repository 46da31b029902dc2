import { CheckId } from '../report/check-ids.js';
import { checkMsoRevocation } from '../revocation/check-revocation.js';
import type { DocumentCheck } from './document-state.js';

/**
 * `mso-revocation`: the MSO is not revoked by its status / identifier list (ed2 §12.3.6), when asked
 * — and only for an MSO whose IssuerAuth signature verified.
 */
export const msoRevocation: DocumentCheck = {
  id: CheckId.MSO_REVOCATION,
  required: false,
  protects: 'all-elements',
  async run(state, r) {
    const { ctx } = state;
    if (ctx.options.revocation !== undefined && r.status(CheckId.ISSUER_AUTH_SIGNATURE) !== 'passed') {
      // Nothing of an unauthenticated MSO is acted on: its status uri is the attacker's choice
      // (a fetch to anywhere), and its verdict could not make the document verify anyway.
      r.skip(CheckId.MSO_REVOCATION, 'the MSO is not authenticated; its status entry is not used');
      return;
    }
    await checkMsoRevocation(r, {
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
