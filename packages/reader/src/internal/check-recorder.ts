import { type ErrorCode, isMdlError, type MdlErrorDetails } from '@mdlkit/core/errors';
import type { CheckId } from '../report/check-ids.js';
import type { CheckResult, CheckStatus } from '../report/report.js';
import { isLimitCode } from './limit-codes.js';

/** Collects the checks of one document in the order they run. Internal. */
export class CheckRecorder {
  readonly #checks: CheckResult[] = [];

  get checks(): readonly CheckResult[] {
    return this.#checks;
  }

  get failed(): boolean {
    return this.#checks.some((c) => c.status === 'failed');
  }

  status(id: CheckId): CheckStatus | undefined {
    return this.#checks.find((c) => c.id === id)?.status;
  }

  pass(id: CheckId, message: string, details?: MdlErrorDetails): void {
    this.#push({ id, status: 'passed', message, ...(details ? { details } : {}) });
  }

  fail(id: CheckId, code: ErrorCode, message: string, details?: MdlErrorDetails): void {
    this.#push({ id, status: 'failed', code, message, ...(details ? { details } : {}) });
  }

  skip(id: CheckId, message: string, code?: ErrorCode): void {
    this.#push({ id, status: 'skipped', message, ...(code ? { code } : {}) });
  }

  undetermined(id: CheckId, code: ErrorCode, message: string, details?: MdlErrorDetails): void {
    this.#push({ id, status: 'undetermined', code, message, ...(details ? { details } : {}) });
  }

  /**
   * Records a thrown error as a failure of `id` (an untyped one under `fallback`). A resource guard
   * (a limit, the CBOR budget) is rethrown: it stops the whole call, never just one check.
   */
  failWith(id: CheckId, error: unknown, fallback: ErrorCode, message: string): void {
    if (isMdlError(error) && isLimitCode(error.code)) throw error;
    if (isMdlError(error)) {
      this.fail(id, error.code, `${message}: ${error.message}`, error.details);
    } else {
      this.fail(id, fallback, message);
    }
  }

  #push(result: CheckResult): void {
    const existing = this.#checks.findIndex((c) => c.id === result.id);
    if (existing >= 0) {
      // A check is reported once: the first failure wins over later outcomes.
      if (this.#checks[existing]?.status !== 'failed') this.#checks[existing] = result;
      return;
    }
    this.#checks.push(result);
  }
}
