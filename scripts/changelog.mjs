#!/usr/bin/env node
// Writes each publishable package's CHANGELOG.md from the pending changesets (.changeset/*.md): an
// "Unreleased" section of every change that names the package, grouped by bump type. The release
// itself runs `changeset version`, which turns the same changesets into a versioned section.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dir = path.join(root, '.changeset');
const changes = [];
for (const f of readdirSync(dir).sort()) {
  if (!f.endsWith('.md') || f === 'README.md') continue;
  const text = readFileSync(path.join(dir, f), 'utf8');
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (m === null) continue;
  const bumps = Object.fromEntries(
    m[1]
      .split('\n')
      .map((l) => /^\s*"?([^":]+)"?\s*:\s*(major|minor|patch)\s*$/.exec(l))
      .filter(Boolean)
      .map((x) => [x[1], x[2]]),
  );
  changes.push({ bumps, body: m[2].trim() });
}
const titles = { major: 'Major changes', minor: 'Minor changes', patch: 'Patch changes' };
for (const name of readdirSync(path.join(root, 'packages'))) {
  const pkgDir = path.join(root, 'packages', name);
  const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  if (pkg.private === true) continue;
  const lines = [`# ${pkg.name}`, '', '## Unreleased', ''];
  let any = false;
  for (const type of ['major', 'minor', 'patch']) {
    const mine = changes.filter((c) => c.bumps[pkg.name] === type);
    if (mine.length === 0) continue;
    any = true;
    lines.push(`### ${titles[type]}`, '');
    for (const c of mine) {
      const [first, ...rest] = c.body.split('\n');
      lines.push(`- ${first}`, ...rest.map((l) => (l === '' ? '' : `  ${l}`)));
    }
    lines.push('');
  }
  if (!any) lines.push('No changes yet.', '');
  lines.push(`## ${pkg.version}`, '', 'First version (not published to the npm registry).', '');
  writeFileSync(path.join(pkgDir, 'CHANGELOG.md'), lines.join('\n'));
  console.log(`wrote ${path.relative(root, path.join(pkgDir, 'CHANGELOG.md'))}`);
}
