import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

/** The files the page is made of, held in memory and served as they are. */
export interface BrowserAssets {
  /** URL path (`/`, `/app.js`, …) → body and content type. */
  readonly files: ReadonlyMap<string, { readonly body: Uint8Array; readonly type: string }>;
  /** esbuild's metafile for `app.js` (inputs and their sizes), for the bundle-size script. */
  readonly metafile: esbuild.Metafile;
}

/** The app's folder (`src/server` and `dist/server` both sit two levels below it). */
export const APP_ROOT: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Finds a `node:` import, or a bare Node built-in, in bundled browser code: the browser build must
 * never reach the Node crypto provider or any other Node module. Returns the surrounding text of
 * the first hit, or `null`.
 */
export function findNodeImport(code: string): string | null {
  const hit = /["'`]node:[a-z]|\brequire\(\s*["'](?:crypto|fs|path|os|buffer|stream|util)["']\s*\)/.exec(
    code,
  );
  return hit === null ? null : code.slice(Math.max(0, hit.index - 120), hit.index + 40);
}

/** Options for {@link bundleBrowser}. */
export interface BundleBrowserOptions {
  /** The entry module (TypeScript source). */
  readonly entry: string;
  /** Minify (default true). */
  readonly minify?: boolean;
  /** `esm` (default, for `<script type="module">`) or `iife` (for an injected script). */
  readonly format?: 'esm' | 'iife';
}

/**
 * Bundles a browser entry with esbuild: browser platform, so `@mdlkit/core/crypto` resolves to
 * the WebCrypto provider; workspace packages from their sources. Fails when the output contains a
 * Node import.
 */
export async function bundleBrowser(
  options: BundleBrowserOptions,
): Promise<{ code: string; metafile: esbuild.Metafile }> {
  const out = await esbuild.build({
    entryPoints: [options.entry],
    bundle: true,
    write: false,
    format: options.format ?? 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: options.minify ?? true,
    conditions: ['@mdlkit/source'],
    metafile: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const file = out.outputFiles[0];
  if (file === undefined) throw new Error('esbuild produced no output');
  const leak = findNodeImport(file.text);
  if (leak !== null) throw new Error(`a Node import leaked into the browser bundle: …${leak}…`);
  return { code: file.text, metafile: out.metafile };
}

/** Bundles the page script and reads the page's static files. */
export async function buildBrowserAssets(options: { minify?: boolean } = {}): Promise<BrowserAssets> {
  const { code, metafile } = await bundleBrowser({
    entry: path.join(APP_ROOT, 'src/browser/main.ts'),
    minify: options.minify ?? true,
  });
  const publicDir = path.join(APP_ROOT, 'public');
  const text = (s: string) => new TextEncoder().encode(s);
  const files = new Map<string, { body: Uint8Array; type: string }>([
    ['/', { body: await readFile(path.join(publicDir, 'index.html')), type: 'text/html; charset=utf-8' }],
    ['/app.css', { body: await readFile(path.join(publicDir, 'app.css')), type: 'text/css; charset=utf-8' }],
    ['/favicon.svg', { body: await readFile(path.join(publicDir, 'favicon.svg')), type: 'image/svg+xml' }],
    ['/app.js', { body: text(code), type: 'text/javascript; charset=utf-8' }],
  ]);
  return { files, metafile };
}
