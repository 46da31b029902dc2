/** Interop tests against peer libraries. */
export const packageName = '@mdlkit/interop' as const;
