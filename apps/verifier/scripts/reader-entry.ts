/**
 * What a relying party's page ships to verify a DeviceResponse in the browser: the reader, the
 * trust store and the WebCrypto provider (chosen by the browser export condition). Measured by
 * `bundle-size.ts`.
 */
export { TrustStore } from '@mdlkit/pki';
export { verifyDeviceResponse } from '@mdlkit/reader';
