/** The mdlkit CLI: demo, verify, lint-cert, vectors. */
export const packageName = '@mdlkit/cli' as const;
