/**
 * Wycheproof brainpool ECDSA through the WebCrypto provider, which verifies brainpool with
 * @noble/curves (`lowS: false`, `prehash: false`, `format: 'compact'`). Split from
 * crypto-wycheproof.test.ts because BigInt curve math is slow and this lets the files run in parallel.
 */
import { describe, it } from 'vitest';
import { web } from './crypto-providers.js';
import { runEcdsaFile, wycheproofFiles } from './crypto-wycheproof-helpers.js';

describe('Wycheproof brainpool ECDSA (webcrypto provider → @noble)', () => {
  it.each(wycheproofFiles().filter((f) => f.includes('brainpool')))('%s', (file) => runEcdsaFile(web, file));
});
