/**
 * @module
 * Shared test fixtures over `@mdlkit/core` alone (private, never published). `@mdlkit/test-utils`
 * depends on the holder and the issuer, so their own tests cannot use it (pnpm and turbo refuse the
 * cycle); what they share with the other packages' tests is here instead.
 */
export { indexOfBytes } from './bytes.js';
export {
  encodeTestDeviceRequest,
  qrSessionTranscript,
  type TestDeviceRequest,
  type TestDocRequest,
  type TestUseCase,
  useCasesInfo,
} from './request.js';
export { ANNEX_D_REQUESTED, annexD, annexDDocument, annexDPem, annexDText, VECTORS } from './vectors.js';
