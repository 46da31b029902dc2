/**
 * @module
 * SoftHSM for the tests: a token directory and configuration of its own in a temporary folder
 * (SOFTHSM2_CONF points at it before the library is initialised), tokens made with
 * `softhsm2-util --init-token --free`, everything removed afterwards.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const MODULE_CANDIDATES = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/local/lib/softhsm/libsofthsm2.so',
];

/** Where SoftHSM is, or why the tests cannot run. */
export function findSoftHsm(): { module: string } | { reason: string } {
  const module = [process.env['MDLKIT_TEST_SOFTHSM_MODULE'], ...MODULE_CANDIDATES].find(
    (candidate): candidate is string => candidate !== undefined && existsSync(candidate),
  );
  if (module === undefined) return { reason: 'libsofthsm2.so not found (apt-get install softhsm2)' };
  try {
    execFileSync('softhsm2-util', ['--version'], { stdio: 'pipe' });
  } catch {
    return { reason: 'softhsm2-util not on PATH (apt-get install softhsm2)' };
  }
  return { module };
}

/**
 * Whether the SoftHSM tests run. Outside CI a machine without SoftHSM skips them with the reason
 * printed; in CI (`CI=true`, where `.ci/run` installs softhsm2) a missing SoftHSM fails the run.
 */
export function softHsmOrSkip(file: string): string | undefined {
  const found = findSoftHsm();
  if ('module' in found) return found.module;
  if (process.env['CI'] === 'true' || process.env['CI'] === '1') {
    throw new Error(`${file}: SoftHSM is required in CI: ${found.reason}`);
  }
  console.warn(`SKIPPED ${file}: ${found.reason}`);
  return undefined;
}

/** One initialised token. */
export interface TestToken {
  readonly label: string;
  readonly pin: string;
}

/** A SoftHSM setup in its own temporary directory. */
export interface SoftHsm {
  readonly module: string;
  readonly directory: string;
  readonly tokens: readonly TestToken[];
  /** Runs softhsm2-util with this setup's configuration. */
  util(args: readonly string[]): string;
  /** Removes the directory and restores SOFTHSM2_CONF. */
  cleanup(): void;
}

/**
 * Creates the configuration and initialises one token per label (user PIN `pin`, SO PIN `so-<pin>`),
 * all before the library is loaded — SoftHSM reads its token directory at `C_Initialize`.
 */
export function createSoftHsm(module: string, labels: readonly string[], pin = '246810'): SoftHsm {
  const directory = mkdtempSync(path.join(tmpdir(), 'mdlkit-softhsm-'));
  const tokenDir = path.join(directory, 'tokens');
  execFileSync('mkdir', ['-p', tokenDir]);
  const conf = path.join(directory, 'softhsm2.conf');
  writeFileSync(
    conf,
    `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`,
  );
  const previous = process.env['SOFTHSM2_CONF'];
  process.env['SOFTHSM2_CONF'] = conf;
  const util = (args: readonly string[]): string =>
    execFileSync('softhsm2-util', [...args], {
      env: { ...process.env, SOFTHSM2_CONF: conf },
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString();
  const tokens = labels.map((label) => {
    util(['--init-token', '--free', '--label', label, '--so-pin', `so-${pin}`, '--pin', pin]);
    return { label, pin };
  });
  return {
    module,
    directory,
    tokens,
    util,
    cleanup() {
      rmSync(directory, { recursive: true, force: true });
      if (previous === undefined) delete process.env['SOFTHSM2_CONF'];
      else process.env['SOFTHSM2_CONF'] = previous;
    },
  };
}
