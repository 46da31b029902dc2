/** Issue mdocs: IssuerSignedItems, Mobile Security Objects, IssuerAuth, batches, status lists. */
export const packageName = '@mdlkit/issuer' as const;
