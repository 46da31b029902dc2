/**
 * `pnpm check:pack` (scripts/check-pack.mjs, decision 0025) can fail: it is run with `--root` on a
 * throw-away workspace of fixture packages, each broken in one way that one of its rules (its own
 * file rules, publint, Are the Types Wrong) must catch, beside a correct package that must pass and
 * a private one that must be skipped.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ENGINES = { node: '>=22.12' };
const work = mkdtempSync(path.join(tmpdir(), 'mdlkit-check-pack-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Fixture {
  readonly exports?: unknown;
  readonly private?: boolean;
  /** Files beside package.json, README.md and LICENSE (path → content). */
  readonly files?: Readonly<Record<string, string>>;
}

const MODULE: Readonly<Record<string, string>> = {
  'src/index.ts': 'export const answer: number = 42;\n',
  'dist/index.js': 'export const answer = 42;\n',
  'dist/index.d.ts': 'export declare const answer: number;\n',
};
const EXPORTS = { '.': { types: './dist/index.d.ts', default: './dist/index.js' } };

/** A workspace root with the given packages under packages/; returns its directory. */
function workspace(name: string, fixtures: Readonly<Record<string, Fixture>>): string {
  const root = path.join(work, name);
  mkdirSync(root);
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ private: true, engines: ENGINES }));
  for (const [pkgName, fixture] of Object.entries(fixtures)) {
    const dir = path.join(root, 'packages', pkgName);
    const files: Record<string, string> = {
      'package.json': JSON.stringify({
        name: `fixture-${pkgName}`,
        version: '1.0.0',
        license: 'Apache-2.0',
        repository: { type: 'git', url: 'git+https://example.invalid/fixture.git' },
        engines: ENGINES,
        type: 'module',
        ...(fixture.private === true ? { private: true } : {}),
        exports: fixture.exports ?? EXPORTS,
        files: ['dist', 'src', 'README.md', 'LICENSE'],
      }),
      'README.md': `# fixture-${pkgName}\n`,
      LICENSE: 'Apache-2.0\n',
      ...MODULE,
      ...fixture.files,
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
  }
  return root;
}

function checkPack(root: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts/check-pack.mjs'), '--root', root], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

describe('check:pack', () => {
  it('passes a correct package and skips a private one', () => {
    const { status, output } = checkPack(
      workspace('clean', { good: {}, secret: { private: true, exports: { '.': './dist/nowhere.js' } } }),
    );
    expect(output).toMatch(/^ok {3}fixture-good@1\.0\.0/m);
    expect(output).not.toContain('fixture-secret');
    expect(output).toContain('1 packages packed and checked');
    expect(status, output).toBe(0);
  });

  it('fails each broken package with the rule that catches it, and only those', () => {
    const { status, output } = checkPack(
      workspace('broken', {
        good: {},
        // publint: conditions are order-sensitive; TypeScript must meet `types` before `default`
        'default-first': { exports: { '.': { default: './dist/index.js', types: './dist/index.d.ts' } } },
        // own rule, publint and attw: a `types` condition that names no packed file
        'types-missing': { exports: { '.': { types: './dist/nope.d.ts', default: './dist/index.js' } } },
        // attw only: a CommonJS declaration (.d.cts) for an ES module
        'cjs-types': {
          exports: { '.': { types: './dist/index.d.cts', default: './dist/index.js' } },
          files: { 'dist/index.d.cts': 'export declare const answer: number;\n' },
        },
        // own rule: a nested condition's file
        'nested-missing': {
          exports: {
            '.': {
              types: './dist/index.d.ts',
              node: { default: './dist/node.js' },
              default: './dist/index.js',
            },
          },
        },
        // own rule: a source packed without its declaration (attw would not notice)
        'no-declaration': {
          files: {
            'src/extra.ts': 'export const extra: number = 1;\n',
            'dist/extra.js': 'export const extra = 1;\n',
          },
        },
        // own rule: build output of a source that no longer exists
        stale: { files: { 'dist/removed.js': 'export const removed = 1;\n' } },
      }),
    );
    expect(status, output).toBe(1);
    const fails = (pkg: string): string[] =>
      output
        .split('\n')
        .filter((line) => line.startsWith(`FAIL fixture-${pkg}: `))
        .map((line) => line.slice(`FAIL fixture-${pkg}: `.length));
    expect(fails('good')).toEqual([]);
    expect(output).toMatch(/^ok {3}fixture-good@1\.0\.0/m);
    expect(fails('default-first')).toEqual(
      expect.arrayContaining([expect.stringMatching(/^publint error EXPORTS_TYPES_SHOULD_BE_FIRST: /)]),
    );
    expect(fails('types-missing')).toEqual(
      expect.arrayContaining([
        'export . [types] → ./dist/nope.d.ts not in the tarball',
        expect.stringMatching(/^publint error FILE_DOES_NOT_EXIST: /),
        expect.stringMatching(/^attw FallbackCondition \(\. under node16-esm\): /),
      ]),
    );
    expect(fails('cjs-types')).toEqual([
      'attw FalseCJS (dist/index.d.cts for dist/index.js): Import resolved to a CommonJS type declaration file, but an ESM JavaScript file.',
    ]);
    expect(fails('nested-missing')).toEqual(
      expect.arrayContaining(['export . [node] [default] → ./dist/node.js not in the tarball']),
    );
    expect(fails('no-declaration')).toEqual(['src/extra.ts is packed without its build dist/extra.d.ts']);
    expect(fails('stale')).toEqual([
      'dist/removed.js has no source src/removed.ts in the tarball (a stale build? rebuild from a clean dist/)',
    ]);
  });
});
