/**
 * `pnpm stats` (scripts/code-stats.mjs) can fail: it is run with `--root` on a throw-away workspace
 * whose one library file holds each kind of module-level cache the script's rule names, beside the
 * constant tables, local maps and test files it must leave out; the figures must come out exactly.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'mdlkit-code-stats-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const REGISTRY = `export function registerCache(c: { name: string; kind: string }): void {
  registry.push(c);
}
const registry: { name: string }[] = [];
export class BoundedCache<K, V> {
  readonly #map = new Map<K, V>();
  constructor(name: string) {
    registerCache({ name, kind: 'bounded' });
  }
  set(k: K, v: V): void {
    this.#map.set(k, v);
  }
}
export const parsed = new BoundedCache<string, number>('x.parsed');
`;

const LIBRARY = `import { parsed } from './caches.js';
const TABLE: ReadonlySet<string> = new Set(['a', 'b']);
const BY_ID = new Map([[1, 'one']]);
const EMPTY = new Uint8Array(0);
const LISTED = new Uint8Array([1, 2, 3]);
const seen = new Map<string, number>();
const recent: number[] = [];
const keys = new WeakMap<object, string>();
const pool = new Uint8Array(64);
let scratch = new Uint8Array(16);
let counter = 0;

function remember(key: object, name: string): void {
  keys.set(key, name);
}

export function use(s: string, o: object): number {
  const local = new Map<string, number>();
  local.set(s, 1);
  if (seen.size >= 8) seen.clear();
  seen.set(s, s.length);
  recent.push(s.length);
  pool[0] = 1;
  if (scratch.length < s.length) scratch = new Uint8Array(s.length);
  counter++;
  remember(o, s);
  parsed.set(s, 1);
  return TABLE.has(s) ? (BY_ID.get(1)?.length ?? 0) + EMPTY.length + LISTED.length : counter;
}

function longest(a: number): number {
  let x = a;
  x += 1;
  x += 2;
  x += 3;
  return x;
}
export const twice = (a: number): number => longest(a) * 2;
`;

function stats(): {
  files: number;
  largestFiles: { file: string; lines: number }[];
  largestFunctions: { name: string; lines: number; line: number }[];
  caches: { name: string; what: string; registered: boolean; inCachesModule: boolean; bound: string }[];
  constantTables: { name: string }[];
  otherModuleState: { name: string }[];
} {
  const root = path.join(work, 'tree');
  mkdirSync(path.join(root, 'packages/x/src'), { recursive: true });
  writeFileSync(path.join(root, 'packages/x/package.json'), JSON.stringify({ name: 'x' }));
  writeFileSync(path.join(root, 'packages/x/src/caches.ts'), REGISTRY);
  writeFileSync(path.join(root, 'packages/x/src/library.ts'), LIBRARY);
  // A test file beside the code is not library code, whatever it holds.
  writeFileSync(
    path.join(root, 'packages/x/src/library.test.ts'),
    'const hidden = new Map();\nhidden.set(1, 1);\n',
  );
  const run = spawnSync(
    process.execPath,
    [path.join(ROOT, 'scripts/code-stats.mjs'), '--root', root, '--json'],
    {
      encoding: 'utf8',
    },
  );
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

describe('scripts/code-stats.mjs', () => {
  const result = stats();

  it('reads the library files only, and ranks files and functions by lines', () => {
    expect(result.files).toBe(2);
    expect(result.largestFiles.map((f) => f.file)).toEqual([
      'packages/x/src/library.ts',
      'packages/x/src/caches.ts',
    ]);
    expect(result.largestFiles[0]!.lines).toBe(LIBRARY.split('\n').length - 1);
    // `use` spans 13 lines, `longest` 7, the arrow 1.
    expect(result.largestFunctions[0]).toMatchObject({ name: 'use', lines: 13, line: 17 });
    expect(result.largestFunctions.find((f) => f.name === 'longest')).toMatchObject({ lines: 7 });
    expect(result.largestFunctions.find((f) => f.name === 'twice')).toMatchObject({ lines: 1 });
  });

  it('lists each module-level cache, and nothing else, with its registration and bound', () => {
    const byName = Object.fromEntries(result.caches.map((c) => [c.name, c]));
    expect(Object.keys(byName).sort()).toEqual(['keys', 'parsed', 'pool', 'recent', 'scratch', 'seen']);
    expect(byName.parsed).toMatchObject({ registered: true, inCachesModule: true, bound: 'entries + bytes' });
    expect(byName.seen).toMatchObject({ registered: false, bound: 'entries?' });
    expect(byName.recent).toMatchObject({ registered: false, bound: 'none found' });
    // Changed only through a helper it is handed to: still a cache (a WeakMap is never a table).
    expect(byName.keys).toMatchObject({ bound: 'per-handle (WeakMap)' });
    expect(byName.scratch).toMatchObject({ bound: 'buffer, reassigned' });
    expect(byName.pool).toMatchObject({ bound: 'buffer, fixed length' });
  });

  it('counts constant tables apart and lists other module state', () => {
    expect(result.constantTables.map((t) => t.name).sort()).toEqual(['BY_ID', 'TABLE']);
    expect(result.otherModuleState.map((s) => s.name).sort()).toEqual(['counter', 'registry']);
  });
});
