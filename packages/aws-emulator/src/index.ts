/** Local AWS KMS + ACM-PCA emulator speaking the AWS JSON 1.1 protocol. */
export const packageName = '@mdlkit/aws-emulator' as const;
