/**
 * `mdlkit issue` → `mdlkit request` → `mdlkit present` → `mdlkit verify`, each a spawned process
 * (as in cli.test.ts). The issuer PKI (IACA, DS) and the reader PKI are built locally in
 * `beforeAll` with @mdlkit/pki and written as files, the way a user would hold them.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeCbor } from '@mdlkit/core/cbor';
import {
  createLocalSigner,
  exportPrivateKey,
  exportPublicKey,
  generateKeyPair,
  randomBytes,
} from '@mdlkit/core/crypto';
import { buildReaderAuthCertificate, buildReaderRootCertificate, derToPem } from '@mdlkit/pki';
import { buildTestPki, validAround } from '@mdlkit/test-utils/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANNEX_D, issueArgs, mdlDataJson, mdlkit, type Run, verifyArgs } from './run-cli.js';

const json = (run: Run): any => JSON.parse(run.stdout);

let work: string;
const f = (name: string): string => path.join(work, name);

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'mdlkit-issue-'));
  const now = new Date();
  // the issuer's IACA and DS (valid around now: the CLI verifies at the current time)
  const { iaca, ds, dsKey } = await buildTestPki({
    iacaName: 'Test IACA',
    dsName: 'Test DS',
    stateOrProvince: 'US-CA',
    iacaValidity: validAround(now, 3 * 365),
    dsValidity: validAround(now, 300),
  });
  const rootKey = generateKeyPair({ curve: 'P-256' });
  const rootSigner = createLocalSigner({ privateKey: rootKey.privateKey, alg: -7 });
  const readerRoot = await buildReaderRootCertificate({
    subject: { country: 'US', organization: 'Test Verifier', commonName: 'Test Reader Root' },
    publicKey: exportPublicKey(rootKey.publicKey, 'spki'),
    signer: rootSigner,
    issuerAltName: [{ uri: 'https://verifier.example/pki' }],
    crlDistributionPoint: 'https://verifier.example/root.crl',
    ...validAround(now, 365),
    randomBytes,
  });
  const readerKey = generateKeyPair({ curve: 'P-256' });
  const reader = await buildReaderAuthCertificate({
    subject: { country: 'US', organization: 'Test Verifier', commonName: 'Test door reader' },
    publicKey: exportPublicKey(readerKey.publicKey, 'spki'),
    issuer: { certificate: readerRoot, signer: rootSigner },
    crlDistributionPoint: 'https://verifier.example/root.crl',
    ...validAround(now, 180),
    randomBytes,
  });
  const pem = (der: Uint8Array): string => derToPem(der, 'PRIVATE KEY');
  writeFileSync(f('iaca.pem'), derToPem(iaca));
  writeFileSync(f('ds.pem'), derToPem(ds));
  writeFileSync(f('ds-key.pem'), pem(exportPrivateKey(dsKey.privateKey, 'pkcs8')));
  writeFileSync(f('ds-key.jwk'), JSON.stringify(exportPrivateKey(dsKey.privateKey, 'jwk')));
  writeFileSync(f('reader-root.pem'), derToPem(readerRoot));
  writeFileSync(f('reader.pem'), derToPem(reader));
  writeFileSync(f('reader-key.pem'), pem(exportPrivateKey(readerKey.privateKey, 'pkcs8')));
  writeFileSync(f('data.json'), JSON.stringify(mdlDataJson()));
  const portraitHex = readFileSync(path.join(ANNEX_D, 'portrait.hex'), 'utf8').trim();
  writeFileSync(f('portrait.jpg'), Buffer.from(portraitHex, 'hex'));
}, 60_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** `mdlkit issue` with the test IACA, DS, DS key and portrait, the data file `data`, then `extra`. */
const issuerArgs = (data: string, extra: readonly string[] = []): string[] =>
  issueArgs(
    { iacaCert: f('iaca.pem'), dsCert: f('ds.pem'), dsKey: ['--ds-key', f('ds-key.pem')], data: f(data) },
    ['--portrait', f('portrait.jpg'), ...extra],
  );

describe('issue → request → present → verify', () => {
  it('chains with reader auth and a device signature; verify reports exactly the requested elements', async () => {
    const [issued, requested] = await Promise.all([
      mdlkit(
        issuerArgs('data.json', ['--new-device-key', f('device.pem'), '--out', f('mdl.cbor'), '--json']),
      ),
      mdlkit([
        'request',
        '--element',
        'family_name',
        '--element',
        'org.iso.18013.5.1/portrait',
        '--retain',
        'age_over_21',
        '--element',
        'nationality',
        '--reader-cert',
        f('reader.pem'),
        '--reader-key',
        f('reader-key.pem'),
        '--new-session',
        f('session'),
        '--out',
        f('request.cbor'),
        '--json',
      ]),
    ]);
    expect(issued.code, issued.stderr).toBe(0);
    const summary = json(issued);
    expect(summary).toMatchObject({
      docType: 'org.iso.18013.5.1.mDL',
      digestAlgorithm: 'SHA-256',
      deviceKeyFile: f('device.pem'),
    });
    expect(summary.nameSpaces['org.iso.18013.5.1']).toContain('portrait');
    expect(summary.issuerSignedBytes).toBe(statSync(f('mdl.cbor')).size);
    expect(statSync(f('device.pem')).mode & 0o077).toBe(0);
    // IssuerSigned = { "nameSpaces": …, "issuerAuth": … }
    const issuerSigned = decodeCbor(readFileSync(f('mdl.cbor'))) as Map<string, unknown>;
    expect([...issuerSigned.keys()].sort()).toEqual(['issuerAuth', 'nameSpaces']);

    expect(requested.code, requested.stderr).toBe(0);
    expect(json(requested)).toMatchObject({
      readerAuth: true,
      sessionTranscriptFile: f('session/session-transcript.cbor'),
      eReaderKeyFile: f('session/e-reader-key.pem'),
    });
    expect(json(requested).elements).toHaveLength(4);

    const presentArgs = [
      'present',
      '--issuer-signed',
      f('mdl.cbor'),
      '--device-key',
      f('device.pem'),
      '--request',
      f('request.cbor'),
      '--session-transcript',
      f('session/session-transcript.cbor'),
      '--reader-trust',
      f('reader-root.pem'),
      '--require-reader-auth',
    ];
    const wrongKey = presentArgs.map((a) => (a === f('device.pem') ? f('ds-key.pem') : a));
    const [machine, human, foreign] = await Promise.all([
      mdlkit([...presentArgs, '--out', f('response.cbor'), '--json']),
      mdlkit([...presentArgs, '--out', f('response-2.cbor')]),
      mdlkit([...wrongKey, '--out', f('response-3.cbor')]),
    ]);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain('not the device key named in the MSO');
    expect(machine.code, machine.stderr).toBe(0);
    const presented = json(machine);
    expect(presented.deviceAuth).toBe('signature');
    expect(presented.readerAuth).toEqual([
      { docRequest: 0, docType: 'org.iso.18013.5.1.mDL', status: 'verified', readerName: 'Test door reader' },
    ]);
    const released = presented.disclosed[0].elements;
    expect(released.map((e: { identifier: string }) => e.identifier).sort()).toEqual([
      'age_over_21',
      'family_name',
      'portrait',
    ]);
    expect(released.find((e: { identifier: string }) => e.identifier === 'age_over_21').intentToRetain).toBe(
      true,
    );
    expect(presented.unavailable).toEqual([{ nameSpace: 'org.iso.18013.5.1', identifier: 'nationality' }]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(
      'reader authentication for org.iso.18013.5.1.mDL: verified as "Test door reader"',
    );
    expect(human.stdout).toMatch(/age_over_21 +yes/);
    expect(human.stdout).toContain('requested but not held: org.iso.18013.5.1/nationality');

    const verified = await mdlkit(
      verifyArgs(
        {
          deviceResponse: f('response.cbor'),
          sessionTranscript: f('session/session-transcript.cbor'),
          trust: f('iaca.pem'),
        },
        ['--json'],
      ),
    );
    expect(verified.code, verified.stdout).toBe(0);
    const report = json(verified);
    expect(report.verified).toBe(true);
    expect(report.documents[0].deviceAuthMethod).toBe('signature');
    expect(report.documents[0].elements.map((e: { identifier: string }) => e.identifier).sort()).toEqual([
      'age_over_21',
      'family_name',
      'portrait',
    ]);
  });

  it('DeviceMac with a given device public key, a JWK DS key, SHA-384 digests and a status entry', async () => {
    const device = generateKeyPair({ curve: 'P-256' });
    writeFileSync(f('mac-device.pem'), derToPem(exportPrivateKey(device.privateKey, 'pkcs8'), 'PRIVATE KEY'));
    writeFileSync(f('mac-device.jwk'), JSON.stringify(exportPublicKey(device.publicKey, 'jwk')));
    const macIssue = issueArgs(
      {
        iacaCert: f('iaca.pem'),
        dsCert: f('ds.pem'),
        dsKey: ['--ds-key', f('ds-key.jwk')],
        data: f('data.json'),
      },
      [
        '--portrait',
        f('portrait.jpg'),
        '--device-key',
        f('mac-device.jwk'),
        '--digest-alg',
        'SHA-384',
        '--status-list-index',
        '7',
        '--status-uri',
        'https://status.example/1',
        '--out',
        f('mac-mdl.cbor'),
      ],
    );
    const [issued, requested] = await Promise.all([
      mdlkit(macIssue),
      mdlkit([
        'request',
        '--element',
        'given_name',
        '--new-session',
        f('mac-session'),
        '--out',
        f('mac-request.cbor'),
      ]),
    ]);
    expect(issued.code, issued.stderr).toBe(0);
    expect(issued.stdout).toContain('digests SHA-384');
    expect(issued.stdout).toContain('status list index 7 at https://status.example/1');
    expect(requested.code, requested.stderr).toBe(0);
    expect(requested.stdout).toContain('no reader authentication');
    const presented = await mdlkit([
      'present',
      '--issuer-signed',
      f('mac-mdl.cbor'),
      '--device-key',
      f('mac-device.pem'),
      '--request',
      f('mac-request.cbor'),
      '--session-transcript',
      f('mac-session/session-transcript.cbor'),
      '--mac',
      '--out',
      f('mac-response.cbor'),
      '--json',
    ]);
    expect(presented.code, presented.stderr).toBe(0);
    expect(json(presented).deviceAuth).toBe('mac');
    expect(json(presented).readerAuth[0].status).toBe('absent');
    const verified = await mdlkit(
      verifyArgs(
        {
          deviceResponse: f('mac-response.cbor'),
          sessionTranscript: f('mac-session/session-transcript.cbor'),
          trust: f('iaca.pem'),
        },
        ['--e-reader-key', f('mac-session/e-reader-key.pem'), '--json'],
      ),
    );
    expect(verified.code, verified.stdout).toBe(0);
    const doc = json(verified).documents[0];
    expect(doc.deviceAuthMethod).toBe('mac');
    expect(doc.elements.map((e: { identifier: string }) => e.identifier)).toEqual(['given_name']);
  });
});

describe('issue --batch', () => {
  it('writes N documents with their own device keys and consecutive status indices', async () => {
    const run = await mdlkit(
      issuerArgs('data.json', [
        '--batch',
        '3',
        '--concurrency',
        '2',
        '--out-dir',
        f('batch'),
        '--status-list-index',
        '10',
        '--status-uri',
        'https://status.example/1',
        '--json',
      ]),
    );
    expect(run.code, run.stderr).toBe(0);
    const out = json(run);
    expect(out.summary).toMatchObject({ total: 3, succeeded: 3, failed: 0 });
    expect(out.documents.map((d: { statusIndex: number }) => d.statusIndex)).toEqual([10, 11, 12]);
    const keys = out.documents.map((d: { deviceKeyFile: string }) => readFileSync(d.deviceKeyFile, 'utf8'));
    expect(new Set(keys).size).toBe(3);
    for (const d of out.documents) {
      expect(statSync(d.deviceKeyFile).mode & 0o077).toBe(0);
      const issuerSigned = decodeCbor(readFileSync(d.file)) as Map<string, unknown>;
      expect(issuerSigned.has('issuerAuth')).toBe(true);
    }
  });
});

describe('issue and present: bad input', () => {
  it('bad data exits 2 naming the element and never echoing the value', async () => {
    const bad = mdlDataJson();
    bad['org.iso.18013.5.1']!.birth_date = 'SECRET-1990-04-12';
    writeFileSync(f('bad-type.json'), JSON.stringify(bad));
    const badDate = mdlDataJson();
    badDate['org.iso.18013.5.1']!.expiry_date = { 'full-date': 'SECRET-2030' };
    writeFileSync(f('bad-date.json'), JSON.stringify(badDate));
    const missing = mdlDataJson();
    delete missing['org.iso.18013.5.1']!.family_name;
    writeFileSync(f('missing.json'), JSON.stringify(missing));
    writeFileSync(f('not-json.json'), '{ "org.iso.18013.5.1": ');
    const run = (data: string) =>
      mdlkit(issuerArgs(data, ['--new-device-key', f('unused.pem'), '--out', f('unused.cbor')]));
    const [type, date, absent, notJson] = await Promise.all([
      run('bad-type.json'),
      run('bad-date.json'),
      run('missing.json'),
      run('not-json.json'),
    ]);
    expect(type.code).toBe(2);
    expect(type.stderr).toContain('ERR_DATA_ELEMENT_INVALID');
    expect(type.stderr).toContain('org.iso.18013.5.1/birth_date');
    expect(date.code).toBe(2);
    expect(date.stderr).toContain('org.iso.18013.5.1/expiry_date');
    expect(absent.code).toBe(2);
    expect(absent.stderr).toContain('ERR_DATA_ELEMENT_MISSING');
    expect(absent.stderr).toContain('org.iso.18013.5.1/family_name');
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('not valid JSON');
    for (const r of [type, date, absent, notJson]) {
      expect(r.stderr).not.toContain('SECRET');
      expect(r.stderr).not.toContain('unexpected error');
    }
  });

  it('missing files, a foreign DS key and bad usage exit 2', async () => {
    const other = generateKeyPair({ curve: 'P-256' });
    writeFileSync(f('other-key.pem'), derToPem(exportPrivateKey(other.privateKey, 'pkcs8'), 'PRIVATE KEY'));
    const runs = await Promise.all([
      mdlkit(issuerArgs('nope.json', ['--new-device-key', f('x.pem')])),
      mdlkit(
        issueArgs(
          {
            iacaCert: f('iaca.pem'),
            dsCert: f('ds.pem'),
            dsKey: ['--ds-key', f('other-key.pem')],
            data: f('data.json'),
          },
          ['--new-device-key', f('x.pem')],
        ),
      ),
      mdlkit(issuerArgs('data.json')),
      mdlkit([
        'present',
        '--issuer-signed',
        f('nope.cbor'),
        '--device-key',
        f('other-key.pem'),
        '--request',
        f('nope'),
        '--session-transcript',
        f('nope'),
      ]),
      mdlkit(['request']),
    ]);
    const [missingData, foreignDs, noDeviceKey, missingPresent, noElements] = runs;
    expect(missingData!.stderr).toMatch(/--data \S*nope\.json: no such file/);
    expect(foreignDs!.stderr).toMatch(/--ds-key \S+: this key does not belong to the certificate --ds-cert/);
    expect(noDeviceKey!.stderr).toContain('give exactly one of --device-key');
    expect(missingPresent!.stderr).toMatch(/--issuer-signed \S*nope\.cbor: no such file/);
    expect(noElements!.stderr).toContain('give at least one --element');
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).not.toContain('unexpected error');
    }
  });
});
