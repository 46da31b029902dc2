import { fromBase64Url, utf8Decode } from '@mdlkit/core/cbor';
import { isMdlError, MdlError } from '@mdlkit/core/errors';
import { decryptJwe, type JweEnc } from '@mdlkit/core/online';
import {
  buildOpenId4VpDcApiHandover,
  buildOpenId4VpHandover,
  buildSessionTranscript,
  jwkSha256Thumbprint,
  type SessionTranscript,
} from '@mdlkit/core/session';
import { OnlineCheckId, OnlineChecks, type OnlineVerificationReport } from '../online/report.js';
import { type OpenId4VpState, parseOnlineState, type ReplayGuard } from '../online/state.js';
import { type OnlineDocumentOptions, verifyPresentations } from '../online/verify-presentations.js';

/**
 * The Authorization Response as it arrived: the DC API `data` object (`{ vp_token }` for `dc_api`,
 * `{ response }` for `dc_api.jwt`) or the `direct_post` form fields (`vp_token` as JSON text,
 * `state`; or `response` for `direct_post.jwt`). Error responses (`{ error }`) are reported too.
 */
export type OpenId4VpResponseInput = Readonly<Record<string, unknown>>;

/** Options for {@link verifyOpenId4VpResponse}. */
export interface VerifyOpenId4VpResponseOptions extends OnlineDocumentOptions {
  /**
   * DC API: the origin the response was received from, as your server saw it (for example the
   * `Origin` header of the page's POST). Compared with the request's origin (`ERR_ONLINE_ORIGIN_MISMATCH`).
   * The transcript is always built from the state, whatever is given here.
   */
  readonly origin?: string;
  /** Replay protection: called once with the state id; `false` fails with `ERR_ONLINE_STATE_REPLAYED`. */
  readonly replayGuard?: ReplayGuard;
  /** Largest accepted vp_token entry / JWE, in characters (default 8 MiB). */
  readonly maxResponseLength?: number;
}

const DEFAULT_MAX = 8 * 1024 * 1024;

/**
 * Verifies an OpenID4VP 1.0 response to a request made with `createOpenId4VpRequest`: checks the
 * state (expiry, replay, the `state` parameter), decrypts a `.jwt` response with the state's
 * ephemeral key (JWE ECDH-ES, A128GCM / A256GCM), builds the SessionTranscript from the state
 * (OpenID4VPDCAPIHandover or OpenID4VPHandover, OpenID4VP 1.0 B.2.6), verifies every DeviceResponse
 * with it, and checks the DCQL query is satisfied by what verified.
 *
 * @example
 * ```ts
 * const report = await verifyOpenId4VpResponse(credential.data, state, { trust, origin: 'https://verifier.example' });
 * if (report.verified) grant(report.presentations[0].report.documents[0].elements);
 * ```
 * @throws {@link MdlError} `ERR_ONLINE_STATE_INVALID` for a state object this library did not write.
 *   Every other failure is a failed check in the report.
 */
export async function verifyOpenId4VpResponse(
  response: OpenId4VpResponseInput,
  stateInput: OpenId4VpState,
  options: VerifyOpenId4VpResponseOptions,
): Promise<OnlineVerificationReport> {
  const state = parseOnlineState(stateInput);
  if (state.protocol !== 'openid4vp')
    throw new MdlError('ERR_ONLINE_STATE_INVALID', 'not an OpenID4VP state');
  const transcript = transcriptFor(state);
  const checks = new OnlineChecks();
  const done = (presentations: OnlineVerificationReport['presentations'] = []): OnlineVerificationReport => ({
    verified: !checks.failed() && presentations.length > 0 && presentations.every((p) => p.report.verified),
    protocol: 'openid4vp',
    checks: checks.list(),
    presentations,
    sessionTranscript: transcript.encoded.tagged(),
  });
  const max = options.maxResponseLength ?? DEFAULT_MAX;

  // State: expiry, replay, and for redirect flows the `state` parameter naming this transaction.
  const now = options.now ?? new Date();
  if (typeof response !== 'object' || response === null) {
    checks.fail(OnlineCheckId.STATE, 'ERR_ONLINE_RESPONSE_INVALID', 'the response is not an object');
    return done();
  }
  if (now.getTime() > Date.parse(state.expiresAt)) {
    checks.fail(
      OnlineCheckId.STATE,
      'ERR_ONLINE_STATE_EXPIRED',
      'the request expired before the response arrived',
    );
    return done();
  }
  if (options.replayGuard !== undefined && !(await options.replayGuard(state.id))) {
    checks.fail(OnlineCheckId.STATE, 'ERR_ONLINE_STATE_REPLAYED', 'this request was already answered');
    return done();
  }

  // Decryption.
  let payload: Readonly<Record<string, unknown>> = response;
  const encrypted = state.responseMode.endsWith('.jwt');
  if (encrypted) {
    if (typeof response.response !== 'string') {
      const code =
        response.error !== undefined ? 'ERR_ONLINE_WALLET_ERROR' : 'ERR_ONLINE_RESPONSE_NOT_ENCRYPTED';
      checks.fail(
        OnlineCheckId.DECRYPTION,
        code,
        'the response mode is encrypted but no JWE `response` arrived',
        walletError(response),
      );
      return done();
    }
    if (response.response.length > max) {
      checks.fail(OnlineCheckId.DECRYPTION, 'ERR_ONLINE_RESPONSE_INVALID', 'the JWE is larger than allowed');
      return done();
    }
    try {
      const decrypted = await decryptJwe({
        jwe: response.response,
        privateJwk: state.secret.decryptionKey ?? { kty: 'EC' },
        ...(typeof state.encryptionJwk?.kid === 'string' ? { expectedKid: state.encryptionJwk.kid } : {}),
        allowedEnc: state.encryptionEnc as JweEnc[],
      });
      const parsed: unknown = JSON.parse(utf8Decode(decrypted.plaintext));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new MdlError('ERR_ONLINE_RESPONSE_INVALID', 'the JWE payload is not a JSON object');
      payload = parsed as Record<string, unknown>;
    } catch (error) {
      if (isMdlError(error)) checks.failWith(OnlineCheckId.DECRYPTION, error);
      else
        checks.fail(OnlineCheckId.DECRYPTION, 'ERR_ONLINE_RESPONSE_INVALID', 'the JWE payload is not JSON');
      return done();
    }
    checks.pass(OnlineCheckId.DECRYPTION, 'the response decrypted with the request key');
  } else {
    if (typeof response.response === 'string') {
      checks.fail(
        OnlineCheckId.DECRYPTION,
        'ERR_ONLINE_RESPONSE_INVALID',
        'an encrypted response arrived for an unencrypted response mode',
      );
      return done();
    }
    checks.skip(OnlineCheckId.DECRYPTION, 'the response mode is not encrypted');
  }

  if (state.responseUri !== null) {
    if (payload.state !== state.id) {
      checks.fail(
        OnlineCheckId.STATE,
        'ERR_ONLINE_STATE_UNKNOWN',
        'the response names another transaction (`state`)',
      );
      return done();
    }
  }
  checks.pass(OnlineCheckId.STATE, 'the request state is current and names this response');

  if (state.origin !== null && options.origin !== undefined) {
    if (options.origin !== state.origin) {
      checks.fail(
        OnlineCheckId.ORIGIN,
        'ERR_ONLINE_ORIGIN_MISMATCH',
        'the response came from another origin than the request',
        {
          origin: options.origin,
        },
      );
      return done();
    }
    checks.pass(OnlineCheckId.ORIGIN, 'the response came from the request origin');
  } else {
    checks.skip(
      OnlineCheckId.ORIGIN,
      state.origin === null ? 'not a DC API flow' : 'no received origin given',
    );
  }

  // Presentations: exactly one entry per credential query that was asked (and that was answered).
  if (payload.error !== undefined) {
    checks.fail(
      OnlineCheckId.PRESENTATIONS,
      'ERR_ONLINE_WALLET_ERROR',
      'the wallet answered with an error',
      walletError(payload),
    );
    return done();
  }
  let vpToken: unknown = payload.vp_token;
  if (typeof vpToken === 'string') {
    try {
      vpToken = JSON.parse(vpToken);
    } catch {
      vpToken = undefined;
    }
  }
  if (typeof vpToken !== 'object' || vpToken === null || Array.isArray(vpToken)) {
    checks.fail(
      OnlineCheckId.PRESENTATIONS,
      'ERR_ONLINE_RESPONSE_INVALID',
      'vp_token must be a JSON object (OpenID4VP 1.0 §8.1)',
    );
    return done();
  }
  const asked = new Set(
    ((state.dcqlQuery.credentials as { id: string }[] | undefined) ?? []).map((c) => c.id),
  );
  const received: { credentialQueryId: string; deviceResponse: Uint8Array }[] = [];
  for (const [id, entries] of Object.entries(vpToken as Record<string, unknown>)) {
    if (!asked.has(id)) {
      checks.fail(
        OnlineCheckId.PRESENTATIONS,
        'ERR_ONLINE_PRESENTATION_UNEXPECTED',
        'vp_token answers a credential query that was not asked',
        {
          credentialQueryId: id,
        },
      );
      return done();
    }
    const list = Array.isArray(entries) ? entries : [entries];
    if (list.length !== 1) {
      checks.fail(
        OnlineCheckId.PRESENTATIONS,
        'ERR_ONLINE_PRESENTATION_UNEXPECTED',
        'one presentation per mdoc credential query is expected (multiple: false)',
        {
          credentialQueryId: id,
        },
      );
      return done();
    }
    const entry = list[0];
    if (
      typeof entry !== 'string' ||
      entry.length === 0 ||
      entry.length > max ||
      !/^[A-Za-z0-9_-]+$/.test(entry)
    ) {
      checks.fail(
        OnlineCheckId.PRESENTATIONS,
        'ERR_ONLINE_RESPONSE_INVALID',
        'an mso_mdoc presentation must be a base64url DeviceResponse',
        {
          credentialQueryId: id,
        },
      );
      return done();
    }
    received.push({ credentialQueryId: id, deviceResponse: fromBase64Url(entry) });
  }
  if (received.length === 0) {
    checks.fail(
      OnlineCheckId.PRESENTATIONS,
      'ERR_ONLINE_PRESENTATION_MISSING',
      'vp_token holds no presentation',
    );
    return done();
  }
  checks.pass(OnlineCheckId.PRESENTATIONS, 'one presentation per credential query answered');

  const presentations = await verifyPresentations(checks, received, transcript, state.dcqlQuery, options);
  return done(presentations);
}

/**
 * The SessionTranscript an OpenID4VP 1.0 response must be bound to, built from the verifier's own
 * state: `OpenID4VPDCAPIHandover` (origin, nonce, thumbprint) for DC API flows, `OpenID4VPHandover`
 * (client id, nonce, thumbprint, response URI) for redirect flows (OpenID4VP 1.0 B.2.6).
 *
 * @throws {@link MdlError} `ERR_ONLINE_STATE_INVALID` for an inconsistent state.
 */
export function openId4VpSessionTranscript(state: OpenId4VpState): SessionTranscript {
  return transcriptFor(state);
}

function transcriptFor(state: OpenId4VpState): SessionTranscript {
  const jwkThumbprint = state.encryptionJwk === null ? null : jwkSha256Thumbprint(state.encryptionJwk);
  try {
    const handover =
      state.origin !== null
        ? buildOpenId4VpDcApiHandover({ origin: state.origin, nonce: state.nonce, jwkThumbprint })
        : buildOpenId4VpHandover({
            clientId: state.clientId ?? '',
            nonce: state.nonce,
            jwkThumbprint,
            responseUri: state.responseUri ?? '',
          });
    return buildSessionTranscript({ deviceEngagementBytes: null, eReaderKeyBytes: null, handover });
  } catch (cause) {
    throw new MdlError('ERR_ONLINE_STATE_INVALID', 'the state does not give a valid handover', { cause });
  }
}

function walletError(r: Readonly<Record<string, unknown>>): Record<string, string> | undefined {
  return typeof r.error === 'string' ? { error: r.error.slice(0, 64) } : undefined;
}
