import { decodeCbor, encodeCbor, toHex } from '@mdlkit/core/cbor';
import {
  CoseHeader,
  type CoseSign1,
  decodeCoseSign1,
  getX5Chain,
  signCoseSign1,
  verifyCoseSign1,
  x5chainValue,
} from '@mdlkit/core/cose';
import type { AnyCoseSigner, PublicKey } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import type { KeyOrder } from '../items/create-issuer-signed-items.js';
import { DEFAULT_MAX_STATUS_LIST_BYTES, StatusList } from './status-list.js';

/** CWT claim keys used by status tokens (RFC 8392; draft-ietf-oauth-status-list; ISO/IEC 18013-5 ed2 §12.3.6). */
export const StatusClaim = {
  sub: 2,
  exp: 4,
  iat: 6,
  /** Identifier list (ISO/IEC 18013-5 ed2). */
  identifierList: 65530,
  /** Token Status List `status_list`. */
  statusList: 65533,
  /** Time to live in seconds. */
  ttl: 65534,
} as const;

/** COSE `typ` header (RFC 9596) label and the media types of the two tokens. */
export const StatusTokenType = {
  header: 16,
  statusList: 'application/statuslist+cwt',
  identifierList: 'application/identifierlist+cwt',
} as const;

/** Options shared by both token builders. */
export interface StatusTokenCommonOptions {
  /** The token's own URI (`sub`), the `uri` the MSO's status entry points to. */
  readonly uri: string;
  /** Issued-at (`iat`); default `now`. */
  readonly now?: Date;
  /** Expiry (`exp`) — required by 18013-5 ed2. */
  readonly expiresAt: Date;
  /** `ttl` in seconds (how long a reader may cache). */
  readonly ttlSeconds?: number;
  /** The list signer (local, KMS digest signer, HSM). */
  readonly signer: AnyCoseSigner;
  /** The signer certificate chain, leaf first (goes into `x5chain` in the protected header). */
  readonly certificateChain: readonly Uint8Array[];
  /** `aggregation_uri` inside the list claim. */
  readonly aggregationUri?: string;
  /** Map key order. Default `'deterministic'`. */
  readonly keyOrder?: KeyOrder;
}

function seconds(name: string, d: Date): number {
  const t = d instanceof Date ? d.getTime() : Number.NaN;
  if (Number.isNaN(t)) throw new MdlError('ERR_INVALID_ARGUMENT', `${name} must be a valid Date`);
  return Math.floor(t / 1000);
}

async function signToken(
  options: StatusTokenCommonOptions,
  typ: string,
  claimKey: number,
  claim: Map<string, unknown>,
): Promise<Uint8Array> {
  if (typeof options.uri !== 'string' || options.uri.length === 0) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'uri must be a non-empty string');
  }
  if (options.certificateChain.length === 0) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'certificateChain must hold the list signer certificate');
  }
  const iat = seconds('now', options.now ?? new Date());
  const exp = seconds('expiresAt', options.expiresAt);
  if (exp <= iat) throw new MdlError('ERR_STATUS_LIST_INVALID', 'expiresAt must be after the issue time');
  if (options.aggregationUri !== undefined) claim.set('aggregation_uri', options.aggregationUri);
  const claims = new Map<number, unknown>([
    [StatusClaim.sub, options.uri],
    [StatusClaim.iat, iat],
    [StatusClaim.exp, exp],
  ]);
  if (options.ttlSeconds !== undefined) {
    if (!Number.isInteger(options.ttlSeconds) || options.ttlSeconds <= 0) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'ttlSeconds must be a positive integer');
    }
    claims.set(StatusClaim.ttl, options.ttlSeconds);
  }
  claims.set(claimKey, claim);
  const { bytes } = await signCoseSign1({
    signer: options.signer,
    payload: encodeCbor(claims, { keyOrder: options.keyOrder ?? 'deterministic' }),
    protectedHeaders: new Map<number, unknown>([
      [StatusTokenType.header, typ],
      [CoseHeader.x5chain, x5chainValue(options.certificateChain)],
    ]),
  });
  return bytes;
}

/**
 * Build and sign a CWT Status List Token (draft-ietf-oauth-status-list §6; ISO/IEC 18013-5 ed2
 * §12.3.6): COSE_Sign1 with `alg`, `typ` `application/statuslist+cwt` and `x5chain` in the
 * protected header; claims `sub`, `iat`, `exp` (required here), optional `ttl`, and
 *
 * ```cddl
 * status_list (65533) = { bits: 1 / 2 / 4 / 8, lst: bstr (ZLIB), ? aggregation_uri: tstr }
 * ```
 *
 * @example
 * ```ts
 * const token = await buildStatusListToken({ statusList, uri: 'https://dmv.example/sl/1',
 *   expiresAt, signer, certificateChain: [listSignerCert] });
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` / `ERR_STATUS_LIST_INVALID` for bad options; signer errors unchanged.
 */
export async function buildStatusListToken(
  options: StatusTokenCommonOptions & { readonly statusList: StatusList },
): Promise<Uint8Array> {
  const { bits, lst } = await options.statusList.encode();
  const claim = new Map<string, unknown>([
    ['bits', bits],
    ['lst', lst],
  ]);
  return signToken(options, StatusTokenType.statusList, StatusClaim.statusList, claim);
}

/**
 * Build and sign an ISO identifier list token (ISO/IEC 18013-5 ed2 §12.3.6, spec §5.3): the MSO
 * is revoked when its `identifier_list.id` appears in the list.
 *
 * ```cddl
 * IdentifierList (65530) = { "identifiers": { * bstr => IdentifierInfo }, ? "aggregation_uri": tstr }
 * IdentifierInfo = { * tstr => any }
 * ```
 *
 * @example
 * ```ts
 * const token = await buildIdentifierListToken({ identifiers: [revokedId], uri, expiresAt, signer, certificateChain });
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for an empty identifier; as {@link buildStatusListToken}.
 */
export async function buildIdentifierListToken(
  options: StatusTokenCommonOptions & { readonly identifiers: Iterable<Uint8Array> },
): Promise<Uint8Array> {
  const ids = new Map<Uint8Array, Map<string, unknown>>();
  const seen = new Set<string>();
  for (const id of options.identifiers) {
    if (!(id instanceof Uint8Array) || id.length === 0) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'identifiers must be non-empty byte strings');
    }
    const key = toHex(id);
    if (seen.has(key)) continue;
    seen.add(key);
    ids.set(id, new Map());
  }
  const claim = new Map<string, unknown>([['identifiers', ids]]);
  return signToken(options, StatusTokenType.identifierList, StatusClaim.identifierList, claim);
}

/** Common parts of a parsed status token. */
export interface ParsedStatusTokenBase {
  /** The COSE_Sign1 as received (verify it with `verifyStatusToken`). */
  readonly message: CoseSign1;
  /** `sub` — must equal the `uri` of the MSO status entry. */
  readonly subject: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  readonly ttlSeconds?: number;
  /** The signer chain from `x5chain` (leaf first). */
  readonly certificateChain: readonly Uint8Array[];
  readonly aggregationUri?: string;
}

/** A parsed Token Status List. */
export interface ParsedStatusListToken extends ParsedStatusTokenBase {
  readonly type: 'status_list';
  readonly statusList: StatusList;
  /** Status of entry `index` (0 = valid, 1 = invalid/revoked). Throws `ERR_STATUS_LIST_INVALID` out of range. */
  getStatus(index: number): number;
}

/** A parsed ISO identifier list. */
export interface ParsedIdentifierListToken extends ParsedStatusTokenBase {
  readonly type: 'identifier_list';
  /** Number of listed identifiers. */
  readonly size: number;
  /** True when `id` is listed (revoked). */
  has(id: Uint8Array): boolean;
}

const bad = (why: string, cause?: unknown): MdlError =>
  new MdlError('ERR_STATUS_LIST_INVALID', why, cause === undefined ? {} : { cause });

function parseBase(
  bytes: Uint8Array,
  typ: string,
): { base: ParsedStatusTokenBase; claims: Map<unknown, unknown> } {
  let message: CoseSign1;
  try {
    message = decodeCoseSign1(bytes);
  } catch (error) {
    throw bad('status token is not a COSE_Sign1', error);
  }
  const t = message.protected.get(StatusTokenType.header);
  if (t !== typ) throw bad('status token has the wrong typ header');
  const x5 = getX5Chain(message);
  if (x5 === undefined || x5.bucket !== 'protected')
    throw bad('status token x5chain must be in the protected header');
  if (message.payload === null) throw bad('status token has no payload');
  let claims: unknown;
  try {
    claims = decodeCbor(message.payload);
  } catch (error) {
    throw bad('status token claims are not valid CBOR', error);
  }
  if (!(claims instanceof Map)) throw bad('status token claims must be a map');
  const sub = claims.get(StatusClaim.sub);
  const iat = claims.get(StatusClaim.iat);
  const exp = claims.get(StatusClaim.exp);
  const ttl = claims.get(StatusClaim.ttl);
  if (typeof sub !== 'string' || sub.length === 0) throw bad('status token sub is missing');
  if (!Number.isSafeInteger(iat)) throw bad('status token iat is missing');
  if (!Number.isSafeInteger(exp)) throw bad('status token exp is missing (required by ISO/IEC 18013-5)');
  if (ttl !== undefined && !(Number.isSafeInteger(ttl) && (ttl as number) > 0))
    throw bad('status token ttl is invalid');
  const base: ParsedStatusTokenBase = {
    message,
    subject: sub,
    issuedAt: new Date((iat as number) * 1000),
    expiresAt: new Date((exp as number) * 1000),
    ...(ttl === undefined ? {} : { ttlSeconds: ttl as number }),
    certificateChain: x5.certificates,
  };
  return { base, claims };
}

function aggregation(claim: Map<unknown, unknown>): { aggregationUri?: string } {
  const a = claim.get('aggregation_uri');
  if (a === undefined) return {};
  if (typeof a !== 'string') throw bad('aggregation_uri must be a string');
  return { aggregationUri: a };
}

/**
 * Parse a CWT Status List Token (structure only — check the signature and freshness with
 * {@link verifyStatusToken} and the signer chain with `@mdlkit/pki`). `lst` is inflated with an
 * output bound.
 *
 * @example
 * ```ts
 * const token = await parseStatusListToken(bytes);
 * const revoked = token.getStatus(mso.status.status_list.idx) === StatusValue.INVALID;
 * ```
 * @throws {@link MdlError} `ERR_STATUS_LIST_INVALID` for anything malformed.
 */
export async function parseStatusListToken(
  bytes: Uint8Array,
  options: { readonly maxListBytes?: number } = {},
): Promise<ParsedStatusListToken> {
  const { base, claims } = parseBase(bytes, StatusTokenType.statusList);
  const claim = claims.get(StatusClaim.statusList);
  if (!(claim instanceof Map)) throw bad('status_list claim is missing');
  const bits = claim.get('bits');
  const lst = claim.get('lst');
  if (typeof bits !== 'number' || !(lst instanceof Uint8Array)) throw bad('status_list needs bits and lst');
  const statusList = await StatusList.decode(
    { bits, lst },
    options.maxListBytes ?? DEFAULT_MAX_STATUS_LIST_BYTES,
  );
  return {
    ...base,
    ...aggregation(claim),
    type: 'status_list',
    statusList,
    getStatus: (index: number) => statusList.get(index),
  };
}

/**
 * Parse an ISO identifier list token (structure only; see {@link verifyStatusToken}).
 *
 * @example
 * ```ts
 * const list = parseIdentifierListToken(bytes);
 * const revoked = list.has(mso.status.identifier_list.id);
 * ```
 * @throws {@link MdlError} `ERR_STATUS_LIST_INVALID` for anything malformed.
 */
export function parseIdentifierListToken(bytes: Uint8Array): ParsedIdentifierListToken {
  const { base, claims } = parseBase(bytes, StatusTokenType.identifierList);
  const claim = claims.get(StatusClaim.identifierList);
  if (!(claim instanceof Map)) throw bad('identifier list claim is missing');
  const identifiers = claim.get('identifiers');
  if (!(identifiers instanceof Map)) throw bad('identifier list needs an identifiers map');
  const set = new Set<string>();
  for (const [id, info] of identifiers) {
    if (!(id instanceof Uint8Array) || !(info instanceof Map))
      throw bad('identifier list entries must be bstr => map');
    set.add(toHex(id));
  }
  return {
    ...base,
    ...aggregation(claim),
    type: 'identifier_list',
    size: set.size,
    has: (id: Uint8Array) => id instanceof Uint8Array && set.has(toHex(id)),
  };
}

/**
 * Verify a parsed status token: the signature with the list signer's key (the caller validates
 * that key's certificate chain), `sub` against the MSO's `uri`, `iat` not in the future and `exp`
 * not passed (with clock skew).
 *
 * @example
 * ```ts
 * await verifyStatusToken({ token, key: signerKey, now: new Date(), expectedUri: entry.uri });
 * ```
 * @throws {@link MdlError} `ERR_STATUS_LIST_INVALID` naming the failed check.
 */
export async function verifyStatusToken(options: {
  readonly token: ParsedStatusTokenBase;
  readonly key: PublicKey;
  readonly now: Date;
  readonly clockSkewSeconds?: number;
  readonly expectedUri?: string;
}): Promise<void> {
  const { token } = options;
  if (!(await verifyCoseSign1({ message: token.message, key: options.key }))) {
    throw bad('status token signature is invalid');
  }
  if (options.expectedUri !== undefined && token.subject !== options.expectedUri) {
    throw bad('status token sub does not match the MSO status uri');
  }
  const skew = (options.clockSkewSeconds ?? 0) * 1000;
  const now = options.now.getTime();
  if (token.issuedAt.getTime() > now + skew) throw bad('status token is issued in the future');
  if (token.expiresAt.getTime() <= now - skew) throw bad('status token has expired');
}
