import { importPrivateKey } from '@mdlkit/core/crypto';
import { isMdlError, MdlError } from '@mdlkit/core/errors';
import { hpkeOpen, parseEncryptedResponse } from '@mdlkit/core/online';
import { OnlineCheckId, OnlineChecks, type OnlineVerificationReport } from '../online/report.js';
import { type AnnexCState, parseOnlineState, type ReplayGuard } from '../online/state.js';
import { type OnlineDocumentOptions, verifyPresentations } from '../online/verify-presentations.js';
import { annexCTranscript } from './create-annex-c-request.js';

/** The DC API `data` of an Annex C answer: `{ response: base64url(EncryptedResponse) }` (or that string). */
export type AnnexCResponseInput = Readonly<Record<string, unknown>> | string;

/** Options for {@link verifyAnnexCResponse}. */
export interface VerifyAnnexCResponseOptions extends OnlineDocumentOptions {
  /** The origin the response was received from, as your server saw it (`ERR_ONLINE_ORIGIN_MISMATCH`). */
  readonly origin?: string;
  /** Replay protection: called once with the state id; `false` fails with `ERR_ONLINE_STATE_REPLAYED`. */
  readonly replayGuard?: ReplayGuard;
}

/**
 * Verifies an ISO/IEC TS 18013-7 Annex C answer: checks the state, opens the HPKE
 * EncryptedResponse (DHKEM(P-256, HKDF-SHA256) / HKDF-SHA256 / AES-128-GCM, `info` = the CBOR
 * SessionTranscript the verifier built from its own state), verifies the DeviceResponse with that
 * transcript and checks the request is satisfied by what verified.
 *
 * @example
 * ```ts
 * const report = await verifyAnnexCResponse(credential.data, state, { trust });
 * ```
 * @throws {@link MdlError} `ERR_ONLINE_STATE_INVALID` for a state this library did not write; every
 *   other failure is a failed check in the report.
 */
export async function verifyAnnexCResponse(
  response: AnnexCResponseInput,
  stateInput: AnnexCState,
  options: VerifyAnnexCResponseOptions,
): Promise<OnlineVerificationReport> {
  const state = parseOnlineState(stateInput);
  if (state.protocol !== 'annex-c') throw new MdlError('ERR_ONLINE_STATE_INVALID', 'not an Annex C state');
  let transcript: ReturnType<typeof annexCTranscript>;
  try {
    transcript = annexCTranscript(state.encryptionInfo, state.origin);
  } catch (cause) {
    throw new MdlError('ERR_ONLINE_STATE_INVALID', 'the state does not give a valid handover', { cause });
  }
  const checks = new OnlineChecks();
  const done = (presentations: OnlineVerificationReport['presentations'] = []): OnlineVerificationReport => ({
    verified: !checks.failed() && presentations.length > 0 && presentations.every((p) => p.report.verified),
    protocol: 'annex-c',
    checks: checks.list(),
    presentations,
    sessionTranscript: transcript.encoded.tagged(),
  });

  const now = options.now ?? new Date();
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
  checks.pass(OnlineCheckId.STATE, 'the request state is current');

  const text = typeof response === 'string' ? response : response?.response;
  if (typeof response === 'object' && response !== null && typeof response.error === 'string') {
    checks.fail(OnlineCheckId.DECRYPTION, 'ERR_ONLINE_WALLET_ERROR', 'the wallet answered with an error', {
      error: response.error.slice(0, 64),
    });
    return done();
  }
  let deviceResponse: Uint8Array;
  try {
    const encrypted = parseEncryptedResponse(text as string);
    deviceResponse = await hpkeOpen({
      recipientPrivateKey: importPrivateKey({
        format: 'jwk',
        jwk: state.secret.decryptionKey ?? { kty: 'EC' },
      }),
      enc: encrypted.enc,
      ciphertext: encrypted.cipherText,
      // 18013-7 Annex C: info = the CBOR SessionTranscript (the array, not tag 24), aad empty.
      info: transcript.encoded.bytes,
    });
  } catch (error) {
    if (!isMdlError(error)) throw error;
    const code = error.code === 'ERR_CRYPTO_DECRYPT_FAILED' ? 'ERR_ONLINE_DECRYPTION_FAILED' : error.code;
    checks.fail(OnlineCheckId.DECRYPTION, code, error.message);
    return done();
  }
  checks.pass(OnlineCheckId.DECRYPTION, 'the EncryptedResponse opened with the request key and transcript');

  if (options.origin !== undefined) {
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
  } else checks.skip(OnlineCheckId.ORIGIN, 'no received origin given');

  checks.pass(OnlineCheckId.PRESENTATIONS, 'one DeviceResponse received');
  const byDocType = new Map<string, string>();
  for (const c of (state.dcqlQuery.credentials as
    | { id: string; meta?: { doctype_value?: string } }[]
    | undefined) ?? []) {
    if (typeof c.meta?.doctype_value === 'string') byDocType.set(c.meta.doctype_value, c.id);
  }
  const firstId = byDocType.values().next().value ?? 'doc';
  const presentations = await verifyPresentations(
    checks,
    [{ credentialQueryId: firstId, deviceResponse }],
    transcript,
    state.dcqlQuery,
    options,
    (docType) => byDocType.get(docType),
  );
  return done(presentations);
}
