/**
 * The WebCrypto provider in a real browser: bundle test/browser/crypto-entry.ts with esbuild
 * (browser conditions, so `@mdlkit/core/crypto` is the WebCrypto provider), load it into headless
 * Chromium through playwright-core, run the suite there, and check signatures in both directions
 * against the node:crypto provider.
 *
 * Chromium comes from Debian (`apt-get install chromium`, /usr/bin/chromium) or `CHROMIUM_PATH`.
 * Without it the suite is skipped — but only when `CI` is unset: in CI a missing browser fails.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BrowserInput, BrowserOutput } from './browser/crypto-entry.js';
import { hex, readVectorJson, VECTORS } from './crypto-helpers.js';
import { node } from './crypto-providers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const required = process.env.CI !== undefined;

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

async function bundle(): Promise<string> {
  // esbuild is not a dependency of ours; use the copy vitest brings (no new dependency).
  const require = createRequire(import.meta.url);
  const esbuild = createRequire(require.resolve('vitest'))('esbuild') as {
    build(options: Record<string, unknown>): Promise<{ outputFiles?: { text: string }[] }>;
  };
  const out = await esbuild.build({
    entryPoints: [path.join(import.meta.dirname, 'browser/crypto-entry.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@mdlkit/source'],
    logLevel: 'silent',
  });
  const text = out.outputFiles?.[0]?.text;
  if (text === undefined) throw new Error('esbuild produced no output');
  // The browser bundle must not pull in node:* (the Node provider) at all.
  const leak = /["'`]node:[a-z]|require\(["']crypto["']\)/.exec(text);
  expect(leak === null ? null : text.slice(leak.index - 200, leak.index + 50)).toBeNull();
  return text;
}

async function inputs(): Promise<BrowserInput> {
  const annexDir = path.join(VECTORS, 'iso-18013-5-annex-d');
  const annexD: Record<string, string> = {};
  for (const f of [
    'issuer-auth.hex',
    'reader-auth.hex',
    'reader-authentication-bytes.hex',
    's-device-key-d.hex',
    'e-reader-key-x.hex',
    'e-reader-key-y.hex',
    'session-transcript-bytes.hex',
    'emac-key.hex',
    'device-auth.hex',
    'device-authentication-bytes.hex',
  ]) {
    annexD[f] = readFileSync(path.join(annexDir, f), 'utf8').replace(/\s+/g, '');
  }
  const spki = (pem: string) =>
    toHex(
      new X509Certificate(readFileSync(path.join(annexDir, pem))).publicKey.export({
        type: 'spki',
        format: 'der',
      }),
    );
  annexD['ds-spki'] = spki('ds-cert.pem');
  annexD['reader-spki'] = spki('reader-cert.pem');

  const fromNode: BrowserInput['fromNode'] = [];
  const data = new TextEncoder().encode('signed by node:crypto');
  for (const [curve, alg] of [
    ['P-256', -7],
    ['P-521', -36],
    ['brainpoolP384r1', -35],
    ['Ed25519', -8],
    ['Ed448', -8],
  ] as const) {
    const { privateKey, publicKey } = node.generateKeyPair({ curve });
    const signature = await node.signWithPort(node.createLocalSigner({ privateKey, alg }), data);
    fromNode.push({
      curve,
      alg,
      spki: toHex(node.exportPublicKey(publicKey, 'spki')),
      data: toHex(data),
      signature: toHex(signature),
    });
  }
  return {
    annexD,
    fromNode,
    wycheproof: {
      ecdsaP256: readVectorJson('wycheproof', 'ecdsa_secp256r1_sha256_p1363_test.json'),
      ed25519: readVectorJson('wycheproof', 'ed25519_test.json'),
      aesGcm: readVectorJson('wycheproof', 'aes_gcm_test.json'),
    },
  };
}

describe('WebCrypto provider in Chromium', () => {
  it.skipIf(!hasChromium && !required)(
    hasChromium
      ? 'runs the crypto + COSE suite in headless Chromium'
      : `runs the crypto + COSE suite in headless Chromium — skipped: no browser at ${CHROMIUM} and CI is unset`,
    async () => {
      expect(hasChromium, `Chromium is required in CI (looked at ${CHROMIUM})`).toBe(true);
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        // crypto.subtle needs a secure context: serve an empty page from a fake https origin
        // (intercepted, no network).
        await page.route('https://mdlkit.test/**', (route) =>
          route.fulfill({
            status: 200,
            contentType: 'text/html',
            body: '<!doctype html><title>mdlkit</title>',
          }),
        );
        await page.goto('https://mdlkit.test/');
        expect(await page.evaluate(() => globalThis.isSecureContext)).toBe(true);
        await page.addScriptTag({ content: await bundle() });
        expect(errors).toEqual([]);
        const output = (await page.evaluate(
          (input) =>
            (
              globalThis as unknown as { runMdlkitBrowserSuite: (i: unknown) => Promise<unknown> }
            ).runMdlkitBrowserSuite(input),
          await inputs(),
        )) as BrowserOutput;
        expect(output.provider).toBe('webcrypto');
        expect(output.userAgent).toMatch(/Chrome\//);
        for (const r of output.results) expect(r, r.name).toMatchObject({ ok: true });
        expect(output.results.length).toBeGreaterThanOrEqual(30);
        expect(output.toNode.length).toBe(9);
        for (const v of output.toNode) {
          const key = node.importPublicKey({ format: 'spki', der: hex(v.spki) });
          const ok = await node.verifySignature({
            alg: v.alg,
            key,
            data: hex(v.data),
            signature: hex(v.signature),
          });
          expect(ok, `browser-signed ${v.curve} verifies with node:crypto`).toBe(true);
        }
      } finally {
        await browser.close();
      }
    },
  );
});
