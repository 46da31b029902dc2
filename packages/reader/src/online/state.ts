import type { Jwk } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';

/**
 * The part of an online request state that must stay secret (ephemeral private keys). Store it
 * encrypted or in a secret store; never send it to the browser. Everything outside `secret` is safe
 * to log.
 */
export interface OnlineStateSecret {
  /** The ephemeral private key (JWK) that decrypts the response, or `null` when the response is not encrypted. */
  readonly decryptionKey: Jwk | null;
}

/** Fields every online request state carries. */
export interface OnlineStateBase {
  /** Format version of this object. */
  readonly version: 1;
  /** A random transaction id (also the OpenID4VP `state` parameter of redirect flows). */
  readonly id: string;
  /** ISO time the request was made. */
  readonly createdAt: string;
  /** ISO time after which a response is refused (`ERR_ONLINE_STATE_EXPIRED`). */
  readonly expiresAt: string;
  /** The DCQL query the response must satisfy (as sent, or derived from the intent for Annex C). */
  readonly dcqlQuery: Readonly<Record<string, unknown>>;
  /** Ephemeral secrets — see {@link OnlineStateSecret}. */
  readonly secret: OnlineStateSecret;
}

/** OpenID4VP 1.0 request state (DC API or redirect flows). */
export interface OpenId4VpState extends OnlineStateBase {
  readonly protocol: 'openid4vp';
  readonly responseMode: 'dc_api' | 'dc_api.jwt' | 'direct_post' | 'direct_post.jwt';
  /** The `nonce` request parameter. */
  readonly nonce: string;
  /** The `client_id` with its prefix (signed and redirect requests), `null` for unsigned DC API requests. */
  readonly clientId: string | null;
  /** The origin the DC API request is made from (DC API flows), else `null`. */
  readonly origin: string | null;
  /** The `response_uri` (redirect flows), else `null`. */
  readonly responseUri: string | null;
  /** The public response-encryption JWK published in `client_metadata.jwks` (`.jwt` modes), else `null`. */
  readonly encryptionJwk: Jwk | null;
  /** The `encrypted_response_enc_values_supported` sent. */
  readonly encryptionEnc: readonly ('A128GCM' | 'A256GCM')[];
}

/** ISO/IEC 18013-7 Annex C request state. */
export interface AnnexCState extends OnlineStateBase {
  readonly protocol: 'annex-c';
  /** The origin the DC API request is made from. */
  readonly origin: string;
  /** The base64url `encryptionInfo` exactly as sent (it goes into the transcript as text). */
  readonly encryptionInfo: string;
  /** The base64url `deviceRequest` as sent. */
  readonly deviceRequest: string;
}

/** Any online request state. */
export type OnlineState = OpenId4VpState | AnnexCState;

/** The JSON paths of the secret members of a state (for stores that encrypt fields). */
export const ONLINE_STATE_SECRET_PATHS: readonly string[] = ['secret.decryptionKey'];

/**
 * Reads a state object back from JSON (a server fleet's store) and checks its shape.
 *
 * @example
 * ```ts
 * const state = parseOnlineState(JSON.parse(await store.get(id)));
 * ```
 * @throws {@link MdlError} `ERR_ONLINE_STATE_INVALID` for anything that is not a state this version wrote.
 */
export function parseOnlineState(input: unknown): OnlineState {
  const s = input as Record<string, unknown> | null;
  const fail = (why: string): never => {
    throw new MdlError('ERR_ONLINE_STATE_INVALID', why);
  };
  if (typeof s !== 'object' || s === null || s.version !== 1) fail('not an mdlkit online state (version 1)');
  const st = s as Record<string, unknown>;
  if (st.protocol !== 'openid4vp' && st.protocol !== 'annex-c') fail('unknown protocol');
  for (const k of ['id', 'createdAt', 'expiresAt'])
    if (typeof st[k] !== 'string') fail(`${k} must be a string`);
  if (typeof st.dcqlQuery !== 'object' || st.dcqlQuery === null) fail('dcqlQuery missing');
  const secret = st.secret as Record<string, unknown> | undefined;
  if (typeof secret !== 'object' || secret === null || !('decryptionKey' in secret)) fail('secret missing');
  if (st.protocol === 'openid4vp') {
    if (!['dc_api', 'dc_api.jwt', 'direct_post', 'direct_post.jwt'].includes(String(st.responseMode)))
      fail('responseMode');
    if (typeof st.nonce !== 'string') fail('nonce missing');
  } else {
    for (const k of ['origin', 'encryptionInfo', 'deviceRequest'])
      if (typeof st[k] !== 'string') fail(`${k} missing`);
    if (secret?.decryptionKey === null) fail('Annex C state needs its decryption key');
  }
  return s as unknown as OnlineState;
}

/** Replay protection hook: return `true` the first time a state id is used, `false` after. */
export type ReplayGuard = (stateId: string) => boolean | Promise<boolean>;
