/** Benchmarks against peers and raw crypto limits. */
export const packageName = '@mdlkit/bench' as const;
