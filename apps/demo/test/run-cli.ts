/** Spawns `mdlkit` as a user runs it (the TypeScript entry through tsx, no build needed). */
import { execFile } from 'node:child_process';
import path from 'node:path';

export const ROOT: string = path.resolve(import.meta.dirname, '../../..');
export const CLI: string = path.join(ROOT, 'apps/demo/src/cli.ts');
export const VECTORS: string = process.env.MDLKIT_VECTORS ?? path.resolve(ROOT, '../shared/vectors');
export const ANNEX_D: string = path.join(VECTORS, 'iso-18013-5-annex-d');
/** argv that runs the CLI under Node. */
export const NODE_ARGS: readonly string[] = ['--import', 'tsx', '--conditions=@mdlkit/source', CLI];

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `mdlkit …args` and collects its exit code and output. */
export function mdlkit(
  args: readonly string[],
  options: { readonly cwd?: string; readonly env?: Record<string, string>; readonly input?: Uint8Array } = {},
): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [...NODE_ARGS, ...args],
      {
        cwd: options.cwd ?? ROOT,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, NO_COLOR: '1', MDLKIT_INVOKED_AS: 'mdlkit', ...options.env },
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** Runs a bash pipeline and collects its output. */
export function bash(script: string, cwd: string = ROOT): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', script],
      { cwd, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * The `mdlkit issue` arguments with the IACA and DS certificate files, the DS key options
 * (`['--ds-key', file]`, or a token's `--pkcs11-*` options) and the `--data` file, then `extra`.
 */
export function issueArgs(
  files: {
    readonly iacaCert: string;
    readonly dsCert: string;
    readonly dsKey: readonly string[];
    readonly data: string;
  },
  extra: readonly string[] = [],
): string[] {
  const { iacaCert, dsCert, dsKey, data } = files;
  return ['issue', '--iaca-cert', iacaCert, '--ds-cert', dsCert, ...dsKey, '--data', data, ...extra];
}

/** The `mdlkit verify` arguments over a DeviceResponse and SessionTranscript file trusting `trust`, then `extra`. */
export function verifyArgs(
  files: { readonly deviceResponse: string; readonly sessionTranscript: string; readonly trust: string },
  extra: readonly string[] = [],
): string[] {
  return [
    'verify',
    '--device-response',
    files.deviceResponse,
    '--session-transcript',
    files.sessionTranscript,
    '--trust',
    files.trust,
    ...extra,
  ];
}

/** `mdlkit verify` of the Annex D DeviceResponse with its transcript, IACA and EReaderKey (DeviceMac), then `extra`. */
export function annexDVerifyArgs(extra: readonly string[] = []): string[] {
  return verifyArgs(
    {
      deviceResponse: path.join(ANNEX_D, 'device-response.hex'),
      sessionTranscript: path.join(ANNEX_D, 'session-transcript-bytes.hex'),
      trust: path.join(ANNEX_D, 'iaca-cert.pem'),
    },
    ['--e-reader-key', path.join(ANNEX_D, 'e-reader-key-d.hex'), ...extra],
  );
}

/**
 * A complete mDL in the JSON encoding `mdlkit issue --data` documents (tagged dates as
 * `{ "full-date": … }` / `{ "tdate": … }`), without the portrait (`--portrait` gives it). A new
 * object on every call, for a test to alter.
 */
export function mdlDataJson(): Record<string, Record<string, unknown>> {
  return {
    'org.iso.18013.5.1': {
      family_name: 'Mustermann',
      given_name: 'Erika',
      birth_date: { 'full-date': '1990-04-12' },
      issue_date: { tdate: '2024-01-02T00:00:00Z' },
      expiry_date: { 'full-date': '2030-01-02' },
      issuing_country: 'US',
      issuing_authority: 'Test DMV',
      document_number: 'D1234567',
      driving_privileges: [{ vehicle_category_code: 'B', issue_date: { 'full-date': '2010-01-01' } }],
      un_distinguishing_sign: 'USA',
      age_over_18: true,
      age_over_21: true,
      issuing_jurisdiction: 'US-CA',
    },
  };
}
