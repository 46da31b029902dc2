import { ErrorCode, MdlError } from '@mdlkit/core/errors';
import type { VerificationReport } from './report.js';

/**
 * Throws the first failure of a verification report as an {@link MdlError}; returns normally when
 * `report.verified` is true. The thrown error's `code` is the failed check's code and its details
 * name the document index and check id.
 *
 * @example
 * ```ts
 * const report = await verifyDeviceResponse(bytes, options);
 * assertVerified(report); // throws e.g. MdlError { code: 'ERR_MSO_EXPIRED' }
 * ```
 * @throws {@link MdlError} `ERR_RESPONSE_STATUS` when the response status is not 0,
 *   `ERR_NOT_VERIFIED` when no document was returned, otherwise the first failed check's code.
 */
export function assertVerified(report: VerificationReport): void {
  if (report.verified) return;
  if (report.responseStatus !== 0) {
    throw new MdlError(ErrorCode.ERR_RESPONSE_STATUS, 'The DeviceResponse status is not OK', {
      details: { status: report.responseStatus },
    });
  }
  for (const [index, doc] of report.documents.entries()) {
    for (const check of doc.checks) {
      if (check.status === 'failed') {
        throw new MdlError(check.code ?? ErrorCode.ERR_NOT_VERIFIED, check.message, {
          details: { ...check.details, document: index, check: check.id },
        });
      }
    }
  }
  throw new MdlError(ErrorCode.ERR_NOT_VERIFIED, 'The DeviceResponse contains no verified document', {
    details: { documents: report.documents.length },
  });
}
