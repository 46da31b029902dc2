/**
 * Output discipline of the `mdlkit` binary, spawned as a user runs it: --version, quiet EPIPE, errors
 * that name the option, the file and what the input looked like (as JSON on stdout under --json),
 * uniform exit codes, element-name warnings, no overwriting without --force, and key / certificate
 * pairs checked before anything is signed.
 */
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANNEX_D, annexDVerifyArgs, bash, CLI, mdlkit, NODE_ARGS, ROOT, type Run } from './run-cli.js';

let work: string;
const w = (name: string): string => path.join(work, name);
const a = (name: string): string => path.join(ANNEX_D, name);
const errorOf = (run: Run): any => JSON.parse(run.stdout).error;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'mdlkit-out-'));
  writeFileSync(w('response.json'), '{"version": "1.0", "documents": []}\n');
  writeFileSync(w('stray.hex'), `${readFileSync(a('device-response.hex'), 'utf8').trim().slice(0, 200)}zz\n`);
  writeFileSync(
    w('garbage.bin'),
    Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 0x9c) & 0xff),
  );
  writeFileSync(w('empty.cbor'), '');
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the binary', () => {
  it('--version prints the package version and exits 0, also as JSON', async () => {
    const version = JSON.parse(readFileSync(path.join(ROOT, 'apps/demo/package.json'), 'utf8')).version;
    const [text, json] = await Promise.all([mdlkit(['--version']), mdlkit(['--version', '--json'])]);
    expect(text).toMatchObject({ code: 0, stdout: `mdlkit ${version}\n` });
    expect(JSON.parse(json.stdout)).toEqual({ version });
  });

  it('is the workspace bin: node_modules/.bin/mdlkit runs @mdlkit/cli (apps/demo) bin/mdlkit.js, which loads dist/cli.js', () => {
    const shim = readFileSync(path.join(ROOT, 'node_modules/.bin/mdlkit'), 'utf8');
    expect(shim).toContain('@mdlkit/cli/bin/mdlkit.js');
    expect(realpathSync(path.join(ROOT, 'node_modules/@mdlkit/cli'))).toBe(path.join(ROOT, 'apps/demo'));
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'apps/demo/package.json'), 'utf8'));
    expect(pkg.bin).toEqual({ mdlkit: './bin/mdlkit.js' });
    expect(readFileSync(path.join(ROOT, 'apps/demo/bin/mdlkit.js'), 'utf8')).toContain(
      "import('../dist/cli.js')",
    );
    expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  const dist = path.join(ROOT, 'apps/demo/dist/cli.js');
  it('runs as plain `mdlkit` once linked onto PATH (needs the build; CI builds before testing)', async (ctx) => {
    if (!existsSync(dist)) {
      console.log('skipped: apps/demo/dist/cli.js is not built (run pnpm build)');
      ctx.skip();
    }
    expect(statSync(dist).mode & 0o111).not.toBe(0);
    // what `pnpm link --global` / `npm install -g` make: a symlink named mdlkit on PATH
    const bin = w('bin');
    const r = await bash(
      `mkdir -p ${bin} && ln -sf ${dist} ${bin}/mdlkit && PATH=${bin}:$PATH mdlkit --version && PATH=${bin}:$PATH mdlkit --help`,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^mdlkit \d+\.\d+\.\d+/);
    expect(r.stdout).toContain('run here as: mdlkit <command>');
    // the npm form the hints name when run through npm works too (the root script runs the built CLI)
    const npmForm = await bash('npm run -s mdlkit -- --version');
    expect(npmForm.code, npmForm.stderr).toBe(0);
    expect(npmForm.stdout).toMatch(/^mdlkit \d+\.\d+\.\d+/);
  });

  it('hints name the form it was run with: npx pnpm when pnpm itself came through npx (the README), npm run, pnpm', async () => {
    const asScript = (agent: string, execPath: string): Promise<Run> =>
      mdlkit(['verify', '--no-such-option'], {
        env: {
          MDLKIT_INVOKED_AS: '',
          npm_lifecycle_event: 'mdlkit',
          npm_config_user_agent: agent,
          npm_execpath: execPath,
        },
      });
    const [viaNpx, viaNpm, viaPnpm] = await Promise.all([
      asScript(
        'pnpm/10.34.8 npm/? node/v22.12.0 linux x64',
        '/home/u/.npm/_npx/0a1b/node_modules/pnpm/bin/pnpm.cjs',
      ),
      asScript(
        'npm/11.0.0 node/v22.12.0 linux x64 workspaces/false',
        '/usr/lib/node_modules/npm/bin/npm-cli.js',
      ),
      asScript('pnpm/10.34.8 npm/? node/v22.12.0 linux x64', '/usr/lib/node_modules/pnpm/bin/pnpm.cjs'),
    ]);
    for (const r of [viaNpx, viaNpm, viaPnpm]) expect(r.code).toBe(2);
    expect(viaNpx.stderr).toContain('see: npx --yes pnpm@10.34.8 mdlkit verify --help');
    expect(viaNpm.stderr).toContain('see: npm run mdlkit -- verify --help');
    expect(viaPnpm.stderr).toContain('see: pnpm mdlkit verify --help');
  });

  it('as a workspace script (started in the root), relative names mean the directory it was called from', async () => {
    const hex = readFileSync(a('device-engagement.hex'), 'utf8').replace(/\s+/g, '');
    writeFileSync(w('engagement.bin'), Buffer.from(hex, 'hex'));
    const env = { npm_lifecycle_event: 'mdlkit', INIT_CWD: work };
    const [here, elsewhere] = await Promise.all([
      mdlkit(['inspect', 'engagement.bin', '--json'], { cwd: ROOT, env }),
      mdlkit(['inspect', 'engagement.bin', '--json'], { cwd: ROOT }),
    ]);
    expect(here.code, here.stderr).toBe(0);
    expect(JSON.parse(here.stdout).kind).toBe('DeviceEngagement');
    expect(elsewhere.code).toBe(2); // not a script: the root, where there is no engagement.bin
    expect(errorOf(elsewhere).file).toBe(path.join(ROOT, 'engagement.bin'));
  });

  it('ends quietly when the reader of its output goes away (EPIPE)', async () => {
    const vical = path.join(ANNEX_D, '../aamva-vical/aamva-vical-2025-11-18.hex');
    const cmd = [process.execPath, ...NODE_ARGS].map((s) => `'${s}'`).join(' ');
    const r = await bash(
      `${cmd} inspect --json '${vical}' | head -c 100 >/dev/null; echo "rc=\${PIPESTATUS[0]}" >&2`,
    );
    expect(r.stderr).not.toContain('EPIPE');
    expect(r.stderr).not.toContain('Error');
    expect(r.stderr.trim()).toBe('rc=0');
  });
});

describe('errors name the option, the file and what the input looked like', () => {
  const verify = (response: string, extra: string[] = []): Promise<Run> =>
    mdlkit(['verify', '--device-response', response, '--trust', a('iaca-cert.pem'), ...extra]);

  it('JSON given as a DeviceResponse', async () => {
    const [text, json] = await Promise.all([
      verify(w('response.json')),
      verify(w('response.json'), ['--json']),
    ]);
    expect(text.code).toBe(2);
    expect(text.stdout).toBe('');
    expect(text.stderr).toContain(`--device-response ${w('response.json')}: `);
    expect(text.stderr).toContain('JSON text');
    expect(json.code).toBe(2);
    expect(errorOf(json)).toMatchObject({
      code: 'ERR_INPUT_FORMAT_UNRECOGNIZED',
      option: '--device-response',
      file: w('response.json'),
      looksLike: 'json',
      command: 'verify',
    });
    // the text line goes to stderr as well
    expect(json.stderr).toContain('JSON text');
  });

  it('a PEM certificate, a stray hex character, garbage, an empty file, another structure', async () => {
    const [pem, stray, garbage, empty, request] = await Promise.all([
      verify(a('ds-cert.pem'), ['--json']),
      verify(w('stray.hex'), ['--json']),
      verify(w('garbage.bin'), ['--json']),
      verify(w('empty.cbor'), ['--json']),
      verify(a('device-request.hex'), ['--json']),
    ]);
    for (const r of [pem, stray, garbage, empty, request]) expect(r.code, r.stderr).toBe(2);
    expect(errorOf(pem)).toMatchObject({ looksLike: 'pem', option: '--device-response' });
    expect(errorOf(pem).message).toContain('PEM CERTIFICATE block');
    expect(errorOf(stray)).toMatchObject({
      looksLike: 'hex-stray-character',
      code: 'ERR_INPUT_FORMAT_UNRECOGNIZED',
    });
    expect(errorOf(stray).message).toContain("non-hex character 'z' at offset 200");
    expect(errorOf(garbage)).toMatchObject({ looksLike: 'not-cbor' });
    expect(errorOf(garbage).message).toMatch(
      /binary input of 64 bytes is not one CBOR data item \(ERR_CBOR_\w+/,
    );
    expect(errorOf(empty)).toMatchObject({ looksLike: 'empty' });
    expect(errorOf(request)).toMatchObject({ looksLike: 'DeviceRequest' });
    expect(errorOf(request).message).toContain('this is a DeviceRequest, not DeviceResponse');
  });

  it('a garbage transcript and an empty one both exit 2 and say which option', async () => {
    const resp = a('device-response.hex');
    const [garbage, empty] = await Promise.all([
      verify(resp, ['--session-transcript', w('garbage.bin'), '--json']),
      verify(resp, ['--session-transcript', w('empty.cbor'), '--json']),
    ]);
    expect(garbage.code).toBe(2);
    expect(empty.code).toBe(2);
    expect(errorOf(garbage)).toMatchObject({ option: '--session-transcript', looksLike: 'not-cbor' });
    expect(errorOf(empty)).toMatchObject({ option: '--session-transcript', looksLike: 'empty' });
  });

  it('usage errors and unknown commands are JSON under --json too, exit 2', async () => {
    const [unknown, missing, file] = await Promise.all([
      mdlkit(['frobnicate', '--json']),
      mdlkit(['verify', '--json', '--trust', a('iaca-cert.pem')]),
      verify(w('no-such-file.cbor'), ['--json']),
    ]);
    expect(unknown.code).toBe(2);
    expect(errorOf(unknown)).toMatchObject({ code: 'ERR_USAGE' });
    expect(missing.code).toBe(2);
    expect(errorOf(missing)).toMatchObject({
      code: 'ERR_USAGE',
      command: 'verify',
      message: '--device-response is required',
    });
    expect(file.code).toBe(2);
    expect(errorOf(file)).toMatchObject({
      option: '--device-response',
      message: expect.stringContaining('no such file'),
    });
  });

  it('a verification that fails is exit 1, not 2', async () => {
    const r = await verify(a('device-response.hex'), ['--skip-device-auth', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).verified).toBe(false);
  });
});

describe('element names, overwriting, key / certificate pairs', () => {
  it('request --element famly_name warns with the closest known name and still writes', async () => {
    const r = await mdlkit([
      'request',
      '--element',
      'famly_name',
      '--element',
      'age_over_21',
      '--out',
      w('req.cbor'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'warning: --element famly_name: not an element of org.iso.18013.5.1 — did you mean family_name?',
    );
    expect(r.stderr).not.toContain('age_over_21');
  });

  it('nothing is overwritten without --force', async () => {
    writeFileSync(w('taken.cbor'), 'keep me');
    const refused = await mdlkit(['request', '--element', 'family_name', '--out', w('taken.cbor'), '--json']);
    expect(refused.code).toBe(2);
    expect(errorOf(refused)).toMatchObject({ option: '--out', file: w('taken.cbor'), looksLike: 'exists' });
    expect(readFileSync(w('taken.cbor'), 'utf8')).toBe('keep me');
    const forced = await mdlkit(['request', '--element', 'family_name', '--out', w('taken.cbor'), '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(w('taken.cbor'))[0]).toBe(0xa2);
  });

  it('request --reader-key that is not the reader certificate key exits 2 before signing', async () => {
    const r = await mdlkit([
      'request',
      '--element',
      'family_name',
      '--reader-cert',
      a('reader-cert.pem'),
      '--reader-key',
      a('iaca-private-key-d.hex'),
      '--new-session',
      w('session-mismatch'),
      '--out',
      w('req-mismatch.cbor'),
      '--json',
    ]);
    expect(r.code).toBe(2);
    expect(errorOf(r)).toMatchObject({ code: 'ERR_KEY_CERTIFICATE_MISMATCH', option: '--reader-key' });
    expect(errorOf(r).message).toContain('--reader-cert');
    expect(existsSync(w('req-mismatch.cbor'))).toBe(false);
  });

  it('crl create --issuer-key of another certificate exits 2 and writes nothing', async () => {
    const r = await mdlkit([
      'crl',
      'create',
      '--issuer',
      a('ds-cert.pem'),
      '--issuer-key',
      a('iaca-private-key-d.hex'),
      '--out',
      w('mismatch.crl'),
      '--json',
    ]);
    expect(r.code).toBe(2);
    expect(errorOf(r)).toMatchObject({ code: 'ERR_KEY_CERTIFICATE_MISMATCH', option: '--issuer-key' });
    expect(existsSync(w('mismatch.crl'))).toBe(false);
  });

  it('vical create refuses a wrong signer key, and a signer certificate vical verify would reject', async () => {
    const [wrongKey, notSigner] = await Promise.all([
      mdlkit([
        'vical',
        'create',
        '--signer-cert',
        a('reader-cert.pem'),
        '--signer-key',
        a('iaca-private-key-d.hex'),
        '--provider',
        'Test',
        '--iaca',
        a('iaca-cert.pem'),
        '--out',
        w('v1.cbor'),
        '--json',
      ]),
      // the right key for its certificate, but an IACA is no VICAL signer (no EKU 1.0.18013.5.1.8)
      mdlkit([
        'vical',
        'create',
        '--signer-cert',
        a('iaca-cert.pem'),
        '--signer-key',
        a('iaca-private-key-d.hex'),
        '--provider',
        'Test',
        '--iaca',
        a('iaca-cert.pem'),
        '--date',
        '2021-01-01T00:00:00Z',
        '--out',
        w('v2.cbor'),
        '--json',
      ]),
    ]);
    expect(wrongKey.code).toBe(2);
    expect(errorOf(wrongKey)).toMatchObject({ code: 'ERR_KEY_CERTIFICATE_MISMATCH', option: '--signer-key' });
    expect(notSigner.code).toBe(2);
    expect(errorOf(notSigner)).toMatchObject({ option: '--signer-cert', looksLike: 'invalid-vical-signer' });
    expect(existsSync(w('v1.cbor'))).toBe(false);
    expect(existsSync(w('v2.cbor'))).toBe(false);
  });
});

describe('pictures', () => {
  const annexD = annexDVerifyArgs;

  it('verify --html writes a self-contained page: verdict, checks, elements with the portrait, the chain', async () => {
    const [good, bad] = await Promise.all([
      mdlkit(annexD(['--now', '2021-01-01T00:00:00Z', '--html', w('good.html')])),
      mdlkit(annexD(['--html', w('bad.html')])),
    ]);
    expect(good.code, good.stderr).toBe(0);
    expect(bad.code).toBe(1);
    const page = readFileSync(w('good.html'), 'utf8');
    expect(page).toContain('<h1 class="verdict pass">VERIFIED</h1>');
    expect(page).toMatch(/<img alt="portrait" src="data:image\/jpeg;base64,\/9j\//);
    expect(page).toContain('<code>family_name</code>');
    expect(page).toContain('<td>Doe</td>');
    expect(page).toContain('<code>issuer-auth-signature</code>');
    expect(page).toContain('CN=utopia ds, C=US');
    expect(page).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    const failed = readFileSync(w('bad.html'), 'utf8');
    expect(failed).toContain('<h1 class="verdict fail">NOT VERIFIED</h1>');
    expect(failed).toContain('ERR_MSO_EXPIRED');
    // an existing page is not overwritten without --force
    const again = await mdlkit(annexD(['--now', '2021-01-01T00:00:00Z', '--html', w('good.html'), '--json']));
    expect(again.code).toBe(2);
    expect(errorOf(again)).toMatchObject({ option: '--html', looksLike: 'exists' });
  });

  it('request --new-session writes the engagement QR as PNG and SVG, and --qr prints it', async () => {
    const r = await mdlkit([
      'request',
      '--element',
      'family_name',
      '--new-session',
      w('qr'),
      '--qr',
      '--out',
      w('qr-req.cbor'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const uri = readFileSync(w('qr/engagement.txt'), 'utf8').trim();
    expect(uri).toMatch(/^mdoc:[A-Za-z0-9_-]+$/);
    const png = readFileSync(w('qr/engagement.png'));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(readFileSync(w('qr/engagement.svg'), 'utf8')).toMatch(/^<svg [^>]*viewBox/);
    // the terminal QR: rows of half-block characters, then the URI
    expect(r.stdout).toMatch(/[█▀▄]{10,}/);
    expect(r.stdout).toContain(uri);
    // the URI is the engagement inspect reads
    const inspected = await mdlkit(['inspect', w('qr/engagement.txt'), '--json']);
    expect(JSON.parse(inspected.stdout)).toMatchObject({ kind: 'DeviceEngagement', format: 'mdoc-uri' });
  });
});
