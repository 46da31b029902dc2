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
import { FullDate } from '@mdlkit/core/cbor';
import { publicKeyToCoseKey } from '@mdlkit/core/cose';
import {
  CoseAlg,
  createLocalSigner,
  exportPublicKey,
  generateKeyPair,
  type KeyPair,
  randomBytes,
} from '@mdlkit/core/crypto';
import { buildOpenId4VpHandover, buildSessionTranscript, type SessionTranscript } from '@mdlkit/core/session';
import { answerDeviceRequest, parseDeviceRequest, parseIssuedMdoc } from '@mdlkit/holder';
import { issueMdoc } from '@mdlkit/issuer';
import {
  buildDocumentSignerCertificate,
  buildIacaCertificate,
  buildReaderRootCertificate,
  derToPem,
  TrustStore,
} from '@mdlkit/pki';
import { buildDeviceRequest, verifyDeviceResponse } from '@mdlkit/reader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mdlkit, type Run } from './run-cli.js';

const NOW = '2025-06-01T12:00:00Z';
const work = mkdtempSync(path.join(tmpdir(), 'mdlkit-verify-trust-'));
const f = (name: string) => path.join(work, name);
const signerOf = (k: KeyPair) => createLocalSigner({ privateKey: k.privateKey, alg: CoseAlg.ES256 });
const spkiOf = (k: KeyPair) => exportPublicKey(k.publicKey, 'spki');
const transcript = (nonce: string): SessionTranscript =>
  buildSessionTranscript({
    deviceEngagementBytes: null,
    eReaderKeyBytes: null,
    handover: buildOpenId4VpHandover({
      clientId: 'x509_san_dns:verifier.example',
      nonce,
      jwkThumbprint: null,
      responseUri: 'https://verifier.example/r',
    }),
  });
const READER_TRANSCRIPT = transcript('the reader’s own nonce');
let genuine: Uint8Array;
let replayed: Uint8Array;
let iaca: Uint8Array;

beforeAll(async () => {
  const iacaKey = generateKeyPair({ curve: 'P-256' });
  iaca = await buildIacaCertificate({
    subject: { country: 'US', stateOrProvince: 'US-NY', commonName: 'verify test IACA' },
    publicKey: spkiOf(iacaKey),
    signer: signerOf(iacaKey),
    issuerAltName: [{ uri: 'https://dmv.example' }],
    crlDistributionPoint: 'https://dmv.example/crl',
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2030-01-01T00:00:00Z'),
    randomBytes,
  });
  const dsKey = generateKeyPair({ curve: 'P-256' });
  const ds = await buildDocumentSignerCertificate({
    subject: { commonName: 'verify test DS' },
    publicKey: spkiOf(dsKey),
    issuer: { certificate: iaca, signer: signerOf(iacaKey) },
    crlDistributionPoint: 'https://dmv.example/crl',
    notBefore: new Date('2025-03-01T00:00:00Z'),
    notAfter: new Date('2026-03-01T00:00:00Z'),
    randomBytes,
  });
  const rootKey = generateKeyPair({ curve: 'P-256' });
  const readerRoot = await buildReaderRootCertificate({
    subject: { organization: 'Verifier Inc', commonName: 'verifier reader root' },
    publicKey: spkiOf(rootKey),
    signer: signerOf(rootKey),
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2030-01-01T00:00:00Z'),
    randomBytes,
  });
  const device = generateKeyPair({ curve: 'P-256' });
  const issued = await issueMdoc({
    docType: 'org.iso.18013.5.1.mDL',
    nameSpaces: {
      'org.iso.18013.5.1': {
        family_name: 'Mustermann',
        given_name: 'Erika',
        birth_date: new FullDate('1971-09-01'),
        issue_date: new FullDate('2025-04-01'),
        expiry_date: new FullDate('2030-04-01'),
        issuing_country: 'US',
        issuing_authority: 'Test DMV',
        document_number: 'D1234567',
        portrait: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]),
        driving_privileges: [],
        un_distinguishing_sign: 'USA',
        age_over_21: true,
      },
    },
    deviceKey: publicKeyToCoseKey(device.publicKey),
    validity: { signed: new Date('2025-05-01T00:00:00Z'), validUntil: new Date('2026-01-01T00:00:00Z') },
    signer: signerOf(dsKey),
    dsCertificate: ds,
    now: new Date('2025-05-01T00:00:00Z'),
  });
  const stored = parseIssuedMdoc({
    id: 'mdl',
    issuerSigned: issued.issuerSigned,
    deviceKeyReference: { kind: 'signature', signer: signerOf(device) },
  });
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
  writeFileSync(f('ds.pem'), derToPem(ds));
  for (const [dir, files] of [
    ['mixed', { 'iaca.pem': iaca, 'reader-root.pem': readerRoot, 'ds.pem': ds }],
    ['no-iaca', { 'reader-root.pem': readerRoot, 'ds.pem': ds }],
    ['ds-only', { 'ds.pem': ds }],
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
