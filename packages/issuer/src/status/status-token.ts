import { encodeCbor, toHex } from '@mdlkit/core/cbor';
import { CoseHeader, signCoseSign1, x5chainValue } from '@mdlkit/core/cose';
import type { AnyCoseSigner } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { StatusClaim, type StatusList, StatusTokenType } from '@mdlkit/core/status';
import type { KeyOrder } from '../items/create-issuer-signed-items.js';

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
