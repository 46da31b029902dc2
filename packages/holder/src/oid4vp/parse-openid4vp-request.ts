import { toBase64Url } from '@mdlkit/core/cbor';
import { digest, importPublicKey, type Jwk } from '@mdlkit/core/crypto';
import { isMdlError, MdlError } from '@mdlkit/core/errors';
import { type DcqlQueryModel, parseDcqlQuery, peekJwsCompact, verifyJwsCompact } from '@mdlkit/core/online';
import {
  parseCertificate,
  type TrustStore,
  type ValidationPolicy,
  validateCertificatePath,
} from '@mdlkit/pki';

/** The response modes a wallet can answer. */
export type OpenId4VpResponseMode = 'dc_api' | 'dc_api.jwt' | 'direct_post' | 'direct_post.jwt';

/** Options for {@link parseOpenId4VpRequest}. */
export interface ParseOpenId4VpRequestOptions {
  /**
   * The request: the DC API `{ protocol, data }` (`openid4vp-v1-unsigned` / `openid4vp-v1-signed`), or
   * the Authorization Request parameters of a redirect flow (`{ client_id, request }` or all
   * parameters, JSON-valued ones as text).
   */
  readonly request: object;
  /** DC API: the verifier origin the platform (browser / OS) asserts. Required for DC API requests. */
  readonly origin?: string;
  /** Trusted reader roots: a signed request's `x5c` must chain to one (`ERR_ONLINE_REQUEST_UNTRUSTED`). */
  readonly readerTrust?: TrustStore;
  /** Refuse unsigned requests (`ERR_ONLINE_REQUEST_UNTRUSTED`). Default false. */
  readonly requireSigned?: boolean;
  /** Time for certificate validation (default now). */
  readonly now?: Date;
  /** Annex B policy for the reader certificate (default `strict`). */
  readonly policy?: ValidationPolicy;
}

/** A checked OpenID4VP request, ready to answer. */
export interface ParsedOpenId4VpRequest {
  readonly flow: 'dc-api' | 'redirect';
  readonly responseMode: OpenId4VpResponseMode;
  readonly nonce: string;
  /** `client_id` with its prefix; `null` for unsigned DC API requests. */
  readonly clientId: string | null;
  /** DC API: the platform-asserted origin; else `null`. */
  readonly origin: string | null;
  /** Redirect flows: `response_uri` and `state`. */
  readonly responseUri: string | null;
  readonly state: string | null;
  /** The validated DCQL query. */
  readonly dcqlQuery: DcqlQueryModel;
  /** `.jwt` modes: the verifier's encryption key and the `enc` to use. */
  readonly encryption: { readonly jwk: Jwk; readonly enc: 'A128GCM' | 'A256GCM' } | null;
  /** How the verifier was authenticated. */
  readonly verifier:
    | { readonly status: 'unsigned' }
    | { readonly status: 'not-checked'; readonly certificateChain: readonly Uint8Array[] }
    | {
        readonly status: 'verified';
        readonly certificateChain: readonly Uint8Array[];
        readonly name: string | undefined;
      };
}

type FailCode =
  | 'ERR_ONLINE_REQUEST_INVALID'
  | 'ERR_ONLINE_REQUEST_UNTRUSTED'
  | 'ERR_ONLINE_CLIENT_ID_MISMATCH'
  | 'ERR_ONLINE_ORIGIN_NOT_EXPECTED';

function fail(code: FailCode, why: string, details?: Record<string, string>): never {
  throw new MdlError(code, why, details === undefined ? {} : { details });
}

/**
 * Parses and checks an OpenID4VP 1.0 request on the wallet side: for a signed request, the JWS
 * against the `x5c` leaf, the chain against the reader trust, the `client_id` against the
 * certificate (`x509_san_dns` / `x509_hash`), and `expected_origins` against the platform origin
 * (OpenID4VP 1.0 §5.9.3, Appendix A.2); then the DCQL query and the response-encryption metadata.
 *
 * @example
 * ```ts
 * const request = await parseOpenId4VpRequest({ request: dcApiRequest, origin: 'https://verifier.example', readerTrust });
 * ```
 * @throws {@link MdlError} `ERR_ONLINE_REQUEST_INVALID`, `ERR_ONLINE_REQUEST_SIGNATURE_INVALID`,
 *   `ERR_ONLINE_REQUEST_UNTRUSTED`, `ERR_ONLINE_CLIENT_ID_MISMATCH`, `ERR_ONLINE_ORIGIN_NOT_EXPECTED`.
 */
export async function parseOpenId4VpRequest(
  options: ParseOpenId4VpRequestOptions,
): Promise<ParsedOpenId4VpRequest> {
  const input = options?.request as Readonly<Record<string, unknown>> | null | undefined;
  if (typeof input !== 'object' || input === null)
    fail('ERR_ONLINE_REQUEST_INVALID', 'the request must be an object');
  const isDcApi = typeof input.protocol === 'string';
  let params: Record<string, unknown>;
  let jws: string | undefined;
  if (isDcApi) {
    if (input.protocol !== 'openid4vp-v1-unsigned' && input.protocol !== 'openid4vp-v1-signed') {
      fail('ERR_ONLINE_REQUEST_INVALID', 'unsupported DC API protocol', {
        protocol: String(input.protocol).slice(0, 64),
      });
    }
    const data = input.data as Record<string, unknown> | undefined;
    if (typeof data !== 'object' || data === null)
      fail('ERR_ONLINE_REQUEST_INVALID', 'the DC API request has no data');
    if (input.protocol === 'openid4vp-v1-signed') {
      if (typeof data.request !== 'string')
        fail('ERR_ONLINE_REQUEST_INVALID', 'a signed request carries `request`');
      jws = data.request;
      params = {};
    } else params = { ...data };
    if (typeof options.origin !== 'string' || options.origin.length === 0) {
      fail('ERR_ONLINE_REQUEST_INVALID', 'DC API requests need the platform-asserted origin');
    }
  } else {
    params = { ...input };
    if (typeof params.request === 'string') jws = params.request;
  }

  let verifier: ParsedOpenId4VpRequest['verifier'] = { status: 'unsigned' };
  if (jws !== undefined) {
    const peeked = peekJwsCompact(jws);
    const x5c = peeked.protectedHeader.x5c;
    if (!Array.isArray(x5c) || x5c.length === 0 || !x5c.every((c) => typeof c === 'string')) {
      fail('ERR_ONLINE_REQUEST_INVALID', 'a signed request needs an x5c header');
    }
    const chain = (x5c as string[]).map(stdBase64ToBytes);
    const leaf = parseCertificate(chain[0]!);
    await verifyJwsCompact({
      jws,
      publicKey: importPublicKey({ format: 'spki', der: leaf.publicKeyInfo.spki }),
    });
    const payload = peeked.payload as Record<string, unknown>;
    if (!isDcApi && typeof params.client_id === 'string' && params.client_id !== payload.client_id) {
      fail(
        'ERR_ONLINE_CLIENT_ID_MISMATCH',
        'the client_id outside the request object differs from the signed one',
      );
    }
    params = { ...payload };
    const clientId = params.client_id;
    if (typeof clientId !== 'string') fail('ERR_ONLINE_REQUEST_INVALID', 'a signed request needs client_id');
    checkClientId(clientId, chain[0]!, leaf.subjectAltName ?? []);
    if (options.readerTrust !== undefined) {
      const result = await validateCertificatePath({
        chain,
        trustStore: options.readerTrust,
        now: options.now ?? new Date(),
        profile: 'reader-auth',
        policy: options.policy ?? 'strict',
      });
      if (!result.valid)
        fail(
          'ERR_ONLINE_REQUEST_UNTRUSTED',
          'the reader certificate does not chain to a trusted reader root',
        );
      verifier = { status: 'verified', certificateChain: chain, name: result.subject.commonName };
    } else verifier = { status: 'not-checked', certificateChain: chain };
    if (isDcApi) {
      const expected = params.expected_origins;
      if (!Array.isArray(expected) || expected.length === 0) {
        fail('ERR_ONLINE_REQUEST_INVALID', 'a signed DC API request needs expected_origins');
      }
      // OpenID4VP 1.0 A.2: plain string comparison, no normalisation.
      if (!expected.includes(options.origin)) {
        fail('ERR_ONLINE_ORIGIN_NOT_EXPECTED', 'the calling origin is not one of expected_origins', {
          origin: String(options.origin).slice(0, 256),
        });
      }
    }
  } else if (options.requireSigned === true) {
    fail('ERR_ONLINE_REQUEST_UNTRUSTED', 'unsigned requests are refused');
  }

  const mode = params.response_mode;
  const modes: readonly string[] = isDcApi ? ['dc_api', 'dc_api.jwt'] : ['direct_post', 'direct_post.jwt'];
  if (typeof mode !== 'string' || !modes.includes(mode))
    fail('ERR_ONLINE_REQUEST_INVALID', 'unsupported response_mode');
  if (params.response_type !== 'vp_token')
    fail('ERR_ONLINE_REQUEST_INVALID', 'response_type must be vp_token');
  if (typeof params.nonce !== 'string' || params.nonce.length === 0)
    fail('ERR_ONLINE_REQUEST_INVALID', 'nonce missing');
  const dcql = parseDcqlQuery(jsonParam(params.dcql_query, 'dcql_query'));
  const metadata = jsonParam(params.client_metadata ?? {}, 'client_metadata') as Record<string, unknown>;

  let encryption: ParsedOpenId4VpRequest['encryption'] = null;
  if (mode.endsWith('.jwt')) {
    const keys = (metadata.jwks as { keys?: unknown } | undefined)?.keys;
    const jwk = Array.isArray(keys)
      ? (keys as Jwk[]).find(
          (k) => k?.kty === 'EC' && k.crv === 'P-256' && (k.alg === undefined || k.alg === 'ECDH-ES'),
        )
      : undefined;
    if (jwk === undefined)
      fail(
        'ERR_ONLINE_REQUEST_INVALID',
        'an encrypted response mode needs a P-256 ECDH-ES key in client_metadata.jwks',
      );
    const offered = metadata.encrypted_response_enc_values_supported;
    const list = Array.isArray(offered) ? offered : ['A128GCM'];
    const enc = list.find((e) => e === 'A128GCM' || e === 'A256GCM') as 'A128GCM' | 'A256GCM' | undefined;
    if (enc === undefined)
      fail('ERR_ONLINE_REQUEST_INVALID', 'no supported encrypted_response_enc_values_supported');
    encryption = { jwk, enc };
  }

  let responseUri: string | null = null;
  if (!isDcApi) {
    if (typeof params.response_uri !== 'string')
      fail('ERR_ONLINE_REQUEST_INVALID', 'direct_post needs response_uri');
    responseUri = params.response_uri;
    if (typeof params.client_id !== 'string') fail('ERR_ONLINE_REQUEST_INVALID', 'client_id missing');
    if (
      jws === undefined &&
      params.client_id.startsWith('redirect_uri:') &&
      params.client_id !== `redirect_uri:${responseUri}`
    ) {
      fail('ERR_ONLINE_CLIENT_ID_MISMATCH', 'a redirect_uri client_id must equal the response_uri');
    }
  }
  return {
    flow: isDcApi ? 'dc-api' : 'redirect',
    responseMode: mode as OpenId4VpResponseMode,
    nonce: params.nonce,
    // OpenID4VP 1.0 A.2: an unsigned DC API request's client_id is ignored.
    clientId: isDcApi && jws === undefined ? null : (params.client_id as string),
    origin: isDcApi ? (options.origin as string) : null,
    responseUri,
    state: typeof params.state === 'string' ? params.state : null,
    dcqlQuery: dcql,
    encryption,
    verifier,
  };
}

function checkClientId(
  clientId: string,
  leafDer: Uint8Array,
  san: readonly { form: string; value: string }[],
): void {
  if (clientId.startsWith('x509_san_dns:')) {
    const name = clientId.slice('x509_san_dns:'.length);
    if (!san.some((n) => n.form === 'dNSName' && n.value === name)) {
      fail(
        'ERR_ONLINE_CLIENT_ID_MISMATCH',
        'the x509_san_dns client_id is not a dNSName of the reader certificate',
      );
    }
  } else if (clientId.startsWith('x509_hash:')) {
    if (clientId.slice('x509_hash:'.length) !== toBase64Url(digest('SHA-256', leafDer))) {
      fail(
        'ERR_ONLINE_CLIENT_ID_MISMATCH',
        'the x509_hash client_id is not the hash of the reader certificate',
      );
    }
  } else {
    fail('ERR_ONLINE_CLIENT_ID_MISMATCH', 'signed requests need an x509_san_dns: or x509_hash: client_id');
  }
}

function jsonParam(value: unknown, name: string): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch (cause) {
    if (isMdlError(cause)) throw cause;
    return fail('ERR_ONLINE_REQUEST_INVALID', `${name} is not JSON`);
  }
}

function stdBase64ToBytes(text: string): Uint8Array {
  let bin: string;
  try {
    bin = atob(text);
  } catch {
    return fail('ERR_ONLINE_REQUEST_INVALID', 'x5c entries must be base64 DER');
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
