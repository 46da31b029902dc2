/** The server without a browser: request state, security headers, the API's refusals, the bundle. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportPrivateKey, generateKeyPair } from '@mdlkit/core/crypto';
import { isMdlError } from '@mdlkit/core/errors';
import { TrustStore } from '@mdlkit/pki';
import { beforeAll, describe, expect, it } from 'vitest';
import { createVerifierApp } from '../src/server/app.js';
import {
  type BrowserAssets,
  buildBrowserAssets,
  bundleBrowser,
  findNodeImport,
} from '../src/server/assets.js';
import { ConfigError, DEFAULT_PORT, loadReaderSigning, loadTrust, readConfig } from '../src/server/config.js';
import type { OnlineVerifier } from '../src/server/online.js';
import { RequestStateStore } from '../src/server/request-store.js';
import { VECTORS } from './harness.js';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isMdlError(e) ? e.code : `not an MdlError: ${String(e)}`;
  }
  return undefined;
}

describe('RequestStateStore', () => {
  it('hands a state out once; a second answer is refused as used', () => {
    const store = new RequestStateStore<{ nonce: string }>();
    const { id } = store.create({ nonce: 'n1' });
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(store.consume(id)).toEqual({ nonce: 'n1' });
    expect(codeOf(() => store.consume(id))).toBe('ERR_ONLINE_STATE_REPLAYED');
  });

  it('refuses an id it never issued', () => {
    const store = new RequestStateStore<number>();
    store.create(1);
    expect(codeOf(() => store.consume('AAAAAAAAAAAAAAAAAAAAAA'))).toBe('ERR_ONLINE_STATE_UNKNOWN');
  });

  it('refuses an expired id as expired (and drops its state), then forgets it', () => {
    let now = 1_000_000;
    const store = new RequestStateStore<string>({ ttlSeconds: 10, now: () => now });
    const a = store.create('a');
    const b = store.create('b');
    now += 9_999;
    expect(store.consume(a.id)).toBe('a');
    now += 1;
    expect(codeOf(() => store.consume(b.id))).toBe('ERR_ONLINE_STATE_EXPIRED');
    expect(codeOf(() => store.consume(b.id))).toBe('ERR_ONLINE_STATE_EXPIRED');
    now += 10_000;
    expect(store.size).toBe(0);
    expect(codeOf(() => store.consume(b.id))).toBe('ERR_ONLINE_STATE_UNKNOWN');
  });

  it('is bounded: beyond maxEntries new requests are refused until old ones expire', () => {
    let now = 0;
    const store = new RequestStateStore<number>({ ttlSeconds: 1, maxEntries: 3, now: () => now });
    for (let i = 0; i < 3; i++) store.create(i);
    expect(codeOf(() => store.create(4))).toBe('ERR_ONLINE_STATE_LIMIT');
    now += 2_000;
    expect(() => store.create(5)).not.toThrow();
    expect(store.size).toBe(1);
    store.clear();
    expect(store.size).toBe(0);
  });

  it('draws ids from the random source it is given', () => {
    const store = new RequestStateStore<number>({ randomBytes: (n) => new Uint8Array(n).fill(0xfb) });
    expect(store.create(1).id).toBe('-_v7-_v7-_v7-_v7-_v7-w');
    expect(codeOf(() => new RequestStateStore({ ttlSeconds: 0 }))).toBe('ERR_INVALID_ARGUMENT');
  });
});

/** A stand-in for the online protocols that records what the app hands it (the app's own logic under test). */
function recordingOnline(): OnlineVerifier & { calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    calls,
    protocols: ['test-protocol'],
    async createRequests(o) {
      calls.push(o);
      return {
        requests: [{ protocol: 'test-protocol', data: { docType: o.intent.docType } }],
        state: { secret: 1 },
      };
    },
    async verifyResponse(o) {
      calls.push(o);
      return { verified: true, protocol: o.protocol, protocolChecks: [], documents: [], documentErrors: [] };
    },
  };
}

describe('the app', () => {
  let assets: BrowserAssets;
  beforeAll(async () => {
    assets = await buildBrowserAssets();
  });
  const ORIGIN = 'http://127.0.0.1:9';
  const post = (
    app: ReturnType<typeof createVerifierApp>,
    url: string,
    body: unknown,
    headers: Record<string, string> = {},
  ) =>
    app.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN, ...headers },
      body: JSON.stringify(body),
    });

  it('serves the page with a CSP that allows no inline script and no other origin', async () => {
    const app = createVerifierApp({ assets, trust: new TrustStore(), origin: ORIGIN });
    const res = await app.request('/');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    // No inline script or style, no third-party URL in the page.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=|https?:\/\//);
    const js = await (await app.request('/app.js')).text();
    expect(findNodeImport(js)).toBeNull();
    expect(js).not.toMatch(/https?:\/\/(?!www\.w3\.org)[a-z]/i);
  });

  it('refuses requests while no online protocols are configured', async () => {
    const app = createVerifierApp({ assets, trust: new TrustStore(), origin: ORIGIN });
    expect((await post(app, '/api/requests', { preset: 'age-over-18' })).status).toBe(503);
    const cfg = (await (await app.request('/api/config')).json()) as { online: boolean };
    expect(cfg.online).toBe(false);
  });

  it('checks intents, origins and content types before building anything', async () => {
    const online = recordingOnline();
    const app = createVerifierApp({ assets, trust: new TrustStore(), origin: ORIGIN, online });
    expect((await post(app, '/api/requests', { preset: 'nope' })).status).toBe(400);
    expect(
      (await post(app, '/api/requests', { intent: { docType: 'x y', nameSpaces: { a: ['b'] } } })).status,
    ).toBe(400);
    expect(
      (await post(app, '/api/requests', { intent: { docType: 'd', nameSpaces: { a: [] } } })).status,
    ).toBe(400);
    expect(
      (await post(app, '/api/requests', { preset: 'age-over-18' }, { origin: 'https://evil.example' }))
        .status,
    ).toBe(403);
    expect(
      (await post(app, '/api/requests', { preset: 'age-over-18' }, { 'content-type': 'text/plain' })).status,
    ).toBe(415);
    expect(online.calls).toEqual([]);
    const ok = await post(app, '/api/requests', {
      intent: { docType: 'org.example.doc', nameSpaces: { 'org.example': ['a', 'b'] } },
    });
    expect(ok.status).toBe(200);
    expect(online.calls).toHaveLength(1);
    expect((online.calls[0] as { origin: string }).origin).toBe(ORIGIN);
  });

  it('keeps the state server-side and accepts one answer per request', async () => {
    const online = recordingOnline();
    const app = createVerifierApp({ assets, trust: new TrustStore(), origin: ORIGIN, online });
    const created = (await (await post(app, '/api/requests', { preset: 'age-over-21' })).json()) as {
      id: string;
      expiresAt: string;
      digital: { requests: { protocol: string }[] };
    };
    expect(JSON.stringify(created)).not.toContain('secret');
    expect(created.digital.requests[0]?.protocol).toBe('test-protocol');
    const first = await post(app, '/api/responses', { id: created.id, protocol: 'test-protocol', data: {} });
    expect(first.status).toBe(200);
    expect((online.calls[1] as { state: unknown }).state).toEqual({ secret: 1 });
    const replay = await post(app, '/api/responses', { id: created.id, protocol: 'test-protocol', data: {} });
    expect(replay.status).toBe(409);
    const body = (await replay.json()) as { verified: boolean; protocolChecks: { code: string }[] };
    expect(body.verified).toBe(false);
    expect(body.protocolChecks[0]?.code).toBe('ERR_ONLINE_STATE_REPLAYED');
    const unknown = await post(app, '/api/responses', { id: 'x', protocol: 'test-protocol', data: {} });
    expect(((await unknown.json()) as { protocolChecks: { code: string }[] }).protocolChecks[0]?.code).toBe(
      'ERR_ONLINE_STATE_UNKNOWN',
    );
    expect(online.calls).toHaveLength(2);
  });

  it('refuses an answer after the request expired', async () => {
    let now = 0;
    const online = recordingOnline();
    const store = new RequestStateStore<unknown>({ ttlSeconds: 60, now: () => now });
    const app = createVerifierApp({ assets, trust: new TrustStore(), origin: ORIGIN, online, store });
    const { id } = (await (await post(app, '/api/requests', { preset: 'eu-pid' })).json()) as { id: string };
    now += 60_000;
    const res = await post(app, '/api/responses', { id, protocol: 'test-protocol', data: {} });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { protocolChecks: { code: string }[] }).protocolChecks[0]?.code).toBe(
      'ERR_ONLINE_STATE_EXPIRED',
    );
  });
});

describe('the browser bundles', () => {
  it('the reader bundles for the browser without any node: import', async () => {
    const { code, metafile } = await bundleBrowser({
      entry: path.join(import.meta.dirname, '../scripts/reader-entry.ts'),
    });
    expect(findNodeImport(code)).toBeNull();
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((i) => i.includes('core/src/crypto/web'))).toBe(true);
    expect(inputs.some((i) => i.includes('crypto/node') || i.startsWith('node:'))).toBe(false);
  });

  it('findNodeImport finds what it must', () => {
    expect(findNodeImport('import"node:crypto"')).not.toBeNull();
    expect(findNodeImport('x=require("crypto")')).not.toBeNull();
    expect(findNodeImport('const a = "nodes:"')).toBeNull();
  });

  it('the README states the measured bundle sizes', () => {
    const readme = readFileSync(path.join(import.meta.dirname, '../README.md'), 'utf8');
    const block = readme.slice(
      readme.indexOf('<!-- bundle-size:start -->'),
      readme.indexOf('<!-- bundle-size:end -->'),
    );
    expect(block).toMatch(/\| reader .*\| [\d.]+ KiB \| [\d.]+ KiB \|/);
  });
});

describe('configuration', () => {
  it('defaults to a fixed local port, lenient policy and the localhost origin', () => {
    const c = readConfig([], '/');
    expect(c).toMatchObject({
      port: DEFAULT_PORT,
      host: '127.0.0.1',
      origin: `http://localhost:${DEFAULT_PORT}`,
      policy: 'lenient',
    });
  });

  it('reads flags, and refuses bad ones', () => {
    const c = readConfig(['--port', '9000', '--policy', 'strict', '--origin', 'https://rp.example'], '/');
    expect(c).toMatchObject({ port: 9000, policy: 'strict', origin: 'https://rp.example' });
    expect(() => readConfig(['--port', 'x'], '/')).toThrow(ConfigError);
    expect(() => readConfig(['--origin', 'https://rp.example/path'], '/')).toThrow(ConfigError);
    expect(() => readConfig(['--vical', 'v.cbor'], '/')).toThrow(ConfigError);
  });

  it('loads trust anchors from files: a CA as anchor, an end-entity certificate pinned', async () => {
    const c = readConfig(
      [
        '--trust',
        path.join(VECTORS, 'iso-18013-5-annex-d/iaca-cert.pem'),
        '--trust',
        path.join(VECTORS, 'real-world/06-payground-oid4vp-dcapi.ds.pem'),
      ],
      '/',
    );
    if (c === 'help') throw new Error('unexpected help');
    const trust = await loadTrust(c);
    expect(
      trust
        .anchors()
        .map((a) => a.kind)
        .sort(),
    ).toEqual(['ca', 'pinned']);
  });

  it('reads a reader key and chain for signed requests, and refuses a key the leaf does not certify', () => {
    expect(() => readConfig(['--reader-key', 'k.pem'], '/')).toThrow(/go together/);
    expect(() => readConfig(['--client-id-prefix', 'did'], '/')).toThrow(ConfigError);
    const none = readConfig([], '/');
    if (none === 'help') throw new Error('unexpected help');
    expect(loadReaderSigning(none)).toBeUndefined();
    const dir = mkdtempSync(path.join(tmpdir(), 'mdlkit-verifier-config-'));
    try {
      // A fresh key beside Annex D's reader certificate: not the key it certifies.
      const key = generateKeyPair({ curve: 'P-256' });
      writeFileSync(path.join(dir, 'other.jwk'), JSON.stringify(exportPrivateKey(key.privateKey, 'jwk')));
      writeFileSync(path.join(dir, 'not-a-key.txt'), 'hello');
      writeFileSync(
        path.join(dir, 'config.json'),
        JSON.stringify({
          readerKey: 'other.jwk',
          readerCert: path.join(VECTORS, 'iso-18013-5-annex-d/reader-cert.pem'),
          clientIdPrefix: 'x509_san_dns',
        }),
      );
      const c = readConfig(['--config', path.join(dir, 'config.json')], '/');
      if (c === 'help') throw new Error('unexpected help');
      expect(c.clientIdPrefix).toBe('x509_san_dns');
      expect(c.readerKey).toBe(path.join(dir, 'other.jwk'));
      expect(() => loadReaderSigning(c)).toThrow(/not for the --reader-key key/);
      expect(() => loadReaderSigning({ ...c, readerKey: path.join(dir, 'not-a-key.txt') })).toThrow(
        /not a PKCS#8 PEM or JWK private key/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
