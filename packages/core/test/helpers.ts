/**
 * @module
 * Fixtures shared by core's own tests (in `test/` and the co-located `src/**\/*.test.ts`). Core
 * cannot use `@mdlkit/test-fixtures` or `@mdlkit/test-utils`: both depend on it, and pnpm and
 * turbo refuse the cycle. `test/` is outside the build (`rootDir: src`) and outside the packed
 * `files`, so nothing here reaches a user.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { fromHex } from '../src/cbor/index.js';
import { isMdlError } from '../src/errors/index.js';

/** The shared vectors folder: `MDLKIT_VECTORS`, else `../shared/vectors` from the working directory (the repository root). */
export const VECTORS: string = process.env.MDLKIT_VECTORS ?? path.resolve(process.cwd(), '../shared/vectors');

/** The ISO/IEC 18013-5 Annex D folder of the shared vectors. */
export const ANNEX_D: string = path.join(VECTORS, 'iso-18013-5-annex-d');

/** An Annex D `.hex` file (name with its extension) as bytes. */
export function annexD(file: string): Uint8Array {
  return fromHex(readFileSync(path.join(ANNEX_D, file), 'utf8').trim());
}

/** The code of the `MdlError` that `fn` throws, or `'no error'`; anything else is rethrown. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isMdlError(e)) return e.code;
    throw e;
  }
  return 'no error';
}

/** Asserts that `fn` throws an `MdlError` with `code`. */
export function throwsWith(fn: () => unknown, code: string): void {
  let e: unknown;
  try {
    fn();
  } catch (err) {
    e = err;
  }
  expect(isMdlError(e), `expected ${code}, got ${String(e)}`).toBe(true);
  expect((e as { code: string }).code).toBe(code);
}

/** Asserts that `p` rejects with an `MdlError` with `code`. */
export async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(isMdlError(e), `expected ${code}, got ${String(e)}`).toBe(true);
  expect((e as { code: string }).code).toBe(code);
}
