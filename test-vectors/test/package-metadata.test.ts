/**
 * One story about the packages, held against drift: every workspace package.json declares the
 * root's `engines.node`, every README / CLI page that names a Node version names that minimum,
 * every `repository` is the one canonical URL with the package's own directory, and no README
 * tells readers to install from the npm registry (nothing is published yet). Decision 0023.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const REPOSITORY_URL = 'git+https://github.com/mdlkit/mdlkit.git';

interface PackageJson {
  readonly name: string;
  readonly private?: boolean;
  readonly engines?: { readonly node?: string };
  readonly repository?: { readonly type?: string; readonly url?: string; readonly directory?: string };
  readonly license?: string;
}

const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');
const rootPackage = JSON.parse(read('package.json')) as PackageJson;

/** The workspace's package directories, from pnpm-workspace.yaml's `packages:` globs. */
function workspaceDirectories(): string[] {
  const yaml = read('pnpm-workspace.yaml');
  const block = yaml.slice(yaml.indexOf('packages:')).split(/\n(?=\S)/)[0]!;
  const globs = [...block.matchAll(/^\s+-\s+(\S+)\s*$/gm)].map((m) => m[1]!);
  expect(globs.length).toBeGreaterThan(0);
  return globs.flatMap((glob) =>
    glob.endsWith('/*')
      ? readdirSync(path.join(ROOT, glob.slice(0, -2)))
          .map((name) => `${glob.slice(0, -2)}/${name}`)
          .filter((dir) => existsSync(path.join(ROOT, dir, 'package.json')))
      : [glob],
  );
}

const packages = workspaceDirectories().map((dir) => ({
  dir,
  pkg: JSON.parse(read(`${dir}/package.json`)) as PackageJson,
}));

describe('package metadata', () => {
  const range = rootPackage.engines?.node;

  it('the root declares a >= range, and every workspace package declares the same one', () => {
    expect(range).toMatch(/^>=\d+\.\d+$/);
    expect(packages.length).toBeGreaterThanOrEqual(10);
    const drift = packages
      .filter(({ pkg }) => pkg.engines?.node !== range)
      .map(({ dir, pkg }) => `${dir}: ${pkg.engines?.node ?? '(no engines.node)'}`);
    expect(drift, `engines.node must be ${range} everywhere`).toEqual([]);
  });

  it('the README, docs/cli.md and every package README name that minimum and no other', () => {
    const minimum = range!.slice(2);
    const major = minimum.split('.')[0]!;
    const pages = [
      'README.md',
      'docs/cli.md',
      ...packages.map(({ dir }) => `${dir}/README.md`).filter((f) => existsSync(path.join(ROOT, f))),
    ];
    const problems: string[] = [];
    for (const page of pages) {
      const text = read(page);
      // "Node 20.19+", "Node >= 18", "Node 22 or 24": any "Node <version>" claim must be the minimum or a later line
      for (const m of text.matchAll(/\bNode(?:\.js)?\s+(?:>=?\s*)?(\d+)(?:\.(\d+))?\+?/g)) {
        const claimed = Number(m[1]);
        const sentence = text.slice(Math.max(0, m.index - 80), m.index + 80);
        const saysUnsupported =
          /out of support|not supported|nothing here promises|need Node|[Mm]easured/.test(sentence);
        if (claimed < Number(major) && !saysUnsupported)
          problems.push(`${page}: '${m[0]}' (${sentence.trim()})`);
      }
    }
    expect(problems).toEqual([]);
    for (const page of ['README.md', 'docs/cli.md']) expect(read(page), page).toContain(minimum);
  });

  it('the CLI warns below the same minimum', () => {
    const [major, minor] = range!.slice(2).split('.');
    expect(read('apps/demo/src/cli.ts')).toContain(
      `nodeMajor < ${major} || (nodeMajor === ${major} && nodeMinor < ${minor})`,
    );
  });

  it('every package that declares a repository names the one URL and its own directory; publishable ones must', () => {
    const problems: string[] = [];
    for (const { dir, pkg } of packages) {
      if (pkg.repository === undefined) {
        if (pkg.private !== true) problems.push(`${dir}: publishable without repository`);
        continue;
      }
      if (pkg.repository.url !== REPOSITORY_URL) problems.push(`${dir}: url ${pkg.repository.url}`);
      if (pkg.repository.directory !== dir) problems.push(`${dir}: directory ${pkg.repository.directory}`);
      if (pkg.license !== 'Apache-2.0') problems.push(`${dir}: license ${pkg.license}`);
    }
    expect(problems).toEqual([]);
  });

  it('no README or doc tells a reader to install a package from the registry', () => {
    const docs = readdirSync(path.join(ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`);
    const pages = [
      'README.md',
      ...docs,
      ...packages.map(({ dir }) => `${dir}/README.md`).filter((f) => existsSync(path.join(ROOT, f))),
    ];
    const problems: string[] = [];
    for (const page of pages) {
      const text = read(page);
      // `npm install @mdlkit/x`, `pnpm add @mdlkit/x` (a registry name), `npx mdlkit`, `npm i -g @mdlkit/cli`
      for (const m of text.matchAll(
        /\b(?:npm (?:install|i|add)|pnpm add|yarn add|bun add)\s+(?:-\S+\s+)*(@mdlkit\/[a-z0-9-]+)(?!@workspace)/g,
      ))
        problems.push(`${page}: ${m[0]}`);
      for (const m of text.matchAll(/`npx (?:--yes )?mdlkit[^`]*`/g)) {
        const after = text.slice(m.index, m.index + 200);
        if (!/does \*\*not\*\* work|not published/.test(after)) problems.push(`${page}: ${m[0]}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
