import { ErrorCode } from '@mdlkit/core/errors';
import type { PathFinding } from '@mdlkit/pki';
import { CheckId } from '../report/check-ids.js';
import type { DocumentCheck } from './document-state.js';

const TIME_CODES: ReadonlySet<string> = new Set([
  ErrorCode.ERR_X509_EXPIRED,
  ErrorCode.ERR_X509_NOT_YET_VALID,
  ErrorCode.ERR_X509_ISSUER_VALIDITY,
]);

/** A path finding about validity periods (reported by `ds-certificate-validity`, not the path). */
export function isTimeFinding(f: PathFinding): boolean {
  return TIME_CODES.has(f.code);
}

/** `ds-certificate-validity`: the DS certificate and its anchor are valid at `now` (§9.3.3). */
export const dsCertificateValidity: DocumentCheck = {
  id: CheckId.DS_CERTIFICATE_VALIDITY,
  required: true,
  protects: 'all-elements',
  run(state, r) {
    const path = state.path;
    if (path === undefined) {
      r.skip(
        CheckId.DS_CERTIFICATE_VALIDITY,
        state.chain === undefined ? 'no DS certificate to check' : 'the DS certificate could not be parsed',
        state.chain === undefined ? ErrorCode.ERR_COSE_X5CHAIN_MISSING : ErrorCode.ERR_X509_MALFORMED,
      );
      return;
    }
    const timeError = path.findings.find((f) => f.severity === 'error' && isTimeFinding(f));
    if (timeError) r.fail(CheckId.DS_CERTIFICATE_VALIDITY, timeError.code, timeError.message);
    else r.pass(CheckId.DS_CERTIFICATE_VALIDITY, 'the DS certificate and its anchor are valid now');
  },
};
