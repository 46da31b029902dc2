import { toBase64Url } from '@mdlkit/core/cbor';
import { getX5Chain, parseCoseSign1 } from '@mdlkit/core/cose';
import { isMdlError } from '@mdlkit/core/errors';
import { decodeDeviceResponse } from '@mdlkit/core/mdoc';
import { checkDcqlPresentations, type DcqlMdocView, parseDcqlQuery } from '@mdlkit/core/online';
import type { SessionTranscript } from '@mdlkit/core/session';
import { parseCertificate } from '@mdlkit/pki';
import type { VerifyDeviceResponseOptions } from '../device-response/options.js';
import { verifyDeviceResponse } from '../device-response/verify-device-response.js';
import { CheckId } from '../report/check-ids.js';
import type { DocumentReport } from '../report/report.js';
import { OnlineCheckId, type OnlineChecks, type OnlinePresentation } from './report.js';

/** Options shared by the online verify functions: everything `verifyDeviceResponse` takes but the transcript. */
export type OnlineDocumentOptions = Omit<VerifyDeviceResponseOptions, 'sessionTranscript' | 'eReaderKey'>;

/** @internal Runs the document checks, the session binding and the DCQL satisfaction check. */
export async function verifyPresentations(
  checks: OnlineChecks,
  received: readonly { readonly credentialQueryId: string; readonly deviceResponse: Uint8Array }[],
  transcript: SessionTranscript,
  dcqlQuery: Readonly<Record<string, unknown>>,
  options: OnlineDocumentOptions,
  queryIdForDocType?: (docType: string) => string | undefined,
): Promise<OnlinePresentation[]> {
  const presentations: OnlinePresentation[] = [];
  for (const p of received) {
    const report = await verifyDeviceResponse(p.deviceResponse, {
      ...options,
      sessionTranscript: transcript,
    });
    presentations.push({ credentialQueryId: p.credentialQueryId, deviceResponse: p.deviceResponse, report });
  }

  const unbound = presentations.flatMap((p) =>
    p.report.documents.filter((d) => statusOf(d, CheckId.DEVICE_AUTH) !== 'passed').map((d) => ({ p, d })),
  );
  const empty = presentations.filter((p) => p.report.documents.length === 0);
  if (empty.length > 0) {
    checks.fail(
      OnlineCheckId.PRESENTATIONS,
      'ERR_ONLINE_PRESENTATION_MISSING',
      'a presentation holds no document',
      {
        credentialQueryId: empty[0]!.credentialQueryId,
      },
    );
  }
  if (unbound.length > 0) {
    const first = unbound[0]!;
    checks.fail(
      OnlineCheckId.SESSION_BINDING,
      'ERR_ONLINE_TRANSCRIPT_MISMATCH',
      'device authentication does not verify over the SessionTranscript of this request: the wallet answered ' +
        'another nonce, origin, client id or encryption key (or the response was altered)',
      { credentialQueryId: first.p.credentialQueryId, docType: first.d.docType },
    );
  } else {
    checks.pass(OnlineCheckId.SESSION_BINDING, 'every presentation is bound to this request');
  }

  // Only what verified may satisfy the query.
  const views: Record<string, DcqlMdocView[]> = {};
  for (const p of presentations) {
    const akis = authorityKeyIdentifiers(p.deviceResponse);
    for (const d of p.report.documents) {
      const id = queryIdForDocType === undefined ? p.credentialQueryId : queryIdForDocType(d.docType);
      if (id === undefined) {
        checks.fail(
          OnlineCheckId.PRESENTATIONS,
          'ERR_ONLINE_PRESENTATION_UNEXPECTED',
          'a document of a docType that was not asked',
          {
            docType: d.docType,
          },
        );
        return presentations;
      }
      views[id] ??= [];
    }
    const viewList = p.report.documents
      .map((d, i) => ({ d, i }))
      .filter(({ d }) => d.verified)
      .map(({ d, i }) => {
        const namespaces: Record<string, Record<string, unknown>> = {};
        for (const e of d.elements) {
          if (!e.verified) continue;
          namespaces[e.nameSpace] ??= {};
          namespaces[e.nameSpace]![e.identifier] = jsonish(e.value);
        }
        const aki = statusOf(d, CheckId.DS_CERTIFICATE_PATH) === 'passed' ? akis[i] : undefined;
        return {
          docType: d.docType,
          namespaces,
          ...(aki === undefined ? {} : { authorityKeyIdentifiers: [aki] }),
        };
      });
    for (const view of viewList) {
      const id =
        queryIdForDocType === undefined ? p.credentialQueryId : (queryIdForDocType(view.docType) as string);
      const list = views[id] ?? [];
      list.push(view);
      views[id] = list;
    }
  }
  for (const [id, list] of Object.entries(views)) if (list.length === 0) delete views[id];
  try {
    const result = checkDcqlPresentations(parseDcqlQuery(dcqlQuery), views);
    if (result.satisfied) checks.pass(OnlineCheckId.QUERY, 'the verified elements satisfy the query');
    else {
      checks.fail(
        OnlineCheckId.QUERY,
        'ERR_ONLINE_QUERY_NOT_SATISFIED',
        'the verified elements do not satisfy the query',
        {
          ...(result.unmatched[0] === undefined ? {} : { credentialQueryId: result.unmatched[0] }),
        },
      );
    }
  } catch (error) {
    if (!isMdlError(error)) throw error;
    checks.failWith(OnlineCheckId.QUERY, error);
  }
  return presentations;
}

function statusOf(doc: DocumentReport, id: CheckId): string | undefined {
  return doc.checks.find((c) => c.id === id)?.status;
}

/** DCQL value matching compares JSON scalars; other CBOR values only count as present. */
function jsonish(value: unknown): unknown {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : {};
}

/** The DS certificates' AuthorityKeyIdentifier per document (base64url), for `trusted_authorities`. */
function authorityKeyIdentifiers(deviceResponse: Uint8Array): (string | undefined)[] {
  try {
    // Read again through core/mdoc, for the DS certificates only (anything unreadable names none).
    const { documents = [] } = decodeDeviceResponse(deviceResponse, { rules: 'verifier' });
    return documents.map((doc) => {
      try {
        const leaf = getX5Chain(parseCoseSign1(doc.issuerSigned.issuerAuth))?.certificates[0];
        const aki =
          leaf === undefined ? undefined : parseCertificate(leaf).authorityKeyIdentifier?.keyIdentifier;
        return aki === undefined ? undefined : toBase64Url(aki);
      } catch {
        return undefined;
      }
    });
  } catch {
    return [];
  }
}
