import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../cli-error.js';
import type { CliIo } from '../command.js';

/**
 * Finds the monorepo root (the folder holding `pnpm-workspace.yaml`): first above the CLI's own
 * file (so `node apps/demo/dist/cli.js` works from anywhere), then above the working directory.
 */
export function findRepoRoot(cwd: string): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const start of [here, cwd]) {
    let dir = start;
    for (;;) {
      if (existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return undefined;
}

/**
 * The shared vectors folder: `--dir` when given, else `MDLKIT_VECTORS`, else `../shared/vectors`
 * relative to the repository root.
 *
 * @throws {@link UsageError} when the folder does not exist.
 */
export function resolveVectorsDir(io: CliIo, override: string | undefined): string {
  const root = findRepoRoot(io.cwd);
  const dir =
    override !== undefined
      ? path.resolve(io.cwd, override)
      : io.env['MDLKIT_VECTORS'] !== undefined && io.env['MDLKIT_VECTORS'] !== ''
        ? path.resolve(io.cwd, io.env['MDLKIT_VECTORS'])
        : path.resolve(root ?? io.cwd, '../shared/vectors');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`vectors folder not found: ${dir} (use --dir or MDLKIT_VECTORS)`);
  }
  return dir;
}
