/** Vector manifests, generated vectors, negative catalogue and the fuzzer. */
export const packageName = '@mdlkit/test-vectors' as const;
