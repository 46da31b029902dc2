/**
 * `mdlkit cert create` (every Annex B kind, fresh / existing / KMS keys, each linted clean by
 * `mdlkit lint-cert`) and `mdlkit inspect` (every structure kind of the shared vectors, stdin, JSON),
 * spawned as a user runs them.
 */
import { createPublicKey } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateKeyCommand, GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { type Emulator, startEmulator } from '@mdlkit/aws-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANNEX_D, issueArgs, mdlkit, type Run, VECTORS } from './run-cli.js';

let work: string;
let emulator: Emulator;
let kms: KMSClient;
const w = (name: string): string => path.join(work, name);
const ok = (r: Run): Run => {
  expect(r.code, r.stderr).toBe(0);
  return r;
};
const json = (r: Run): any => JSON.parse(r.stdout);
const spkiOfPem = (file: string): string =>
  createPublicKey(readFileSync(file, 'utf8')).export({ format: 'der', type: 'spki' }).toString('hex');

const CRL = 'https://pki.example.org/iaca.crl';
/** `mdlkit cert create <kind>` for `subject`, with `options` (keys, issuer, CRL, --json) before `--out out`. */
const certCreate = (
  kind: string,
  subject: string,
  out: string,
  options: readonly string[] = [],
): string[] => ['cert', 'create', kind, '--subject', subject, ...options, '--out', out];
/** `--issuer-cert` and `--issuer-key` of a CA created in the work folder (`<name>.pem`, `<name>.key.pem`). */
const issuedBy = (name: string): string[] => [
  '--issuer-cert',
  w(`${name}.pem`),
  '--issuer-key',
  w(`${name}.key.pem`),
];

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'mdlkit-cert-'));
  emulator = await startEmulator({ port: 0 });
  kms = new KMSClient({
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
  });
});

afterAll(async () => {
  kms.destroy();
  await emulator.close();
  rmSync(work, { recursive: true, force: true });
});

const kmsEnv = (): Record<string, string> => ({
  AWS_ACCESS_KEY_ID: 'AKIDTEST',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: emulator.region,
});

describe('cert create', () => {
  it('makes every Annex B kind with fresh keys, and lint-cert passes each under its issuer', async () => {
    ok(
      await mdlkit(
        certCreate('iaca', 'C=US, ST=US-NY, O=Test DMV, CN=Test IACA', w('iaca.pem'), [
          '--issuer-alt-name',
          'email:pki@example.org',
          '--crl-uri',
          CRL,
        ]),
      ),
    );
    ok(
      await mdlkit(
        certCreate('reader-root', 'C=US, O=Reader Org, CN=Reader Root', w('reader-root.pem'), [
          '--issuer-alt-name',
          'uri:https://reader.example.org',
        ]),
      ),
    );
    const underIaca = [...issuedBy('iaca'), '--crl-uri', CRL];
    const children = await Promise.all([
      mdlkit(certCreate('ds', 'C=US, ST=US-NY, CN=Test DS', w('ds.pem'), [...underIaca, '--json'])),
      mdlkit(
        certCreate('vical-signer', 'C=US, O=Test DMV, CN=VICAL signer', w('vical-signer.pem'), [
          ...underIaca,
          '--curve',
          'P-384',
        ]),
      ),
      mdlkit(
        certCreate('status-signer', 'C=US, O=Test DMV, CN=Status signer', w('status-signer.pem'), [
          ...issuedBy('iaca'),
        ]),
      ),
      mdlkit(
        certCreate('reader', 'CN=Test reader', w('reader.pem'), [
          ...issuedBy('reader-root'),
          '--crl-uri',
          'https://reader.example.org/crl',
        ]),
      ),
    ]);
    for (const r of children) ok(r);
    const ds = json(children[0]!);
    expect(ds).toMatchObject({ profile: 'ds', subject: 'C=US, ST=US-NY, CN=Test DS', lint: { ok: true } });
    expect(ds.keyFile).toBe(w('ds.key.pem'));
    expect(readFileSync(w('ds.key.pem'), 'utf8')).toContain('BEGIN PRIVATE KEY');

    const lints = await Promise.all([
      mdlkit(['lint-cert', w('iaca.pem'), '--json']),
      mdlkit(['lint-cert', w('ds.pem'), w('vical-signer.pem'), '--issuer', w('iaca.pem'), '--json']),
      mdlkit([
        'lint-cert',
        w('status-signer.pem'),
        '--issuer',
        w('iaca.pem'),
        '--profile',
        'status-list-signer',
        '--json',
      ]),
      mdlkit(['lint-cert', w('reader-root.pem'), '--profile', 'reader-root', '--json']),
      mdlkit(['lint-cert', w('reader.pem'), '--issuer', w('reader-root.pem'), '--json']),
    ]);
    for (const r of lints) {
      ok(r);
      for (const c of json(r).certificates) {
        expect(c.ok).toBe(true);
        expect(c.findings.filter((f: { severity: string }) => f.severity === 'error')).toEqual([]);
      }
    }
    expect(json(lints[1]!).certificates.map((c: { profile: string }) => c.profile)).toEqual([
      'ds',
      'vical-signer',
    ]);

    // the created chain is usable: a VICAL signed by the new signer verifies under the new IACA
    writeFileSync(
      w('vs-chain.pem'),
      readFileSync(w('vical-signer.pem'), 'utf8') + readFileSync(w('iaca.pem'), 'utf8'),
    );
    ok(
      await mdlkit([
        'vical',
        'create',
        '--signer-cert',
        w('vs-chain.pem'),
        '--signer-key',
        w('vical-signer.key.pem'),
        '--provider',
        'Test',
        '--iaca',
        w('iaca.pem'),
        '--out',
        w('vical.cbor'),
      ]),
    );
    const verified = ok(
      await mdlkit(['vical', 'verify', w('vical.cbor'), '--trust', w('iaca.pem'), '--json']),
    );
    expect(json(verified).valid).toBe(true);
  });

  it("issue --help's sample data issues with the created IACA and DS, and inspect reads the result", async () => {
    const help = ok(await mdlkit(['issue', '--help'])).stdout;
    const start = help.indexOf('{ "org.iso.18013.5.1"');
    const end = help.indexOf('} }', start) + 3;
    const sample = help.slice(start, end).replace(/\n\s+/g, ' ');
    writeFileSync(w('data.json'), sample);
    const hex = readFileSync(path.join(ANNEX_D, 'portrait.hex'), 'utf8').replace(/\s+/g, '');
    writeFileSync(w('portrait.jpg'), Buffer.from(hex, 'hex'));
    /** `mdlkit issue` with the IACA, DS and DS key created above and the help's sample data. */
    const issue = (extra: readonly string[]): Promise<Run> =>
      mdlkit(
        issueArgs(
          {
            iacaCert: w('iaca.pem'),
            dsCert: w('ds.pem'),
            dsKey: ['--ds-key', w('ds.key.pem')],
            data: w('data.json'),
          },
          extra,
        ),
      );
    const issued = await issue([
      '--portrait',
      w('portrait.jpg'),
      '--new-device-key',
      w('device.key.pem'),
      '--out',
      w('issuer-signed.cbor'),
      '--json',
    ]);
    ok(issued);
    expect(json(issued).nameSpaces['org.iso.18013.5.1']).toContain('portrait');
    const inspected = ok(await mdlkit(['inspect', w('issuer-signed.cbor'), '--json']));
    expect(json(inspected).kind).toBe('IssuerSigned');
    expect(json(inspected).certificates.map((c: { profile: string }) => c.profile)).toEqual(['ds']);

    // --new-device-key never replaces a key that exists (the holder's key of the mdoc just issued)
    const deviceKey = readFileSync(w('device.key.pem'), 'utf8');
    const again = await issue([
      '--new-device-key',
      w('device.key.pem'),
      '--out',
      w('issuer-signed-2.cbor'),
      '--json',
    ]);
    expect(again.code).toBe(2);
    expect(json(again).error).toMatchObject({
      option: '--new-device-key',
      file: w('device.key.pem'),
      looksLike: 'exists',
    });
    expect(readFileSync(w('device.key.pem'), 'utf8')).toBe(deviceKey);
    expect(existsSync(w('issuer-signed-2.cbor'))).toBe(false);
  });

  it('uses an existing key, and refuses a wrong issuer key, a broken profile and an existing file', async () => {
    /** An IACA's own options here, and the options of a certificate it signs (its key in own.key.pem). */
    const ownIaca = ['--issuer-alt-name', 'email:a@example.org', '--crl-uri', CRL];
    const byOwn1 = ['--issuer-cert', w('own1.pem'), '--issuer-key', w('own.key.pem')];
    ok(
      await mdlkit(
        certCreate('iaca', 'C=US, CN=Key IACA', w('own1.pem'), [...ownIaca, '--new-key', w('own.key.pem')]),
      ),
    );
    ok(
      await mdlkit(
        certCreate('iaca', 'C=US, CN=Key IACA 2', w('own2.pem'), [...ownIaca, '--key', w('own.key.pem')]),
      ),
    );
    expect(spkiOfPem(w('own2.pem'))).toBe(spkiOfPem(w('own1.pem')));

    const [wrongKey, noCrl, noOrg, exists] = await Promise.all([
      mdlkit(
        certCreate('ds', 'C=US, CN=x', w('x1.pem'), [
          '--issuer-cert',
          w('own1.pem'),
          '--issuer-key',
          path.join(ANNEX_D, 'iaca-private-key-d.hex'),
          '--crl-uri',
          CRL,
          '--json',
        ]),
      ),
      mdlkit(certCreate('ds', 'C=US, CN=x', w('x2.pem'), [...byOwn1, '--json'])),
      mdlkit(certCreate('vical-signer', 'C=US, CN=x', w('x3.pem'), [...byOwn1, '--crl-uri', CRL, '--json'])),
      mdlkit(
        certCreate('iaca', 'C=US, CN=Key IACA', w('own1.pem'), [
          ...ownIaca,
          '--key',
          w('own.key.pem'),
          '--json',
        ]),
      ),
    ]);
    for (const r of [wrongKey, noCrl, noOrg, exists]) expect(r.code, r.stderr).toBe(2);
    expect(json(wrongKey).error).toMatchObject({
      code: 'ERR_KEY_CERTIFICATE_MISMATCH',
      option: '--issuer-key',
    });
    expect(json(noCrl).error.message).toContain('give --crl-uri URI');
    expect(json(noOrg).error).toMatchObject({
      code: 'ERR_X509_PROFILE_VIOLATION',
      looksLike: 'profile-violation',
    });
    expect(json(noOrg).error.message).toContain('add O=… to --subject');
    expect(json(exists).error).toMatchObject({ option: '--out', looksLike: 'exists' });
  });

  it('makes a KMS-backed IACA (signed by KMS) and a DS for a KMS key (through the emulator)', async () => {
    const create = (): Promise<string> =>
      kms
        .send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))
        .then((r) => r.KeyMetadata!.KeyId!);
    const [iacaKey, dsKey] = await Promise.all([create(), create()]);
    const endpoint = ['--kms-endpoint', emulator.endpoint];
    ok(
      await mdlkit(
        certCreate('iaca', 'C=US, CN=KMS IACA', w('kms-iaca.pem'), [
          '--issuer-alt-name',
          'email:kms@example.org',
          '--crl-uri',
          CRL,
          '--kms-key',
          iacaKey,
          ...endpoint,
        ]),
        { env: kmsEnv() },
      ),
    );
    const ds = ok(
      await mdlkit(
        certCreate('ds', 'C=US, CN=KMS DS', w('kms-ds.pem'), [
          '--issuer-cert',
          w('kms-iaca.pem'),
          '--issuer-kms-key',
          iacaKey,
          '--kms-key',
          dsKey,
          '--crl-uri',
          CRL,
          ...endpoint,
          '--json',
        ]),
        { env: kmsEnv() },
      ),
    );
    expect(json(ds).kmsKeyId).toContain(dsKey);
    expect(json(ds).keyFile).toBeUndefined();
    const pub = await kms.send(new GetPublicKeyCommand({ KeyId: dsKey }));
    expect(spkiOfPem(w('kms-ds.pem'))).toBe(Buffer.from(pub.PublicKey!).toString('hex'));
    const lint = ok(await mdlkit(['lint-cert', w('kms-ds.pem'), '--issuer', w('kms-iaca.pem'), '--json']));
    expect(json(lint).ok).toBe(true);
    // a KMS issuer key that is not the issuer certificate's key is refused before KMS signs anything
    const wrong = await mdlkit(
      certCreate('ds', 'C=US, CN=x', w('kms-x.pem'), [
        '--issuer-cert',
        w('kms-iaca.pem'),
        '--issuer-kms-key',
        dsKey,
        '--crl-uri',
        CRL,
        ...endpoint,
        '--json',
      ]),
      { env: kmsEnv() },
    );
    expect(wrong.code).toBe(2);
    expect(json(wrong).error).toMatchObject({
      code: 'ERR_KEY_CERTIFICATE_MISMATCH',
      option: '--issuer-kms-key',
    });
  });
});

describe('inspect', () => {
  const cases: [string, string][] = [
    ['iso-18013-5-annex-d/device-response.hex', 'DeviceResponse'],
    ['iso-18013-5-annex-d/issuer-auth.hex', 'IssuerAuth'],
    ['iso-18013-5-annex-d/device-request.hex', 'DeviceRequest'],
    ['iso-18013-5-annex-d/items-request.hex', 'ItemsRequest'],
    ['iso-18013-5-annex-d/device-engagement.hex', 'DeviceEngagement'],
    ['iso-18013-5-annex-d/session-transcript-bytes.hex', 'SessionTranscriptBytes'],
    ['iso-18013-5-annex-d/session-establishment.hex', 'SessionEstablishment'],
    ['iso-18013-5-annex-d/session-data.hex', 'SessionData'],
    ['iso-18013-5-annex-d/device-auth.hex', 'DeviceAuth'],
    ['iso-18013-5-annex-d/device-authentication-bytes.hex', 'DeviceAuthenticationBytes'],
    ['iso-18013-5-annex-d/reader-authentication-bytes.hex', 'ReaderAuthenticationBytes'],
    ['iso-18013-5-annex-d/e-device-key-bytes.hex', 'COSE_KeyBytes'],
    ['iso-18013-5-annex-d/mac-structure.hex', 'MAC_structure'],
    ['iso-18013-5-annex-d/portrait.hex', 'Image'],
    ['iso-18013-5-annex-d/ds-cert.pem', 'X.509 certificate'],
    ['pki-profile-samples/multipaz-iaca-p384.pem', 'X.509 certificate'],
    ['aamva-vical/aamva-vical-2025-11-18.hex', 'VICAL'],
    ['real-world/06-payground-oid4vp-dcapi.session-transcript.hex', 'SessionTranscript'],
    ['real-world/auth0-example1.device-response.hex', 'DeviceResponse'],
    ['iso-18013-5-annex-d/device-engagement-nfc.hex', 'DeviceEngagement'],
    ['iso-18013-5-annex-d/ed2-draft-extended-device-request.hex', 'DeviceRequest'],
    ['iso-18013-5-annex-d/issuer-auth-sig-structure.hex', 'Sig_structure'],
    ['iso-18013-5-annex-d/reader-auth.hex', 'COSE_Sign1'],
    ['iso-18013-5-annex-d/session-termination.hex', 'SessionData'],
    ['iso-18013-5-annex-d/driving-privileges.hex', 'CBOR'],
    ['aamva-vical/aamva-dts-root-ca.pem', 'X.509 certificate'],
  ];
  it('decodes every structure kind of the shared vectors (--json), exit 0', async () => {
    const runs = await Promise.all(
      cases.map(([file]) => mdlkit(['inspect', path.join(VECTORS, file), '--json'])),
    );
    runs.forEach((r, i) => {
      ok(r);
      expect(json(r).kind, cases[i]![0]).toBe(cases[i]![1]);
    });
  });

  it('every file of the shared vectors is either decoded or refused with what it looked like', async () => {
    // The spawned runs above cover each kind; here every file (raw key scalars and NDEF handover
    // messages included) goes through the same library call inspect makes, so a new vector file
    // that inspect cannot place fails this test.
    const { inspectMdoc } = await import('@mdlkit/reader/inspect');
    const { isMdlError } = await import('@mdlkit/core/errors');
    const structures = new Map(cases.map(([file, kind]) => [file, kind]));
    const seen: string[] = [];
    for (const dir of ['iso-18013-5-annex-d', 'pki-profile-samples', 'real-world', 'aamva-vical']) {
      for (const name of readdirSync(path.join(VECTORS, dir)).sort()) {
        if (name.endsWith('.json') || name.endsWith('.md')) continue;
        const file = `${dir}/${name}`;
        seen.push(file);
        const bytes = readFileSync(path.join(VECTORS, file));
        let outcome: string;
        try {
          const inspection = inspectMdoc(new Uint8Array(bytes), { name: file });
          outcome = inspection.kind;
        } catch (e) {
          expect(isMdlError(e), `${file}: ${String(e)}`).toBe(true);
          expect((e as Error).message, file).toMatch(/is not one CBOR data item or DER certificate/);
          outcome = 'refused';
        }
        const expected =
          structures.get(file) ??
          (name.endsWith('.pem')
            ? 'X.509 certificate'
            : /device-response/.test(name)
              ? 'DeviceResponse'
              : /session-transcript-bytes/.test(name)
                ? 'SessionTranscriptBytes'
                : /session-transcript/.test(name)
                  ? 'SessionTranscript'
                  : /reader-auth-sig-structure/.test(name)
                    ? 'Sig_structure'
                    : 'refused');
        expect(outcome, file).toBe(expected);
      }
    }
    expect(seen.length).toBeGreaterThan(50);
    // the refusals are the raw scalars and keys (d / x / y, session keys, MAC tag) and the NDEF messages
    const refusedCount = seen.filter(
      (f) => !structures.has(f) && !/\.pem$|device-response|session-transcript|sig-structure/.test(f),
    ).length;
    expect(refusedCount).toBeGreaterThanOrEqual(15);
  });

  it('prints a tree with element values and the portrait, reads stdin, and lints certificates', async () => {
    const response = readFileSync(path.join(ANNEX_D, 'device-response.hex'));
    const [tree, stdin, cert] = await Promise.all([
      mdlkit(['inspect', path.join(ANNEX_D, 'device-response.hex')]),
      mdlkit(['inspect', '-'], { input: response }),
      mdlkit(['inspect', path.join(ANNEX_D, 'reader-root-cert.pem')]),
    ]);
    ok(tree);
    expect(tree.stdout).toContain('DeviceResponse (hex, 3562 bytes)');
    expect(tree.stdout).toMatch(/elementIdentifier: "family_name"/);
    expect(tree.stdout).toMatch(/elementValue: \[image\/jpeg, \d+ bytes\]/);
    expect(tree.stdout).toContain('1 (alg): -7  [nint, 1 B] — ES256');
    expect(tree.stdout).toContain('crldp.form');
    expect(ok(stdin).stdout).toBe(tree.stdout);
    expect(ok(cert).stdout).toContain('name.country.missing');
  });

  it('detects binary, hex, base64, base64url, PEM and an mdoc: URI, and says which it read', async () => {
    const hex = readFileSync(path.join(ANNEX_D, 'device-engagement.hex'), 'utf8').replace(/\s+/g, '');
    const bytes = Buffer.from(hex, 'hex');
    writeFileSync(w('de.bin'), bytes);
    writeFileSync(w('de.b64'), `${bytes.toString('base64')}\n`);
    writeFileSync(w('de.b64u'), bytes.toString('base64url'));
    writeFileSync(w('de.uri'), `mdoc:${bytes.toString('base64url')}`);
    const files = ['de.bin', 'de.b64', 'de.b64u', 'de.uri'];
    const runs = await Promise.all([
      ...files.map((f) => mdlkit(['inspect', w(f), '--json'])),
      mdlkit(['inspect', path.join(ANNEX_D, 'iaca-cert.pem'), '--json']),
    ]);
    const read = runs.map((r) => {
      ok(r);
      return [json(r).kind, json(r).format];
    });
    expect(read.slice(0, 4).map(([kind]) => kind)).toEqual(Array(4).fill('DeviceEngagement'));
    expect(read.map(([, format]) => format)).toEqual(['binary', 'base64', 'base64url', 'mdoc-uri', 'pem']);
    expect(read[4]![0]).toBe('X.509 certificate');
  });

  it('refuses JSON and non-CBOR with what they looked like, exit 2', async () => {
    writeFileSync(w('x.json'), '{"a": 1}');
    const [j, raw, missing] = await Promise.all([
      mdlkit(['inspect', w('x.json'), '--json']),
      mdlkit(['inspect', path.join(ANNEX_D, 'sk-reader.hex')]),
      mdlkit(['inspect']),
    ]);
    expect(j.code).toBe(2);
    expect(json(j).error).toMatchObject({ code: 'ERR_INPUT_FORMAT_UNRECOGNIZED', looksLike: 'json' });
    expect(raw.code).toBe(2);
    expect(raw.stderr).toMatch(/hex text of 32 bytes is not one CBOR data item/);
    expect(missing.code).toBe(2);
  });
});
