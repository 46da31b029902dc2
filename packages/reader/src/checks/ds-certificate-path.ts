import { ErrorCode } from '@mdlkit/core/errors';
import { validateCertificatePath } from '@mdlkit/pki';
import { CheckId } from '../report/check-ids.js';
import type { DocumentCheck } from './document-state.js';
import { isTimeFinding } from './ds-certificate-validity.js';

/**
 * `ds-certificate-path`: the DS certificate of the IssuerAuth `x5chain` chains to a trust anchor under
 * the caller's policy and ruleset (ISO/IEC 18013-5 §9.3.3, Annex B). Time findings are left to
 * `ds-certificate-validity`.
 */
export const dsCertificatePath: DocumentCheck = {
  id: CheckId.DS_CERTIFICATE_PATH,
  required: true,
  protects: 'all-elements',
  async run(state, r) {
    const { ctx, chain } = state;
    if (chain === undefined) {
      r.fail(
        CheckId.DS_CERTIFICATE_PATH,
        ErrorCode.ERR_COSE_X5CHAIN_MISSING,
        'IssuerAuth carries no x5chain',
      );
      return;
    }
    try {
      state.path = await validateCertificatePath({
        chain,
        trustStore: ctx.options.trust,
        now: ctx.now,
        profile: 'ds',
        policy: ctx.policy === 'strict' ? 'strict' : 'lenient',
        ruleset: ctx.options.ruleset ?? 'iso',
        docType: state.doc.docType,
        maxChainLength: ctx.limits.maxX5chainLength,
      });
    } catch (error) {
      r.failWith(
        CheckId.DS_CERTIFICATE_PATH,
        error,
        ErrorCode.ERR_X509_MALFORMED,
        'the DS certificate is unusable',
      );
      return;
    }
    const path = state.path;
    // The report keeps every path finding (errors, warnings, notes), each with its code.
    for (const f of path.findings) {
      state.findings.push({
        code: f.code,
        severity: f.severity,
        source: 'certificate',
        message: f.message,
        details: { certificateIndex: f.certificateIndex, ...(f.rule === undefined ? {} : { rule: f.rule }) },
      });
    }
    const failure = path.findings.find((f) => f.severity === 'error' && !isTimeFinding(f));
    const subject = { subject: path.leaf.subject.text };
    if (failure) {
      r.fail(CheckId.DS_CERTIFICATE_PATH, failure.code, failure.message, subject);
    } else if (!path.valid && !path.findings.some((f) => f.severity === 'error')) {
      // Never pass a path the validator did not accept, even without a finding saying why.
      r.fail(
        CheckId.DS_CERTIFICATE_PATH,
        ErrorCode.ERR_X509_CHAIN_UNTRUSTED,
        'the DS certificate path is not valid',
        subject,
      );
    } else {
      r.pass(CheckId.DS_CERTIFICATE_PATH, 'the DS certificate chains to a trust anchor', subject);
    }
  },
};
