/** Vector manifests, generated vectors, negative catalogue and the fuzzer. */
export const packageName = '@mdlkit/test-vectors' as const;

export {
  buildVerifierOptions,
  type CaseOptions,
  loadNegativeCases,
  type NegativeCase,
  type NegativeExpectation,
  verifierOptions,
} from './negative/case-format.js';
