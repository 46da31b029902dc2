/** ISO/IEC 18013-5 Annex B certificate profiles, builders, linter, path validation, CRL and VICAL. */
export const packageName = '@mdlkit/pki' as const;
