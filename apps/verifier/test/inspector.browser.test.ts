/**
 * The inspector in real Chromium: the Annex D DeviceResponse and every real-world sample are
 * pasted into the page, decoded and verified there (the reader bundled with its WebCrypto
 * provider), and the verdict must equal what `mdlkit verify` says for the same inputs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { main as mdlkit } from '@mdlkit/cli';
import { decodeCbor, type EncodedCbor, encodeCbor } from '@mdlkit/core/cbor';
import { parseDeviceEngagementUri } from '@mdlkit/core/mdoc';
import { parseCertificate, pemToDer, TrustStore } from '@mdlkit/pki';
import { verifyDeviceResponse } from '@mdlkit/reader';
import { InspectKind, inspectMdoc } from '@mdlkit/reader/inspect';
import type { Page } from 'playwright-core';
import QRCode from 'qrcode';
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

/** Runs one inspection (`act` pastes and clicks, or drops a file) and waits until the page has rendered it. */
async function inspected(page: Page, act: () => Promise<void>): Promise<void> {
  const before = Number((await page.locator('#inspect-output').getAttribute('data-done')) ?? '0');
  await act();
  await page.waitForFunction(
    (n) => Number(document.getElementById('inspect-output')?.dataset['done'] ?? '0') > n,
    before,
  );
}

/** Drops `bytes` as a file onto the inspector's input, the way a person drags one in. */
async function dropFile(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  const transfer = await page.evaluateHandle(
    ({ name, data }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([Uint8Array.from(data)], name, { type: 'application/octet-stream' }));
      return dt;
    },
    { name, data: Array.from(bytes) },
  );
  await page.getByTestId('inspect-input').dispatchEvent('drop', { dataTransfer: transfer });
  await transfer.dispose();
}

/** Every structure kind the issue lists, as bytes, with the kind `@mdlkit/reader/inspect` must name it. */
function structureInputs(): { what: string; kind: string; bytes: Uint8Array }[] {
  const response = hexFile(path.join(ANNEX_D, 'device-response.hex'));
  const decoded = decodeCbor(response) as Map<string, unknown>;
  const document = (decoded.get('documents') as Map<string, unknown>[])[0]!;
  // The IssuerSigned of Annex D's document, re-encoded around the tag-24 items it holds (kept as received).
  const issuerSigned = encodeCbor(document.get('issuerSigned'));
  const issuerAuth = decodeCbor(hexFile(path.join(ANNEX_D, 'issuer-auth.hex'))) as unknown[];
  const msoBytes = issuerAuth[2] as Uint8Array; // MobileSecurityObjectBytes = #6.24(bstr .cbor MSO)
  const mso = (decodeCbor(msoBytes) as EncodedCbor).bytes; // the bare MobileSecurityObject
  return [
    { what: 'DeviceResponse', kind: InspectKind.DeviceResponse, bytes: response },
    { what: 'IssuerSigned', kind: InspectKind.IssuerSigned, bytes: issuerSigned },
    { what: 'MobileSecurityObjectBytes', kind: InspectKind.MobileSecurityObjectBytes, bytes: msoBytes },
    { what: 'MSO', kind: InspectKind.MobileSecurityObject, bytes: mso },
    {
      what: 'DeviceRequest',
      kind: InspectKind.DeviceRequest,
      bytes: hexFile(path.join(ANNEX_D, 'device-request.hex')),
    },
    {
      what: 'DeviceEngagement',
      kind: InspectKind.DeviceEngagement,
      bytes: hexFile(path.join(ANNEX_D, 'device-engagement.hex')),
    },
    {
      what: 'SessionTranscript',
      kind: InspectKind.SessionTranscriptBytes,
      bytes: hexFile(path.join(ANNEX_D, 'session-transcript-bytes.hex')),
    },
    {
      what: 'certificate',
      kind: InspectKind.Certificate,
      bytes: pemToDer(text(path.join(ANNEX_D, 'iaca-cert.pem'))),
    },
    {
      what: 'VICAL',
      kind: InspectKind.Vical,
      bytes: hexFile(path.join(VECTORS, 'aamva-vical', 'aamva-vical-2025-11-18.hex')),
    },
  ];
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');

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
    // The element table's portrait (the decoded tree below shows it too, folded away).
    const portrait = page.getByTestId('elements').getByTestId('image-portrait');
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

  it('names the structure of every Annex D vector kind as @mdlkit/reader/inspect does in Node', async () => {
    const files = [
      'device-engagement.hex',
      'device-request.hex',
      'issuer-auth.hex',
      'session-transcript-bytes.hex',
      'session-establishment.hex',
      'iaca-cert.pem',
    ];
    for (const f of files) {
      const input = text(path.join(ANNEX_D, f));
      const expected = inspectMdoc(input).kind;
      const out = page.locator('#inspect-output');
      const before = Number((await out.getAttribute('data-done')) ?? '0');
      await page.getByTestId('inspect-input').fill(input);
      await page.getByTestId('inspect-run').click();
      await page.waitForFunction(
        (n) => Number(document.getElementById('inspect-output')?.dataset['done'] ?? '0') > n,
        before,
      );
      expect(await page.getByTestId('inspect-kind').textContent(), f).toBe(expected);
      expect(await page.getByTestId('inspect-structure').count(), f).toBe(1);
      if (f === 'device-engagement.hex') {
        await expect
          .poll(() => page.getByTestId('engagement-qr').evaluate((img: HTMLImageElement) => img.naturalWidth))
          .toBeGreaterThan(0);
      }
    }
  });

  it('reads every structure kind as hex, base64, base64url and a dropped file, as inspectMdoc does in Node', async () => {
    const now = '2025-11-18T20:00:00Z';
    await page.getByTestId('inspect-trust').fill('');
    await page.getByTestId('inspect-transcript').fill('');
    await page.getByTestId('inspect-ereader-key').fill('');
    await page.getByTestId('inspect-now').fill(now);
    const inputs = structureInputs();
    let checked = 0;
    for (const { what, kind, bytes } of inputs) {
      const node = inspectMdoc(bytes, { now: new Date(now) });
      // The Node inspection names the kind the vector is; the page must say the same, whatever the encoding.
      expect(node.kind, what).toBe(kind);
      const forms: [string, () => Promise<void>][] = [
        ['hex', () => page.getByTestId('inspect-input').fill(hexOf(bytes))],
        ['base64', () => page.getByTestId('inspect-input').fill(b64(bytes))],
        ['base64url', () => page.getByTestId('inspect-input').fill(b64url(bytes))],
        ['binary', () => dropFile(page, `${what}.cbor`, bytes)],
      ];
      for (const [format, fill] of forms) {
        const label = `${what} as ${format}`;
        await inspected(page, async () => {
          await fill();
          if (format !== 'binary') await page.getByTestId('inspect-run').click();
        });
        expect(await page.getByTestId('inspect-error').count(), label).toBe(0);
        expect(await page.getByTestId('inspect-kind').textContent(), label).toBe(kind);
        expect(await page.getByTestId('inspect-format').textContent(), label).toBe(format);
        expect(await page.getByTestId('inspect-structure').count(), label).toBe(1);
        const findings = await page.getByTestId('inspect-findings').locator('li').count();
        expect(findings, label).toBe(node.findings.length);
        if (kind !== InspectKind.DeviceResponse && node.certificates.length > 0) {
          expect(await page.getByTestId('certificates').locator('li').count(), label).toBe(
            node.certificates.length,
          );
        }
        if (kind === InspectKind.DeviceResponse) {
          expect(await page.getByTestId('inspect-doctype').allTextContents(), label).toEqual([
            'org.iso.18013.5.1.mDL',
          ]);
        }
        checked++;
      }
    }
    expect(checked).toBe(inputs.length * 4);
  });

  it('reads an mdoc: URI as the DeviceEngagement it carries and draws its QR code', async () => {
    const engagement = hexFile(path.join(ANNEX_D, 'device-engagement.hex'));
    await inspected(page, async () => {
      await page.getByTestId('inspect-input').fill(`mdoc:${b64url(engagement)}`);
      await page.getByTestId('inspect-run').click();
    });
    expect(await page.getByTestId('inspect-kind').textContent()).toBe(InspectKind.DeviceEngagement);
    expect(await page.getByTestId('inspect-format').textContent()).toBe('mdoc-uri');
    const uri = `mdoc:${b64url(engagement)}`;
    const qr = page.getByTestId('engagement-qr');
    expect(await qr.getAttribute('data-uri')).toBe(uri);
    // The image is the QR code of exactly that text: the qrcode package in Node draws the same symbol.
    const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'L', margin: 2 });
    expect(await qr.getAttribute('src')).toBe(
      `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
    );
    // …and the text reads back as the engagement it came from.
    expect(parseDeviceEngagementUri(uri).bytes.bytes).toEqual(engagement);
  });

  it('refuses a dropped file larger than the input budget before reading it', async () => {
    await inspected(page, async () => {
      const transfer = await page.evaluateHandle(() => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array(17 * 1024 * 1024)], 'huge.cbor'));
        return dt;
      });
      await page.getByTestId('inspect-input').dispatchEvent('drop', { dataTransfer: transfer });
      await transfer.dispose();
    });
    expect(await page.getByTestId('inspect-error').getAttribute('data-code')).toBe('ERR_LIMIT_INPUT_SIZE');
  });

  it('says what an input is when it is no encoding it reads, with the stable code', async () => {
    // JSON, text with characters no encoding has, and hex with one stray character.
    for (const input of ['{"version": "1.0"}', 'not an mdoc, surely!', `${'a2'.repeat(20)}zz`]) {
      const out = page.locator('#inspect-output');
      const before = Number((await out.getAttribute('data-done')) ?? '0');
      await page.getByTestId('inspect-input').fill(input);
      await page.getByTestId('inspect-run').click();
      await page.waitForFunction(
        (n) => Number(document.getElementById('inspect-output')?.dataset['done'] ?? '0') > n,
        before,
      );
      const error = page.getByTestId('inspect-error');
      expect(await error.getAttribute('data-code'), input).toBe('ERR_INPUT_FORMAT_UNRECOGNIZED');
      expect(await error.textContent(), input).toMatch(/^ERR_INPUT_FORMAT_UNRECOGNIZED: /);
      expect(await page.getByTestId('inspect-structure').count()).toBe(0);
    }
  });
});
