/**
 * The inspector in real Chromium: the Annex D DeviceResponse and every real-world sample are
 * pasted into the page, decoded and verified there (the reader bundled with its WebCrypto
 * provider), and the verdict must equal what `mdlkit verify` says for the same inputs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { main as mdlkit } from '@mdlkit/cli';
import { parseCertificate, pemToDer, TrustStore } from '@mdlkit/pki';
import { verifyDeviceResponse } from '@mdlkit/reader';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  RUN_BROWSER,
  type RunningApp,
  SKIP_REASON,
  screenshotDir,
  startApp,
  VECTORS,
} from './harness.js';

interface Case {
  readonly name: string;
  readonly response: string;
  readonly trust: readonly string[];
  readonly transcript?: string;
  readonly eReaderKey?: string;
  readonly now: string;
  readonly docTypes: readonly string[];
}

const ANNEX_D = path.join(VECTORS, 'iso-18013-5-annex-d');
const REAL = path.join(VECTORS, 'real-world');

function cases(): Case[] {
  const out: Case[] = [
    {
      name: 'ISO 18013-5 Annex D',
      response: path.join(ANNEX_D, 'device-response.hex'),
      trust: [path.join(ANNEX_D, 'iaca-cert.pem')],
      transcript: path.join(ANNEX_D, 'session-transcript-bytes.hex'),
      eReaderKey: path.join(ANNEX_D, 'e-reader-key-d.hex'),
      now: '2021-01-01T00:00:00Z',
      docTypes: ['org.iso.18013.5.1.mDL'],
    },
    {
      name: 'ISO 18013-5 Annex D at a date after the DS expired',
      response: path.join(ANNEX_D, 'device-response.hex'),
      trust: [path.join(ANNEX_D, 'iaca-cert.pem')],
      transcript: path.join(ANNEX_D, 'session-transcript-bytes.hex'),
      eReaderKey: path.join(ANNEX_D, 'e-reader-key-d.hex'),
      now: '2025-01-01T00:00:00Z',
      docTypes: ['org.iso.18013.5.1.mDL'],
    },
  ];
  const manifest = JSON.parse(readFileSync(path.join(REAL, 'manifest.json'), 'utf8')) as {
    common: { auth0_trust: { file: string } };
    samples: { id: string; now: string; files: { file: string; what: string }[] }[];
  };
  for (const s of manifest.samples) {
    const file = (pred: (f: { file: string; what: string }) => boolean) => s.files.find(pred)?.file;
    const response = file((f) => f.what === 'DeviceResponse');
    const transcript = file((f) => f.file.includes('session-transcript'));
    const pinned = file((f) => f.file.endsWith('.pem'));
    if (response === undefined) throw new Error(`${s.id}: manifest names no DeviceResponse`);
    out.push({
      name: `real-world ${s.id}`,
      response: path.join(REAL, response),
      trust: [path.join(REAL, pinned ?? manifest.common.auth0_trust.file)],
      ...(transcript === undefined ? {} : { transcript: path.join(REAL, transcript) }),
      now: s.now,
      docTypes: ['org.iso.18013.5.1.mDL'],
    });
  }
  return out;
}

/** `mdlkit verify --json` in-process, as the CLI runs it. */
async function cliVerdict(
  c: Case,
): Promise<{ verified: boolean; failed: string[]; docTypes: string[]; refused?: string }> {
  let out = '';
  let err = '';
  const args = ['verify', '--json', '--device-response', c.response, '--now', c.now];
  for (const t of c.trust) args.push('--trust', t);
  if (c.transcript !== undefined) args.push('--session-transcript', c.transcript);
  if (c.eReaderKey !== undefined) args.push('--e-reader-key', c.eReaderKey);
  const code = await mdlkit(args, {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    cwd: process.cwd(),
    env: {},
    tty: false,
  });
  if (code === 2) {
    // The CLI refused the input as malformed (exit 2); the page must refuse it for the same reason.
    const refused = /ERR_[A-Z0-9_]+/.exec(`${out}\n${err}`)?.[0];
    if (refused === undefined) throw new Error(`mdlkit verify exited 2 without a code: ${err}`);
    return { verified: false, failed: [], docTypes: c.docTypes.slice(), refused };
  }
  const report = JSON.parse(out) as {
    verified: boolean;
    documents: { docType: string; checks: { id: string; status: string; code?: string }[] }[];
  };
  return {
    verified: report.verified,
    failed: report.documents.flatMap((d) =>
      d.checks
        .filter((x) => x.status === 'failed')
        .map((x) => (x.code === undefined ? x.id : `${x.id} (${x.code})`)),
    ),
    docTypes: report.documents.map((d) => d.docType),
  };
}

const text = (f: string) => readFileSync(f, 'utf8').trim();
const hexFile = (f: string) => Uint8Array.from(Buffer.from(text(f), 'hex'));

async function inspect(page: Page, c: Case): Promise<void> {
  const out = page.locator('#inspect-output');
  const before = Number((await out.getAttribute('data-done')) ?? '0');
  await page.getByTestId('inspect-input').fill(text(c.response));
  await page.getByTestId('inspect-trust').fill(c.trust.map(text).join('\n'));
  await page.getByTestId('inspect-transcript').fill(c.transcript === undefined ? '' : text(c.transcript));
  await page.getByTestId('inspect-ereader-key').fill(c.eReaderKey === undefined ? '' : text(c.eReaderKey));
  await page.getByTestId('inspect-now').fill(c.now);
  await page.getByTestId('inspect-run').click();
  await page.waitForFunction(
    (n) => Number(document.getElementById('inspect-output')?.dataset['done'] ?? '0') > n,
    before,
  );
}

describe.skipIf(!RUN_BROWSER)(`inspector in Chromium${RUN_BROWSER ? '' : ` — ${SKIP_REASON}`}`, () => {
  let app: RunningApp;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    app = await startApp({ trust: new TrustStore() });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    await page.goto(`${app.origin}/#inspect`);
    await page.waitForSelector('body[data-ready="true"]');
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const all = cases();
  it('has the Annex D response and every real-world sample to inspect', () => {
    expect(all.length).toBeGreaterThanOrEqual(6);
  });

  for (const c of all) {
    it(`${c.name}: decoded in the page, same verdict as mdlkit verify`, async () => {
      const cli = await cliVerdict(c);
      await inspect(page, c);
      const docTypes = await page.getByTestId('inspect-doctype').allTextContents();
      expect(docTypes).toEqual(cli.docTypes);
      expect(docTypes).toEqual(c.docTypes);
      const verdict = (await page.getByTestId('inspect-verdict').textContent()) ?? '';
      expect(verdict.startsWith(cli.verified ? 'VERIFIED' : 'NOT VERIFIED'), verdict).toBe(true);
      for (const f of cli.failed) expect(verdict).toContain(f);
      if (cli.refused !== undefined) expect(verdict).toContain(cli.refused);
      else expect(await page.getByTestId('chain').count()).toBe(cli.docTypes.length);
      expect(pageErrors).toEqual([]);
    });
  }

  it('shows the Annex D portrait as an image and the chain with linter findings', async () => {
    const annexD = all[0]!;
    await inspect(page, annexD);
    const verdict = await page.getByTestId('inspect-verdict').textContent();
    expect(verdict).toBe('VERIFIED');
    const portrait = page.getByTestId('image-portrait');
    await expect
      .poll(() => portrait.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(0);
    // Annex D's IACA carries a dNSName CRL distribution point: the Annex B linter reports it.
    expect(await page.getByTestId('lint-findings').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(screenshotDir(), 'inspector-annex-d.png'), fullPage: true });
    // A smaller one of the top of the report, the kind the README shows.
    await page.screenshot({
      path: path.join(screenshotDir(), 'inspector-annex-d.jpg'),
      type: 'jpeg',
      quality: 60,
      clip: { x: 0, y: 0, width: 1200, height: 1400 },
      fullPage: true,
    });
  });

  it('with non-preferred CBOR accepted, the auth0 samples get the same checks as the reader in Node', async () => {
    await page.getByTestId('inspect-lenient-cbor').check();
    try {
      for (const c of all.filter((x) => x.name.includes('auth0'))) {
        const trust = new TrustStore();
        for (const t of c.trust) {
          const der = pemToDer(text(t));
          if (parseCertificate(der).basicConstraints?.ca === true) trust.add(der);
          else trust.addPinned(der);
        }
        const node = await verifyDeviceResponse(hexFile(c.response), {
          trust,
          sessionTranscript: c.transcript === undefined ? null : hexFile(c.transcript),
          now: new Date(c.now),
          policy: 'lenient',
          decoding: { allowNonPreferred: true, allowIndefinite: true },
        });
        await inspect(page, c);
        const rows = await page
          .getByTestId('checks')
          .first()
          .locator('tbody tr')
          .evaluateAll((trs) =>
            trs.map((tr) => `${tr.getAttribute('data-check')}:${tr.getAttribute('data-status')}`),
          );
        expect(rows).toEqual(node.documents[0]!.checks.map((x) => `${x.id}:${x.status}`));
        const verdict = (await page.getByTestId('inspect-verdict').textContent()) ?? '';
        expect(verdict.startsWith(node.verified ? 'VERIFIED' : 'NOT VERIFIED')).toBe(true);
        if (c.name.endsWith('auth0-example3')) {
          // The tampered sample fails on the digest of the changed element, and that element is not verified.
          expect(verdict).toContain('ERR_MSO_DIGEST_MISMATCH');
          expect(await page.locator('tr[data-element="family_name"]').getAttribute('class')).toBe(
            'status-failed',
          );
        }
      }
    } finally {
      await page.getByTestId('inspect-lenient-cbor').uncheck();
    }
  });

  it('says what an input is when it is no encoding it reads', async () => {
    const out = page.locator('#inspect-output');
    const before = Number((await out.getAttribute('data-done')) ?? '0');
    await page.getByTestId('inspect-input').fill('this is not an mdoc');
    await page.getByTestId('inspect-run').click();
    await page.waitForFunction(
      (n) => Number(document.getElementById('inspect-output')?.dataset['done'] ?? '0') > n,
      before,
    );
    expect(await page.getByTestId('inspect-error').textContent()).toMatch(
      /not hex, base64, base64url, PEM or an mdoc: URI/,
    );
  });
});
