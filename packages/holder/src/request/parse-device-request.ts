import { decodeCbor, type EncodedCbor } from '@mdlkit/core/cbor';
import { type CoseSign1, getX5Chain, parseCoseSign1, verifyCoseSign1 } from '@mdlkit/core/cose';
import { type ErrorCode, isMdlError, MdlError } from '@mdlkit/core/errors';
import {
  type CoseMessageCbor,
  checkVersion,
  DEVICE_REQUEST_CBOR,
  type DeviceRequestInfo,
  type DocRequest,
  parseDeviceRequestInfo,
  parseDeviceRequest as parseDeviceRequestStructure,
  type UseCase,
} from '@mdlkit/core/mdoc';
import {
  buildReaderAuthenticationAllBytes,
  buildReaderAuthenticationBytes,
  type SessionTranscriptInput,
} from '@mdlkit/core/session';
import { type TrustStore, type ValidationPolicy, validateCertificatePath } from '@mdlkit/pki';

/**
 * Outcome of reader authentication for one DocRequest:
 * - `absent`: the request carries no ReaderAuth;
 * - `not-checked`: present, but no transcript / trust store was given to check it;
 * - `verified`: signature valid over ReaderAuthenticationBytes and the reader certificate chains
 *   to a trusted reader root;
 * - `failed`: anything else, with the reason `code`.
 */
export type ReaderAuthResult =
  | { readonly status: 'absent' }
  | { readonly status: 'not-checked'; readonly certificateChain: readonly Uint8Array[] }
  | {
      readonly status: 'verified';
      readonly certificateChain: readonly Uint8Array[];
      /** The reader certificate's subject commonName (for the consent screen). */
      readonly readerName: string | undefined;
    }
  | { readonly status: 'failed'; readonly code: ErrorCode; readonly certificateChain: readonly Uint8Array[] };

/** One parsed DocRequest. */
export interface ParsedDocRequest {
  readonly index: number;
  readonly docType: string;
  /** namespace → element → IntentToRetain. */
  readonly nameSpaces: ReadonlyMap<string, ReadonlyMap<string, boolean>>;
  /** ItemsRequestBytes exactly as received. */
  readonly itemsRequestBytes: EncodedCbor;
  /** `requestInfo` as decoded, if present (ed2 keys such as `alternativeDataElements` are kept as is). */
  readonly requestInfo: ReadonlyMap<unknown, unknown> | undefined;
  /** This DocRequest's own ReaderAuth. */
  readonly readerAuth: ReaderAuthResult;
}

/** A parsed DeviceRequest (version 1.0 or 1.1). */
export interface ParsedDeviceRequest {
  readonly version: string;
  readonly docRequests: readonly ParsedDocRequest[];
  /** ed2 `deviceRequestInfo` (tag 24) as received, if present. */
  readonly deviceRequestInfo: EncodedCbor | undefined;
  /** ed2 `useCases` from `deviceRequestInfo` (document-set indices checked against `docRequests`). */
  readonly useCases: readonly UseCase[] | undefined;
  /**
   * ed2 draft `readerAuthAll`: one outcome per ReaderAuthAll signature (over
   * ReaderAuthenticationAllBytes — every ItemsRequestBytes plus DeviceRequestInfoBytes); empty when
   * the request has none.
   */
  readonly readerAuthAll: readonly ReaderAuthResult[];
}

/** Options of {@link parseDeviceRequest}. */
export interface ParseDeviceRequestOptions {
  /** The session transcript — needed to verify ReaderAuth / ReaderAuthAll. */
  readonly sessionTranscript?: SessionTranscriptInput;
  /** Trusted reader roots — needed to verify ReaderAuth / ReaderAuthAll. */
  readonly trustStore?: TrustStore;
  /** Time of validation for the reader certificate. Default `new Date()`. */
  readonly now?: Date;
  /** Annex B profile policy for the reader certificate. Default `'strict'`. */
  readonly policy?: ValidationPolicy;
  /**
   * Throw `ERR_READER_AUTH_INVALID` unless the request is reader-authenticated: every present
   * ReaderAuthAll verified and, when there is none, every DocRequest's ReaderAuth verified. A
   * present signature that fails always fails this check. Default `false`.
   */
  readonly requireReaderAuth?: boolean;
}

const invalid = (why: string, path: string, cause?: unknown): MdlError =>
  new MdlError('ERR_REQUEST_INVALID', why, { details: { path }, ...(cause === undefined ? {} : { cause }) });

/** Core's structure / CBOR errors → `ERR_REQUEST_INVALID` at `deviceRequest.<path>`. */
function asRequestError(error: unknown, what: string): never {
  if (!isMdlError(error)) throw error;
  const inner = typeof error.details?.path === 'string' ? error.details.path : '';
  const path = inner === '' ? 'deviceRequest' : `deviceRequest.${inner}`;
  throw invalid(`${what}: ${error.message}`, path, error);
}

/**
 * Parse a DeviceRequest (core's `@mdlkit/core/mdoc` parser) and, when a transcript and trust store
 * are given, verify each DocRequest's ReaderAuth (COSE_Sign1, detached, over
 * ReaderAuthenticationBytes built from the received ItemsRequestBytes) and each ed2 ReaderAuthAll
 * (detached, over ReaderAuthenticationAllBytes built from every received ItemsRequestBytes and the
 * received DeviceRequestInfoBytes); reader certificates are validated against the trust store.
 *
 * ```cddl
 * DeviceRequest = {
 *   "version" : tstr,                                 ; "1.0"; "1.1" with the ed2 fields
 *   "docRequests" : [+ DocRequest],
 *   ? "deviceRequestInfo" : DeviceRequestInfoBytes,   ; ed2 draft
 *   ? "readerAuthAll" : [+ ReaderAuthAll],            ; ed2 draft
 *   * tstr => RFU
 * }
 * DocRequest = { "itemsRequest" : ItemsRequestBytes, ? "readerAuth" : ReaderAuth }
 * ReaderAuthentication = ["ReaderAuthentication", SessionTranscript, ItemsRequestBytes]
 * ReaderAuthenticationAll = ["ReaderAuthenticationAll", SessionTranscript, [* ItemsRequestBytes],
 *                            DeviceRequestInfoBytes / null]
 * ```
 * ISO/IEC 18013-5 §8.3.2.1.2.1, §9.1.4; ED2-v4 draft (digest §2.7, §5.2) for the 1.1 fields.
 *
 * @example
 * ```ts
 * const request = await parseDeviceRequest(bytes, { sessionTranscript, trustStore: readerRoots });
 * request.readerAuthAll[0]?.status; // 'verified' for a 1.1 request signed as a whole
 * ```
 * @throws {@link MdlError} `ERR_VERSION_UNSUPPORTED` (`details.path` `deviceRequest.version`) for a
 * major version other than 1 (core/mdoc's `checkVersion`); `ERR_REQUEST_INVALID` (with
 * `details.path`, the core error as `cause`) for a malformed request, a float anywhere in it included
 * (decoded with core/mdoc's `DEVICE_REQUEST_CBOR`: cause `ERR_CBOR_FLOAT_NOT_ALLOWED`); `ERR_READER_AUTH_INVALID` with
 * `requireReaderAuth`.
 */
export async function parseDeviceRequest(
  bytes: Uint8Array,
  options: ParseDeviceRequestOptions = {},
): Promise<ParsedDeviceRequest> {
  let value: unknown;
  try {
    // core/mdoc's DeviceRequest options (`noFloats`): a `useCases` index 0.0 is no `uint`.
    value = decodeCbor(bytes, DEVICE_REQUEST_CBOR);
  } catch (error) {
    asRequestError(error, 'DeviceRequest is not valid CBOR');
  }
  // An unknown major version has its own code, before the rest of the request is read (its CDDL may
  // differ); core/mdoc's rule, the one the reader holds a DeviceResponse and an MSO to.
  const version = value instanceof Map ? value.get('version') : undefined;
  if (typeof version === 'string') checkVersion(version, 'deviceRequest.version');
  let structure: ReturnType<typeof parseDeviceRequestStructure>;
  let info: DeviceRequestInfo | undefined;
  try {
    structure = parseDeviceRequestStructure(value);
    info =
      structure.deviceRequestInfo === undefined
        ? undefined
        : parseDeviceRequestInfo(embedded(structure.deviceRequestInfo), {
            docRequestCount: structure.docRequests.length,
          });
  } catch (error) {
    asRequestError(error, 'DeviceRequest does not match the CDDL');
  }
  const docRequests: ParsedDocRequest[] = [];
  for (const [index, doc] of structure.docRequests.entries()) {
    docRequests.push(await parseDocRequest(doc, index, options));
  }
  const readerAuthAll: ReaderAuthResult[] = [];
  for (const [index, message] of (structure.readerAuthAll ?? []).entries()) {
    readerAuthAll.push(
      await checkReaderSignature(message, `deviceRequest.readerAuthAll[${index}]`, options, (transcript) =>
        buildReaderAuthenticationAllBytes({
          sessionTranscript: transcript,
          itemsRequestBytes: structure.docRequests.map((d) => d.itemsRequestBytes),
          deviceRequestInfoBytes: structure.deviceRequestInfo ?? null,
        }),
      ),
    );
  }
  if (options.requireReaderAuth === true) requireVerified(docRequests, readerAuthAll);
  return {
    version: structure.version,
    docRequests,
    deviceRequestInfo: structure.deviceRequestInfo,
    useCases: info?.useCases,
    readerAuthAll,
  };
}

/** DeviceRequestInfoBytes content (core already decoded it once; a failure here is structural). */
function embedded(bytes: EncodedCbor): unknown {
  try {
    return bytes.value;
  } catch (error) {
    throw invalid('deviceRequestInfo is not valid CBOR', 'deviceRequest.deviceRequestInfo', error);
  }
}

function requireVerified(docRequests: readonly ParsedDocRequest[], all: readonly ReaderAuthResult[]): void {
  const failedAll = all.findIndex((r) => r.status !== 'verified');
  if (failedAll >= 0) {
    throw new MdlError('ERR_READER_AUTH_INVALID', 'reader authentication is required and did not verify', {
      details: { readerAuthAll: failedAll, status: all[failedAll]?.status },
    });
  }
  // A present per-DocRequest signature must verify even when ReaderAuthAll covers the request.
  const bad = docRequests.find(
    (d) => d.readerAuth.status !== 'verified' && (all.length === 0 || d.readerAuth.status !== 'absent'),
  );
  if (bad !== undefined) {
    throw new MdlError('ERR_READER_AUTH_INVALID', 'reader authentication is required and did not verify', {
      details: { docRequest: bad.index, status: bad.readerAuth.status },
    });
  }
}

async function parseDocRequest(
  doc: DocRequest,
  index: number,
  options: ParseDeviceRequestOptions,
): Promise<ParsedDocRequest> {
  const { itemsRequest, itemsRequestBytes } = doc;
  const readerAuth =
    doc.readerAuth === undefined
      ? ({ status: 'absent' } as const)
      : await checkReaderSignature(
          doc.readerAuth,
          `deviceRequest.docRequests[${index}].readerAuth`,
          options,
          (sessionTranscript) => buildReaderAuthenticationBytes({ sessionTranscript, itemsRequestBytes }),
        );
  return {
    index,
    docType: itemsRequest.docType,
    nameSpaces: itemsRequest.nameSpaces,
    itemsRequestBytes,
    requestInfo: itemsRequest.requestInfo,
    readerAuth,
  };
}

/** Verify one reader COSE_Sign1 (ReaderAuth or ReaderAuthAll) over the detached payload `build` makes. */
async function checkReaderSignature(
  raw: CoseMessageCbor,
  path: string,
  options: ParseDeviceRequestOptions,
  build: (sessionTranscript: SessionTranscriptInput) => EncodedCbor,
): Promise<ReaderAuthResult> {
  let message: CoseSign1;
  try {
    message = parseCoseSign1(raw);
  } catch (error) {
    throw invalid('reader authentication must be a COSE_Sign1', path, error);
  }
  const chain = getX5Chain(message)?.certificates ?? [];
  if (options.sessionTranscript === undefined || options.trustStore === undefined) {
    return { status: 'not-checked', certificateChain: chain };
  }
  const fail = (code: ErrorCode): ReaderAuthResult => ({ status: 'failed', code, certificateChain: chain });
  if (chain.length === 0) return fail('ERR_COSE_X5CHAIN_MISSING');
  try {
    const validated = await validateCertificatePath({
      chain,
      trustStore: options.trustStore,
      now: options.now ?? new Date(),
      profile: 'reader-auth',
      policy: options.policy ?? 'strict',
    });
    if (!validated.valid || validated.publicKey === undefined) {
      const finding = validated.findings.find((f) => f.severity === 'error');
      return fail(finding?.code ?? 'ERR_X509_CHAIN_UNTRUSTED');
    }
    const detachedPayload = build(options.sessionTranscript).tagged();
    const ok = await verifyCoseSign1({ message, key: validated.publicKey, detachedPayload });
    return ok
      ? { status: 'verified', certificateChain: chain, readerName: validated.subject.commonName }
      : fail('ERR_READER_AUTH_INVALID');
  } catch (error) {
    if (isMdlError(error)) return fail(error.code);
    throw error;
  }
}
