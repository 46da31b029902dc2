import { bytesEqual, decodeCbor } from '@mdlkit/core/cbor';
import type { CoseSign1 } from '@mdlkit/core/cose';
import { getX5Chain, parseCoseSign1 } from '@mdlkit/core/cose';
import { ErrorCode, isMdlError, MdlError } from '@mdlkit/core/errors';
import { type SessionTranscript, toSessionTranscript } from '@mdlkit/core/session';
import { type CertificatePathResult, type PathFinding, validateCertificatePath } from '@mdlkit/pki';
import { findUnauthorizedElements } from '../device-auth/check-key-authorizations.js';
import { verifyDeviceAuth } from '../device-auth/verify-device-auth.js';
import { CheckRecorder } from '../internal/check-recorder.js';
import {
  type MsoView,
  type ReceivedDocument,
  readDeviceResponse,
  readMso,
} from '../internal/read-device-response.js';
import { verifyIssuerAuthSignature } from '../issuer-auth/verify-issuer-auth.js';
import { verifyValueDigests } from '../issuer-auth/verify-value-digests.js';
import { CheckId } from '../report/check-ids.js';
import type { DisclosedElement, DocumentReport, VerificationReport } from '../report/report.js';
import { checkRevocation } from '../revocation/check-revocation.js';
import { DEFAULT_READER_LIMITS, type ReaderLimits } from './limits.js';
import type { VerifyDeviceResponseOptions } from './options.js';

const TIME_CODES: ReadonlySet<string> = new Set([
  ErrorCode.ERR_X509_EXPIRED,
  ErrorCode.ERR_X509_NOT_YET_VALID,
  ErrorCode.ERR_X509_ISSUER_VALIDITY,
]);

interface Context {
  readonly options: VerifyDeviceResponseOptions;
  readonly limits: ReaderLimits;
  readonly now: Date;
  readonly skewMs: number;
  readonly decode: Decode;
  /** The caller's transcript parsed once per call (or the error parsing it raised). */
  readonly transcript: SessionTranscript | MdlError | null;
}

function parseTranscriptOnce(
  input: VerifyDeviceResponseOptions['sessionTranscript'],
): SessionTranscript | MdlError | null {
  if (input === null) return null;
  try {
    return toSessionTranscript(input);
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

type Decode = (bytes: Uint8Array) => unknown;

/** The CBOR decode of a verification: its limits and the caller's leniency options. */
function makeDecode(limits: ReaderLimits, decoding: VerifyDeviceResponseOptions['decoding']): Decode {
  const cborLimits = {
    maxInputSize: limits.maxInputSize,
    maxDepth: limits.maxDepth,
    maxItems: limits.maxItems,
    maxStringLength: limits.maxStringLength,
    ...(decoding?.allowNonPreferred === true ? { allowNonPreferred: true } : {}),
    ...(decoding?.allowIndefinite === true ? { allowIndefinite: true } : {}),
    ...(decoding?.lenientDates === true ? { lenientDates: true } : {}),
  };
  return (b) => decodeCbor(b, cborLimits);
}

/** The decode for default limits and strict decoding (the common case), built once. */
const DEFAULT_DECODE: Decode = makeDecode(DEFAULT_READER_LIMITS, undefined);

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
  const decode =
    options.limits === undefined && options.decoding === undefined
      ? DEFAULT_DECODE
      : makeDecode(limits, options.decoding);
  const response = readDeviceResponse(decode(bytes), limits);
  const ctx: Context = {
    options,
    limits,
    now: options.now ?? new Date(),
    skewMs: (options.clockSkewSeconds ?? 0) * 1000,
    decode,
    transcript: parseTranscriptOnce(options.sessionTranscript),
  };
  const documents: DocumentReport[] = [];
  for (const doc of response.documents) documents.push(await verifyDocument(doc, ctx));
  return {
    verified: response.status === 0 && documents.length > 0 && documents.every((d) => d.verified),
    version: response.version,
    responseStatus: response.status,
    documents,
    documentErrors: response.documentErrors,
  };
}

const MSO_MEMO_SIZE = 64;
/** Recently read MSOs by a sampled hash of their bytes; each hit is confirmed byte by byte. */
const msoMemo = new Map<number, { readonly bytes: Uint8Array; readonly mso: MsoView }>();

/** Length and 64 evenly spaced bytes: picks a memo candidate, never decides equality. */
function sampleHash(bytes: Uint8Array): number {
  const n = bytes.length;
  let h = Math.imul(0x811c9dc5 ^ n, 0x01000193);
  const step = Math.max(1, Math.floor(n / 64));
  for (let i = n - 1; i >= 0; i -= step) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

/**
 * {@link readMso}, remembered for the default decode: the MobileSecurityObject of one mdoc is the
 * same bytes at every presentation until it is re-issued, and its reading (CBOR decode, digest maps,
 * dates, the device key) is a pure function of those bytes. The signature over them, the value
 * digests and the device signature are still checked on every call. The memo keeps a private copy
 * of the payload (compared in full on every hit) and a view decoded from its own copy, never from
 * the caller's response.
 */
function readMsoMemo(payload: Uint8Array | null, decode: Decode): MsoView {
  if (payload === null || decode !== DEFAULT_DECODE) return readMso(payload, decode);
  const h = sampleHash(payload);
  const hit = msoMemo.get(h);
  if (hit !== undefined && bytesEqual(hit.bytes, payload)) return hit.mso;
  const mso = readMso(payload, decode);
  if (msoMemo.size >= MSO_MEMO_SIZE) msoMemo.clear();
  msoMemo.set(h, { bytes: payload.slice(), mso });
  return mso;
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

/** Error codes that are resource guards: they stop the whole response rather than one document. */
const LIMIT_CODES: ReadonlySet<string> = new Set([
  ErrorCode.ERR_CBOR_INPUT_TOO_LARGE,
  ErrorCode.ERR_CBOR_DEPTH_EXCEEDED,
  ErrorCode.ERR_CBOR_ITEM_COUNT_EXCEEDED,
  ErrorCode.ERR_CBOR_STRING_TOO_LONG,
]);

function isLimitCode(code: string): boolean {
  return code.startsWith('ERR_LIMIT_') || LIMIT_CODES.has(code);
}

/** Checks that need the IssuerAuth COSE_Sign1, its x5chain or the MSO (all but uniqueness). */
const ISSUER_AUTH_DEPENDENT: readonly CheckId[] = [
  CheckId.DS_CERTIFICATE_PATH,
  CheckId.DS_CERTIFICATE_VALIDITY,
  CheckId.ISSUER_AUTH_SIGNATURE,
  CheckId.VALUE_DIGESTS,
  CheckId.DOC_TYPE,
  CheckId.MSO_VALIDITY,
  CheckId.MSO_SIGNED_WITHIN_DS_VALIDITY,
  CheckId.ISSUING_COUNTRY,
  CheckId.ISSUING_JURISDICTION,
  CheckId.DEVICE_AUTH,
  CheckId.KEY_AUTHORIZATIONS,
];

/**
 * The report of a document whose IssuerAuth (COSE_Sign1, x5chain or MSO) could not be read: the
 * IssuerAuth signature check fails with the reading error's code, every check that needs the
 * IssuerAuth is skipped with that code, and no element is verified. Other documents of the
 * response are unaffected.
 */
function unreadableIssuerAuthReport(
  doc: ReceivedDocument,
  r: CheckRecorder,
  error: MdlError,
  ctx: Context,
): DocumentReport {
  for (const id of ISSUER_AUTH_DEPENDENT) {
    if (id === CheckId.ISSUER_AUTH_SIGNATURE) {
      r.fail(id, error.code, `the IssuerAuth could not be read: ${error.message}`, error.details);
    } else {
      r.skip(id, 'the IssuerAuth could not be read', error.code);
    }
  }
  const elements: DisclosedElement[] = [];
  for (const [nameSpace, items] of doc.issuerNameSpaces) {
    for (const item of items) {
      elements.push({
        nameSpace,
        identifier: item.identifier,
        value: item.value,
        source: 'issuer',
        verified: false,
      });
    }
  }
  for (const [nameSpace, items] of doc.deviceNameSpaces) {
    for (const [identifier, value] of items) {
      elements.push({ nameSpace, identifier, value, source: 'device', verified: false });
    }
  }
  checkUnique(r, elements);
  const revocationAsked = ctx.options.revocation !== undefined;
  r.skip(
    CheckId.DS_REVOCATION,
    revocationAsked ? 'the IssuerAuth could not be read' : 'no CRL was given',
    revocationAsked ? error.code : undefined,
  );
  r.skip(
    CheckId.MSO_REVOCATION,
    revocationAsked ? 'the IssuerAuth could not be read' : 'MSO revocation was not requested',
    revocationAsked ? error.code : undefined,
  );
  return { docType: doc.docType, verified: false, checks: r.checks, elements, errors: doc.errors };
}

async function verifyDocument(doc: ReceivedDocument, ctx: Context): Promise<DocumentReport> {
  const { options, now, skewMs } = ctx;
  const r = new CheckRecorder();
  let issuerAuth: CoseSign1;
  let chain: readonly Uint8Array[] | undefined;
  let mso: MsoView;
  try {
    issuerAuth = parseCoseSign1(doc.issuerAuthValue);
    chain = readX5Chain(issuerAuth, ctx.limits);
    mso = readMsoMemo(issuerAuth.payload, ctx.decode);
  } catch (error) {
    // Resource guards stop the whole response; a malformed IssuerAuth or MSO fails this document only.
    if (!isMdlError(error) || isLimitCode(error.code)) throw error;
    return unreadableIssuerAuthReport(doc, r, error, ctx);
  }

  // 1. DS certificate path and validity (§9.3.3).
  let path: CertificatePathResult | undefined;
  if (chain === undefined) {
    r.fail(CheckId.DS_CERTIFICATE_PATH, ErrorCode.ERR_COSE_X5CHAIN_MISSING, 'IssuerAuth carries no x5chain');
    r.skip(CheckId.DS_CERTIFICATE_VALIDITY, 'no DS certificate to check', ErrorCode.ERR_COSE_X5CHAIN_MISSING);
  } else {
    try {
      path = await validateCertificatePath({
        chain,
        trustStore: options.trust,
        now,
        profile: 'ds',
        policy: options.policy ?? 'strict',
        ruleset: options.ruleset ?? 'iso',
        docType: doc.docType,
        maxChainLength: ctx.limits.maxX5chainLength,
      });
    } catch (error) {
      r.failWith(
        CheckId.DS_CERTIFICATE_PATH,
        error,
        ErrorCode.ERR_X509_MALFORMED,
        'the DS certificate is unusable',
      );
      r.skip(
        CheckId.DS_CERTIFICATE_VALIDITY,
        'the DS certificate could not be parsed',
        ErrorCode.ERR_X509_MALFORMED,
      );
    }
    if (path !== undefined) {
      let pathError: PathFinding | undefined;
      let timeError: PathFinding | undefined;
      for (const f of path.findings) {
        if (f.severity !== 'error') continue;
        if (TIME_CODES.has(f.code)) timeError ??= f;
        else pathError ??= f;
      }
      const subject = { subject: path.leaf.subject.text };
      if (pathError) r.fail(CheckId.DS_CERTIFICATE_PATH, pathError.code, pathError.message, subject);
      else r.pass(CheckId.DS_CERTIFICATE_PATH, 'the DS certificate chains to a trust anchor', subject);
      if (timeError) r.fail(CheckId.DS_CERTIFICATE_VALIDITY, timeError.code, timeError.message);
      else r.pass(CheckId.DS_CERTIFICATE_VALIDITY, 'the DS certificate and its anchor are valid now');
    }
  }

  // 2. IssuerAuth signature (§9.3.1 step 2).
  let signatureOk = false;
  if (path?.publicKey === undefined) {
    r.skip(CheckId.ISSUER_AUTH_SIGNATURE, 'no DS public key to verify with', ErrorCode.ERR_X509_MALFORMED);
  } else {
    try {
      await verifyIssuerAuthSignature({
        issuerAuth,
        dsPublicKey: path.publicKey,
        ...(options.allowedAlgorithms ? { allowedAlgorithms: options.allowedAlgorithms } : {}),
      });
      signatureOk = true;
      r.pass(CheckId.ISSUER_AUTH_SIGNATURE, 'the IssuerAuth signature verifies with the DS key');
    } catch (error) {
      r.failWith(
        CheckId.ISSUER_AUTH_SIGNATURE,
        error,
        ErrorCode.ERR_ISSUER_AUTH_SIGNATURE_INVALID,
        'the IssuerAuth signature does not verify',
      );
    }
  }

  // 3. Value digests over the received bytes (§9.3.1 step 3).
  const digests = verifyValueDigests({
    digestAlgorithm: mso.digestAlgorithm,
    valueDigests: mso.valueDigests,
    nameSpaces: doc.issuerNameSpaces,
  });
  const firstDigestFailure = digests.failures[0];
  if (firstDigestFailure) {
    r.fail(CheckId.VALUE_DIGESTS, firstDigestFailure.code, firstDigestFailure.message, {
      ...firstDigestFailure.details,
      failures: digests.failures.length,
    });
  } else {
    let count = 0;
    for (const items of doc.issuerNameSpaces.values()) count += items.length;
    r.pass(CheckId.VALUE_DIGESTS, `all ${count} issuer-signed items match their MSO digests`);
  }

  // 4. docType (§9.3.1 step 4).
  if (mso.docType === doc.docType) r.pass(CheckId.DOC_TYPE, 'the MSO docType equals the document docType');
  else
    r.fail(
      CheckId.DOC_TYPE,
      ErrorCode.ERR_MSO_DOCTYPE_MISMATCH,
      'the MSO docType differs from the document docType',
    );

  // 5. Validity (§9.3.1 step 5).
  const t = now.getTime();
  if (t + skewMs < mso.validFrom.epochMilliseconds) {
    r.fail(CheckId.MSO_VALIDITY, ErrorCode.ERR_MSO_NOT_YET_VALID, 'the MSO is not yet valid', {
      validFrom: mso.validFrom.value,
    });
  } else if (t - skewMs > mso.validUntil.epochMilliseconds) {
    r.fail(CheckId.MSO_VALIDITY, ErrorCode.ERR_MSO_EXPIRED, 'the MSO has expired', {
      validUntil: mso.validUntil.value,
    });
  } else {
    r.pass(CheckId.MSO_VALIDITY, 'the MSO is within its validity period');
  }
  if (path === undefined) {
    r.skip(CheckId.MSO_SIGNED_WITHIN_DS_VALIDITY, 'no DS certificate to compare with');
  } else {
    const signed = mso.signed.epochMilliseconds;
    if (signed < path.leaf.notBefore.getTime() || signed > path.leaf.notAfter.getTime()) {
      r.fail(
        CheckId.MSO_SIGNED_WITHIN_DS_VALIDITY,
        ErrorCode.ERR_MSO_SIGNED_OUTSIDE_DS_VALIDITY,
        'the MSO was signed outside the DS certificate validity',
        { signed: mso.signed.value },
      );
    } else {
      r.pass(CheckId.MSO_SIGNED_WITHIN_DS_VALIDITY, 'the MSO was signed within the DS certificate validity');
    }
  }

  // Elements (needed for the country checks and the report).
  const elements: DisclosedElement[] = [];
  const issuerOk = signatureOk && path?.valid === true;
  for (const [nameSpace, items] of doc.issuerNameSpaces) {
    for (const item of items) {
      elements.push({
        nameSpace,
        identifier: item.identifier,
        value: item.value,
        source: 'issuer',
        // per item, not per identifier: a forged item may reuse the identifier of a genuine one
        verified: issuerOk && digests.matchedItems.has(item),
      });
    }
  }

  // 6. issuing_country / issuing_jurisdiction vs the DS certificate subject (§7.2.1, Table 5).
  checkCountry(r, elements, path);

  // 7. Device authentication (§9.3.2).
  let deviceOk = false;
  let deviceAuthMethod: 'signature' | 'mac' | undefined;
  if (ctx.transcript === null) {
    r.skip(CheckId.DEVICE_AUTH, 'device authentication was not requested (no SessionTranscript given)');
  } else {
    try {
      if (ctx.transcript instanceof MdlError) throw ctx.transcript;
      deviceAuthMethod = await verifyDeviceAuth({
        docType: doc.docType,
        deviceNameSpacesBytes: doc.deviceNameSpacesBytes,
        deviceSignature: doc.deviceSignatureValue,
        deviceMac: doc.deviceMacValue,
        deviceKey: mso.deviceKey,
        sessionTranscript: ctx.transcript,
        eReaderKey: options.eReaderKey,
        ...(options.allowedAlgorithms ? { allowedAlgorithms: options.allowedAlgorithms } : {}),
      });
      deviceOk = true;
      r.pass(
        CheckId.DEVICE_AUTH,
        deviceAuthMethod === 'mac'
          ? 'the DeviceMac verifies'
          : 'the DeviceSignature verifies with the MSO device key',
      );
    } catch (error) {
      r.failWith(
        CheckId.DEVICE_AUTH,
        error,
        ErrorCode.ERR_DEVICE_SIGNATURE_INVALID,
        'device authentication failed',
      );
    }
  }
  const unauthorized = findUnauthorizedElements(
    { nameSpaces: mso.authorizedNameSpaces, dataElements: mso.authorizedDataElements },
    doc.deviceNameSpaces,
  );
  const firstUnauthorized = unauthorized[0];
  if (firstUnauthorized) {
    r.fail(
      CheckId.KEY_AUTHORIZATIONS,
      ErrorCode.ERR_DEVICE_KEY_NOT_AUTHORIZED,
      'a device-signed element is not covered by the MSO keyAuthorizations',
      { nameSpace: firstUnauthorized.nameSpace, elementIdentifier: firstUnauthorized.identifier },
    );
  } else {
    r.pass(CheckId.KEY_AUTHORIZATIONS, 'every device-signed element is authorised');
  }
  const notAuthorized =
    unauthorized.length === 0
      ? undefined
      : new Set(unauthorized.map((u) => `${u.nameSpace}\u0000${u.identifier}`));
  for (const [nameSpace, items] of doc.deviceNameSpaces) {
    for (const [identifier, value] of items) {
      elements.push({
        nameSpace,
        identifier,
        value,
        source: 'device',
        verified:
          issuerOk &&
          deviceOk &&
          (notAuthorized === undefined || !notAuthorized.has(`${nameSpace}\u0000${identifier}`)),
      });
    }
  }
  checkUnique(r, elements);

  // 8. Revocation (Annex B.3.2; ed2 §12.3.6).
  await checkRevocation(r, {
    revocation: options.revocation,
    path,
    mso,
    trust: options.trust,
    now,
    decode: ctx.decode,
  });

  return {
    docType: doc.docType,
    verified: !r.failed,
    checks: r.checks,
    elements,
    errors: doc.errors,
    validity: {
      signed: mso.signed.value,
      validFrom: mso.validFrom.value,
      validUntil: mso.validUntil.value,
      ...(mso.expectedUpdate ? { expectedUpdate: mso.expectedUpdate.value } : {}),
    },
    ...(path ? { dsSubject: path.leaf.subject.text } : {}),
    ...(deviceAuthMethod ? { deviceAuthMethod } : {}),
  };
}

const MDL_NAMESPACE = 'org.iso.18013.5.1';

function checkCountry(
  r: CheckRecorder,
  elements: readonly DisclosedElement[],
  path: CertificatePathResult | undefined,
): void {
  let country: DisclosedElement | undefined;
  let jurisdiction: DisclosedElement | undefined;
  for (const e of elements) {
    if (e.nameSpace !== MDL_NAMESPACE) continue;
    if (e.identifier === 'issuing_country') country ??= e;
    else if (e.identifier === 'issuing_jurisdiction') jurisdiction ??= e;
  }
  const subject = path?.leaf.subject;
  if (country === undefined) {
    r.skip(CheckId.ISSUING_COUNTRY, 'issuing_country was not disclosed');
  } else if (subject === undefined) {
    r.skip(CheckId.ISSUING_COUNTRY, 'no DS certificate to compare with');
  } else if (typeof country.value === 'string' && country.value === subject.country) {
    r.pass(CheckId.ISSUING_COUNTRY, 'issuing_country equals the DS certificate countryName');
  } else {
    r.fail(
      CheckId.ISSUING_COUNTRY,
      ErrorCode.ERR_ISSUING_COUNTRY_MISMATCH,
      'issuing_country differs from the DS certificate subject countryName',
    );
  }
  if (jurisdiction === undefined) {
    r.skip(CheckId.ISSUING_JURISDICTION, 'issuing_jurisdiction was not disclosed');
  } else if (subject === undefined) {
    r.skip(CheckId.ISSUING_JURISDICTION, 'no DS certificate to compare with');
  } else if (subject.stateOrProvince === undefined) {
    r.skip(CheckId.ISSUING_JURISDICTION, 'the DS certificate has no stateOrProvinceName');
  } else if (typeof jurisdiction.value === 'string' && jurisdiction.value === subject.stateOrProvince) {
    r.pass(
      CheckId.ISSUING_JURISDICTION,
      'issuing_jurisdiction equals the DS certificate stateOrProvinceName',
    );
  } else {
    r.fail(
      CheckId.ISSUING_JURISDICTION,
      ErrorCode.ERR_ISSUING_JURISDICTION_MISMATCH,
      'issuing_jurisdiction differs from the DS certificate subject stateOrProvinceName',
    );
  }
}

function checkUnique(r: CheckRecorder, elements: readonly DisclosedElement[]): void {
  // nameSpace → identifiers seen (no per-element key strings).
  const seen = new Map<string, Set<string>>();
  for (const e of elements) {
    let ids = seen.get(e.nameSpace);
    if (ids === undefined) {
      ids = new Set();
      seen.set(e.nameSpace, ids);
    } else if (ids.has(e.identifier)) {
      r.fail(CheckId.UNIQUE_ELEMENTS, ErrorCode.ERR_STRUCTURE_INVALID, 'a data element was returned twice', {
        nameSpace: e.nameSpace,
        elementIdentifier: e.identifier,
      });
      return;
    }
    ids.add(e.identifier);
  }
  r.pass(CheckId.UNIQUE_ELEMENTS, 'no data element was returned twice');
}
