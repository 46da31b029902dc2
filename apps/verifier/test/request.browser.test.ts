/**
 * The Digital Credentials API flow in real Chromium: the page asks for an mDL, a test wallet
 * (the holder package, bundled and injected with addInitScript) answers over OpenID4VP or
 * ISO 18013-7 Annex C, the server verifies, and the page shows the verdict — VERIFIED with the
 * disclosed elements, or NOT VERIFIED with the failing check for a tampered answer, a replayed
 * state and a wrong origin.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { publicKeyToCoseKey } from '@mdlkit/core/cose';
import {
  CoseAlg,
  createLocalSigner,
  exportPrivateKey,
  exportPublicKey,
  generateKeyPair,
  randomBytes,
} from '@mdlkit/core/crypto';
import { issueMdoc } from '@mdlkit/issuer';
import { buildReaderAuthCertificate, buildReaderRootCertificate, derToPem, TrustStore } from '@mdlkit/pki';
import { MDL_ELEMENTS } from '@mdlkit/test-utils/mdoc';
import { buildTestPki, validAround } from '@mdlkit/test-utils/pki';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleBrowser } from '../src/server/assets.js';
import { loadReaderSigning, readConfig } from '../src/server/config.js';
import { createOnlineVerifier } from '../src/server/online-verifier.js';
import { RequestStateStore } from '../src/server/request-store.js';
import {
  launchChromium,
  RUN_BROWSER,
  type RunningApp,
  SKIP_REASON,
  screenshotDir,
  startApp,
  VECTORS,
} from './harness.js';
import type { WalletConfig, WalletSeen } from './wallet/wallet-entry.js';

const DAY = 86_400_000;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** An IACA, a DS and an mDL issued now (the server verifies at the current time). */
async function issueWorld() {
  const now = Date.now();
  const at = new Date(now);
  const { iaca, ds, dsKey } = await buildTestPki({
    iacaName: 'verifier test IACA',
    dsName: 'verifier test DS',
    stateOrProvince: 'US-NY',
    iacaValidity: validAround(at, 365),
    dsValidity: validAround(at, 300),
  });
  const device = generateKeyPair({ curve: 'P-256' });
  const portrait = Uint8Array.from(
    Buffer.from(readFileSync(path.join(VECTORS, 'iso-18013-5-annex-d/portrait.hex'), 'utf8').trim(), 'hex'),
  );
  const issued = await issueMdoc({
    docType: 'org.iso.18013.5.1.mDL',
    nameSpaces: {
      // the reader tests' mDL with the Annex D portrait (the page draws it) and age_over_18 (the age-over-18 request)
      'org.iso.18013.5.1': { ...MDL_ELEMENTS, portrait, age_over_18: true },
    },
    deviceKey: publicKeyToCoseKey(device.publicKey),
    validity: { signed: new Date(now - 3_600_000), validUntil: new Date(now + 30 * DAY) },
    signer: createLocalSigner({ privateKey: dsKey.privateKey, alg: CoseAlg.ES256 }),
    dsCertificate: ds,
    now: new Date(now - 3_600_000),
  });
  const issuerSignedHex = hex(issued.issuerSigned);
  // The same document with one disclosed value changed after signing (same length, so it still
  // parses): its digest no longer matches the MSO.
  const tamperedHex = issuerSignedHex.replace(hex(Buffer.from('Mustermann')), hex(Buffer.from('Musterfrau')));
  if (tamperedHex === issuerSignedHex) throw new Error('test setup: family_name not found in IssuerSigned');
  return { iaca, issuerSignedHex, tamperedHex, deviceJwk: exportPrivateKey(device.privateKey, 'jwk') };
}

/** A reader root and a reader-auth certificate under it (Annex B), with the reader key as PKCS#8 PEM. */
async function readerPki(commonName: string) {
  const now = Date.now();
  const rootKey = generateKeyPair({ curve: 'P-256' });
  const rootSigner = createLocalSigner({ privateKey: rootKey.privateKey, alg: CoseAlg.ES256 });
  const root = await buildReaderRootCertificate({
    subject: { country: 'US', organization: 'Test Verifier', commonName: `${commonName} root` },
    publicKey: exportPublicKey(rootKey.publicKey, 'spki'),
    signer: rootSigner,
    issuerAltName: [{ uri: 'https://verifier.example/pki' }],
    crlDistributionPoint: 'https://verifier.example/pki/root.crl',
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 3 * 365 * DAY),
    randomBytes,
  });
  const key = generateKeyPair({ curve: 'P-256' });
  const cert = await buildReaderAuthCertificate({
    subject: { country: 'US', organization: 'Test Verifier', commonName },
    publicKey: exportPublicKey(key.publicKey, 'spki'),
    issuer: { certificate: root, signer: rootSigner },
    crlDistributionPoint: 'https://verifier.example/pki/root.crl',
    dnsNames: ['verifier.example'],
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 180 * DAY),
    randomBytes,
  });
  const pkcs8 = Buffer.from(exportPrivateKey(key.privateKey, 'pkcs8')).toString('base64');
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n`;
  return { rootPem: derToPem(root, 'CERTIFICATE'), certPem: derToPem(cert, 'CERTIFICATE'), keyPem };
}

describe.skipIf(!RUN_BROWSER)(
  `Digital Credentials API flow in Chromium${RUN_BROWSER ? '' : ` — ${SKIP_REASON}`}`,
  () => {
    let app: RunningApp;
    let browser: Awaited<ReturnType<typeof launchChromium>>;
    let page: Page;
    let world: Awaited<ReturnType<typeof issueWorld>>;
    const pageErrors: string[] = [];
    /** Every `POST /api/requests` answer the page received, in order. */
    const created: string[] = [];
    let storeClockOffset = 0;

    beforeAll(async () => {
      world = await issueWorld();
      // The state store's clock can be moved on, so a test can let a request expire while the wallet answers.
      app = await startApp({
        trust: new TrustStore([world.iaca]),
        online: createOnlineVerifier(),
        store: new RequestStateStore({ ttlSeconds: 300, now: () => Date.now() + storeClockOffset }),
      });
      const wallet = await bundleBrowser({
        entry: path.join(import.meta.dirname, 'wallet/wallet-entry.ts'),
        format: 'iife',
        minify: false,
      });
      browser = await launchChromium();
      page = await browser.context.newPage();
      await page.addInitScript({ content: wallet.code });
      page.on('pageerror', (e) => pageErrors.push(e.message));
      page.on('response', async (r) => {
        if (r.url().endsWith('/api/requests') && r.status() === 200) created.push(await r.text());
      });
      await page.goto(`${app.origin}/`);
      await page.waitForSelector('body[data-ready="true"]');
    });
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    async function request(preset: string, wallet: Partial<WalletConfig>): Promise<string> {
      const config: WalletConfig = {
        issuerSignedHex: world.issuerSignedHex,
        deviceJwk: world.deviceJwk,
        prefer: 'openid4vp',
        ...wallet,
      };
      await page.evaluate((c) => {
        (globalThis as { __mdlkitWalletConfig?: unknown }).__mdlkitWalletConfig = c;
      }, config);
      await page.getByTestId(`preset-${preset}`).check();
      await page.locator('#request-report').evaluate((el) => el.replaceChildren());
      await page.getByTestId('request-run').click();
      const verdict = page.getByTestId('verdict');
      await verdict.waitFor({ timeout: 30_000 });
      return (await verdict.textContent()) ?? '';
    }

    it('says the API is available and offers both protocols', async () => {
      expect(await page.getByTestId('dc-supported').textContent()).toContain(
        'openid4vp-v1-unsigned and org-iso-mdoc',
      );
    });

    for (const prefer of ['openid4vp', 'annex-c'] as const) {
      it(`${prefer}: VERIFIED, with the disclosed elements`, async () => {
        const verdict = await request('full-mdl', { prefer });
        expect(verdict).toBe('VERIFIED');
        expect(await page.getByTestId('report-doctype').allTextContents()).toEqual(['org.iso.18013.5.1.mDL']);
        const ids = await page
          .locator('tr[data-element]')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-element')));
        expect(ids.sort()).toEqual(
          [
            'birth_date',
            'document_number',
            'driving_privileges',
            'expiry_date',
            'family_name',
            'given_name',
            'issue_date',
            'issuing_authority',
            'issuing_country',
            'portrait',
            'un_distinguishing_sign',
          ].sort(),
        );
        expect(await page.locator('tr[data-element="family_name"] td').nth(2).textContent()).toBe(
          'Mustermann',
        );
        const portrait = page.getByTestId('image-portrait');
        await expect
          .poll(() => portrait.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
          .toBeGreaterThan(0);
        const protocol = prefer === 'annex-c' ? 'org-iso-mdoc' : 'openid4vp-v1-unsigned';
        expect(await page.locator('.report .meta').first().textContent()).toBe(`Protocol: ${protocol}`);
        const failedProtocolChecks = await page
          .locator('[data-testid="protocol-checks"] tr[data-status="failed"]')
          .count();
        expect(failedProtocolChecks).toBe(0);
        if (prefer === 'openid4vp') {
          await page.screenshot({ path: path.join(screenshotDir(), 'request-verified.png'), fullPage: true });
        }
      });
    }

    it('age over 21 discloses only age_over_21', async () => {
      expect(await request('age-over-21', { prefer: 'annex-c' })).toBe('VERIFIED');
      const ids = await page
        .locator('tr[data-element]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-element')));
      expect(ids).toEqual(['age_over_21']);
    });

    for (const prefer of ['openid4vp', 'annex-c'] as const) {
      it(`${prefer}: a tampered answer is NOT VERIFIED on the value digest, and its element is not verified`, async () => {
        const verdict = await request('age-over-18', { prefer, issuerSignedHex: world.tamperedHex });
        expect(verdict).toBe('VERIFIED'); // age_over_18 was not changed: only family_name was
        const tampered = await request('full-mdl', { prefer, issuerSignedHex: world.tamperedHex });
        expect(tampered).toMatch(/^NOT VERIFIED/);
        expect(tampered).toContain('value-digests (ERR_MSO_DIGEST_MISMATCH)');
        expect(await page.locator('tr[data-element="family_name"]').getAttribute('class')).toBe(
          'status-failed',
        );
        expect(await page.locator('tr[data-element="given_name"]').getAttribute('class')).toBe(
          'status-passed',
        );
        if (prefer === 'openid4vp') {
          await page.screenshot({ path: path.join(screenshotDir(), 'request-tampered.png'), fullPage: true });
        }
      });

      it(`${prefer}: an answer bound to another origin is NOT VERIFIED`, async () => {
        const verdict = await request('age-over-18', { prefer, origin: 'https://evil.example' });
        expect(verdict).toMatch(/^NOT VERIFIED/);
        if (prefer === 'openid4vp') {
          // The device signature covers the wallet's transcript with the other origin.
          expect(verdict).toContain('online-session-binding (ERR_ONLINE_TRANSCRIPT_MISMATCH)');
          expect(await page.locator('tr[data-check="device-auth"]').getAttribute('data-status')).toBe(
            'failed',
          );
        } else {
          // Annex C seals the answer with the transcript (origin included) as HPKE info: it does not open.
          expect(verdict).toBe('NOT VERIFIED — failed: online-decryption (ERR_ONLINE_DECRYPTION_FAILED)');
        }
      });

      it(`${prefer}: an old answer replayed to a new request is NOT VERIFIED`, async () => {
        expect(await request('age-over-18', { prefer })).toBe('VERIFIED');
        const verdict = await request('age-over-18', { prefer, replayLast: true });
        expect(verdict).toMatch(/^NOT VERIFIED/);
        // Encrypted to the previous request's key: it does not open with this one's.
        expect(verdict).toMatch(/online-decryption \(ERR_ONLINE_[A-Z_]+\)/);
      });
    }

    it('a replayed state (a request id that was already answered) is refused', async () => {
      expect(await request('age-over-18', { prefer: 'openid4vp' })).toBe('VERIFIED');
      const previous = created[created.length - 1]!;
      // The attacker's page hands the browser the old request (and so the old state id) again, and the
      // wallet answers it once more.
      await page.route(`${app.origin}/api/requests`, (route) =>
        route.fulfill({ status: 200, contentType: 'application/json', body: previous }),
      );
      try {
        const verdict = await request('age-over-18', { prefer: 'openid4vp' });
        expect(verdict).toBe('NOT VERIFIED — failed: online-state (ERR_ONLINE_STATE_REPLAYED)');
      } finally {
        await page.unroute(`${app.origin}/api/requests`);
      }
      expect(pageErrors).toEqual([]);
    });

    for (const prefer of ['openid4vp', 'annex-c'] as const) {
      it(`${prefer}: an answer that arrives after its request expired is NOT VERIFIED on the state`, async () => {
        // The answer reaches the server 301 s after the request was made (its lifetime is 300 s).
        await page.route(`${app.origin}/api/responses`, async (route) => {
          storeClockOffset = 301_000;
          await route.continue();
        });
        try {
          const verdict = await request('age-over-18', { prefer });
          expect(verdict).toBe('NOT VERIFIED — failed: online-state (ERR_ONLINE_STATE_EXPIRED)');
        } finally {
          storeClockOffset = 0;
          await page.unroute(`${app.origin}/api/responses`);
        }
        // The next request, answered in time, verifies: the refusal was the expiry alone.
        expect(await request('age-over-18', { prefer })).toBe('VERIFIED');
      });

      it(`${prefer}: an oversized answer is refused unread and NOT VERIFIED`, async () => {
        const verdict = await request('age-over-18', { prefer, padAnswer: 1024 * 1024 });
        expect(verdict).toBe('NOT VERIFIED — failed: answer-size (ERR_LIMIT_INPUT_SIZE)');
        expect(await page.locator('tr[data-check="answer-size"]').getAttribute('data-status')).toBe('failed');
      });
    }

    it('without the API the page says so plainly', async () => {
      const bare = await browser.context.newPage();
      try {
        await bare.addInitScript(() => {
          delete (globalThis as { DigitalCredential?: unknown }).DigitalCredential;
        });
        await bare.goto(`${app.origin}/`);
        await bare.waitForSelector('body[data-ready="true"]');
        expect(await bare.getByTestId('dc-unsupported').textContent()).toContain(
          'This browser does not support the Digital Credentials API',
        );
        expect(await bare.getByTestId('request-run').isDisabled()).toBe(true);
      } finally {
        await bare.close();
      }
    });
  },
);

describe.skipIf(!RUN_BROWSER)(
  `signed requests (JAR, ReaderAuth) in Chromium${RUN_BROWSER ? '' : ` — ${SKIP_REASON}`}`,
  () => {
    let app: RunningApp;
    let browser: Awaited<ReturnType<typeof launchChromium>>;
    let page: Page;
    let world: Awaited<ReturnType<typeof issueWorld>>;
    let reader: Awaited<ReturnType<typeof readerPki>>;
    let stranger: Awaited<ReturnType<typeof readerPki>>;
    let dir: string;

    beforeAll(async () => {
      world = await issueWorld();
      reader = await readerPki('mdlkit verifier test reader');
      stranger = await readerPki('some other reader');
      // The key and chain reach the server the way `pnpm verifier --reader-key --reader-cert` gives them.
      dir = mkdtempSync(path.join(tmpdir(), 'mdlkit-verifier-reader-'));
      writeFileSync(path.join(dir, 'reader.key'), reader.keyPem, { mode: 0o600 });
      writeFileSync(path.join(dir, 'reader.pem'), reader.certPem);
      const config = readConfig(['--reader-key', 'reader.key', '--reader-cert', 'reader.pem'], dir);
      if (config === 'help') throw new Error('unexpected help');
      const signing = loadReaderSigning(config);
      if (signing === undefined) throw new Error('the config names a reader key: signing expected');
      app = await startApp({
        trust: new TrustStore([world.iaca]),
        online: createOnlineVerifier({ signing }),
      });
      const wallet = await bundleBrowser({
        entry: path.join(import.meta.dirname, 'wallet/wallet-entry.ts'),
        format: 'iife',
        minify: false,
      });
      browser = await launchChromium();
      page = await browser.context.newPage();
      await page.addInitScript({ content: wallet.code });
      await page.goto(`${app.origin}/`);
      await page.waitForSelector('body[data-ready="true"]');
    });
    afterAll(async () => {
      await browser?.close();
      await app?.close();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    });

    /** Runs the age-over-18 request; answers the verdict (or `null` when the wallet did not answer) and what the wallet saw. */
    async function request(
      wallet: Partial<WalletConfig>,
    ): Promise<{ verdict: string | null; seen: WalletSeen }> {
      const config: WalletConfig = {
        issuerSignedHex: world.issuerSignedHex,
        deviceJwk: world.deviceJwk,
        prefer: 'openid4vp',
        ...wallet,
      };
      await page.evaluate((c) => {
        const g = globalThis as { __mdlkitWalletConfig?: unknown; __mdlkitWalletSeen?: unknown };
        g.__mdlkitWalletConfig = c;
        delete g.__mdlkitWalletSeen;
      }, config);
      await page.getByTestId('preset-age-over-18').check();
      await page.locator('#request-report').evaluate((el) => el.replaceChildren());
      await page.locator('#request-status').evaluate((el) => el.replaceChildren());
      await page.getByTestId('request-run').click();
      await page.waitForFunction(
        () =>
          document.querySelector('[data-testid="verdict"]') !== null ||
          document.querySelector('#request-status .error') !== null,
        undefined,
        { timeout: 30_000 },
      );
      const seen = (await page.evaluate(
        () => (globalThis as { __mdlkitWalletSeen?: unknown }).__mdlkitWalletSeen,
      )) as WalletSeen;
      const verdict = page.getByTestId('verdict');
      return { verdict: (await verdict.count()) === 0 ? null : await verdict.textContent(), seen };
    }

    it('offers the signed OpenID4VP form and Annex C', async () => {
      expect(await page.getByTestId('dc-supported').textContent()).toContain(
        'openid4vp-v1-signed and org-iso-mdoc',
      );
    });

    it('a signed OpenID4VP request relayed to another origin is refused by the wallet (expected_origins)', async () => {
      const { verdict, seen } = await request({
        prefer: 'openid4vp',
        readerTrustPem: [reader.rootPem],
        origin: 'https://evil.example',
      });
      expect(verdict).toBeNull();
      expect(seen.refused).toBe('ERR_ONLINE_ORIGIN_NOT_EXPECTED');
    });

    for (const prefer of ['openid4vp', 'annex-c'] as const) {
      it(`${prefer}: the wallet verifies the reader's signature and chain, answers, and the page shows VERIFIED`, async () => {
        const { verdict, seen } = await request({ prefer, readerTrustPem: [reader.rootPem] });
        expect(seen).toEqual({
          protocol: prefer === 'annex-c' ? 'org-iso-mdoc' : 'openid4vp-v1-signed',
          readerAuth: 'verified',
          readerName: 'mdlkit verifier test reader',
        });
        expect(verdict).toBe('VERIFIED');
        expect(await page.locator('.report .meta').first().textContent()).toBe(
          `Protocol: ${prefer === 'annex-c' ? 'org-iso-mdoc' : 'openid4vp-v1-signed'}`,
        );
      });

      it(`${prefer}: a request whose signature was altered in transit is refused by the wallet`, async () => {
        const { verdict, seen } = await request({
          prefer,
          readerTrustPem: [reader.rootPem],
          tamperRequest: true,
        });
        expect(verdict).toBeNull();
        expect(seen.readerAuth).toBe('refused');
        expect(seen.refused).toBe(
          prefer === 'annex-c' ? 'ERR_READER_AUTH_INVALID' : 'ERR_ONLINE_REQUEST_SIGNATURE_INVALID',
        );
        expect(await page.getByTestId('request-status').textContent()).toContain(seen.refused);
      });

      it(`${prefer}: a wallet that trusts another reader root refuses the request`, async () => {
        const { verdict, seen } = await request({ prefer, readerTrustPem: [stranger.rootPem] });
        expect(verdict).toBeNull();
        expect(seen.refused).toBe(
          prefer === 'annex-c' ? 'ERR_X509_CHAIN_UNTRUSTED' : 'ERR_ONLINE_REQUEST_UNTRUSTED',
        );
      });
    }
  },
);
