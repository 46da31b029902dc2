import type { CborDecodeOptions, CborDeviation } from '@mdlkit/core/cbor';
import type { CoseSign1 } from '@mdlkit/core/cose';
import type { MdlError } from '@mdlkit/core/errors';
import type { Document, IssuerSignedItem, MobileSecurityObject } from '@mdlkit/core/mdoc';
import type { ReceivedSessionTranscript } from '@mdlkit/core/session';
import type { CertificatePathResult } from '@mdlkit/pki';
import type { ReaderLimits } from '../device-response/limits.js';
import type { VerifyDeviceResponseOptions } from '../device-response/options.js';
import type { CheckRecorder } from '../internal/check-recorder.js';
import type { CheckId } from '../report/check-ids.js';
import type { ElementSource, Finding } from '../report/report.js';

/** A CBOR decode under the verification's limits and leniency options. Internal. */
export type Decode = (bytes: Uint8Array) => unknown;

/** What one `verifyDeviceResponse` call shares between its documents. Internal. */
export interface VerifyContext {
  readonly options: VerifyDeviceResponseOptions;
  readonly limits: ReaderLimits;
  /** The CBOR options of this call, with its one budget: every decode of the call uses them. */
  readonly cbor: CborDecodeOptions;
  /** True when the call uses the default limits and decoding (so the MSO memo may be used). */
  readonly memoizable: boolean;
  readonly now: Date;
  readonly skewMs: number;
  readonly decode: Decode;
  /** The effective policy of the call. */
  readonly policy: 'strict' | 'interop';
  /** Encoding deviations tolerated so far in this call, by kind (the decoder's `onTolerated`). */
  readonly tolerated: Map<CborDeviation, number>;
  /** The caller's transcript read once per call, as given (or the error reading it raised). */
  readonly transcript: ReceivedSessionTranscript | MdlError | null;
}

/** One disclosed element while the checks run; its `verified` is derived after the last check. */
export interface ElementRecord {
  readonly nameSpace: string;
  readonly identifier: string;
  readonly value: unknown;
  readonly source: ElementSource;
  /** The received IssuerSignedItem (issuer-signed elements only). */
  readonly item?: IssuerSignedItem;
}

/**
 * The state of one document as its checks run, in order. Earlier checks leave what later ones
 * need (`path`, `deviceAuthMethod`); element-level checks name the elements whose own protection
 * did not hold in `unprotected`. Internal.
 */
export interface DocumentState {
  readonly ctx: VerifyContext;
  readonly doc: Document;
  readonly issuerAuth: CoseSign1;
  readonly chain: readonly Uint8Array[] | undefined;
  readonly mso: MobileSecurityObject;
  readonly elements: readonly ElementRecord[];
  /** Elements an element-level check found unprotected (digest mismatch, not authorised). */
  readonly unprotected: Set<ElementRecord>;
  /** The DS certificate path, once `ds-certificate-path` could validate one. */
  path: CertificatePathResult | undefined;
  /** Every finding of this document's checks (certificate path, tolerated deviations, schema). */
  readonly findings: Finding[];
  /** The findings about single elements (also in {@link DocumentState.findings}), shown on their own entries. */
  readonly elementFindings: Map<ElementRecord, Finding[]>;
  /** How the mdoc authenticated, once `device-auth` passed. */
  deviceAuthMethod: 'signature' | 'mac' | undefined;
}

/**
 * One check of ISO/IEC 18013-5 §9.3 for one document. The document verdict and every element's
 * `verified` are derived from the same ordered list of these ({@link DOCUMENT_CHECKS}): a check
 * that fails makes the document and every element it `protects` unverified; a `required` check
 * must pass (a skip does not count). Internal.
 */
export interface DocumentCheck {
  readonly id: CheckId;
  /** The check must pass (not merely not fail) for the document and its elements to verify. */
  readonly required: boolean;
  /** Which elements a failure of this check makes unverified. */
  readonly protects: 'all-elements' | 'listed-elements';
  /** Runs the check and records its single outcome on `r`. */
  run(state: DocumentState, r: CheckRecorder): void | Promise<void>;
}
