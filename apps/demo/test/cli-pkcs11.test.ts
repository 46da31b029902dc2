/**
 * `mdlkit pkcs11 keygen` → `mdlkit pkcs11 ds-cert` → `mdlkit issue --pkcs11-*` against SoftHSM, each
 * a spawned process: the DS key is generated on the token, its DS certificate issued from a CSR the
 * token signed, and the mDL's IssuerAuth verified with node:crypto against that certificate. Then
 * `mdlkit cert create` with token keys (an IACA self-signed on the token, a DS for a token key signed
 * by the token IACA), each clean under `mdlkit lint-cert`. The PIN travels only in the environment.
 */
import { createPublicKey, verify as nodeVerify, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeCbor, type EncodedCbor, encodeCbor } from '@mdlkit/core/cbor';
import {
  createLocalSigner,
  exportPrivateKey,
  exportPublicKey,
  generateKeyPair,
  randomBytes,
} from '@mdlkit/core/crypto';
import { buildIacaCertificate, derToPem } from '@mdlkit/pki';
import { createSoftHsm, type SoftHsm, softHsmOrSkip } from '@mdlkit/test-utils/softhsm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueArgs, mdlDataJson, mdlkit, type Run } from './run-cli.js';

const modulePath = softHsmOrSkip('apps/demo/test/cli-pkcs11.test.ts');
const DAY = 86_400_000;
const PIN = '424242';

describe.skipIf(modulePath === undefined)('mdlkit with a DS key on a PKCS#11 token (SoftHSM)', () => {
  let hsm: SoftHsm;
  let work: string;
  const f = (name: string): string => path.join(work, name);
  let env: Record<string, string>;
  const run = (args: readonly string[], extra: Record<string, string> = {}): Promise<Run> =>
    mdlkit(args, { env: { ...env, ...extra } });
  const token = (): string[] => ['--pkcs11-module', hsm.module, '--pkcs11-token', 'cli-ds'];
  /** `--pkcs11-key <label>`, or nothing for a key the CLI generates locally. */
  const subjectKey = (label: string | undefined): string[] =>
    label === undefined ? [] : ['--pkcs11-key', label];
  /** `mdlkit cert create ds` on the token: a DS (token key `key`, or a local one) signed by the token key `issuerKey` as the IACA of `iaca-hsm.pem`. */
  const createDs = (o: {
    key?: string;
    issuerKey: string;
    commonName: string;
    out: string;
    json?: boolean;
  }) =>
    run([
      'cert',
      'create',
      'ds',
      ...token(),
      ...subjectKey(o.key),
      '--issuer-cert',
      f('iaca-hsm.pem'),
      '--issuer-pkcs11-key',
      o.issuerKey,
      '--subject',
      `C=US, ST=US-CA, CN=${o.commonName}`,
      '--crl-uri',
      'https://dmv.example/iaca.crl',
      '--out',
      f(o.out),
      ...(o.json === true ? ['--json'] : []),
    ]);
  /** `mdlkit cert create reader-root` for the token key `key`, with `extra` options after it. */
  const createReaderRoot = (o: {
    key: string;
    subject: string;
    out: string;
    extra?: readonly string[];
    json?: boolean;
  }) =>
    run([
      'cert',
      'create',
      'reader-root',
      ...token(),
      ...subjectKey(o.key),
      ...(o.extra ?? []),
      '--subject',
      o.subject,
      '--out',
      f(o.out),
      ...(o.json === true ? ['--json'] : []),
    ]);

  beforeAll(async () => {
    hsm = createSoftHsm(modulePath!, ['cli-ds'], PIN);
    env = { SOFTHSM2_CONF: process.env['SOFTHSM2_CONF']!, MDLKIT_PKCS11_PIN: PIN };
    work = mkdtempSync(path.join(tmpdir(), 'mdlkit-pkcs11-cli-'));
    const now = new Date();
    const iacaKey = generateKeyPair({ curve: 'P-256' });
    const iaca = await buildIacaCertificate({
      subject: { country: 'US', stateOrProvince: 'CA', commonName: 'HSM CLI IACA' },
      publicKey: exportPublicKey(iacaKey.publicKey, 'spki'),
      signer: createLocalSigner({ privateKey: iacaKey.privateKey, alg: -7 }),
      issuerAltName: [{ uri: 'https://dmv.example/mdl' }],
      crlDistributionPoint: 'https://dmv.example/iaca.crl',
      notBefore: new Date(now.getTime() - DAY),
      notAfter: new Date(now.getTime() + 3 * 365 * DAY),
      randomBytes,
    });
    writeFileSync(f('iaca.pem'), derToPem(iaca));
    writeFileSync(f('iaca-key.pem'), derToPem(exportPrivateKey(iacaKey.privateKey, 'pkcs8'), 'PRIVATE KEY'));
    const portrait = new Uint8Array(1500);
    portrait.set([0xff, 0xd8, 0xff, 0xe0]);
    portrait.set([0xff, 0xd9], portrait.length - 2);
    writeFileSync(f('portrait.jpg'), portrait);
    writeFileSync(f('data.json'), JSON.stringify(mdlDataJson()));
  });
  afterAll(() => {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
    hsm?.cleanup();
  });

  it('keygen, ds-cert and issue: the MSO is signed on the token and verifies against the DS certificate', async () => {
    const tokens = await run(['pkcs11', 'tokens', '--pkcs11-module', hsm.module, '--json']);
    expect(tokens.code).toBe(0);
    expect(JSON.parse(tokens.stdout).tokens.map((t: { label: string }) => t.label)).toContain('cli-ds');

    const keygen = await run([
      'pkcs11',
      'keygen',
      ...token(),
      '--pkcs11-key',
      'ds-1',
      '--curve',
      'P-384',
      '--json',
    ]);
    expect(keygen.stderr).toBe('');
    expect(keygen.code).toBe(0);
    expect(JSON.parse(keygen.stdout)).toMatchObject({ label: 'ds-1', curve: 'P-384', token: 'cli-ds' });

    const dsCert = await run([
      'pkcs11',
      'ds-cert',
      ...token(),
      '--pkcs11-key',
      'ds-1',
      '--iaca-cert',
      f('iaca.pem'),
      '--iaca-key',
      f('iaca-key.pem'),
      '--country',
      'US',
      '--state',
      'CA',
      '--common-name',
      'HSM DS 1',
      '--crl-uri',
      'https://dmv.example/iaca.crl',
      '--out',
      f('ds.pem'),
      '--csr-out',
      f('ds.csr'),
    ]);
    expect(dsCert.stderr).toBe('');
    expect(dsCert.code).toBe(0);
    expect(readFileSync(f('ds.csr'), 'utf8')).toContain('BEGIN CERTIFICATE REQUEST');

    const issued = await run(
      issueArgs(
        {
          iacaCert: f('iaca.pem'),
          dsCert: f('ds.pem'),
          dsKey: [...token(), '--pkcs11-key', 'ds-1'],
          data: f('data.json'),
        },
        [
          '--portrait',
          f('portrait.jpg'),
          '--new-device-key',
          f('device.pem'),
          '--out',
          f('mdl.cbor'),
          '--json',
        ],
      ),
    );
    expect(issued.stderr).toBe('');
    expect(issued.code).toBe(0);
    const issuerSigned = decodeCbor(readFileSync(f('mdl.cbor'))) as Map<string, unknown>;
    const issuerAuth = issuerSigned.get('issuerAuth') as [
      Uint8Array,
      unknown,
      EncodedCbor | Uint8Array,
      Uint8Array,
    ];
    const [protectedBytes, , payload, signature] = issuerAuth;
    const payloadBytes = payload instanceof Uint8Array ? payload : payload.bytes;
    expect(signature).toHaveLength(96); // ES384: r‖s of 48 bytes each
    const sigStructure = encodeCbor(['Signature1', protectedBytes, new Uint8Array(0), payloadBytes]);
    const ds = new X509Certificate(readFileSync(f('ds.pem')));
    expect(
      nodeVerify('sha384', sigStructure, { key: ds.publicKey, dsaEncoding: 'ieee-p1363' }, signature),
    ).toBe(true);
    const all = `${tokens.stdout}${keygen.stdout}${dsCert.stdout}${issued.stdout}`;
    expect(all).not.toContain(PIN);
  });

  it('a wrong PIN, a missing key and a DS certificate of another key exit 2 with their codes', async () => {
    const wrong = await run(['pkcs11', 'keygen', ...token(), '--pkcs11-key', 'x', '--json'], {
      MDLKIT_PKCS11_PIN: '0000',
    });
    expect(wrong.code).toBe(2);
    expect(JSON.parse(wrong.stdout).error.code).toBe('ERR_PKCS11_PIN_INCORRECT');
    expect(`${wrong.stdout}${wrong.stderr}`).not.toContain('0000');

    /** `mdlkit issue` with the token key `label` as the DS key (the DS certificate is ds-1's). */
    const issueWith = (label: string): string[] =>
      issueArgs(
        {
          iacaCert: f('iaca.pem'),
          dsCert: f('ds.pem'),
          dsKey: [...token(), '--pkcs11-key', label],
          data: f('data.json'),
        },
        [
          '--portrait',
          f('portrait.jpg'),
          '--new-device-key',
          f('device2.pem'),
          '--out',
          f('mdl2.cbor'),
          '--json',
        ],
      );
    const missing = await run(issueWith('no-such-key'));
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout).error.code).toBe('ERR_PKCS11_KEY_NOT_FOUND');

    await run(['pkcs11', 'keygen', ...token(), '--pkcs11-key', 'ds-2']);
    const mismatch = await run(issueWith('ds-2'));
    expect(mismatch.code).toBe(2);
    expect(JSON.parse(mismatch.stdout).error.code).toBe('ERR_PKCS11_KEY_CERTIFICATE_MISMATCH');

    const noPin = await run(issueWith('ds-1'), { MDLKIT_PKCS11_PIN: '' });
    expect(noPin.code).toBe(2);
    expect(noPin.stderr).toContain('MDLKIT_PKCS11_PIN');
  });

  it('cert create: an IACA self-signed on the token and a DS for a token key, both lint-clean', async () => {
    const spki = (file: string): string =>
      createPublicKey(readFileSync(file, 'utf8')).export({ format: 'der', type: 'spki' }).toString('hex');
    const certSpki = (file: string): string =>
      new X509Certificate(readFileSync(file)).publicKey
        .export({ format: 'der', type: 'spki' })
        .toString('hex');
    const gen = async (label: string, curve: string): Promise<void> => {
      const r = await run([
        'pkcs11',
        'keygen',
        ...token(),
        '--pkcs11-key',
        label,
        '--curve',
        curve,
        '--out',
        f(`${label}.pub.pem`),
      ]);
      expect(r.code, r.stderr).toBe(0);
    };
    await gen('iaca-hsm', 'P-384');
    await gen('ds-hsm', 'P-256');

    const iaca = await run([
      'cert',
      'create',
      'iaca',
      ...token(),
      '--pkcs11-key',
      'iaca-hsm',
      '--subject',
      'C=US, ST=US-CA, O=HSM DMV, CN=HSM IACA',
      '--issuer-alt-name',
      'uri:https://dmv.example/mdl',
      '--crl-uri',
      'https://dmv.example/iaca.crl',
      '--out',
      f('iaca-hsm.pem'),
      '--json',
    ]);
    expect(iaca.code, iaca.stderr).toBe(0);
    expect(JSON.parse(iaca.stdout)).toMatchObject({
      profile: 'iaca',
      pkcs11: { token: 'cli-ds', key: 'iaca-hsm' },
      lint: { ok: true },
    });
    expect(JSON.parse(iaca.stdout).keyFile).toBeUndefined();
    expect(existsSync(f('iaca-hsm.key.pem'))).toBe(false); // the key stays on the token
    expect(certSpki(f('iaca-hsm.pem'))).toBe(spki(f('iaca-hsm.pub.pem')));
    const iacaX509 = new X509Certificate(readFileSync(f('iaca-hsm.pem')));
    expect(iacaX509.verify(iacaX509.publicKey)).toBe(true); // signed on the token, by its own key

    const ds = await createDs({
      key: 'ds-hsm',
      issuerKey: 'iaca-hsm',
      commonName: 'HSM DS',
      out: 'ds-hsm.pem',
      json: true,
    });
    expect(ds.code, ds.stderr).toBe(0);
    expect(JSON.parse(ds.stdout)).toMatchObject({
      profile: 'ds',
      pkcs11: { key: 'ds-hsm' },
      lint: { ok: true },
    });
    expect(certSpki(f('ds-hsm.pem'))).toBe(spki(f('ds-hsm.pub.pem')));
    expect(new X509Certificate(readFileSync(f('ds-hsm.pem'))).verify(iacaX509.publicKey)).toBe(true);

    // A token key under a local IACA, and a local-key DS under the token IACA.
    const mixed = await createReaderRoot({
      key: 'ds-1',
      subject: 'C=US, O=Reader Org, CN=HSM Reader Root',
      out: 'reader-root-hsm.pem',
    });
    expect(mixed.code, mixed.stderr).toBe(0);
    expect(mixed.stdout).toContain('key: PKCS#11 token cli-ds, key ds-1');
    const localDs = await createDs({ issuerKey: 'iaca-hsm', commonName: 'Local DS', out: 'ds-local.pem' });
    expect(localDs.code, localDs.stderr).toBe(0);
    expect(existsSync(f('ds-local.key.pem'))).toBe(true);

    const lint = await run([
      'lint-cert',
      f('ds-hsm.pem'),
      f('ds-local.pem'),
      '--issuer',
      f('iaca-hsm.pem'),
      '--json',
    ]);
    expect(lint.code, lint.stdout).toBe(0);
    expect(mixed.stdout).toContain(
      `check it again with: mdlkit lint-cert ${f('reader-root-hsm.pem')} --profile reader-root`,
    );
    const lintRoots = await run(['lint-cert', f('iaca-hsm.pem'), '--json']);
    expect(lintRoots.code, lintRoots.stdout).toBe(0);
    const lintReaderRoot = await run([
      'lint-cert',
      f('reader-root-hsm.pem'),
      '--profile',
      'reader-root',
      '--json',
    ]);
    expect(lintReaderRoot.code, lintReaderRoot.stdout).toBe(0);
    const profiles = [
      ...JSON.parse(lint.stdout).certificates,
      ...JSON.parse(lintRoots.stdout).certificates,
      ...JSON.parse(lintReaderRoot.stdout).certificates,
    ].map((c: { profile: string; ok: boolean; findings: { severity: string }[] }) => {
      expect(c.ok).toBe(true);
      expect(c.findings.filter((x) => x.severity === 'error')).toEqual([]);
      return c.profile;
    });
    expect(profiles).toEqual(['ds', 'ds', 'iaca', 'reader-root']);
    expect(`${iaca.stdout}${ds.stdout}${mixed.stdout}${localDs.stdout}`).not.toContain(PIN);
  });

  it('cert create refuses a token issuer key that is not its certificate’s, and the issuer key as subject key', async () => {
    const wrongIssuer = await createDs({
      key: 'ds-2',
      issuerKey: 'ds-hsm',
      commonName: 'Wrong',
      out: 'wrong.pem',
      json: true,
    });
    expect(wrongIssuer.code).toBe(2);
    const error = JSON.parse(wrongIssuer.stdout).error;
    expect(error.code).toBe('ERR_PKCS11_KEY_CERTIFICATE_MISMATCH');
    expect(error.option).toBe('--issuer-pkcs11-key');
    expect(error.message).toContain('iaca-hsm.pem');
    expect(existsSync(f('wrong.pem'))).toBe(false);

    const same = await createDs({
      key: 'iaca-hsm',
      issuerKey: 'iaca-hsm',
      commonName: 'Same',
      out: 'same.pem',
      json: true,
    });
    expect(same.code).toBe(2);
    expect(JSON.parse(same.stdout).error.message).toContain('needs a key of its own');
    expect(existsSync(f('same.pem'))).toBe(false);

    const missing = await createReaderRoot({
      key: 'no-such-key',
      subject: 'C=US, CN=Nope',
      out: 'nope.pem',
      json: true,
    });
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout).error).toMatchObject({
      code: 'ERR_PKCS11_KEY_NOT_FOUND',
      option: '--pkcs11-key',
    });

    // pkcs11 ds-cert checks the IACA key against the IACA certificate before the token signs a CSR
    const wrongIaca = await run([
      'pkcs11',
      'ds-cert',
      ...token(),
      '--pkcs11-key',
      'ds-2',
      '--iaca-cert',
      f('iaca.pem'),
      '--iaca-key',
      f('device.pem'),
      '--country',
      'US',
      '--common-name',
      'Wrong IACA key',
      '--crl-uri',
      'https://dmv.example/iaca.crl',
      '--out',
      f('wrong-ds.pem'),
      '--json',
    ]);
    expect(wrongIaca.code).toBe(2);
    expect(JSON.parse(wrongIaca.stdout).error).toMatchObject({
      code: 'ERR_KEY_CERTIFICATE_MISMATCH',
      option: '--iaca-key',
    });
    expect(existsSync(f('wrong-ds.pem'))).toBe(false);

    const both = await createReaderRoot({
      key: 'ds-1',
      subject: 'C=US, CN=Both',
      out: 'both.pem',
      extra: ['--key', f('iaca-key.pem')],
    });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--pkcs11-key');
  });
});
