import type { CoseAlg, PrivateKey } from '@mdlkit/core/crypto';
import type { SessionTranscriptInput } from '@mdlkit/core/session';
import type { TrustStore } from '@mdlkit/pki';
import type { RevocationOptions } from '../revocation/revocation-options.js';
import type { ReaderLimits } from './limits.js';
import type { VerificationPolicy } from './policy.js';

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
  /**
   * `interop` (default, {@link DEFAULT_VERIFICATION_POLICY}) reports the "shall" deviations of 18013-5
   * and Annex B (encodings, tdate form, profile, missing mdlDS EKU, attached DeviceSignature payload)
   * as warnings with their own codes; `strict` fails them. Security rules hold under both (see
   * {@link VerificationPolicy}). `lenient` is the earlier name of `interop`.
   */
  readonly policy?: VerificationPolicy;
  /** Certificate rules: `iso` (default) or `aamva` (stateOrProvinceName required). */
  readonly ruleset?: 'iso' | 'aamva';
  /** Revocation checks to run (none by default). */
  readonly revocation?: RevocationOptions;
  /** Resource limits; unspecified ones use {@link DEFAULT_READER_LIMITS}. */
  readonly limits?: Partial<ReaderLimits>;
  /**
   * Decoding leniency for peers that do not emit preferred CBOR. The default follows `policy`: all
   * three on under `interop` (each tolerated deviation is a warning in `report.findings`), all off
   * under `strict` (the deviation fails with its `ERR_CBOR_*` code). A value given here overrides the
   * policy's. Digests and signatures still cover the bytes as received, so leniency never lets a
   * changed value verify; it only admits encodings the spec says must not be sent. Duplicate keys,
   * trailing bytes and invalid UTF-8 are never accepted.
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
