import { bytesEqual, CborBudget, type CborDeviation, decodeCbor } from '@mdlkit/core/cbor';
import type { CoseSign1 } from '@mdlkit/core/cose';
import { getX5Chain, parseCoseSign1 } from '@mdlkit/core/cose';
import { ErrorCode, isMdlError, MdlError } from '@mdlkit/core/errors';
import {
  type Document,
  type DocumentErrors,
  decodeDeviceResponse,
  decodeMobileSecurityObjectBytes,
  type MdocDecodeOptions,
  type MobileSecurityObject,
} from '@mdlkit/core/mdoc';
import { type ReceivedSessionTranscript, readSessionTranscript } from '@mdlkit/core/session';
import {
  DOCUMENT_CHECKS,
  deriveElements,
  documentVerified,
  runDocumentChecks,
} from '../checks/document-checks.js';
import type { Decode, DocumentState, ElementRecord, VerifyContext } from '../checks/document-state.js';
import { recordUniqueElements } from '../checks/unique-elements.js';
import { MSO_MEMO_MAX_BYTES, msoMemo } from '../internal/caches.js';
import { CheckRecorder } from '../internal/check-recorder.js';
import { isLimitCode } from '../internal/limit-codes.js';
import { CheckId } from '../report/check-ids.js';
import type {
  DocumentErrorEntry,
  DocumentReport,
  Finding,
  TranscriptSummary,
  VerificationReport,
} from '../report/report.js';
import { DEFAULT_READER_LIMITS, type ReaderLimits } from './limits.js';
import type { VerifyDeviceResponseOptions } from './options.js';
import { effectivePolicy } from './policy.js';

function parseTranscriptOnce(
  input: VerifyDeviceResponseOptions['sessionTranscript'],
): ReceivedSessionTranscript | MdlError | null {
  if (input === null) return null;
  try {
    return readSessionTranscript(input);
  } catch (error) {
    if (isMdlError(error)) return error;
    throw error;
  }
}

function resolveLimits(partial: Partial<ReaderLimits> | undefined): ReaderLimits {
  if (partial === undefined) return DEFAULT_READER_LIMITS;
  const limits = { ...DEFAULT_READER_LIMITS, ...partial };
  for (const [name, value] of Object.entries(limits)) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw new MdlError(ErrorCode.ERR_INVALID_ARGUMENT, 'limits must be non-negative integers', {
        details: { limit: name },
      });
    }
  }
  return limits;
}

/**
 * The decode options of one verification: the reader's limits, the caller's leniency options, and one
 * {@link CborBudget} for the whole response — every tag-24 item, COSE header and MSO payload decoded
 * while verifying counts its items, bytes and depth against the same limits as the response — and
 * core/mdoc's verifier rules with the reader's count limits. One object (one shape) for every decode.
 */
function makeCborOptions(
  limits: ReaderLimits,
  decoding: VerifyDeviceResponseOptions['decoding'],
  policy: 'strict' | 'interop',
  tolerated: Map<CborDeviation, number>,
): MdocDecodeOptions {
  // The policy sets each leniency; an explicit `decoding` value overrides it.
  const lenient = policy === 'interop';
  return {
    rules: 'verifier',
    limits: {
      maxDocuments: limits.maxDocuments,
      maxNameSpaces: limits.maxNameSpaces,
      maxElements: limits.maxElements,
    },
    maxInputSize: limits.maxInputSize,
    maxDepth: limits.maxDepth,
    maxItems: limits.maxItems,
    maxStringLength: limits.maxStringLength,
    budget: new CborBudget({ maxBytes: limits.maxDecodedBytes }),
    allowNonPreferred: decoding?.allowNonPreferred ?? lenient,
    allowIndefinite: decoding?.allowIndefinite ?? lenient,
    lenientDates: decoding?.lenientDates ?? lenient,
    onTolerated: (deviation) => tolerated.set(deviation, (tolerated.get(deviation) ?? 0) + 1),
  };
}

function checkOptions(options: VerifyDeviceResponseOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new MdlError(ErrorCode.ERR_INVALID_ARGUMENT, 'options are required');
  }
  if (options.trust === undefined || typeof options.trust.findIssuers !== 'function') {
    throw new MdlError(ErrorCode.ERR_INVALID_ARGUMENT, 'options.trust must be a TrustStore');
  }
  if (options.now !== undefined && (!(options.now instanceof Date) || Number.isNaN(options.now.getTime()))) {
    throw new MdlError(ErrorCode.ERR_INVALID_ARGUMENT, 'options.now must be a valid Date');
  }
  const skew = options.clockSkewSeconds;
  if (skew !== undefined && (typeof skew !== 'number' || !Number.isFinite(skew) || skew < 0)) {
    throw new MdlError(ErrorCode.ERR_INVALID_ARGUMENT, 'clockSkewSeconds must be a non-negative number');
  }
  if (options.sessionTranscript === undefined) {
    throw new MdlError(
      ErrorCode.ERR_INVALID_ARGUMENT,
      'options.sessionTranscript is required (pass null to skip device authentication explicitly)',
    );
  }
}

/**
 * Verifies a DeviceResponse and reports every check of every document, in the normative order of
 * ISO/IEC 18013-5 §9.3.1 (issuer data authentication), §9.3.3 (certificate validation) and §9.3.2
 * (mdoc authentication):
 *
 * 1. the DS certificate from the IssuerAuth `x5chain` (either header bucket) chains to a trust
 *    anchor under `policy` / `ruleset` (`ds-certificate-path`) and is valid at `now`
 *    (`ds-certificate-validity`);
 * 2. the IssuerAuth signature (alg protected and allowed; tagged or untagged COSE_Sign1);
 * 3. the digest of every received IssuerSignedItemBytes, over the bytes as received;
 * 4. MSO docType equals Document docType;
 * 5. MSO validity at `now` ± skew, and `signed` within the DS validity;
 * 6. `issuing_country` / `issuing_jurisdiction` against the DS certificate **subject**;
 * 7. DeviceSignature or DeviceMac over DeviceAuthenticationBytes built from the caller's
 *    SessionTranscript, and keyAuthorizations for device-signed elements;
 * 8. when asked: DS revocation (CRL) and MSO revocation (status list / identifier list).
 *
 * A malformed response envelope (CBOR, structure) and any exceeded limit throw; otherwise the call
 * yields a report. A document whose IssuerAuth COSE_Sign1, x5chain or MSO is malformed (but within
 * the limits) fails alone: its `issuer-auth-signature` check fails with the error's code, the checks
 * that need the IssuerAuth are `skipped` with that code, and the other documents are verified
 * normally. The response `status` and `documentErrors` are reported as data.
 *
 * ```cddl
 * DeviceResponse = { "version" : tstr, ? "documents" : [+ Document],
 *   ? "documentErrors" : [+ DocumentError], "status" : uint }
 * ```
 *
 * @example
 * ```ts
 * const report = await verifyDeviceResponse(deviceResponseBytes, {
 *   trust: new TrustStore([iacaPem]), sessionTranscript, eReaderKey, now: new Date(),
 * });
 * if (!report.verified) console.log(report.documents[0]?.checks.filter((c) => c.status === 'failed'));
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` (options), `ERR_LIMIT_*` and the CBOR limit
 *   codes, `ERR_CBOR_*` / `ERR_STRUCTURE_INVALID` for a malformed response envelope or document. Never a
 *   `TypeError` or other untyped error: anything unexpected is wrapped as `ERR_INTERNAL`.
 */
export async function verifyDeviceResponse(
  bytes: Uint8Array,
  options: VerifyDeviceResponseOptions,
): Promise<VerificationReport> {
  try {
    return await verify(bytes, options);
  } catch (error) {
    if (isMdlError(error)) throw error;
    throw new MdlError(ErrorCode.ERR_INTERNAL, 'unexpected error while verifying the DeviceResponse', {
      cause: error,
    });
  }
}

async function verify(bytes: Uint8Array, options: VerifyDeviceResponseOptions): Promise<VerificationReport> {
  checkOptions(options);
  if (!(bytes instanceof Uint8Array)) {
    throw new MdlError(ErrorCode.ERR_INVALID_ARGUMENT, 'the DeviceResponse must be a Uint8Array');
  }
  const limits = resolveLimits(options.limits);
  if (bytes.length > limits.maxInputSize) {
    throw new MdlError(ErrorCode.ERR_LIMIT_INPUT_SIZE, 'the DeviceResponse is larger than allowed', {
      details: { limit: limits.maxInputSize, actual: bytes.length },
    });
  }
  const policy = effectivePolicy(options.policy);
  const tolerated = new Map<CborDeviation, number>();
  const cbor = makeCborOptions(limits, options.decoding, policy, tolerated);
  const decode: Decode = (b) => decodeCbor(b, cbor);
  // core/mdoc reads every structure under the verifier rules, the reader's limits and this call's
  // one budget (the options carry it into every tag-24 item and COSE header).
  const response = decodeDeviceResponse(bytes, cbor);
  const ctx: VerifyContext = {
    options,
    limits,
    cbor,
    memoizable: options.limits === undefined && options.decoding === undefined,
    policy,
    tolerated,
    now: options.now ?? new Date(),
    skewMs: (options.clockSkewSeconds ?? 0) * 1000,
    decode,
    transcript: parseTranscriptOnce(options.sessionTranscript),
  };
  const documents: DocumentReport[] = [];
  for (const doc of response.documents ?? []) documents.push(await verifyDocument(doc, ctx));
  const findings = toleratedFindings(tolerated);
  if (
    ctx.transcript !== null &&
    !(ctx.transcript instanceof MdlError) &&
    ctx.transcript.recognised.length === 0
  ) {
    findings.push(transcriptFinding(ctx.transcript));
  }
  return {
    verified: response.status === 0 && documents.length > 0 && documents.every((d) => d.verified),
    deviceAuthenticated: documents.length > 0 && documents.every((d) => d.deviceAuthenticated),
    version: response.version,
    responseStatus: response.status,
    documents,
    documentErrors: documentErrorEntries(response.documentErrors),
    policy,
    findings,
    ...(ctx.transcript === null || ctx.transcript instanceof MdlError
      ? {}
      : { sessionTranscript: summariseTranscript(ctx.transcript) }),
  };
}

/** `documentErrors` as the report lists them: one entry per `DocType => ErrorCode`. */
function documentErrorEntries(
  list: readonly ReadonlyMap<string, number>[] | undefined,
): DocumentErrorEntry[] {
  const out: DocumentErrorEntry[] = [];
  for (const entry of list ?? []) for (const [docType, errorCode] of entry) out.push({ docType, errorCode });
  return out;
}

/** `Document.errors` as the report lists them: one entry per element the mdoc did not return. */
function elementErrorEntries(errors: DocumentErrors | undefined): DocumentReport['errors'] {
  const out: { nameSpace: string; identifier: string; errorCode: number }[] = [];
  for (const [nameSpace, items] of errors ?? []) {
    for (const [identifier, errorCode] of items) out.push({ nameSpace, identifier, errorCode });
  }
  return out;
}

const DEVIATION_FINDINGS: Record<CborDeviation, { code: ErrorCode; what: string }> = {
  'non-preferred': {
    code: ErrorCode.ERR_CBOR_NON_PREFERRED,
    what: 'CBOR arguments or lengths not in preferred (shortest) encoding (18013-5 §8.1 / RFC 8949 §4.2.1 "shall")',
  },
  'indefinite-length': {
    code: ErrorCode.ERR_CBOR_INDEFINITE_LENGTH,
    what: 'indefinite-length CBOR items (18013-5 §8.1 "shall not")',
  },
  'tdate-form': {
    code: ErrorCode.ERR_TDATE_FORM,
    what: 'tdates with fractional seconds or an offset (18013-5 §9.1.2.4: YYYY-MM-DDTHH:MM:SSZ)',
  },
};

/** One warning per kind of tolerated encoding deviation, with how often it occurred. */
function toleratedFindings(tolerated: ReadonlyMap<CborDeviation, number>): Finding[] {
  const out: Finding[] = [];
  for (const [deviation, count] of tolerated) {
    const { code, what } = DEVIATION_FINDINGS[deviation];
    out.push({
      code,
      severity: 'warning',
      source: 'cbor',
      message: `tolerated ${count} × ${what}; digests and signatures were checked over the bytes as received`,
      details: { deviation, count },
    });
  }
  return out;
}

/** The information line on a transcript whose handover no catalogue entry recognises. */
function transcriptFinding(t: ReceivedSessionTranscript): Finding {
  const summary = summariseTranscript(t);
  return {
    code: ErrorCode.ERR_HANDOVER_UNRECOGNISED,
    severity: 'info',
    source: 'transcript',
    message: [summary.message, ...summary.notes].join('; '),
    details: { handover: summary.handover, shape: summary.shape },
  };
}

/** What the report says about the caller's transcript: which handover it is, or its shape. */
function summariseTranscript(t: ReceivedSessionTranscript): TranscriptSummary {
  const entry = t.recognised[0];
  return {
    handover: entry?.id ?? 'unrecognised',
    shape: t.shape,
    message:
      entry === undefined
        ? `the SessionTranscript handover is not one the catalogue models (${t.shape}); DeviceAuthenticationBytes were built from the transcript as given`
        : `the SessionTranscript uses the ${entry.title} (${entry.source})`,
    notes: t.notes,
  };
}

// Recently read MSOs by a sampled hash of their bytes, in the reader's caches module; each hit is
// confirmed byte by byte.

/** Length and 64 evenly spaced bytes: picks a memo candidate, never decides equality. */
function sampleHash(bytes: Uint8Array): number {
  const n = bytes.length;
  let h = Math.imul(0x811c9dc5 ^ n, 0x01000193);
  const step = Math.max(1, Math.floor(n / 64));
  for (let i = n - 1; i >= 0; i -= step) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

/**
 * The MSO of an IssuerAuth payload (core's `decodeMobileSecurityObjectBytes` under the verifier
 * rules), remembered for the default decode: the MobileSecurityObject of one mdoc is the
 * same bytes at every presentation until it is re-issued, and its reading (CBOR decode, digest maps,
 * dates, the device key) is a pure function of those bytes. The signature over them, the value
 * digests and the device signature are still checked on every call. The memo keeps a private copy
 * of the payload (compared in full on every hit) and the decoded MSO, whose byte strings own their
 * buffers (decoded values never share the caller's response). Only MSOs read under the default limits and decoding are kept, only up
 * to {@link MSO_MEMO_MAX_BYTES} each, and only from their second reading on (the memo's
 * second-sighting admission), so holders seen once do not churn it.
 */
function readMsoMemo(payload: Uint8Array | null, ctx: VerifyContext): MobileSecurityObject {
  if (payload === null || !ctx.memoizable || payload.length > MSO_MEMO_MAX_BYTES) {
    return readMso(payload, ctx.cbor);
  }
  const h = sampleHash(payload);
  const hit = msoMemo.get(h);
  // A memo entry read with tolerated deviations is only reused under a policy that tolerates them,
  // and replays them, so every report says what it tolerated.
  if (
    hit !== undefined &&
    bytesEqual(hit.bytes, payload) &&
    (hit.tolerated.length === 0 || ctx.policy === 'interop')
  ) {
    for (const d of hit.tolerated) ctx.tolerated.set(d, (ctx.tolerated.get(d) ?? 0) + 1);
    return hit.mso;
  }
  // Every call reaching here is a miss (at a gate, nearly every one a first sighting the memo does
  // not keep): nothing is copied here (the memo copies what it keeps), and the tolerated deviations
  // are counted without a copy of the map when none were noted before.
  const before = ctx.tolerated.size === 0 ? undefined : new Map(ctx.tolerated);
  const mso = readMso(payload, ctx.cbor);
  const tolerated: CborDeviation[] = [];
  for (const [d, n] of ctx.tolerated) for (let i = before?.get(d) ?? 0; i < n; i++) tolerated.push(d);
  msoMemo.set(h, { bytes: payload, mso, tolerated });
  return mso;
}

function readMso(payload: Uint8Array | null, options: MdocDecodeOptions): MobileSecurityObject {
  return decodeMobileSecurityObjectBytes(payload, options).mso;
}

function readX5Chain(issuerAuth: CoseSign1, limits: ReaderLimits): readonly Uint8Array[] | undefined {
  const chain = getX5Chain(issuerAuth);
  if (chain === undefined) return undefined;
  if (chain.certificates.length > limits.maxX5chainLength) {
    throw new MdlError(ErrorCode.ERR_LIMIT_X5CHAIN_LENGTH, 'the x5chain has more certificates than allowed', {
      details: { limit: limits.maxX5chainLength, actual: chain.certificates.length },
    });
  }
  for (const cert of chain.certificates) {
    if (cert.length > limits.maxCertificateSize) {
      throw new MdlError(
        ErrorCode.ERR_LIMIT_CERTIFICATE_SIZE,
        'an x5chain certificate is larger than allowed',
        {
          details: { limit: limits.maxCertificateSize, actual: cert.length },
        },
      );
    }
  }
  return chain.certificates;
}

/**
 * The report of a document whose IssuerAuth (COSE_Sign1, x5chain or MSO) could not be read: the
 * IssuerAuth signature check fails with the reading error's code, every other check that needs the
 * IssuerAuth is skipped with that code, uniqueness is still checked, and no element is verified.
 * Other documents of the response are unaffected.
 */
function unreadableIssuerAuthReport(
  doc: Document,
  r: CheckRecorder,
  error: MdlError,
  ctx: VerifyContext,
): DocumentReport {
  const elements = collectElements(doc);
  const revocationAsked = ctx.options.revocation !== undefined;
  for (const check of DOCUMENT_CHECKS) {
    if (check.id === CheckId.ISSUER_AUTH_SIGNATURE) {
      r.fail(check.id, error.code, `the IssuerAuth could not be read: ${error.message}`, error.details);
    } else if (check.id === CheckId.UNIQUE_ELEMENTS) {
      recordUniqueElements(elements, r);
    } else if (check.id === CheckId.DS_REVOCATION && !revocationAsked) {
      r.skip(check.id, 'no CRL was given');
    } else if (check.id === CheckId.MSO_REVOCATION && !revocationAsked) {
      r.skip(check.id, 'MSO revocation was not requested');
    } else {
      r.skip(check.id, 'the IssuerAuth could not be read', error.code);
    }
  }
  return {
    docType: doc.docType,
    verified: false,
    deviceAuthenticated: false,
    findings: [],
    checks: r.checks,
    elements: deriveElements(elements, new Set(), r),
    errors: elementErrorEntries(doc.errors),
  };
}

/** The disclosed elements of a document, issuer-signed first, in received order. */
function collectElements(doc: Document): ElementRecord[] {
  const elements: ElementRecord[] = [];
  for (const [nameSpace, items] of doc.issuerSigned.nameSpaces ?? []) {
    for (const item of items) {
      elements.push({
        nameSpace,
        identifier: item.elementIdentifier,
        value: item.elementValue,
        source: 'issuer',
        item,
      });
    }
  }
  for (const [nameSpace, items] of doc.deviceSigned.nameSpaces) {
    for (const [identifier, value] of items) {
      elements.push({ nameSpace, identifier, value, source: 'device' });
    }
  }
  return elements;
}

/**
 * Verifies one document: reads its IssuerAuth, runs {@link DOCUMENT_CHECKS} in order, and derives the
 * document verdict and every element's `verified` from that one list.
 */
async function verifyDocument(doc: Document, ctx: VerifyContext): Promise<DocumentReport> {
  const r = new CheckRecorder();
  let issuerAuth: CoseSign1;
  let chain: readonly Uint8Array[] | undefined;
  let mso: MobileSecurityObject;
  try {
    issuerAuth = parseCoseSign1(doc.issuerSigned.issuerAuth, ctx.cbor);
    chain = readX5Chain(issuerAuth, ctx.limits);
    mso = readMsoMemo(issuerAuth.payload, ctx);
  } catch (error) {
    // Resource guards stop the whole response; a malformed IssuerAuth or MSO fails this document only.
    if (!isMdlError(error) || isLimitCode(error.code)) throw error;
    return unreadableIssuerAuthReport(doc, r, error, ctx);
  }
  const state: DocumentState = {
    ctx,
    doc,
    issuerAuth,
    chain,
    mso,
    elements: collectElements(doc),
    unprotected: new Set(),
    path: undefined,
    findings: [],
    elementFindings: new Map(),
    deviceAuthMethod: undefined,
  };
  await runDocumentChecks(state, r);
  const { path, deviceAuthMethod } = state;
  return {
    docType: doc.docType,
    verified: documentVerified(r),
    deviceAuthenticated: r.status(CheckId.DEVICE_AUTH) === 'passed',
    findings: state.findings,
    checks: r.checks,
    elements: deriveElements(state.elements, state.unprotected, r, state.elementFindings),
    errors: elementErrorEntries(doc.errors),
    validity: {
      signed: mso.validityInfo.signed.value,
      validFrom: mso.validityInfo.validFrom.value,
      validUntil: mso.validityInfo.validUntil.value,
      ...(mso.validityInfo.expectedUpdate ? { expectedUpdate: mso.validityInfo.expectedUpdate.value } : {}),
    },
    ...(path ? { dsSubject: path.leaf.subject.text } : {}),
    ...(deviceAuthMethod ? { deviceAuthMethod } : {}),
  };
}
