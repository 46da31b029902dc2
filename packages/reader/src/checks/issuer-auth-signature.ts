import { ErrorCode } from '@mdlkit/core/errors';
import { verifyIssuerAuthSignature } from '../issuer-auth/verify-issuer-auth.js';
import { CheckId } from '../report/check-ids.js';
import type { DocumentCheck } from './document-state.js';

/** `issuer-auth-signature`: the IssuerAuth COSE_Sign1 verifies with the DS key (§9.3.1 step 2). */
export const issuerAuthSignature: DocumentCheck = {
  id: CheckId.ISSUER_AUTH_SIGNATURE,
  required: true,
  protects: 'all-elements',
  async run(state, r) {
    const key = state.path?.publicKey;
    if (key === undefined) {
      r.skip(CheckId.ISSUER_AUTH_SIGNATURE, 'no DS public key to verify with', ErrorCode.ERR_X509_MALFORMED);
      return;
    }
    const allowed = state.ctx.options.allowedAlgorithms;
    try {
      await verifyIssuerAuthSignature({
        issuerAuth: state.issuerAuth,
        dsPublicKey: key,
        ...(allowed ? { allowedAlgorithms: allowed } : {}),
      });
      r.pass(CheckId.ISSUER_AUTH_SIGNATURE, 'the IssuerAuth signature verifies with the DS key');
    } catch (error) {
      r.failWith(
        CheckId.ISSUER_AUTH_SIGNATURE,
        error,
        ErrorCode.ERR_ISSUER_AUTH_SIGNATURE_INVALID,
        'the IssuerAuth signature does not verify',
      );
    }
  },
};
