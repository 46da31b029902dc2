/**
 * `mdlkit verify` never calls a cloned or replayed mDL VERIFIED: without the reader's own
 * transcript it refuses (exit 2) unless `--skip-device-auth` is given, and then the headline says
 * the holder was not authenticated. The CLI and the library give the same verdict for the same
 * input and policy. `--trust DIR` trusts IACA-profile certificates only. Each case is a spawned
 * process, asserting the exit code and the output.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CoseAlg,
  createLocalSigner,
  exportPublicKey,
  generateKeyPair,
  type KeyPair,
  randomBytes,
} from '@mdlkit/core/crypto';
import type { SessionTranscript } from '@mdlkit/core/session';
import { answerDeviceRequest, parseDeviceRequest } from '@mdlkit/holder';
import { buildReaderRootCertificate, derToPem, TrustStore } from '@mdlkit/pki';
import { buildDeviceRequest, verifyDeviceResponse } from '@mdlkit/reader';
import { issueStoredMdl, MDL_ELEMENTS, openId4VpTranscript } from '@mdlkit/test-utils/mdoc';
import { buildTestPki } from '@mdlkit/test-utils/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mdlkit, type Run } from './run-cli.js';

const NOW = '2025-06-01T12:00:00Z';
const work = mkdtempSync(path.join(tmpdir(), 'mdlkit-verify-trust-'));
const f = (name: string) => path.join(work, name);
const signerOf = (k: KeyPair) => createLocalSigner({ privateKey: k.privateKey, alg: CoseAlg.ES256 });
const spkiOf = (k: KeyPair) => exportPublicKey(k.publicKey, 'spki');
const transcript = openId4VpTranscript;
const READER_TRANSCRIPT = transcript('the reader’s own nonce');
let genuine: Uint8Array;
let replayed: Uint8Array;
let iaca: Uint8Array;

beforeAll(async () => {
  const pki = await buildTestPki({
    iacaName: 'verify test IACA',
    dsName: 'verify test DS',
    stateOrProvince: 'US-NY',
  });
  iaca = pki.iaca;
  const rootKey = generateKeyPair({ curve: 'P-256' });
  const readerRoot = await buildReaderRootCertificate({
    subject: { organization: 'Verifier Inc', commonName: 'verifier reader root' },
    publicKey: spkiOf(rootKey),
    signer: signerOf(rootKey),
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2030-01-01T00:00:00Z'),
    randomBytes,
  });
  // the reader-side mDL without issuing_jurisdiction
  const elements: Record<string, unknown> = { ...MDL_ELEMENTS };
  delete elements.issuing_jurisdiction;
  const stored = await issueStoredMdl({ pki, device: generateKeyPair({ curve: 'P-256' }), elements });
  const { bytes } = await buildDeviceRequest({
    docRequests: [
      {
        docType: 'org.iso.18013.5.1.mDL',
        nameSpaces: { 'org.iso.18013.5.1': { family_name: false, age_over_21: false } },
      },
    ],
  });
  const request = await parseDeviceRequest(bytes, {});
  const answer = (t: SessionTranscript) =>
    answerDeviceRequest({ request, documents: [stored], sessionTranscript: t });
  genuine = (await answer(READER_TRANSCRIPT)).bytes;
  // A clone: a response captured in another session, replayed to this reader.
  replayed = (await answer(transcript('another session'))).bytes;

  writeFileSync(f('genuine.cbor'), genuine);
  writeFileSync(f('replayed.cbor'), replayed);
  writeFileSync(f('transcript.cbor'), READER_TRANSCRIPT.encoded.tagged());
  writeFileSync(f('iaca.pem'), derToPem(iaca));
  writeFileSync(f('ds.pem'), derToPem(pki.ds));
  for (const [dir, files] of [
    ['mixed', { 'iaca.pem': iaca, 'reader-root.pem': readerRoot, 'ds.pem': pki.ds }],
    ['no-iaca', { 'reader-root.pem': readerRoot, 'ds.pem': pki.ds }],
    ['ds-only', { 'ds.pem': pki.ds }],
  ] as const) {
    mkdirSync(f(dir));
    for (const [name, der] of Object.entries(files)) writeFileSync(path.join(f(dir), name), derToPem(der));
  }
}, 60_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

const verify = (response: string, extra: readonly string[]): Promise<Run> =>
  mdlkit(['verify', '--device-response', f(response), '--now', NOW, ...extra]);
const withTranscript = ['--session-transcript', f('transcript.cbor')];

/** The library's verdict for the same input and default policy. */
async function library(response: Uint8Array, sessionTranscript: SessionTranscript | null) {
  return verifyDeviceResponse(response, {
    trust: new TrustStore([iaca]),
    now: new Date(NOW),
    sessionTranscript,
  });
}

describe('mdlkit verify: device authentication is never skipped silently', () => {
  it('without --session-transcript a replayed mDL is refused (exit 2), never VERIFIED', async () => {
    const [text, json] = await Promise.all([
      verify('replayed.cbor', ['--trust', f('iaca.pem')]),
      verify('replayed.cbor', ['--trust', f('iaca.pem'), '--json']),
    ]);
    for (const run of [text, json]) {
      expect(run.code).toBe(2);
      expect(run.stdout).not.toMatch(/VERIFIED/);
      expect(run.stderr).toContain('--session-transcript is required');
      expect(run.stderr).toContain('--skip-device-auth');
    }
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'ERR_USAGE', command: 'verify' });
  });

  it('with the reader transcript the replay is NOT VERIFIED (exit 1), the same verdict as the library', async () => {
    const [text, json] = await Promise.all([
      verify('replayed.cbor', ['--trust', f('iaca.pem'), ...withTranscript]),
      verify('replayed.cbor', ['--trust', f('iaca.pem'), ...withTranscript, '--json']),
    ]);
    const lib = await library(replayed, READER_TRANSCRIPT);
    expect(lib.verified).toBe(false);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^NOT VERIFIED: /);
    expect(text.stdout).toContain('device-auth (ERR_DEVICE_SIGNATURE_INVALID)');
    expect(text.stdout).not.toMatch(/^\s+ok\s/m);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ verified: lib.verified, deviceAuthenticated: false, policy: lib.policy });
    expect(report.documents[0].elements.every((e: { verified: boolean }) => !e.verified)).toBe(true);
  });

  it('--skip-device-auth: the headline says the holder was not authenticated, the JSON says deviceAuthenticated false', async () => {
    const [text, json] = await Promise.all([
      verify('replayed.cbor', ['--trust', f('iaca.pem'), '--skip-device-auth']),
      verify('replayed.cbor', ['--trust', f('iaca.pem'), '--skip-device-auth', '--json']),
    ]);
    const lib = await library(replayed, null);
    // Same verdict as the library (issuer data verified, holder not authenticated) …
    expect(lib.verified).toBe(true);
    expect(lib.deviceAuthenticated).toBe(false);
    expect(text.code).toBe(0);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ verified: true, deviceAuthenticated: false });
    expect(report.documents[0]).toMatchObject({ deviceAuthenticated: false });
    // … but never the bare VERIFIED headline, and no plain "ok" beside an element.
    expect(text.stdout).toMatch(/^ISSUER DATA VERIFIED, HOLDER NOT AUTHENTICATED: /);
    expect(text.stdout).not.toMatch(/^VERIFIED/m);
    expect(text.stdout).toContain('a cloned or replayed mDL is not excluded');
    expect(text.stdout).toMatch(/^\s+ok\*\s+issuer\s+family_name/m);
    expect(text.stdout).not.toMatch(/^\s+ok\s/m);
  });

  it('--skip-device-auth with a transcript or an e-reader key is a usage error', async () => {
    const [both, key] = await Promise.all([
      verify('genuine.cbor', ['--trust', f('iaca.pem'), '--skip-device-auth', ...withTranscript]),
      verify('genuine.cbor', [
        '--trust',
        f('iaca.pem'),
        '--skip-device-auth',
        '--e-reader-key',
        f('iaca.pem'),
      ]),
    ]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--skip-device-auth and --session-transcript exclude each other');
    expect(key.code).toBe(2);
    expect(key.stderr).toContain('--e-reader-key');
  });

  it('the genuine response with the reader transcript is VERIFIED (exit 0), as in the library', async () => {
    const [text, json] = await Promise.all([
      verify('genuine.cbor', ['--trust', f('iaca.pem'), ...withTranscript]),
      verify('genuine.cbor', ['--trust', f('iaca.pem'), ...withTranscript, '--json']),
    ]);
    const lib = await library(genuine, READER_TRANSCRIPT);
    expect(lib.verified).toBe(true);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^VERIFIED: DeviceResponse 1\.0/);
    expect(text.stdout).toMatch(/^\s+ok\s+issuer\s+family_name/m);
    expect(JSON.parse(json.stdout)).toMatchObject({ verified: true, deviceAuthenticated: true });
  });
});

describe('mdlkit verify --trust DIR: IACA-profile certificates only', () => {
  it('a folder with the IACA, a reader root and a DS trusts the IACA and says what it skipped', async () => {
    const run = await verify('genuine.cbor', ['--trust', f('mixed'), ...withTranscript]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^VERIFIED: /);
    expect(run.stderr).toMatch(
      /warning: --trust .*reader-root\.pem: skipped "verifier reader root": .*countryName/,
    );
    expect(run.stderr).toMatch(
      /warning: --trust .*ds\.pem: skipped "verify test DS": not a CA certificate \(a DS certificate can be pinned with --trust FILE\)/,
    );
  });

  it('a folder without an IACA (reader root, DS) is refused: exit 2, nothing trusted', async () => {
    const [noIaca, dsOnly] = await Promise.all([
      verify('genuine.cbor', ['--trust', f('no-iaca'), ...withTranscript]),
      verify('genuine.cbor', ['--trust', f('ds-only'), ...withTranscript, '--json']),
    ]);
    for (const run of [noIaca, dsOnly]) {
      expect(run.code).toBe(2);
      expect(run.stdout).not.toMatch(/^VERIFIED/m);
      expect(run.stderr).toContain('no --trust certificate is an IACA');
    }
    expect(noIaca.stderr).toContain('reader-root.pem');
    expect(JSON.parse(dsOnly.stdout).error.code).toBe('ERR_USAGE');
  });

  it('a DS given as a FILE is still pinned and trusted as-is', async () => {
    const run = await verify('genuine.cbor', ['--trust', f('ds.pem'), ...withTranscript, '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout).documents[0];
    expect(doc.checks.find((c: { id: string }) => c.id === 'ds-certificate-path').status).toBe('passed');
  });
});
