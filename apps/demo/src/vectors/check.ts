import { isMdlError } from '@mdlkit/core/errors';

/** One vector check: a named expectation over published bytes, run through the libraries. */
export interface VectorCheck {
  /** The vector set, e.g. `annex-d`. */
  readonly suite: string;
  /** Stable id within the suite. */
  readonly id: string;
  /** ISO/IEC 18013-5 clause (or other source) the check illustrates. */
  readonly clause: string;
  /** What is checked, in a few words. */
  readonly title: string;
  /** Throws {@link CheckFailure} (or any error) when the expectation does not hold. */
  readonly run: () => Promise<void> | void;
}

/** Outcome of one {@link VectorCheck}. */
export interface VectorResult {
  readonly suite: string;
  readonly id: string;
  readonly clause: string;
  readonly title: string;
  readonly status: 'passed' | 'failed';
  /** Why it failed. */
  readonly message?: string;
}

/** An expectation that did not hold. */
export class CheckFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailure';
  }
}

/** Fails unless `condition` holds. */
export function expectThat(condition: boolean, message: string): asserts condition {
  if (!condition) throw new CheckFailure(message);
}

/** Fails unless two byte strings are identical. */
export function expectBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  if (actual.length !== expected.length) {
    throw new CheckFailure(`${what}: ${actual.length} bytes, expected ${expected.length}`);
  }
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== expected[i]) throw new CheckFailure(`${what}: differs at byte ${i}`);
  }
}

/** Runs the checks one after the other, never throwing. */
export async function runChecks(
  checks: readonly VectorCheck[],
  onResult?: (result: VectorResult) => void,
): Promise<VectorResult[]> {
  const out: VectorResult[] = [];
  for (const c of checks) {
    const base = { suite: c.suite, id: c.id, clause: c.clause, title: c.title };
    let result: VectorResult;
    try {
      await c.run();
      result = { ...base, status: 'passed' };
    } catch (e) {
      const message = isMdlError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
      result = { ...base, status: 'failed', message };
    }
    out.push(result);
    onResult?.(result);
  }
  return out;
}
