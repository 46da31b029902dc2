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
