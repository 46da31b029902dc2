import { decodeCbor, EncodedCbor } from '@mdlkit/core/cbor';
import { type CoseSign1, getX5Chain, parseCoseSign1, verifyCoseSign1 } from '@mdlkit/core/cose';
import { type ErrorCode, isMdlError, MdlError } from '@mdlkit/core/errors';
import { buildReaderAuthenticationBytes, type SessionTranscriptInput } from '@mdlkit/core/session';
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
  /** `requestInfo` as decoded, if present. */
  readonly requestInfo: ReadonlyMap<unknown, unknown> | undefined;
  readonly readerAuth: ReaderAuthResult;
}

/** A parsed DeviceRequest (version 1.0 or 1.1). */
export interface ParsedDeviceRequest {
  readonly version: string;
  readonly docRequests: readonly ParsedDocRequest[];
  /** ed2 `deviceRequestInfo` (tag 24) as received, if present. */
  readonly deviceRequestInfo: EncodedCbor | undefined;
}

/** Options of {@link parseDeviceRequest}. */
export interface ParseDeviceRequestOptions {
  /** The session transcript — needed to verify ReaderAuth. */
  readonly sessionTranscript?: SessionTranscriptInput;
  /** Trusted reader roots — needed to verify ReaderAuth. */
  readonly trustStore?: TrustStore;
  /** Time of validation for the reader certificate. Default `new Date()`. */
  readonly now?: Date;
  /** Annex B profile policy for the reader certificate. Default `'strict'`. */
  readonly policy?: ValidationPolicy;
  /** Throw `ERR_READER_AUTH_INVALID` unless every DocRequest's ReaderAuth is verified. Default `false`. */
  readonly requireReaderAuth?: boolean;
}

const invalid = (why: string, path: string, cause?: unknown): MdlError =>
  new MdlError('ERR_REQUEST_INVALID', why, { details: { path }, ...(cause === undefined ? {} : { cause }) });

/**
 * Parse a DeviceRequest and, when a transcript and trust store are given, verify each
 * DocRequest's ReaderAuth (COSE_Sign1, detached, over ReaderAuthenticationBytes built from the
 * received ItemsRequestBytes; reader certificate validated against the trust store).
 *
 * ```cddl
 * DeviceRequest = { "version" : tstr, "docRequests" : [+ DocRequest], ? "deviceRequestInfo" : bstr, * tstr => any }
 * DocRequest = { "itemsRequest" : ItemsRequestBytes, ? "readerAuth" : ReaderAuth }
 * ItemsRequestBytes = #6.24(bstr .cbor ItemsRequest)
 * ItemsRequest = { "docType" : DocType, "nameSpaces" : NameSpaces, ? "requestInfo" : { * tstr => any } }
 * NameSpaces = { + NameSpace => DataElements }
 * DataElements = { + DataElementIdentifier => IntentToRetain }
 * ```
 * ISO/IEC 18013-5 §8.3.2.1.2.1, §9.1.4.
 *
 * @example
 * ```ts
 * const request = await parseDeviceRequest(bytes, { sessionTranscript, trustStore: readerRoots });
 * ```
 * @throws {@link MdlError} `ERR_REQUEST_INVALID` (with `details.path`) for a malformed request or
 * an unsupported major version; `ERR_READER_AUTH_INVALID` with `requireReaderAuth`.
 */
export async function parseDeviceRequest(
  bytes: Uint8Array,
  options: ParseDeviceRequestOptions = {},
): Promise<ParsedDeviceRequest> {
  let value: unknown;
  try {
    value = decodeCbor(bytes);
  } catch (error) {
    throw invalid('DeviceRequest is not valid CBOR', 'deviceRequest', error);
  }
  if (!(value instanceof Map)) throw invalid('DeviceRequest must be a map', 'deviceRequest');
  const version = value.get('version');
  if (typeof version !== 'string' || !/^1\.\d+$/.test(version)) {
    throw invalid('DeviceRequest version must be 1.x', 'deviceRequest.version');
  }
  const list = value.get('docRequests');
  if (!Array.isArray(list) || list.length === 0) {
    throw invalid('docRequests must be a non-empty array', 'deviceRequest.docRequests');
  }
  const dri = value.get('deviceRequestInfo');
  if (dri !== undefined && !(dri instanceof EncodedCbor)) {
    throw invalid('deviceRequestInfo must be tag 24', 'deviceRequest.deviceRequestInfo');
  }
  const docRequests: ParsedDocRequest[] = [];
  for (const [index, entry] of list.entries()) {
    docRequests.push(await parseDocRequest(entry, index, options));
  }
  if (options.requireReaderAuth === true) {
    const bad = docRequests.find((d) => d.readerAuth.status !== 'verified');
    if (bad !== undefined) {
      throw new MdlError('ERR_READER_AUTH_INVALID', 'reader authentication is required and did not verify', {
        details: { docRequest: bad.index, status: bad.readerAuth.status },
      });
    }
  }
  return { version, docRequests, deviceRequestInfo: dri };
}

async function parseDocRequest(
  entry: unknown,
  index: number,
  options: ParseDeviceRequestOptions,
): Promise<ParsedDocRequest> {
  const path = `deviceRequest.docRequests[${index}]`;
  if (!(entry instanceof Map)) throw invalid('DocRequest must be a map', path);
  const itemsRequestBytes = entry.get('itemsRequest');
  if (!(itemsRequestBytes instanceof EncodedCbor))
    throw invalid('itemsRequest must be tag 24', `${path}.itemsRequest`);
  let items: unknown;
  try {
    items = itemsRequestBytes.value;
  } catch (error) {
    throw invalid('ItemsRequest is not valid CBOR', `${path}.itemsRequest`, error);
  }
  if (!(items instanceof Map)) throw invalid('ItemsRequest must be a map', `${path}.itemsRequest`);
  const docType = items.get('docType');
  if (typeof docType !== 'string' || docType.length === 0)
    throw invalid('docType must be a string', `${path}.docType`);
  const ns = items.get('nameSpaces');
  if (!(ns instanceof Map) || ns.size === 0)
    throw invalid('nameSpaces must be a non-empty map', `${path}.nameSpaces`);
  const nameSpaces = new Map<string, Map<string, boolean>>();
  for (const [name, elements] of ns) {
    const p = `${path}.nameSpaces[${String(name)}]`;
    if (typeof name !== 'string' || name.length === 0 || !(elements instanceof Map) || elements.size === 0) {
      throw invalid('each namespace maps to a non-empty map', p);
    }
    const out = new Map<string, boolean>();
    for (const [id, retain] of elements) {
      if (typeof id !== 'string' || id.length === 0 || typeof retain !== 'boolean') {
        throw invalid('DataElements must map identifiers to IntentToRetain booleans', p);
      }
      out.set(id, retain);
    }
    nameSpaces.set(name, out);
  }
  const requestInfo = items.get('requestInfo');
  if (requestInfo !== undefined && !(requestInfo instanceof Map))
    throw invalid('requestInfo must be a map', `${path}.requestInfo`);
  const readerAuth = await checkReaderAuth(entry.get('readerAuth'), itemsRequestBytes, path, options);
  return { index, docType, nameSpaces, itemsRequestBytes, requestInfo, readerAuth };
}

async function checkReaderAuth(
  raw: unknown,
  itemsRequestBytes: EncodedCbor,
  path: string,
  options: ParseDeviceRequestOptions,
): Promise<ReaderAuthResult> {
  if (raw === undefined) return { status: 'absent' };
  let message: CoseSign1;
  try {
    message = parseCoseSign1(raw);
  } catch (error) {
    throw invalid('readerAuth must be a COSE_Sign1', `${path}.readerAuth`, error);
  }
  const chain = getX5Chain(message)?.certificates ?? [];
  if (options.sessionTranscript === undefined || options.trustStore === undefined) {
    return { status: 'not-checked', certificateChain: chain };
  }
  const fail = (code: ErrorCode): ReaderAuthResult => ({ status: 'failed', code, certificateChain: chain });
  if (chain.length === 0) return fail('ERR_COSE_X5CHAIN_MISSING');
  try {
    const path = await validateCertificatePath({
      chain,
      trustStore: options.trustStore,
      now: options.now ?? new Date(),
      profile: 'reader-auth',
      policy: options.policy ?? 'strict',
    });
    if (!path.valid || path.publicKey === undefined) {
      const finding = path.findings.find((f) => f.severity === 'error');
      return fail(finding?.code ?? 'ERR_X509_CHAIN_UNTRUSTED');
    }
    const detachedPayload = buildReaderAuthenticationBytes({
      sessionTranscript: options.sessionTranscript,
      itemsRequestBytes,
    }).tagged();
    const ok = await verifyCoseSign1({ message, key: path.publicKey, detachedPayload });
    return ok
      ? { status: 'verified', certificateChain: chain, readerName: path.subject.commonName }
      : fail('ERR_READER_AUTH_INVALID');
  } catch (error) {
    if (isMdlError(error)) return fail(error.code);
    throw error;
  }
}
