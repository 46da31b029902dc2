import { annexD as annexDFile } from './helpers.js';

/** Reads one hex file of the ISO 18013-5 Annex D set, named without its `.hex`. */
export function annexD(name: string): Uint8Array {
  return annexDFile(`${name}.hex`);
}
