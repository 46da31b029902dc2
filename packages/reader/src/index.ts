/** Verify what a wallet presents and report every check. */
export const packageName = '@mdlkit/reader' as const;
