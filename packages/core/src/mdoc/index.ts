/**
 * @module
 * `@mdlkit/core/mdoc`: the mdoc data model of ISO/IEC 18013-5 (DeviceEngagement, DeviceRequest,
 * DeviceResponse, IssuerSigned, DeviceSigned, the MSO) — parse and encode together, tag-24 items kept as
 * received — and the mDL namespace schema.
 */
export {
  CIPHER_SUITE_1,
  DeviceResponseStatus,
  DeviceRetrievalType,
  MDL_DOCTYPE,
  MDL_NAMESPACE,
  MsoDigestAlgorithm,
} from './constants.js';
export {
  type BleOptions,
  bleOptions,
  type DeviceEngagement,
  type DeviceRetrievalMethod,
  decodeDeviceEngagement,
  deviceEngagementToCbor,
  deviceEngagementToUri,
  type EngagementSecurity,
  encodeDeviceEngagement,
  type NfcOptions,
  nfcOptions,
  parseDeviceEngagement,
  parseDeviceEngagementUri,
  type ReceivedDeviceEngagement,
  type WifiOptions,
  wifiOptions,
} from './device-engagement.js';
export {
  createDocRequest,
  DEVICE_REQUEST_CBOR,
  type DeviceRequest,
  type DeviceRequestInfo,
  type DocRequest,
  decodeDeviceRequest,
  deviceRequestInfoToCbor,
  deviceRequestToCbor,
  encodeDeviceRequest,
  type ItemsRequest,
  itemsRequestToCbor,
  parseDeviceRequest,
  parseDeviceRequestInfo,
  parseDocRequest,
  parseItemsRequest,
  type RequestedNameSpaces,
  type UseCase,
} from './device-request.js';
export {
  type DeviceResponse,
  type Document,
  type DocumentErrors,
  decodeDeviceResponse,
  deviceResponseToCbor,
  documentToCbor,
  encodeDeviceResponse,
  parseDeviceResponse,
  parseDocument,
} from './device-response.js';
export {
  type DeviceAuth,
  type DeviceNameSpaces,
  type DeviceSigned,
  deviceSignedToCbor,
  encodeDeviceNameSpaces,
  parseDeviceAuth,
  parseDeviceSigned,
} from './device-signed.js';
export { type CoseMessageCbor, checkVersion } from './internal/structure.js';
export {
  createIssuerSignedItem,
  decodeIssuerSigned,
  encodeIssuerSigned,
  type IssuerNameSpaces,
  type IssuerSigned,
  type IssuerSignedItem,
  type IssuerSignedItemFields,
  issuerSignedToCbor,
  parseIssuerNameSpaces,
  parseIssuerSigned,
  parseIssuerSignedItem,
} from './issuer-signed.js';
export {
  MDL_ELEMENTS,
  MDL_EYE_COLOURS,
  MDL_HAIR_COLOURS,
  MDL_SEX_CODES,
  type MdlElementFinding,
  type MdlElementSpec,
  type MdlElementType,
  mdlElementSpec,
  type ValidateMdlElementsOptions,
  validateMdlElements,
} from './mdl-schema.js';
export {
  type DeviceKeyInfo,
  decodeMobileSecurityObjectBytes,
  encodeMobileSecurityObject,
  encodeMobileSecurityObjectBytes,
  type KeyAuthorizations,
  type MobileSecurityObject,
  type MsoStatus,
  mobileSecurityObjectToCbor,
  parseMobileSecurityObject,
  type ReceivedMobileSecurityObject,
  type ValidityInfo,
  type ValueDigests,
} from './mso.js';
export {
  checkElementType,
  type ElementTypeProblem,
  type ElementValueType,
  KNOWN_NAMESPACE_SCHEMAS,
  type NamespaceSchema,
  namespaceSchema,
} from './namespace-schemas.js';
export {
  DEFAULT_MDOC_LIMITS,
  type MdocDecodeOptions,
  type MdocLimits,
  type MdocParseOptions,
  type MdocRules,
} from './parse-options.js';
