/**
 * Every browser entry of the pure packages (each export subpath their package.json declares, all of
 * its exports) bundles for the browser platform with no `node:` module: esbuild fails on one it
 * cannot resolve, and `bundleBrowser` refuses output that still names one. The entries come from
 * the package.json `exports` maps, so a new subpath is covered the day it is declared, and every
 * publishable package must be listed as browser or Node-only.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleBrowser } from '../src/server/assets.js';

const PACKAGES = path.resolve(import.meta.dirname, '../../../packages');

/** The packages a web page may import. */
const BROWSER = ['core', 'pki', 'issuer', 'holder', 'reader'] as const;
/** Adapters over Node-only clients (the AWS SDK's Node HTTP handler, a PKCS#11 native addon). */
const NODE_ONLY = ['aws-common', 'aws-kms', 'aws-acm-pca', 'pkcs11'] as const;

interface Manifest {
  readonly private?: boolean;
  readonly exports: Readonly<
    Record<string, { readonly '@mdlkit/source': string | { readonly default: string } }>
  >;
}
const manifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(path.join(PACKAGES, dir, 'package.json'), 'utf8')) as Manifest;

/** Each export subpath's source under the default (non-`node`) branch: what a browser resolves. */
const ENTRIES: readonly string[] = BROWSER.flatMap((dir) =>
  Object.values(manifest(dir).exports).map((entry) => {
    const source = entry['@mdlkit/source'];
    return path.join(dir, typeof source === 'string' ? source : source.default);
  }),
);

describe('browser entries', () => {
  it('every publishable package is listed as browser or Node-only, and the entries are found', () => {
    const publishable = readdirSync(PACKAGES)
      .filter((dir) => manifest(dir).private !== true)
      .sort();
    expect(publishable).toEqual([...BROWSER, ...NODE_ONLY].sort());
    expect(ENTRIES).toContain(path.join('reader', 'src/index.ts'));
    expect(ENTRIES).toContain(path.join('core', 'src/crypto/index.ts'));
    expect(ENTRIES.length).toBeGreaterThanOrEqual(18);
  });

  for (const entry of ENTRIES) {
    it(`${entry} bundles for the browser without a node: module`, async () => {
      const { metafile } = await bundleBrowser({ entry: path.join(PACKAGES, entry), minify: false });
      const inputs = Object.keys(metafile.inputs);
      expect(inputs.length).toBeGreaterThan(0);
      expect(inputs.filter((i) => i.startsWith('node:') || i.includes('crypto/node/'))).toEqual([]);
    }, 60_000);
  }

  it('the crypto entry binds the WebCrypto backend in a browser bundle (#crypto-backend)', async () => {
    const { metafile } = await bundleBrowser({
      entry: path.join(PACKAGES, 'core/src/crypto/index.ts'),
      minify: false,
    });
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.filter((i) => i.includes('crypto/web/backend.ts'))).toHaveLength(1);
    expect(inputs.filter((i) => i.includes('crypto/node/'))).toEqual([]);
  }, 60_000);

  it('the check fails on a node: import', async () => {
    await expect(
      bundleBrowser({ entry: path.join(PACKAGES, 'core/src/crypto/node/backend.ts'), minify: false }),
    ).rejects.toThrow();
  }, 60_000);
});
