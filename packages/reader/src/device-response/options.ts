import type { CoseAlg, PrivateKey } from '@mdlkit/core/crypto';
import type { SessionTranscriptInput } from '@mdlkit/core/session';
import type { TrustStore } from '@mdlkit/pki';
import type { RevocationOptions } from '../revocation/revocation-options.js';
import type { ReaderLimits } from './limits.js';

/** Options for {@link verifyDeviceResponse}. Every dependency is named; nothing is read from globals. */
export interface VerifyDeviceResponseOptions {
  /** Trust anchors: IACA certificates, pinned DS certificates, or a VICAL-derived store. */
  readonly trust: TrustStore;
  /**
   * The reader's own SessionTranscript (tag-24 SessionTranscriptBytes, bare array bytes, or a
   * parsed transcript). `null` skips device authentication explicitly (the check is reported as
   * `skipped`) — only for callers that verify issuer data alone.
   */
  readonly sessionTranscript: SessionTranscriptInput | null;
  /** The reader's ephemeral private key (EReaderKey), needed when the mdoc answers with DeviceMac. */
  readonly eReaderKey?: PrivateKey;
  /** Time of verification (default: the current time). */
  readonly now?: Date;
  /** Tolerated clock difference for MSO validity, in seconds (default 0). */
  readonly clockSkewSeconds?: number;
  /** `strict` (default) fails on Annex B profile violations; `lenient` reports them as warnings. */
  readonly policy?: 'strict' | 'lenient';
  /** Certificate rules: `iso` (default) or `aamva` (stateOrProvinceName required). */
  readonly ruleset?: 'iso' | 'aamva';
  /** Revocation checks to run (none by default). */
  readonly revocation?: RevocationOptions;
  /** Resource limits; unspecified ones use {@link DEFAULT_READER_LIMITS}. */
  readonly limits?: Partial<ReaderLimits>;
  /**
   * Decoding leniency for peers that do not emit preferred CBOR (default: strict, as 18013-5 §8.1
   * requires). Digests and signatures still cover the bytes as received, so leniency here never
   * lets a changed value verify; it only admits encodings the spec says must not be sent.
   */
  readonly decoding?: {
    /** Accept non-shortest integer / length encodings (`ERR_CBOR_NON_PREFERRED` otherwise). */
    readonly allowNonPreferred?: boolean;
    /** Accept indefinite-length strings, arrays and maps (`ERR_CBOR_INDEFINITE_LENGTH` otherwise). */
    readonly allowIndefinite?: boolean;
    /** Accept tdate with fractional seconds or offsets (`ERR_CBOR_INVALID_TAG_CONTENT` otherwise). */
    readonly lenientDates?: boolean;
  };
  /** IssuerAuth / DeviceSignature algorithms to accept (default ES256, ES384, ES512, EdDSA). */
  readonly allowedAlgorithms?: readonly CoseAlg[];
}
