/**
 * Every browser entry of the pure packages (each export subpath, all of its exports) bundles for the
 * browser platform with no `node:` module: esbuild fails on one it cannot resolve, and
 * `bundleBrowser` refuses output that still names one.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleBrowser } from '../src/server/assets.js';

const PACKAGES = path.resolve(import.meta.dirname, '../../../packages');

const ENTRIES: readonly string[] = [
  'core/src/index.ts',
  'core/src/cbor/index.ts',
  'core/src/cose/index.ts',
  'core/src/crypto/index.ts',
  'core/src/errors/index.ts',
  'core/src/session/index.ts',
  'core/src/mdoc/index.ts',
  'core/src/status/index.ts',
  'core/src/online/index.ts',
  'pki/src/index.ts',
  'issuer/src/index.ts',
  'holder/src/index.ts',
  'holder/src/oid4vp/index.ts',
  'holder/src/annex-c/index.ts',
  'reader/src/index.ts',
  'reader/src/inspect/index.ts',
  'reader/src/oid4vp/index.ts',
  'reader/src/annex-c/index.ts',
];

describe('browser entries', () => {
  for (const entry of ENTRIES) {
    it(`${entry} bundles for the browser without a node: module`, async () => {
      const { metafile } = await bundleBrowser({ entry: path.join(PACKAGES, entry), minify: false });
      const inputs = Object.keys(metafile.inputs);
      expect(inputs.length).toBeGreaterThan(0);
      expect(inputs.filter((i) => i.startsWith('node:') || i.includes('crypto/node/'))).toEqual([]);
    }, 60_000);
  }

  it('the check fails on a node: import', async () => {
    await expect(
      bundleBrowser({ entry: path.join(PACKAGES, 'core/src/crypto/index.node.ts'), minify: false }),
    ).rejects.toThrow();
  }, 60_000);
});
