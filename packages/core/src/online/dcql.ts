import { DcqlPresentationResult, DcqlQuery } from 'dcql';
import { MdlError } from '../errors/mdl-error.js';

/**
 * DCQL (OpenID4VP 1.0 §6) for `mso_mdoc`, through the `dcql` package (OpenWallet Foundation labs):
 * its schema parses and validates the query, its matcher decides which held documents fit and
 * whether what arrived satisfies the query. mdlkit only maps mdocs into its credential model and
 * its errors onto mdlkit codes.
 */

/** A parsed, validated DCQL query (the `dcql` package's output model). */
export type DcqlQueryModel = DcqlQuery.Output;

/** An mdoc as DCQL sees it: docType, the elements by namespace, and the issuer's trust anchors. */
export interface DcqlMdocView {
  readonly docType: string;
  /** Elements by namespace → identifier → value. */
  readonly namespaces: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /**
   * base64url key identifiers of the AuthorityKeyIdentifier of the certificates in the issuer
   * chain (OpenID4VP 1.0 §6.1.1 `aki`), for `trusted_authorities` matching.
   */
  readonly authorityKeyIdentifiers?: readonly string[];
}

/** One claim (namespace, element) a matched credential query selects. */
export interface DcqlSelectedClaim {
  readonly nameSpace: string;
  readonly identifier: string;
  readonly intentToRetain: boolean;
}

/** Result of {@link matchDcqlQuery}: for each credential query id, the first fitting document. */
export interface DcqlMatch {
  /** True when the whole query (including `credential_sets`) can be satisfied. */
  readonly satisfiable: boolean;
  /** Credential query id → index of the chosen document and the claims to disclose from it. */
  readonly matches: ReadonlyMap<
    string,
    { readonly documentIndex: number; readonly claims: readonly DcqlSelectedClaim[] }
  >;
}

/**
 * Parses and validates a DCQL query.
 *
 * @example
 * ```ts
 * const query = parseDcqlQuery(request.dcql_query);
 * ```
 * @throws {@link MdlError} `ERR_ONLINE_REQUEST_INVALID` when it is not a valid DCQL query.
 */
export function parseDcqlQuery(input: unknown): DcqlQueryModel {
  let query: DcqlQueryModel;
  try {
    query = DcqlQuery.parse(input as DcqlQuery.Input);
    DcqlQuery.validate(query);
  } catch (cause) {
    throw new MdlError('ERR_ONLINE_REQUEST_INVALID', 'dcql_query is not a valid DCQL query', { cause });
  }
  return query;
}

function toCredential(view: DcqlMdocView): Record<string, unknown> {
  const credential: Record<string, unknown> = {
    credential_format: 'mso_mdoc',
    doctype: view.docType,
    namespaces: view.namespaces,
    cryptographic_holder_binding: true,
  };
  const akis = view.authorityKeyIdentifiers ?? [];
  if (akis.length > 0) credential.authority = { type: 'aki', values: [...akis] };
  return credential;
}

/**
 * Matches a DCQL query against held mdocs (the wallet side).
 *
 * @example
 * ```ts
 * const { satisfiable, matches } = matchDcqlQuery(query, documents.map(toView));
 * ```
 * @throws {@link MdlError} `ERR_ONLINE_REQUEST_INVALID` when the matcher rejects the query.
 */
export function matchDcqlQuery(query: DcqlQueryModel, documents: readonly DcqlMdocView[]): DcqlMatch {
  let result: ReturnType<typeof DcqlQuery.query>;
  try {
    result = DcqlQuery.query(query, documents.map(toCredential) as Parameters<typeof DcqlQuery.query>[1]);
  } catch (cause) {
    throw new MdlError('ERR_ONLINE_REQUEST_INVALID', 'the DCQL query cannot be evaluated', { cause });
  }
  const matches = new Map<string, { documentIndex: number; claims: DcqlSelectedClaim[] }>();
  for (const credentialQuery of query.credentials) {
    if (credentialQuery.format !== 'mso_mdoc') continue;
    const match = (result.credential_matches as Record<string, unknown>)[credentialQuery.id] as
      | { success: boolean; valid_credentials?: { input_credential_index: number; claims: unknown }[] }
      | undefined;
    const first = match?.success === true ? match.valid_credentials?.[0] : undefined;
    if (first === undefined) continue;
    matches.set(credentialQuery.id, {
      documentIndex: first.input_credential_index,
      claims: selectedClaims(credentialQuery, first.claims),
    });
  }
  return { satisfiable: result.can_be_satisfied, matches };
}

function selectedClaims(
  credentialQuery: DcqlQueryModel['credentials'][number],
  claims: unknown,
): DcqlSelectedClaim[] {
  const all = (credentialQuery.claims ?? []) as readonly Record<string, unknown>[];
  const sets = (claims as { valid_claim_sets?: { valid_claim_indexes?: number[] }[] } | undefined)
    ?.valid_claim_sets;
  const indexes = sets?.[0]?.valid_claim_indexes ?? all.map((_, i) => i);
  const out: DcqlSelectedClaim[] = [];
  for (const i of indexes) {
    const claim = all[i];
    if (claim === undefined) continue;
    const path = claimPath(claim);
    if (path === undefined) continue;
    out.push({ nameSpace: path[0], identifier: path[1], intentToRetain: claim.intent_to_retain === true });
  }
  return out;
}

/** The `[namespace, element]` of an mdoc claims query (`path`, or the pre-1.0 `namespace` / `claim_name`). */
export function claimPath(claim: Readonly<Record<string, unknown>>): readonly [string, string] | undefined {
  const path = claim.path;
  if (
    Array.isArray(path) &&
    path.length === 2 &&
    typeof path[0] === 'string' &&
    typeof path[1] === 'string'
  ) {
    return [path[0], path[1]];
  }
  if (typeof claim.namespace === 'string' && typeof claim.claim_name === 'string') {
    return [claim.namespace, claim.claim_name];
  }
  return undefined;
}

/** Result of {@link checkDcqlPresentations}. */
export interface DcqlSatisfaction {
  readonly satisfied: boolean;
  /** Credential query ids whose presentations did not fit their query. */
  readonly unmatched: readonly string[];
}

/**
 * Checks that what the verifier received and verified satisfies the query it sent (the verifier
 * side). Give only elements that verified: an element that failed its checks must not satisfy a claim.
 *
 * @example
 * ```ts
 * const { satisfied } = checkDcqlPresentations(state.dcqlQuery, { mdl: [verifiedView] });
 * ```
 * @throws {@link MdlError} `ERR_ONLINE_PRESENTATION_UNEXPECTED` for a presentation under an id the
 *   query does not have.
 */
export function checkDcqlPresentations(
  query: DcqlQueryModel,
  presentations: Readonly<Record<string, readonly DcqlMdocView[]>>,
): DcqlSatisfaction {
  const ids = new Set(query.credentials.map((c) => c.id));
  for (const id of Object.keys(presentations)) {
    if (!ids.has(id)) {
      throw new MdlError(
        'ERR_ONLINE_PRESENTATION_UNEXPECTED',
        'a presentation answers a credential query that was not asked',
        {
          details: { credentialQueryId: id },
        },
      );
    }
  }
  const record: Record<string, Record<string, unknown>[]> = {};
  for (const [id, views] of Object.entries(presentations)) record[id] = views.map(toCredential);
  let result: ReturnType<typeof DcqlPresentationResult.fromDcqlPresentation>;
  try {
    result = DcqlPresentationResult.fromDcqlPresentation(
      record as Parameters<typeof DcqlPresentationResult.fromDcqlPresentation>[0],
      { dcqlQuery: query },
    );
  } catch (cause) {
    throw new MdlError(
      'ERR_ONLINE_RESPONSE_INVALID',
      'the presentations cannot be evaluated against the query',
      { cause },
    );
  }
  const unmatched: string[] = [];
  for (const [id, match] of Object.entries(
    result.credential_matches as Record<string, { success: boolean }>,
  )) {
    if (match.success !== true && id in presentations) unmatched.push(id);
  }
  return { satisfied: result.can_be_satisfied, unmatched };
}
