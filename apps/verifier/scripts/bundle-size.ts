/**
 * Measures the browser bundles (esbuild, minified, then gzip -9): the reader alone
 * (`reader-entry.ts`: verifyDeviceResponse + TrustStore + the WebCrypto provider) and the whole
 * verifier page. Fails when a Node import leaks into either. `--write` puts the figures into the
 * README between the bundle-size markers.
 *
 *   pnpm --filter @mdlkit/verifier bundle-size [--write]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { APP_ROOT, bundleBrowser } from '../src/server/assets.js';

export interface BundleFigures {
  readonly name: string;
  readonly minBytes: number;
  readonly gzipBytes: number;
  readonly inputs: number;
}

/** Bundles each entry and measures it. */
export async function measureBundles(): Promise<BundleFigures[]> {
  const entries = [
    {
      name: 'reader (verifyDeviceResponse + TrustStore + WebCrypto provider)',
      entry: 'scripts/reader-entry.ts',
    },
    { name: 'verifier page (app.js: reader, inspector, request flow, qrcode)', entry: 'src/browser/main.ts' },
  ];
  const out: BundleFigures[] = [];
  for (const e of entries) {
    const { code, metafile } = await bundleBrowser({ entry: path.join(APP_ROOT, e.entry), minify: true });
    const bytes = new TextEncoder().encode(code);
    out.push({
      name: e.name,
      minBytes: bytes.length,
      gzipBytes: gzipSync(bytes, { level: 9 }).length,
      inputs: Object.keys(metafile.inputs).length,
    });
  }
  return out;
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

/** The README table of the figures. */
export function figuresTable(figures: readonly BundleFigures[]): string {
  const rows = figures.map((f) => `| ${f.name} | ${kib(f.minBytes)} | ${kib(f.gzipBytes)} | ${f.inputs} |`);
  return ['| bundle | min | min + gzip | modules |', '|---|---|---|---|', ...rows].join('\n');
}

const START = '<!-- bundle-size:start -->';
const END = '<!-- bundle-size:end -->';

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await measureBundles();
  const table = figuresTable(figures);
  process.stdout.write(`${table}\n\nno node: import in either bundle\n`);
  if (process.argv.includes('--write')) {
    const readme = path.join(APP_ROOT, 'README.md');
    const text = readFileSync(readme, 'utf8');
    const a = text.indexOf(START);
    const b = text.indexOf(END);
    if (a < 0 || b < a) throw new Error('README.md has no bundle-size markers');
    writeFileSync(readme, `${text.slice(0, a + START.length)}\n${table}\n${text.slice(b)}`);
    process.stdout.write('README.md updated\n');
  }
}
