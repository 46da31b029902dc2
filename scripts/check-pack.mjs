#!/usr/bin/env node
// Packs every publishable workspace package with `pnpm pack` and checks what a user would install:
// package.json without workspace: ranges, README.md, LICENSE, CHANGELOG.md when changesets wrote
// one, engines.node equal to the root's, every file an export names (any condition, nested ones
// too), no tests, and dist/ exactly the build of the packed src/ (no stale output, no missing .js
// or .d.ts). Then each tarball — the bytes a user would install, not the work tree — goes through
// publint (errors and warnings fail, suggestions are printed) and through Are the Types Wrong
// (@arethetypeswrong/core, the engine of @arethetypeswrong/cli, in this one process: one TypeScript
// load instead of one per package) under the CLI's `esm-only` profile; decision 0025 says why the
// node10 and node16-from-CJS resolutions are left out. Every other problem attw finds, in every
// entry point and resolution, fails. `pnpm exec attw <tarball> --profile esm-only` shows one
// package's table by hand.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { problemKindInfo } from '@arethetypeswrong/core/problems';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

// The resolutions @arethetypeswrong/cli's `--profile esm-only` ignores (its profiles table):
// `node10` (moduleResolution node10 reads no `exports`; our packages have no `main`) and
// `node16-cjs` (a CommonJS file under TypeScript's node16 rules, which predate require(esm)).
const ATTW_IGNORED_RESOLUTIONS = new Set(['node10', 'node16-cjs']);

// `--root DIR` checks another workspace (the script's own test packs broken fixture packages).
const rootArg = process.argv.indexOf('--root');
const root =
  rootArg === -1
    ? path.resolve(path.dirname(new URL(import.meta.url).pathname), '..')
    : path.resolve(process.argv[rootArg + 1]);
const out = mkdtempSync(path.join(tmpdir(), 'mdlkit-pack-'));
// One supported range everywhere (decision 0023): the packed engines must be the workspace root's.
const engines = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).engines?.node;
const problems = [];
const ms = { pack: 0, publint: 0, attw: 0 };
const timed = async (key, fn) => {
  const t = performance.now();
  try {
    return await fn();
  } finally {
    ms[key] += performance.now() - t;
  }
};
let packed = 0;

/** Every string in an `exports` value, with the condition path that leads to it. */
function* exportTargets(value, at) {
  if (typeof value === 'string') yield [at, value];
  else if (Array.isArray(value)) for (const v of value) yield* exportTargets(v, at);
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) yield* exportTargets(v, `${at} [${k}]`);
}

/** The source a dist/ output is compiled from: dist/a/b.js, .d.ts, .js.map, .d.ts.map (.c/.m too) → src/a/b.ts. */
const sourceOf = (file) =>
  file.replace(/^dist\//, 'src/').replace(/\.[cm]?js(\.map)?$|\.d\.[cm]?ts(\.map)?$/, '.ts');

try {
  for (const dir of ['packages', 'apps']) {
    if (!existsSync(path.join(root, dir))) continue;
    for (const name of readdirSync(path.join(root, dir))) {
      const pkgDir = path.join(root, dir, name);
      let pkg;
      try {
        pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
      } catch {
        continue;
      }
      if (pkg.private === true) continue;
      const dest = path.join(out, name);
      await timed('pack', () =>
        execFileSync('pnpm', ['pack', '--pack-destination', dest], { cwd: pkgDir, stdio: 'pipe' }),
      );
      const tarballPath = path.join(
        dest,
        readdirSync(dest).find((f) => f.endsWith('.tgz')),
      );
      const tarball = readFileSync(tarballPath);
      const files = execFileSync('tar', ['-tzf', tarballPath], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .map((f) => f.replace(/^package\//, ''));
      const packedPkg = JSON.parse(
        execFileSync('tar', ['-xzOf', tarballPath, 'package/package.json'], { encoding: 'utf8' }),
      );
      const before = problems.length;
      const say = (m) => problems.push(`${pkg.name}: ${m}`);
      for (const f of ['package.json', 'README.md', 'LICENSE']) if (!files.includes(f)) say(`${f} missing`);
      if (readdirSync(pkgDir).includes('CHANGELOG.md') && !files.includes('CHANGELOG.md'))
        say('CHANGELOG.md missing');
      if (files.some((f) => /\.test\.(ts|js)$/.test(f) || f.startsWith('test/'))) say('tests are packed');
      if (JSON.stringify(packedPkg).includes('workspace:')) say('a workspace: range survived packing');
      if (JSON.stringify(packedPkg).includes('catalog:')) say('a catalog: range survived packing');
      for (const k of ['license', 'repository', 'engines'])
        if (packedPkg[k] === undefined) say(`no "${k}" field`);
      if (packedPkg.engines?.node !== engines)
        say(`engines.node is ${packedPkg.engines?.node}, the workspace root says ${engines}`);
      if (packedPkg.exports === undefined) say('no "exports" field');
      for (const [sub, entry] of Object.entries(packedPkg.exports ?? {}))
        for (const [at, t] of exportTargets(entry, sub))
          if (!files.includes(t.replace(/^\.\//, ''))) say(`export ${at} → ${t} not in the tarball`);
      // dist/ is exactly the build of the packed src/: nothing stale from a removed module, and for
      // every source its module and declaration (attw does not notice a missing .d.ts behind an
      // entry: TypeScript then falls back to the .js beside it).
      const packedFiles = new Set(files);
      for (const f of files) {
        if (f.startsWith('dist/') && !packedFiles.has(sourceOf(f)))
          say(`${f} has no source ${sourceOf(f)} in the tarball (a stale build? rebuild from a clean dist/)`);
        if (f.startsWith('src/') && f.endsWith('.ts'))
          for (const built of [`dist/${f.slice(4, -3)}.js`, `dist/${f.slice(4, -3)}.d.ts`])
            if (!packedFiles.has(built)) say(`${f} is packed without its build ${built}`);
      }

      // publint on the tarball's own bytes (nothing is re-packed, no lifecycle script runs).
      const arrayBuffer = tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength);
      const lint = await timed('publint', () =>
        publint({ pack: { tarball: arrayBuffer }, level: 'suggestion' }),
      );
      for (const m of lint.messages) {
        const text = `publint ${m.type} ${m.code}: ${formatMessage(m, lint.pkg, { color: false })}`;
        if (m.type === 'suggestion') console.log(`note ${pkg.name}: ${text}`);
        else say(text);
      }

      // Are the Types Wrong on the same bytes: every entry point under every resolution it models.
      const analysis = await timed('attw', async () =>
        checkPackage(createPackageFromTarballData(new Uint8Array(tarball))),
      );
      if (!analysis.types) say('attw: the package ships no types');
      else
        for (const p of analysis.problems) {
          if (ATTW_IGNORED_RESOLUTIONS.has(p.resolutionKind)) continue;
          // An entry point under a resolution, a declaration/implementation pair, or one file.
          const file = (f) => f?.replace(`/node_modules/${pkg.name}/`, '');
          const where =
            p.entrypoint !== undefined
              ? `${p.entrypoint} under ${p.resolutionKind}`
              : p.typesFileName !== undefined
                ? `${file(p.typesFileName)} for ${file(p.implementationFileName)}`
                : [file(p.fileName), p.resolutionOption].filter(Boolean).join(' under ');
          say(`attw ${p.kind}${where ? ` (${where})` : ''}: ${problemKindInfo[p.kind].description}`);
        }

      packed++;
      console.log(
        `${problems.length === before ? 'ok  ' : 'FAIL'} ${pkg.name}@${pkg.version}  ${files.length} files`,
      );
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
if (packed === 0) problems.push(`no publishable package under ${root}`);
const timing = Object.entries(ms)
  .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
  .join(', ');
if (problems.length > 0) {
  console.error(problems.map((p) => `FAIL ${p}`).join('\n'));
  process.exit(1);
}
console.log(`${packed} packages packed and checked (publint, attw esm-only); ${timing}`);
