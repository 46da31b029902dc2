/**
 * @module
 * `@mdlkit/core/session`: SessionTranscript and its handovers, DeviceAuthentication /
 * ReaderAuthentication bytes, session keys (HKDF) and session encryption (AES-256-GCM), §9.1.1 and §9.1.5.
 */
export {
  type BuildDeviceAuthenticationOptions,
  type BuildReaderAuthenticationAllOptions,
  type BuildReaderAuthenticationOptions,
  buildDeviceAuthenticationBytes,
  buildReaderAuthenticationAllBytes,
  buildReaderAuthenticationBytes,
  type SessionTranscriptInput,
} from './authentication-bytes.js';
export {
  type AndroidHandoverV1,
  type BrowserHandoverV1,
  describeCborShape,
  type GoogleWalletHandoverV1,
  type Handover,
  HandoverIdentifier,
  type HandoverKind,
  type IsoAnnexBHandover,
  type IsoDcApiHandover,
  type NfcHandover,
  type OpenId4VpDcApiHandover,
  type OpenId4VpHandover,
  type OpenId4VpPreStandardHandover,
  type QrHandover,
  type UnrecognisedHandover,
} from './handover.js';
export {
  HANDOVER_CATALOGUE,
  type HandoverCatalogueEntry,
  HandoverEntryId,
  recogniseHandover,
} from './handover-catalogue.js';
export {
  type AndroidHandoverV1Info,
  type BrowserHandoverV1Info,
  buildAndroidHandoverV1,
  buildBrowserHandoverV1,
  buildGoogleWalletHandoverV1,
  buildIsoAnnexBHandover,
  buildIsoDcApiHandover,
  buildOpenId4VpDcApiDraftHandover,
  buildOpenId4VpDcApiHandover,
  buildOpenId4VpHandover,
  buildOpenId4VpPreStandardHandover,
  type IsoAnnexBHandoverInfo,
  type IsoDcApiHandoverInfo,
  jwkSha256Thumbprint,
  type OpenId4VpDcApiDraftHandoverInfo,
  type OpenId4VpDcApiHandoverInfo,
  type OpenId4VpHandoverInfo,
  originInfoBytes,
} from './online-handovers.js';
export {
  type EstablishSessionOptions,
  MAX_SESSION_COUNTER,
  type OpenedSessionData,
  SessionEncryption,
  type SessionEncryptionOptions,
  SessionRole,
  sessionIv,
} from './session-encryption.js';
export {
  type DeriveEMacKeyOptions,
  type DeriveSessionKeysOptions,
  deriveEMacKey,
  deriveSessionKeys,
  type SessionKeys,
  type SessionPublicKeyInput,
} from './session-keys.js';
export {
  encodeSessionData,
  encodeSessionEstablishment,
  parseSessionData,
  parseSessionEstablishment,
  type SessionData,
  type SessionEstablishment,
  SessionStatus,
} from './session-messages.js';
export {
  type BuildSessionTranscriptOptions,
  buildSessionTranscript,
  parseSessionTranscript,
  type ReceivedSessionTranscript,
  readSessionTranscript,
  type SessionTranscript,
  toSessionTranscript,
} from './session-transcript.js';
