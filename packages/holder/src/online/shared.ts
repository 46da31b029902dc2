import { EncodedCbor, toBase64Url } from '@mdlkit/core/cbor';
import { getX5Chain, parseCoseSign1 } from '@mdlkit/core/cose';
import { decodeIssuerSigned } from '@mdlkit/core/mdoc';
import type { DcqlMdocView } from '@mdlkit/core/online';
import { parseCertificate } from '@mdlkit/pki';
import type { ParsedDeviceRequest } from '../request/parse-device-request.js';
import type { StoredMdoc } from '../store/mdoc-store.js';

/** @internal How DCQL sees a held mdoc: docType, elements, and its DS certificate's AKI. */
export function dcqlViewOf(doc: StoredMdoc): DcqlMdocView {
  const namespaces: Record<string, Record<string, unknown>> = {};
  for (const [ns, items] of doc.items) {
    const out: Record<string, unknown> = {};
    for (const [id, item] of items) {
      const value = item.elementValue;
      out[id] =
        typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : {};
    }
    namespaces[ns] = out;
  }
  const aki = dsAuthorityKeyIdentifier(doc);
  return {
    docType: doc.docType,
    namespaces,
    ...(aki === undefined ? {} : { authorityKeyIdentifiers: [aki] }),
  };
}

function dsAuthorityKeyIdentifier(doc: StoredMdoc): string | undefined {
  try {
    const leaf = getX5Chain(parseCoseSign1(decodeIssuerSigned(doc.issuerSigned).issuerAuth))?.certificates[0];
    const aki = leaf === undefined ? undefined : parseCertificate(leaf).authorityKeyIdentifier?.keyIdentifier;
    return aki === undefined ? undefined : toBase64Url(aki);
  } catch {
    return undefined;
  }
}

/** @internal A one-DocRequest ParsedDeviceRequest for answering a DCQL credential query with `answerDeviceRequest`. */
export function syntheticDeviceRequest(
  docType: string,
  claims: readonly {
    readonly nameSpace: string;
    readonly identifier: string;
    readonly intentToRetain: boolean;
  }[],
): ParsedDeviceRequest {
  const nameSpaces = new Map<string, Map<string, boolean>>();
  for (const c of claims) {
    const m = nameSpaces.get(c.nameSpace) ?? new Map<string, boolean>();
    m.set(c.identifier, c.intentToRetain);
    nameSpaces.set(c.nameSpace, m);
  }
  const itemsRequestBytes = EncodedCbor.fromValue(
    new Map<string, unknown>([
      ['docType', docType],
      ['nameSpaces', nameSpaces],
    ]),
  );
  return {
    version: '1.0',
    docRequests: [
      {
        index: 0,
        docType,
        nameSpaces,
        itemsRequestBytes,
        requestInfo: undefined,
        readerAuth: { status: 'absent' },
      },
    ],
    deviceRequestInfo: undefined,
    useCases: undefined,
    readerAuthAll: [],
  } as ParsedDeviceRequest;
}
