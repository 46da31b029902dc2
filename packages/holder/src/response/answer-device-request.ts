import {
  type Document,
  type DocumentErrors,
  encodeDeviceResponse,
  type IssuerSignedItem,
} from '@mdlkit/core/mdoc';
import type { SessionPublicKeyInput, SessionTranscriptInput } from '@mdlkit/core/session';
import { createDeviceSigned } from '../device-auth/create-device-auth.js';
import type { ParsedDeviceRequest, ReaderAuthResult } from '../request/parse-device-request.js';
import { methodFor, type StoredMdoc } from '../store/mdoc-store.js';
import { type SelectedElement, selectElements, type UnavailableElement } from './select-elements.js';

/** What the holder is asked to approve for one DocRequest. */
export interface DisclosureProposal {
  readonly docRequestIndex: number;
  readonly docType: string;
  /** The document that would answer it. */
  readonly documentId: string;
  /** Elements that would be released, with the reader's IntentToRetain. */
  readonly elements: readonly SelectedElement[];
  /** Requested elements the document does not hold. */
  readonly unavailable: readonly UnavailableElement[];
  /** Reader authentication outcome for this DocRequest's own ReaderAuth. */
  readonly readerAuth: ReaderAuthResult;
  /** ed2 draft: outcomes of the request-wide ReaderAuthAll signatures (empty when none). */
  readonly readerAuthAll: readonly ReaderAuthResult[];
}

/**
 * The holder's decision on a proposal: `false` declines the whole document, otherwise the
 * elements to release (a subset of the proposal — anything else is ignored).
 */
export type DisclosureDecision =
  | false
  | readonly { readonly nameSpace: string; readonly identifier: string }[];

/** Options of {@link answerDeviceRequest}. */
export interface AnswerDeviceRequestOptions {
  readonly request: ParsedDeviceRequest;
  /** Documents the holder can present. */
  readonly documents: readonly StoredMdoc[];
  /** This session's transcript, exactly as the reader holds it. */
  readonly sessionTranscript: SessionTranscriptInput;
  /** The reader's ephemeral key — needed for documents authenticated by deviceMac. */
  readonly eReaderKey?: SessionPublicKeyInput;
  /**
   * Consent callback: called once per DocRequest that a document can answer. Default: release
   * everything proposed (only what was requested and held).
   */
  readonly consent?: (proposal: DisclosureProposal) => DisclosureDecision | Promise<DisclosureDecision>;
  /** Report unavailable elements in `Document.errors` (ErrorCode 0). Default `false`. */
  readonly reportUnavailable?: boolean;
  /** Map key order of the emitted response. Default `'deterministic'`. */
  readonly keyOrder?: 'deterministic' | 'insertion';
}

/** What was released, per document (for the holder's UI and audit log). */
export interface DisclosedDocument {
  readonly docRequestIndex: number;
  readonly documentId: string;
  readonly docType: string;
  readonly elements: readonly SelectedElement[];
}

/** Result of {@link answerDeviceRequest}. */
export interface DeviceResponseAnswer {
  /** The encoded DeviceResponse. */
  readonly bytes: Uint8Array;
  readonly disclosed: readonly DisclosedDocument[];
  /** docTypes answered with a DocumentError (no document, or declined). */
  readonly documentErrors: readonly string[];
}

/**
 * Answer a DeviceRequest with selective disclosure: for every DocRequest, the first stored
 * document of that docType releases only the requested elements it holds (age_over_NN per spec
 * §1.5), after the consent callback; never an unrequested element. IssuerSignedItemBytes and
 * IssuerAuth are re-emitted exactly as issued; DeviceSigned carries DeviceNameSpacesBytes (tag
 * 24, empty) and DeviceAuth by signature or MAC over DeviceAuthenticationBytes from the real
 * SessionTranscript.
 *
 * ```cddl
 * DeviceResponse = { "version" : tstr, ? "documents" : [+ Document], ? "documentErrors" : [+ DocumentError], "status" : uint }
 * Document = { "docType" : DocType, "issuerSigned" : IssuerSigned, "deviceSigned" : DeviceSigned, ? "errors" : Errors }
 * DocumentError = { DocType => ErrorCode }
 * ```
 * ISO/IEC 18013-5 §8.3.2.1.2.2.
 *
 * @example
 * ```ts
 * const { bytes } = await answerDeviceRequest({ request, documents: store.list(), sessionTranscript,
 *   consent: (p) => p.elements });
 * ```
 * @throws {@link MdlError} `ERR_DEVICE_MAC_KEY_UNAVAILABLE` when a MAC document has no `eReaderKey`;
 * signer / session errors unchanged.
 */
export async function answerDeviceRequest(
  options: AnswerDeviceRequestOptions,
): Promise<DeviceResponseAnswer> {
  const keyOrder = options.keyOrder ?? 'deterministic';
  const documents: Document[] = [];
  const documentErrors: string[] = [];
  const disclosed: DisclosedDocument[] = [];
  for (const docRequest of options.request.docRequests) {
    const doc = options.documents.find((d) => d.docType === docRequest.docType);
    if (doc === undefined) {
      documentErrors.push(docRequest.docType);
      continue;
    }
    const selection = selectElements({
      requested: docRequest.nameSpaces,
      available: new Map([...doc.items].map(([ns, items]) => [ns, new Set(items.keys())])),
      ageOverValue: (ns, id) => doc.items.get(ns)?.get(id)?.elementValue,
    });
    const proposal: DisclosureProposal = {
      docRequestIndex: docRequest.index,
      docType: doc.docType,
      documentId: doc.id,
      elements: selection.selected,
      unavailable: selection.unavailable,
      readerAuth: docRequest.readerAuth,
      readerAuthAll: options.request.readerAuthAll,
    };
    const decision = options.consent === undefined ? selection.selected : await options.consent(proposal);
    if (decision === false) {
      documentErrors.push(docRequest.docType);
      continue;
    }
    // Only proposed elements can be released, whatever the callback returns.
    const approved = selection.selected.filter((s) =>
      decision.some((d) => d.nameSpace === s.nameSpace && d.identifier === s.identifier),
    );
    // Items in the order the issuer listed them (stable, and Annex D's order).
    const nameSpaces = new Map<string, IssuerSignedItem[]>();
    for (const [ns, items] of doc.items) {
      const chosen = [...items.values()].filter((item) =>
        approved.some((a) => a.nameSpace === ns && a.identifier === item.elementIdentifier),
      );
      if (chosen.length > 0) nameSpaces.set(ns, chosen);
    }
    const { deviceSigned } = await createDeviceSigned({
      docType: doc.docType,
      sessionTranscript: options.sessionTranscript,
      method: methodFor(doc, options.eReaderKey),
    });
    const notReleased = selection.selected
      .filter((s) => !approved.includes(s))
      .map((s) => ({ nameSpace: s.nameSpace, identifier: s.requestedAs }));
    const missing = [...selection.unavailable, ...notReleased];
    let errors: DocumentErrors | undefined;
    if (options.reportUnavailable === true && missing.length > 0) {
      const byNameSpace = new Map<string, Map<string, number>>();
      for (const m of missing) {
        let ns = byNameSpace.get(m.nameSpace);
        if (ns === undefined) {
          ns = new Map();
          byNameSpace.set(m.nameSpace, ns);
        }
        ns.set(m.identifier, 0);
      }
      errors = byNameSpace;
    }
    // Items and IssuerAuth re-emitted as issued (their received bytes), through core/mdoc's model.
    const document: Document = {
      docType: doc.docType,
      issuerSigned:
        nameSpaces.size > 0 ? { nameSpaces, issuerAuth: doc.issuerAuth } : { issuerAuth: doc.issuerAuth },
      deviceSigned,
      ...(errors === undefined ? {} : { errors }),
    };
    documents.push(document);
    disclosed.push({
      docRequestIndex: docRequest.index,
      documentId: doc.id,
      docType: doc.docType,
      elements: approved,
    });
  }
  const bytes = encodeDeviceResponse(
    {
      version: '1.0',
      ...(documents.length > 0 ? { documents } : {}),
      ...(documentErrors.length > 0 ? { documentErrors: documentErrors.map((d) => new Map([[d, 0]])) } : {}),
      status: 0,
    },
    { keyOrder },
  );
  return { bytes, disclosed, documentErrors };
}
