import { EncodedCbor, encodeCbor } from '@mdlkit/core/cbor';
import { CoseHeader, signCoseSign1, x5chainValue } from '@mdlkit/core/cose';
import type { AnyCoseSigner } from '@mdlkit/core/crypto';
import { ErrorCode, MdlError } from '@mdlkit/core/errors';
import { type DeviceRequestInfo, deviceRequestInfoToCbor, parseDeviceRequestInfo } from '@mdlkit/core/mdoc';
import {
  buildReaderAuthenticationAllBytes,
  buildReaderAuthenticationBytes,
  type SessionTranscriptInput,
} from '@mdlkit/core/session';

/** The elements asked for in one namespace: identifier → IntentToRetain. */
export type RequestedElements = Readonly<Record<string, boolean>> | ReadonlyMap<string, boolean>;

/** One document the reader asks for. */
export interface DocRequestInput {
  /** The document type, e.g. `org.iso.18013.5.1.mDL`. */
  readonly docType: string;
  /** Namespace → (element identifier → intent to retain). */
  readonly nameSpaces: Readonly<Record<string, RequestedElements>> | ReadonlyMap<string, RequestedElements>;
  /** Optional `requestInfo` map (`{ * tstr => any }`). */
  readonly requestInfo?: ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>;
}

/** Reader authentication: who signs each ItemsRequest and with which certificate chain. */
export interface ReaderAuthInput {
  /** Signer port (local key, KMS, HSM) of the reader authentication key. */
  readonly signer: AnyCoseSigner;
  /** DER certificates, reader certificate first (the reader root is never included). */
  readonly certificateChain: readonly Uint8Array[];
  /** The SessionTranscript of this session (ReaderAuthentication covers it). */
  readonly sessionTranscript: SessionTranscriptInput;
}

/** Options for {@link buildDeviceRequest}. */
export interface BuildDeviceRequestOptions {
  /** The documents requested, in order. */
  readonly docRequests: readonly DocRequestInput[];
  /** `DeviceRequest.version`: "1.0" (default) or "1.1" (second-edition fields). */
  readonly version?: '1.0' | '1.1';
  /** Sign every ItemsRequest (ReaderAuth) when given. */
  readonly readerAuth?: ReaderAuthInput;
  /**
   * Version 1.1 only — **second-edition draft** (ED2-v4, subject to change): `deviceRequestInfo`
   * with use cases (`documentSets` index `docRequests`; purpose hints under `org.iso.jtc1.sc17`:
   * 1 identity, 2 driving privilege, 3 age).
   */
  readonly deviceRequestInfo?: DeviceRequestInfo;
  /**
   * Version 1.1 only — **second-edition draft**: one `readerAuthAll` signature over
   * ReaderAuthenticationAllBytes (every ItemsRequestBytes in order plus DeviceRequestInfoBytes or
   * null). Independent of the per-DocRequest `readerAuth`.
   */
  readonly readerAuthAll?: ReaderAuthInput;
  /**
   * Map key order: `deterministic` (default, RFC 8949 §4.2.1) or `insertion` (the order given,
   * e.g. the CDDL order the Annex D example uses).
   */
  readonly keyOrder?: 'deterministic' | 'insertion';
}

/** The encoded DeviceRequest and the ItemsRequestBytes it carries. */
export interface BuiltDeviceRequest {
  /** The encoded DeviceRequest (send it inside SessionEstablishment / SessionData). */
  readonly bytes: Uint8Array;
  /** The ItemsRequestBytes of each DocRequest, in order (what ReaderAuth signed). */
  readonly itemsRequests: readonly EncodedCbor[];
  /** DeviceRequestInfoBytes as sent (version 1.1 with `deviceRequestInfo` only). */
  readonly deviceRequestInfo?: EncodedCbor;
}

function toMap<V>(input: ReadonlyMap<string, V> | Readonly<Record<string, V>>): Map<string, V> {
  return input instanceof Map ? new Map(input) : new Map(Object.entries(input as Record<string, V>));
}

function invalid(message: string, path: string): never {
  throw new MdlError(ErrorCode.ERR_REQUEST_INVALID, message, { details: { path } });
}

function itemsRequestValue(doc: DocRequestInput, index: number): Map<string, unknown> {
  const path = `docRequests[${index}]`;
  if (typeof doc.docType !== 'string' || doc.docType.length === 0)
    invalid('docType must be a non-empty string', path);
  const nameSpaces = new Map<string, Map<string, boolean>>();
  for (const [ns, elements] of toMap(doc.nameSpaces)) {
    if (ns.length === 0) invalid('namespace must be a non-empty string', `${path}.nameSpaces`);
    const out = new Map<string, boolean>();
    for (const [id, retain] of toMap<boolean>(elements)) {
      if (id.length === 0 || typeof retain !== 'boolean') {
        invalid('each element needs a non-empty identifier and a boolean intent to retain', `${path}.${ns}`);
      }
      out.set(id, retain);
    }
    if (out.size === 0) invalid('a namespace must request at least one element', `${path}.${ns}`);
    nameSpaces.set(ns, out);
  }
  if (nameSpaces.size === 0) invalid('an ItemsRequest must name at least one namespace', path);
  const value = new Map<string, unknown>([
    ['docType', doc.docType],
    ['nameSpaces', nameSpaces],
  ]);
  if (doc.requestInfo !== undefined) value.set('requestInfo', toMap(doc.requestInfo));
  return value;
}

/**
 * Builds a DeviceRequest, optionally with reader authentication: each ItemsRequest is encoded
 * once as ItemsRequestBytes and, when `readerAuth` is given, signed as a detached COSE_Sign1 over
 * ReaderAuthenticationBytes through the signer port (so a KMS key works), with the reader
 * certificate chain in the unprotected `x5chain` header.
 *
 * ```cddl
 * DeviceRequest = {
 *   "version" : tstr,                                 ; "1.0"; "1.1" with the ed2 fields
 *   "docRequests" : [+ DocRequest],
 *   ? "deviceRequestInfo" : DeviceRequestInfoBytes,   ; ed2 draft
 *   ? "readerAuthAll" : [+ ReaderAuthAll]             ; ed2 draft
 * }
 * DocRequest = { "itemsRequest" : ItemsRequestBytes, ? "readerAuth" : ReaderAuth }
 * ItemsRequestBytes = #6.24(bstr .cbor ItemsRequest)
 * ItemsRequest = { "docType" : DocType, "nameSpaces" : NameSpaces, ? "requestInfo" : { * tstr => any } }
 * NameSpaces = { + NameSpace => DataElements }
 * DataElements = { + DataElementIdentifier => IntentToRetain }
 * ReaderAuthentication = ["ReaderAuthentication", SessionTranscript, ItemsRequestBytes]
 * ReaderAuthenticationAll = ["ReaderAuthenticationAll", SessionTranscript, [* ItemsRequestBytes],
 *                            DeviceRequestInfoBytes / null]
 * ```
 * ISO/IEC 18013-5:2021 §8.3.2.1.2.1 (request) and §9.1.4 (reader authentication); version 1.1
 * fields per the second-edition draft ED2-v4 (digest §2.7, §5.2). Version 1.0 output is unchanged
 * by the 1.1 options, which are refused with version 1.0.
 *
 * @example
 * ```ts
 * const { bytes } = await buildDeviceRequest({
 *   docRequests: [{ docType: 'org.iso.18013.5.1.mDL',
 *     nameSpaces: { 'org.iso.18013.5.1': { family_name: false, portrait: false } } }],
 *   readerAuth: { signer, certificateChain: [readerCertDer], sessionTranscript },
 * });
 * ```
 * @throws {@link MdlError} `ERR_REQUEST_INVALID` for an empty or malformed request, or 1.1 fields
 *   with version 1.0; signer errors
 *   (`ERR_SIGNER_*`) from the signer port.
 */
export async function buildDeviceRequest(options: BuildDeviceRequestOptions): Promise<BuiltDeviceRequest> {
  const version = options.version ?? '1.0';
  if (version !== '1.0' && version !== '1.1') invalid('version must be "1.0" or "1.1"', 'version');
  if (!Array.isArray(options.docRequests) || options.docRequests.length === 0) {
    invalid('a DeviceRequest needs at least one DocRequest', 'docRequests');
  }
  const keyOrder = options.keyOrder ?? 'deterministic';
  const itemsRequests = options.docRequests.map((doc, i) =>
    EncodedCbor.fromValue(itemsRequestValue(doc, i), { keyOrder }),
  );
  if (version === '1.0' && (options.deviceRequestInfo !== undefined || options.readerAuthAll !== undefined)) {
    invalid('deviceRequestInfo and readerAuthAll need version "1.1"', 'version');
  }
  const docRequests: Map<string, unknown>[] = [];
  for (const itemsRequest of itemsRequests) {
    const docRequest = new Map<string, unknown>([['itemsRequest', itemsRequest]]);
    const auth = options.readerAuth;
    if (auth !== undefined) {
      const payload = buildReaderAuthenticationBytes({
        sessionTranscript: auth.sessionTranscript,
        itemsRequestBytes: itemsRequest,
      });
      docRequest.set('readerAuth', await signDetached(auth, payload, 'readerAuth'));
    }
    docRequests.push(docRequest);
  }
  const request = new Map<string, unknown>([
    ['version', version],
    ['docRequests', docRequests],
  ]);
  let info: EncodedCbor | undefined;
  if (options.deviceRequestInfo !== undefined) {
    const value = deviceRequestInfoToCbor(options.deviceRequestInfo);
    try {
      // The holder's rules, applied before sending: use cases name DocRequests of this request.
      parseDeviceRequestInfo(value, { docRequestCount: itemsRequests.length });
    } catch (error) {
      const path = error instanceof MdlError ? String(error.details?.path ?? '') : '';
      invalid('deviceRequestInfo does not match the CDDL', path);
    }
    info = EncodedCbor.fromValue(value, { keyOrder });
    request.set('deviceRequestInfo', info);
  }
  const all = options.readerAuthAll;
  if (all !== undefined) {
    const payload = buildReaderAuthenticationAllBytes({
      sessionTranscript: all.sessionTranscript,
      itemsRequestBytes: itemsRequests,
      deviceRequestInfoBytes: info ?? null,
    });
    request.set('readerAuthAll', [await signDetached(all, payload, 'readerAuthAll')]);
  }
  const bytes = encodeCbor(request, { keyOrder });
  return info === undefined ? { bytes, itemsRequests } : { bytes, itemsRequests, deviceRequestInfo: info };
}

/** A detached COSE_Sign1 over `payload` (tag 24) with the chain in the unprotected `x5chain`. */
async function signDetached(auth: ReaderAuthInput, payload: EncodedCbor, path: string): Promise<unknown[]> {
  if (auth.certificateChain.length === 0) invalid('reader authentication needs a certificate', path);
  const { message } = await signCoseSign1({
    signer: auth.signer,
    payload: payload.tagged(),
    detached: true,
    unprotectedHeaders: new Map([[CoseHeader.x5chain, x5chainValue(auth.certificateChain)]]),
  });
  return [message.protectedBytes, message.unprotected, null, message.signature];
}
