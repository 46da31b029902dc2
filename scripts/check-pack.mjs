#!/usr/bin/env node
// Packs every publishable workspace package with `pnpm pack` and checks what a user would install:
// package.json without workspace: ranges, README.md, LICENSE, CHANGELOG.md when changesets wrote
// one, engines.node equal to the root's, the built dist/ entry of every export (types + default), and no tests.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = mkdtempSync(path.join(tmpdir(), 'mdlkit-pack-'));
// One supported range everywhere (decision 0023): the packed engines must be the workspace root's.
const engines = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).engines?.node;
const problems = [];
let packed = 0;
try {
  for (const dir of ['packages', 'apps']) {
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
      execFileSync('pnpm', ['pack', '--pack-destination', dest], { cwd: pkgDir, stdio: 'pipe' });
      const tarball = readdirSync(dest).find((f) => f.endsWith('.tgz'));
      const files = execFileSync('tar', ['-tzf', path.join(dest, tarball)], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .map((f) => f.replace(/^package\//, ''));
      const packedPkg = JSON.parse(
        execFileSync('tar', ['-xzOf', path.join(dest, tarball), 'package/package.json'], {
          encoding: 'utf8',
        }),
      );
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
      for (const [sub, entry] of Object.entries(packedPkg.exports ?? {})) {
        const targets =
          typeof entry === 'string' ? [entry] : [entry.types, entry.default, entry.node].filter(Boolean);
        for (const t of targets) {
          if (typeof t === 'string' && !files.includes(t.replace(/^\.\//, '')))
            say(`export ${sub} → ${t} not in the tarball`);
        }
      }
      packed++;
      console.log(`ok  ${pkg.name}@${pkg.version}  ${files.length} files`);
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
if (problems.length > 0) {
  console.error(problems.map((p) => `FAIL ${p}`).join('\n'));
  process.exit(1);
}
console.log(`${packed} packages packed and checked`);
