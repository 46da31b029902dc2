/**
 * @module
 * The mdoc side: device engagement, selective disclosure, device authentication, session.
 */
export const packageName = '@mdlkit/holder' as const;

export {
  type CreateDeviceSignedOptions,
  type CreatedDeviceSigned,
  createDeviceSigned,
  type DeviceAuthMethod,
} from './device-auth/create-device-auth.js';
export {
  type BleRetrievalOptions,
  type CreateQrEngagementOptions,
  createQrEngagement,
  type QrEngagement,
} from './engagement/create-qr-engagement.js';
export {
  type ParseDeviceRequestOptions,
  type ParsedDeviceRequest,
  type ParsedDocRequest,
  parseDeviceRequest,
  type ReaderAuthResult,
} from './request/parse-device-request.js';
export {
  type AnswerDeviceRequestOptions,
  answerDeviceRequest,
  type DeviceResponseAnswer,
  type DisclosedDocument,
  type DisclosureDecision,
  type DisclosureProposal,
} from './response/answer-device-request.js';
export {
  type ElementSelection,
  type RequestedElements,
  type SelectElementsOptions,
  type SelectedElement,
  selectElements,
  type UnavailableElement,
} from './response/select-elements.js';
export {
  type EstablishedSession,
  MdocSession,
  type MdocSessionOptions,
} from './session/mdoc-session.js';
export {
  type DeviceKeyReference,
  MdocStore,
  parseIssuedMdoc,
  type StoredMdoc,
} from './store/mdoc-store.js';
