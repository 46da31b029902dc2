import type { ErrorCode, MdlErrorDetails } from '@mdlkit/core/errors';
import type { CheckId } from './check-ids.js';

/**
 * Outcome of one check. `undetermined` is only used when the answer could not be obtained
 * (for example revocation information was unavailable) and the caller's policy accepts that;
 * it does not make a document fail.
 */
export type CheckStatus = 'passed' | 'failed' | 'skipped' | 'undetermined';

/** One check of one document, with a sentence a person can read. */
export interface CheckResult {
  /** Stable check id ({@link CheckId}). */
  readonly id: CheckId;
  /** What happened. */
  readonly status: CheckStatus;
  /** Why it failed / was undetermined / was skipped (absent when passed). */
  readonly code?: ErrorCode;
  /** A human sentence; never contains data element values or secrets. */
  readonly message: string;
  /** Non-secret structured context (namespace, digest id, …). */
  readonly details?: MdlErrorDetails;
}

/** Where a disclosed element came from: signed by the issuer (MSO digest) or by the device key. */
export type ElementSource = 'issuer' | 'device';

/**
 * A disclosed data element. `value` is the decoded CBOR value: `FullDate` for tag 1004, `TDate`
 * for tag 0, `Uint8Array` for byte strings (e.g. `portrait`), `Map` for CBOR maps, arrays, etc.
 */
export interface DisclosedElement {
  readonly nameSpace: string;
  readonly identifier: string;
  readonly value: unknown;
  readonly source: ElementSource;
  /**
   * True only when the document passed every check that protects this element (path, validity,
   * IssuerAuth signature, docType, MSO validity, signed within the DS validity, issuing country and
   * jurisdiction, device authentication when requested, uniqueness, revocation) **and** its own
   * protection held: the digest of this very item matched (issuer-signed), or the device key that
   * signed it authenticated and is authorised for it (device-signed), and (under `strict`) its value has
   * the type its namespace schema gives it.
   */
  readonly verified: boolean;
  /**
   * What was found about this very element (also listed in {@link DocumentReport.findings}); absent when
   * nothing was. Under `interop` a value of the wrong schema type stays `verified` (the issuer signed it)
   * and carries an `ERR_DATA_ELEMENT_TYPE` warning here: read the value by its type, not by truthiness.
   */
  readonly findings?: readonly Finding[];
}

/** Summary of the validity window of the MSO (ISO dates, `Z`). */
export interface MsoValiditySummary {
  readonly signed: string;
  readonly validFrom: string;
  readonly validUntil: string;
  readonly expectedUpdate?: string;
}

/**
 * One finding of a verification: a failure, a tolerated deviation (warning) or a note (info). Every
 * certificate-path finding, every tolerated encoding and every schema observation is kept, with its code.
 */
export interface Finding {
  readonly code: ErrorCode;
  readonly severity: 'error' | 'warning' | 'info';
  /** Where it comes from. */
  readonly source: 'cbor' | 'certificate' | 'device-auth' | 'mso' | 'schema' | 'transcript';
  /** A human sentence; never contains data element values or secrets. */
  readonly message: string;
  /** Non-secret structured context (certificate index, lint rule, count, namespace …). */
  readonly details?: MdlErrorDetails;
}

/** The verification result for one `Document` of the response. */
export interface DocumentReport {
  /** `Document.docType` as received. */
  readonly docType: string;
  /** True when no check failed (undetermined and skipped checks do not fail a document). */
  readonly verified: boolean;
  /**
   * True when the mdoc authenticated itself (`device-auth` passed). False when the caller skipped
   * device authentication (`sessionTranscript: null`): the issuer data may verify, but a clone or a
   * replay of the document is not excluded.
   */
  readonly deviceAuthenticated: boolean;
  /** Every check in the normative order, one entry per {@link CheckId}. */
  readonly checks: readonly CheckResult[];
  /** Disclosed elements, issuer-signed first, in received order. */
  readonly elements: readonly DisclosedElement[];
  /** `Document.errors` (elements the mdoc did not return) as data: namespace → identifier → code. */
  readonly errors: readonly { nameSpace: string; identifier: string; errorCode: number }[];
  /** The MSO validity window when the MSO could be read. */
  readonly validity?: MsoValiditySummary;
  /** Subject of the DS certificate (RFC 4514 string) when it could be parsed. */
  readonly dsSubject?: string;
  /**
   * Every finding for this document, in the order found: all certificate-path errors, warnings and
   * notes (each with its code, certificate index and lint rule), tolerated deviations and schema
   * warnings. Warnings never change `verified`; they say what the policy tolerated.
   */
  readonly findings: readonly Finding[];
  /** How the mdoc authenticated: device signature or MAC (absent when DeviceAuth was missing). */
  readonly deviceAuthMethod?: 'signature' | 'mac';
}

/** A `documentErrors` entry of the DeviceResponse: a requested document that was not returned. */
export interface DocumentErrorEntry {
  readonly docType: string;
  readonly errorCode: number;
}

/**
 * What the verification made of the caller's SessionTranscript. It is taken as given (any
 * well-formed CBOR); this is an information line, never a failure.
 */
export interface TranscriptSummary {
  /** The catalogue entry id of the handover (`HandoverEntryId`), or `unrecognised`. */
  readonly handover: string;
  /** The CBOR shape of the handover (types and lengths, never values). */
  readonly shape: string;
  /** A sentence for the report. */
  readonly message: string;
  /** Deviations from ISO/IEC 18013-5 §9.1.5.1 noticed in the transcript. */
  readonly notes: readonly string[];
}

/** The result of {@link verifyDeviceResponse}. */
export interface VerificationReport {
  /** True when the response status is 0, at least one document was returned and every document verified. */
  readonly verified: boolean;
  /** True when every returned document authenticated its holder ({@link DocumentReport.deviceAuthenticated}). */
  readonly deviceAuthenticated: boolean;
  /** `DeviceResponse.version`. */
  readonly version: string;
  /** `DeviceResponse.status` (0 OK, 10 general error, 11 CBOR decoding, 12 CBOR validation). */
  readonly responseStatus: number;
  /** One report per returned document, in received order. */
  readonly documents: readonly DocumentReport[];
  /** `DeviceResponse.documentErrors` as data. */
  readonly documentErrors: readonly DocumentErrorEntry[];
  /** The policy the verification ran under (`strict` or `interop`). */
  readonly policy: 'strict' | 'interop';
  /**
   * Response-level findings: encoding deviations the decoder tolerated (one per kind, with a count)
   * and the note on the SessionTranscript handover.
   */
  readonly findings: readonly Finding[];
  /** The caller's SessionTranscript as understood (absent when device authentication was skipped). */
  readonly sessionTranscript?: TranscriptSummary;
}
