/** The mdoc side: device engagement, selective disclosure, device authentication, session. */
export const packageName = '@mdlkit/holder' as const;
