/**
 * Shared parts of the browser tests: Debian's Chromium through playwright-core (never a downloaded
 * browser), the app served on a loopback port, and where screenshots go.
 *
 * Chromium comes from Debian (`apt-get install chromium`, /usr/bin/chromium) or `CHROMIUM_PATH`.
 * Without it the browser tests are skipped with the reason printed — but only when `CI` is unset:
 * in CI a missing browser fails.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import type { Browser, BrowserContext } from 'playwright-core';
import { createVerifierApp, type VerifierAppOptions } from '../src/server/app.js';
import { type BrowserAssets, buildBrowserAssets } from '../src/server/assets.js';

export const CHROMIUM: string = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAS_CHROMIUM: boolean = existsSync(CHROMIUM);
/** In CI a missing browser is a failure, not a skip. */
export const CHROMIUM_REQUIRED: boolean = process.env.CI !== undefined;
/** True when the browser tests run (Chromium present, or CI, where its absence fails). */
export const RUN_BROWSER: boolean = HAS_CHROMIUM || CHROMIUM_REQUIRED;
export const SKIP_REASON: string = `skipped: no browser at ${CHROMIUM} and CI is unset (apt-get install chromium)`;

export const ROOT: string = path.resolve(import.meta.dirname, '../../..');
export const VECTORS: string = process.env.MDLKIT_VECTORS ?? path.resolve(ROOT, '../shared/vectors');
/** Screenshots for a person to look at (gitignored). */
export const SCREENSHOTS: string = path.resolve(import.meta.dirname, '../screenshots');

let assets: Promise<BrowserAssets> | undefined;
/** The page's files, bundled once per test file. */
export function pageAssets(): Promise<BrowserAssets> {
  assets ??= buildBrowserAssets({ minify: false });
  return assets;
}

/** A running app on 127.0.0.1 with a random port. */
export interface RunningApp {
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * Serves the app on a free loopback port. `origin` in the options is filled in with the real
 * port (the page's origin), unless `originFor` overrides it.
 */
export async function startApp(
  options: Omit<VerifierAppOptions, 'assets' | 'origin'> & { originFor?: (origin: string) => string },
): Promise<RunningApp> {
  const files = await pageAssets();
  let origin = '';
  const holder: { app?: ReturnType<typeof createVerifierApp> } = {};
  const server = serve({ fetch: (req: Request) => holder.app!.fetch(req), port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  holder.app = createVerifierApp({
    ...options,
    assets: files,
    origin: options.originFor?.(origin) ?? origin,
  });
  return {
    origin,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Launches Chromium headless with a fresh profile; `close` ends it and removes the profile. */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(path.join(tmpdir(), 'mdlkit-verifier-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1200, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Makes the screenshot folder. */
export function screenshotDir(): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return SCREENSHOTS;
}

export type { Browser };
