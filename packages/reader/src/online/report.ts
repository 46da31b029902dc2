import type { ErrorCode, MdlErrorDetails } from '@mdlkit/core/errors';
import { MdlError } from '@mdlkit/core/errors';
import type { CheckStatus, VerificationReport } from '../report/report.js';

/**
 * Protocol-level checks of an online presentation, in the order they run. Each failure carries
 * its own {@link ErrorCode}.
 */
export const OnlineCheckId = {
  /** The state is well-formed, unexpired, used once, and the response names it (`ERR_ONLINE_STATE_*`). */
  STATE: 'online-state',
  /** The response decrypted with the request's ephemeral key (`ERR_ONLINE_DECRYPTION_FAILED`, `ERR_ONLINE_ENCRYPTION_*`). */
  DECRYPTION: 'online-decryption',
  /** The origin the response came from is the origin of the request (`ERR_ONLINE_ORIGIN_MISMATCH`). */
  ORIGIN: 'online-origin',
  /** One presentation per credential query asked, none extra (`ERR_ONLINE_PRESENTATION_*`, `ERR_ONLINE_WALLET_ERROR`). */
  PRESENTATIONS: 'online-presentations',
  /**
   * Every presentation is bound to this request: its device authentication verifies over the
   * SessionTranscript the verifier built from its own state — nonce, origin or client id, response
   * URI and encryption-key thumbprint (`ERR_ONLINE_TRANSCRIPT_MISMATCH`).
   */
  SESSION_BINDING: 'online-session-binding',
  /** The verified elements satisfy the DCQL query (`ERR_ONLINE_QUERY_NOT_SATISFIED`). */
  QUERY: 'online-query',
} as const;
/** One of {@link OnlineCheckId}. */
export type OnlineCheckId = (typeof OnlineCheckId)[keyof typeof OnlineCheckId];

/** One protocol check. */
export interface OnlineCheckResult {
  readonly id: OnlineCheckId;
  readonly status: CheckStatus;
  readonly code?: ErrorCode;
  readonly message: string;
  readonly details?: MdlErrorDetails;
}

/** One presentation of the response (a DeviceResponse) with its document report. */
export interface OnlinePresentation {
  /** The DCQL credential query id it answers. */
  readonly credentialQueryId: string;
  /** The DeviceResponse bytes exactly as received (after decryption). */
  readonly deviceResponse: Uint8Array;
  /** `verifyDeviceResponse`'s report for it. */
  readonly report: VerificationReport;
}

/** The result of an online verification: protocol checks first, then each presentation's documents. */
export interface OnlineVerificationReport {
  /** True only when every protocol check passed and every presentation verified. */
  readonly verified: boolean;
  readonly protocol: 'openid4vp' | 'annex-c';
  /** Protocol checks in {@link OnlineCheckId} order. */
  readonly checks: readonly OnlineCheckResult[];
  /** The presentations that could be read (empty when decryption or parsing failed). */
  readonly presentations: readonly OnlinePresentation[];
  /**
   * The SessionTranscript the verifier built from its state, as SessionTranscriptBytes (tag 24),
   * the same form as a proximity `session-transcript.cbor`.
   */
  readonly sessionTranscript: Uint8Array;
}

/** @internal Collects protocol checks in order; unrun checks become `skipped`. */
export class OnlineChecks {
  readonly #results = new Map<OnlineCheckId, OnlineCheckResult>();

  pass(id: OnlineCheckId, message: string): void {
    this.#results.set(id, { id, status: 'passed', message });
  }

  fail(id: OnlineCheckId, code: ErrorCode, message: string, details?: MdlErrorDetails): void {
    this.#results.set(id, {
      id,
      status: 'failed',
      code,
      message,
      ...(details === undefined ? {} : { details }),
    });
  }

  failWith(id: OnlineCheckId, error: MdlError): void {
    this.fail(id, error.code, error.message, error.details);
  }

  skip(id: OnlineCheckId, message: string): void {
    this.#results.set(id, { id, status: 'skipped', message });
  }

  failed(): boolean {
    return [...this.#results.values()].some((r) => r.status === 'failed');
  }

  list(): OnlineCheckResult[] {
    return Object.values(OnlineCheckId).map(
      (id) =>
        this.#results.get(id) ?? {
          id,
          status: 'skipped' as const,
          message: 'not run: an earlier check failed',
        },
    );
  }
}

/**
 * Throws the first failed protocol check, or the first failed document check, as an {@link MdlError}.
 *
 * @example
 * ```ts
 * assertOnlineVerified(await verifyOpenId4VpResponse(body, state, { trust }));
 * ```
 * @throws {@link MdlError} the failed check's code, or `ERR_NOT_VERIFIED`.
 */
export function assertOnlineVerified(report: OnlineVerificationReport): void {
  if (report.verified) return;
  const check = report.checks.find((c) => c.status === 'failed');
  if (check?.code !== undefined)
    throw new MdlError(check.code, check.message, { details: { check: check.id } });
  for (const p of report.presentations) {
    for (const d of p.report.documents) {
      const c = d.checks.find((x) => x.status === 'failed');
      if (c?.code !== undefined) throw new MdlError(c.code, c.message, { details: { check: c.id } });
    }
  }
  throw new MdlError('ERR_NOT_VERIFIED', 'the online presentation did not verify');
}
