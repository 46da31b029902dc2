/** AWS KMS signer (DIGEST mode), key ring and audit log for mdlkit. */
export const packageName = '@mdlkit/aws-kms' as const;
