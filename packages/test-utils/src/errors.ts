/**
 * @module
 * Assertions on mdlkit's typed errors: that an operation fails with an {@link MdlError}, and with
 * which stable `code`.
 */
import { MdlError } from '@mdlkit/core/errors';
import { expect } from 'vitest';

/**
 * Awaits `promise` and asserts that it rejects with an {@link MdlError} — of `code` when one is
 * given. A promise that resolves fails the assertion.
 *
 * @returns the error, for further assertions on its message, `details` or `cause`.
 * @example
 * ```ts
 * const error = await expectRejection(createKmsSigner({ client, keyId }), 'ERR_SIGNER_UNAVAILABLE');
 * expect(error.message).toContain('ENOTFOUND');
 * ```
 */
export async function expectRejection(promise: Promise<unknown>, code?: string): Promise<MdlError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MdlError);
  if (code !== undefined) expect((error as MdlError).code).toBe(code);
  return error as MdlError;
}

/**
 * Calls `action` and asserts that it throws an {@link MdlError} — of `code` when one is given. An
 * action that returns fails the assertion.
 *
 * @returns the error, for further assertions.
 */
export function expectThrow(action: () => unknown, code?: string): MdlError {
  let error: unknown;
  try {
    action();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(MdlError);
  if (code !== undefined) expect((error as MdlError).code).toBe(code);
  return error as MdlError;
}
