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
