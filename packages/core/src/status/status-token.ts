/**
 * @module
 * Status tokens (ISO/IEC 18013-5 ed2 §12.3.6; draft-ietf-oauth-status-list): the Token Status List and
 * the ISO identifier list as CWTs in a COSE_Sign1 — the claim keys and media types, the status list
 * model, and parsing and verification for readers. `@mdlkit/issuer` builds and signs them.
 */
import { decodeFields } from '../cbor/decode.js';
import { toHex } from '../cbor/index.js';
import { type CoseSign1, decodeCoseSign1, getX5Chain, verifyCoseSign1 } from '../cose/index.js';
import type { PublicKey } from '../crypto/keys.js';
import { MdlError } from '../errors/mdl-error.js';
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

/**
 * Where each claim a status token parser reads sits among the keys it asks `decodeFields` for, and so
 * in the decoded `values` (the other claims are decoded, checked and dropped). An absent claim reads
 * as `undefined`, as a claim whose value is CBOR `undefined` does, and the checks below treat both
 * alike: an absent `ttl`, any other claim missing.
 */
const AT = { sub: 0, exp: 1, iat: 2, identifierList: 3, statusList: 4, ttl: 5 } as const;

/** The claim keys in the order of {@link AT}: `CLAIM_KEYS[AT.sub] === StatusClaim.sub`. */
const CLAIM_KEYS: readonly number[] = (() => {
  const keys: number[] = [];
  for (const name of Object.keys(AT) as (keyof typeof AT)[]) keys[AT[name]] = StatusClaim[name];
  return keys;
})();

/**
 * The claim whose CDDL has no float: `StatusList = { bits: 1 / 2 / 4 / 8, lst: bstr, ? aggregation_uri:
 * tstr }`, so `bits` 1.0 is no `uint` (`ERR_CBOR_FLOAT_NOT_ALLOWED` underneath). `iat` and `exp` are
 * CWT NumericDates, which RFC 8392 §2 lets be floats, so they are not held to it.
 */
const NO_FLOAT_CLAIMS: readonly number[] = [StatusClaim.statusList];

function parseBase(
  bytes: Uint8Array,
  typ: string,
): { base: ParsedStatusTokenBase; claims: readonly unknown[] } {
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
  let read: ReturnType<typeof decodeFields>;
  try {
    read = decodeFields(message.payload, {}, CLAIM_KEYS, 0, undefined, NO_FLOAT_CLAIMS);
  } catch (error) {
    const cborCode = error instanceof MdlError ? error.code : 'unknown';
    throw new MdlError('ERR_STATUS_LIST_INVALID', 'status token claims are not valid CBOR', {
      details: { cborCode },
      cause: error,
    });
  }
  if (!('fields' in read)) throw bad('status token claims must be a map');
  const claims = read.fields.values;
  const sub = claims[AT.sub];
  const iat = claims[AT.iat];
  const exp = claims[AT.exp];
  const ttl = claims[AT.ttl];
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
 * @throws {@link MdlError} `ERR_STATUS_LIST_INVALID` for anything malformed; a claims CBOR error with
 * `details.cborCode` (`ERR_CBOR_FLOAT_NOT_ALLOWED` for a float in the `status_list` claim, `bits` 1.0).
 */
export async function parseStatusListToken(
  bytes: Uint8Array,
  options: { readonly maxListBytes?: number } = {},
): Promise<ParsedStatusListToken> {
  const { base, claims } = parseBase(bytes, StatusTokenType.statusList);
  const claim = claims[AT.statusList];
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
  const claim = claims[AT.identifierList];
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

/** Options of {@link verifyStatusToken}. */
export interface VerifyStatusTokenOptions {
  /** The parsed token. */
  readonly token: ParsedStatusTokenBase;
  /** The list signer's public key (its certificate chain validated by the caller). */
  readonly key: PublicKey;
  /** The time to check `iat` and `exp` against. */
  readonly now: Date;
  /** Allowed clock skew for `iat` / `exp` (default 0). */
  readonly clockSkewSeconds?: number;
  /** The MSO status entry's `uri`, which `sub` must equal. */
  readonly expectedUri?: string;
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
export async function verifyStatusToken(options: VerifyStatusTokenOptions): Promise<void> {
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
