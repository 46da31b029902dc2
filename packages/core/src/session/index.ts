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
  type Handover,
  HandoverIdentifier,
  type HandoverKind,
  type IsoDcApiHandover,
  type NfcHandover,
  type OpenId4VpDcApiHandover,
  type OpenId4VpHandover,
  type QrHandover,
} from './handover.js';
export {
  buildIsoDcApiHandover,
  buildOpenId4VpDcApiHandover,
  buildOpenId4VpHandover,
  type IsoDcApiHandoverInfo,
  jwkSha256Thumbprint,
  type OpenId4VpDcApiHandoverInfo,
  type OpenId4VpHandoverInfo,
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
  type SessionTranscript,
  toSessionTranscript,
} from './session-transcript.js';
