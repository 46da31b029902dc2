import { toBase64Url } from '@mdlkit/core/cbor';
import {
  type AnyCoseSigner,
  randomBytes as defaultRandomBytes,
  digest,
  exportPrivateKey,
  exportPublicKey,
  generateKeyPair,
  type Jwk,
} from '@mdlkit/core/crypto';
import { JweEnc, signJwsCompact } from '@mdlkit/core/online';
import { parseCertificate } from '@mdlkit/pki';
import { dcqlQueryForIntents, invalid, type PresentationIntent } from '../online/intent.js';
import type { OpenId4VpState } from '../online/state.js';

/** OpenID4VP 1.0 response modes mdlkit builds requests for. */
export type OpenId4VpResponseMode = OpenId4VpState['responseMode'];

/** How the verifier signs the request (a JAR, RFC 9101) and names itself. */
export interface OpenId4VpSigning {
  /** The reader key, behind the core signer port (local, KMS, HSM). */
  readonly signer: AnyCoseSigner;
  /** DER certificates, leaf first; sent as the JWS `x5c` header. */
  readonly certificateChain: readonly Uint8Array[];
  /**
   * The Client Identifier Prefix (OpenID4VP 1.0 §5.9.3): `x509_san_dns` (a DNS name in the leaf's
   * subjectAltName) or `x509_hash` (base64url SHA-256 of the leaf DER).
   */
  readonly clientIdPrefix: 'x509_san_dns' | 'x509_hash';
  /** For `x509_san_dns`: which SAN dNSName to use (default the first). */
  readonly dnsName?: string;
}

/** Options for {@link createOpenId4VpRequest}. */
export interface CreateOpenId4VpRequestOptions {
  /** What to ask for: one intent per credential query. */
  readonly intent: PresentationIntent | readonly PresentationIntent[];
  /** `dc_api` / `dc_api.jwt` (Digital Credentials API) or `direct_post` / `direct_post.jwt` (redirects). */
  readonly responseMode: OpenId4VpResponseMode;
  /** DC API: the verifier page's origin, e.g. `https://verifier.example` (required for `dc_api*`). */
  readonly origin?: string;
  /** DC API signed requests: `expected_origins` (default `[origin]`). */
  readonly expectedOrigins?: readonly string[];
  /** Redirect flows: the `response_uri` the wallet posts to (required for `direct_post*`). */
  readonly responseUri?: string;
  /**
   * Redirect flows without signing: the `client_id` (default `redirect_uri:<responseUri>`, which
   * OpenID4VP 1.0 §5.9.3 only allows unsigned).
   */
  readonly clientId?: string;
  /** Sign the request as a JAR with an x5c reader certificate. */
  readonly signing?: OpenId4VpSigning;
  /** `.jwt` modes: accepted content encryption (default `['A128GCM', 'A256GCM']`, HAIP). */
  readonly encryptionEnc?: readonly JweEnc[];
  /** Extra `client_metadata` members (e.g. `client_name`); `jwks` and the encryption lists are set here. */
  readonly clientMetadata?: Readonly<Record<string, unknown>>;
  /** How long the state is valid (default 300 s). */
  readonly lifetimeSeconds?: number;
  /** Time of the request (default now). */
  readonly now?: Date;
  /** Random source for the nonce, the state id and the ephemeral key (default the CSPRNG). */
  readonly randomBytes?: (length: number) => Uint8Array;
}

/** The Digital Credentials API request (`navigator.credentials.get({ digital: { requests: [this] } })`). */
export interface DcApiOpenId4VpRequest {
  readonly protocol: 'openid4vp-v1-unsigned' | 'openid4vp-v1-signed';
  readonly data: Readonly<Record<string, unknown>>;
}

/** What {@link createOpenId4VpRequest} returns. */
export interface CreatedOpenId4VpRequest {
  /** DC API flows: the request to hand to the browser. */
  readonly dcApi?: DcApiOpenId4VpRequest;
  /**
   * Redirect flows: the Authorization Request parameters (request by value), to put in the wallet
   * URL (`openid4vp://?…`) or a QR code.
   */
  readonly authorizationRequest?: Readonly<Record<string, string>>;
  /** The request parameters as the wallet reads them (the JAR payload for signed requests). */
  readonly requestObject: Readonly<Record<string, unknown>>;
  /** Keep this server-side until the response arrives (it holds the decryption key under `secret`). */
  readonly state: OpenId4VpState;
}

const MODES: readonly OpenId4VpResponseMode[] = ['dc_api', 'dc_api.jwt', 'direct_post', 'direct_post.jwt'];

/**
 * Builds an OpenID4VP 1.0 request for mdocs: a DCQL query (`mso_mdoc`, claims by namespace and
 * element, `trusted_authorities` by AKI), unsigned or signed as a JAR with an `x5c` reader
 * certificate and an `x509_san_dns:` / `x509_hash:` client id, `expected_origins` for signed DC API
 * requests, and a fresh P-256 response-encryption key for the `.jwt` modes (OpenID4VP 1.0 §5,
 * §6, §8.3, Appendix A; HAIP 1.0).
 *
 * @example
 * ```ts
 * const { dcApi, state } = await createOpenId4VpRequest({
 *   intent: { docType: 'org.iso.18013.5.1.mDL', elements: { 'org.iso.18013.5.1': { age_over_21: false } } },
 *   responseMode: 'dc_api.jwt',
 *   origin: 'https://verifier.example',
 * });
 * await store.put(state.id, JSON.stringify(state));
 * ```
 * @throws {@link MdlError} `ERR_ONLINE_REQUEST_INVALID` for inconsistent options; the signer's errors.
 */
export async function createOpenId4VpRequest(
  options: CreateOpenId4VpRequestOptions,
): Promise<CreatedOpenId4VpRequest> {
  const mode = options?.responseMode;
  if (!MODES.includes(mode))
    invalid('responseMode must be dc_api, dc_api.jwt, direct_post or direct_post.jwt', 'responseMode');
  const dcApi = mode === 'dc_api' || mode === 'dc_api.jwt';
  const encrypted = mode.endsWith('.jwt');
  const random = options.randomBytes ?? defaultRandomBytes;
  const now = options.now ?? new Date();
  const lifetime = options.lifetimeSeconds ?? 300;
  if (!Number.isFinite(lifetime) || lifetime <= 0)
    invalid('lifetimeSeconds must be positive', 'lifetimeSeconds');

  const intents = Array.isArray(options.intent)
    ? (options.intent as readonly PresentationIntent[])
    : [options.intent as PresentationIntent];
  const dcqlQuery = dcqlQueryForIntents(intents);

  let origin: string | null = null;
  if (dcApi) origin = checkedOrigin(options.origin);
  let responseUri: string | null = null;
  if (!dcApi) {
    if (typeof options.responseUri !== 'string' || !/^https?:\/\//.test(options.responseUri)) {
      invalid('direct_post flows need an http(s) responseUri', 'responseUri');
    }
    responseUri = options.responseUri;
  }

  let clientId: string | null = null;
  if (options.signing !== undefined) clientId = clientIdFor(options.signing);
  else if (!dcApi) clientId = options.clientId ?? `redirect_uri:${responseUri}`;
  if (options.signing === undefined && options.clientId !== undefined && dcApi) {
    invalid('unsigned DC API requests carry no client_id (OpenID4VP 1.0 A.2)', 'clientId');
  }

  const enc = [...(options.encryptionEnc ?? [JweEnc.A128GCM, JweEnc.A256GCM])];
  if (enc.length === 0 || enc.some((e) => e !== 'A128GCM' && e !== 'A256GCM')) {
    invalid('encryptionEnc must list A128GCM and/or A256GCM', 'encryptionEnc');
  }
  let encryptionJwk: Jwk | null = null;
  let decryptionKey: Jwk | null = null;
  if (encrypted) {
    const pair = generateKeyPair({ curve: 'P-256', randomBytes: random });
    const kid = toBase64Url(random(8));
    encryptionJwk = { ...exportPublicKey(pair.publicKey, 'jwk'), kid, use: 'enc', alg: 'ECDH-ES' };
    decryptionKey = { ...exportPrivateKey(pair.privateKey, 'jwk'), kid };
  }

  const nonce = toBase64Url(random(32));
  const id = toBase64Url(random(16));
  const clientMetadata: Record<string, unknown> = {
    ...(options.clientMetadata ?? {}),
    vp_formats_supported: {
      mso_mdoc: { issuerauth_alg_values: [-7, -35, -36, -8], deviceauth_alg_values: [-7, -35, -36, -8] },
    },
  };
  if (encryptionJwk !== null) {
    clientMetadata.jwks = { keys: [encryptionJwk] };
    clientMetadata.encrypted_response_enc_values_supported = enc;
  }

  const requestObject: Record<string, unknown> = {
    response_type: 'vp_token',
    response_mode: mode,
    nonce,
    dcql_query: dcqlQuery,
    client_metadata: clientMetadata,
  };
  if (clientId !== null) requestObject.client_id = clientId;
  if (responseUri !== null) {
    requestObject.response_uri = responseUri;
    requestObject.state = id;
  }
  if (dcApi && options.signing !== undefined) {
    requestObject.expected_origins = [...(options.expectedOrigins ?? [origin as string])];
  }

  let jar: string | undefined;
  if (options.signing !== undefined) {
    const x5c = options.signing.certificateChain.map((der) => bytesToStdBase64(der));
    const payload = dcApi
      ? requestObject
      : { ...requestObject, aud: 'https://self-issued.me/v2', iat: Math.floor(now.getTime() / 1000) };
    jar = await signJwsCompact({
      payload,
      header: { typ: 'oauth-authz-req+jwt', x5c },
      signer: options.signing.signer,
    });
  }

  const state: OpenId4VpState = {
    version: 1,
    protocol: 'openid4vp',
    id,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + lifetime * 1000).toISOString(),
    dcqlQuery,
    responseMode: mode,
    nonce,
    clientId,
    origin,
    responseUri,
    encryptionJwk,
    encryptionEnc: encrypted ? enc : [],
    secret: { decryptionKey },
  };

  if (dcApi) {
    const data = jar === undefined ? requestObject : { request: jar };
    return {
      dcApi: { protocol: jar === undefined ? 'openid4vp-v1-unsigned' : 'openid4vp-v1-signed', data },
      requestObject,
      state,
    };
  }
  const authorizationRequest: Record<string, string> =
    jar === undefined
      ? Object.fromEntries(
          Object.entries(requestObject).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
        )
      : { client_id: clientId as string, request: jar };
  return { authorizationRequest, requestObject, state };
}

function checkedOrigin(value: unknown): string {
  if (typeof value !== 'string') invalid('DC API requests need the origin of the verifier page', 'origin');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return invalid('origin must be a serialized origin such as https://verifier.example', 'origin');
  }
  if (url.origin !== value)
    invalid('origin must be a serialized origin (scheme://host[:port], no path)', 'origin');
  return value;
}

function clientIdFor(signing: OpenId4VpSigning): string {
  const leaf = signing.certificateChain?.[0];
  if (!(leaf instanceof Uint8Array))
    invalid('signing needs the reader certificate chain, leaf first', 'signing.certificateChain');
  if (signing.clientIdPrefix === 'x509_hash') return `x509_hash:${toBase64Url(digest('SHA-256', leaf))}`;
  if (signing.clientIdPrefix !== 'x509_san_dns')
    invalid('clientIdPrefix must be x509_san_dns or x509_hash', 'signing.clientIdPrefix');
  const names = (parseCertificate(leaf).subjectAltName ?? [])
    .filter((n) => n.form === 'dNSName')
    .map((n) => n.value);
  const name = signing.dnsName ?? names[0];
  if (name === undefined || !names.includes(name)) {
    invalid('x509_san_dns needs a dNSName in the reader certificate subjectAltName', 'signing.dnsName');
  }
  return `x509_san_dns:${name}`;
}

function bytesToStdBase64(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}
