import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fromHex } from '../src/cbor/index.js';

/** Root of the shared vectors (`../shared/vectors` from the repo root, or `MDLKIT_VECTORS`). */
export const VECTORS_DIR: string =
  process.env.MDLKIT_VECTORS ?? path.resolve(process.cwd(), '../shared/vectors');

/** Reads one hex file of the ISO 18013-5 Annex D set. */
export function annexD(name: string): Uint8Array {
  return fromHex(readFileSync(path.join(VECTORS_DIR, 'iso-18013-5-annex-d', `${name}.hex`), 'utf8'));
}
