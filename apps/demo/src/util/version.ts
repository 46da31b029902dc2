import { readFileSync } from 'node:fs';

let version: string | undefined;

/** The version of the `@mdlkit/cli` package (read once from its package.json, beside `src/` and `dist/`). */
export function cliVersion(): string {
  if (version === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        version?: unknown;
      };
      version = typeof pkg.version === 'string' ? pkg.version : 'unknown';
    } catch {
      version = 'unknown';
    }
  }
  return version;
}
