/** AWS Private CA flows for mDL IACA and document signer certificates. */
export const packageName = '@mdlkit/aws-acm-pca' as const;
