import { toBase64Url } from '@mdlkit/core/cbor';
import { MdlError } from '@mdlkit/core/errors';
import { parseCertificate } from '@mdlkit/pki';

/**
 * What a relying party wants to learn, independent of the protocol that carries the request.
 *
 * @example
 * ```ts
 * const intent: PresentationIntent = {
 *   docType: 'org.iso.18013.5.1.mDL',
 *   elements: { 'org.iso.18013.5.1': { age_over_21: false, portrait: false } },
 *   trustedIssuers: { certificates: [iacaDer] },
 * };
 * ```
 */
export interface PresentationIntent {
  /** The DCQL credential query id (default `mdl` for mDLs, else `doc`). Unique within one request. */
  readonly id?: string;
  /** The docType asked for. */
  readonly docType: string;
  /** namespace → element identifier → intent to retain (ISO 18013-5 IntentToRetain). */
  readonly elements: Readonly<Record<string, Readonly<Record<string, boolean>>>>;
  /**
   * Which issuers the verifier trusts, sent as DCQL `trusted_authorities` of type `aki` so the wallet
   * only offers documents it will accept. Give IACA certificates (their subjectKeyIdentifier is the
   * DS certificates' AuthorityKeyIdentifier) or raw key identifiers. Trust is still decided by the
   * trust store at verification time; this is only a filter for the wallet.
   */
  readonly trustedIssuers?: {
    readonly certificates?: readonly Uint8Array[];
    readonly authorityKeyIdentifiers?: readonly Uint8Array[];
  };
}

/** The DCQL query (OpenID4VP 1.0 §6) for a list of intents: one `mso_mdoc` credential query each. */
export function dcqlQueryForIntents(intents: readonly PresentationIntent[]): Record<string, unknown> {
  if (!Array.isArray(intents) || intents.length === 0) invalid('at least one intent is required', 'intent');
  const ids = new Set<string>();
  const credentials = intents.map((intent, index) => {
    const id = intentId(intent, index);
    if (ids.has(id)) invalid('credential query ids must be unique', `intent[${index}].id`);
    ids.add(id);
    const claims: Record<string, unknown>[] = [];
    for (const [nameSpace, elements] of Object.entries(checkedElements(intent, index))) {
      for (const [identifier, retain] of Object.entries(elements)) {
        claims.push({ path: [nameSpace, identifier], intent_to_retain: retain });
      }
    }
    const query: Record<string, unknown> = {
      id,
      format: 'mso_mdoc',
      meta: { doctype_value: intent.docType },
      claims,
    };
    const akis = authorityKeyIdentifiers(intent);
    if (akis.length > 0) query.trusted_authorities = [{ type: 'aki', values: akis }];
    return query;
  });
  return { credentials };
}

/** @internal The credential query id of an intent. */
export function intentId(intent: PresentationIntent, index: number): string {
  if (intent?.id !== undefined) {
    if (typeof intent.id !== 'string' || !/^[A-Za-z0-9_-]+$/.test(intent.id)) {
      invalid('intent id must be alphanumeric, "_" or "-" (DCQL §6.1)', `intent[${index}].id`);
    }
    return intent.id;
  }
  const base = intent?.docType === 'org.iso.18013.5.1.mDL' ? 'mdl' : 'doc';
  return index === 0 ? base : `${base}_${index}`;
}

/** @internal The intent's elements, checked. */
export function checkedElements(
  intent: PresentationIntent,
  index: number,
): Readonly<Record<string, Readonly<Record<string, boolean>>>> {
  if (typeof intent?.docType !== 'string' || intent.docType.length === 0) {
    invalid('docType must be a non-empty string', `intent[${index}].docType`);
  }
  const elements = intent.elements;
  if (typeof elements !== 'object' || elements === null || Object.keys(elements).length === 0) {
    invalid('an intent must ask for at least one element', `intent[${index}].elements`);
  }
  for (const [ns, ids] of Object.entries(elements)) {
    if (ns.length === 0 || typeof ids !== 'object' || ids === null || Object.keys(ids).length === 0) {
      invalid('each namespace needs at least one element', `intent[${index}].elements.${ns}`);
    }
    for (const [id, retain] of Object.entries(ids)) {
      if (id.length === 0 || typeof retain !== 'boolean') {
        invalid(
          'each element needs an identifier and a boolean intent to retain',
          `intent[${index}].elements.${ns}`,
        );
      }
    }
  }
  return elements;
}

function authorityKeyIdentifiers(intent: PresentationIntent): string[] {
  const out = new Set<string>();
  for (const der of intent.trustedIssuers?.certificates ?? []) {
    const ski = parseCertificate(der).subjectKeyIdentifier;
    if (ski === undefined)
      invalid('a trusted issuer certificate has no subjectKeyIdentifier', 'trustedIssuers');
    out.add(toBase64Url(ski));
  }
  for (const aki of intent.trustedIssuers?.authorityKeyIdentifiers ?? []) {
    if (!(aki instanceof Uint8Array) || aki.length === 0)
      invalid('key identifiers must be bytes', 'trustedIssuers');
    out.add(toBase64Url(aki));
  }
  return [...out];
}

/** @internal */
export function invalid(message: string, path: string): never {
  throw new MdlError('ERR_ONLINE_REQUEST_INVALID', message, { details: { path } });
}
