import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ErrorCode } from '../src/errors/index.js';
import { isMdlError } from '../src/errors/index.js';
import { VECTORS } from './helpers.js';

export type { CoseAlg, Curve } from '../src/crypto/index.js';
/** The shared vectors directory (from `./helpers.js`). */
export { VECTORS };

/** Read a JSON vector file. */
export function readVectorJson<T>(...parts: string[]): T {
  return JSON.parse(readFileSync(path.join(VECTORS, ...parts), 'utf8')) as T;
}

/** Read a hex vector file (whitespace ignored). */
export function readVectorHex(...parts: string[]): Uint8Array {
  return hex(readFileSync(path.join(VECTORS, ...parts), 'utf8'));
}

/** Hex → bytes (test helper; whitespace ignored). */
export function hex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

/** A predicate for `rejects.toSatisfy` that checks an MdlError code. */
export function isMdlErrorCode(code: ErrorCode): (e: unknown) => boolean {
  return (e: unknown) => isMdlError(e, code);
}
