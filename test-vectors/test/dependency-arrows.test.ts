/**
 * The package map's arrows (shared design, docs/architecture.md), held against drift: every
 * `@mdlkit/*` module a package's library code imports is one of its runtime dependencies, and the
 * arrows point one way — core ← pki ← issuer / holder / reader, the reader never depending on the
 * issuer (status tokens come from `@mdlkit/core/status`), adapters never depending on each other
 * for generic plumbing (`@mdlkit/aws-common` holds it).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** What each package's library code may import of the workspace (by package name). */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  core: [],
  pki: ['@mdlkit/core'],
  issuer: ['@mdlkit/core', '@mdlkit/pki'],
  holder: ['@mdlkit/core', '@mdlkit/pki'],
  reader: ['@mdlkit/core', '@mdlkit/pki'],
  'aws-common': ['@mdlkit/core'],
  'aws-kms': ['@mdlkit/core', '@mdlkit/pki', '@mdlkit/issuer', '@mdlkit/aws-common'],
  'aws-acm-pca': ['@mdlkit/core', '@mdlkit/pki', '@mdlkit/aws-common'],
  pkcs11: ['@mdlkit/core', '@mdlkit/pki', '@mdlkit/issuer'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [file] : [];
  });
}

/** The workspace packages a file imports (static and dynamic), as package names. */
function workspaceImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*)['"](@mdlkit\/[a-z0-9-]+)(?:\/[^'"]*)?['"]/g)];
  return specs.map((m) => m[1]!);
}

describe('dependency arrows', () => {
  for (const [dir, allowed] of Object.entries(ALLOWED)) {
    it(`${dir}: imports only ${allowed.length === 0 ? 'itself' : allowed.join(', ')}, each a runtime dependency`, () => {
      const pkg = JSON.parse(readFileSync(path.join(ROOT, 'packages', dir, 'package.json'), 'utf8')) as {
        name: string;
        dependencies?: Record<string, string>;
        peerDependencies?: Record<string, string>;
      };
      const runtime = new Set([
        ...Object.keys(pkg.dependencies ?? {}),
        ...Object.keys(pkg.peerDependencies ?? {}),
      ]);
      const files = sourceFiles(path.join(ROOT, 'packages', dir, 'src'));
      expect(files.length).toBeGreaterThan(0);
      const seen = new Set<string>();
      for (const file of files) {
        for (const name of workspaceImports(file)) {
          if (name === pkg.name) continue; // self-reference through the package's own exports
          seen.add(name);
          expect(allowed, `${path.relative(ROOT, file)} imports ${name}`).toContain(name);
          expect(runtime.has(name), `${name} is not a runtime dependency of ${pkg.name}`).toBe(true);
        }
      }
      // The declared runtime dependencies on the workspace are the ones used.
      for (const name of runtime) if (name.startsWith('@mdlkit/')) expect(allowed).toContain(name);
      if (dir === 'reader') expect([...seen]).not.toContain('@mdlkit/issuer');
    });
  }

  it('finds imports it is meant to find (the check can fail)', () => {
    const probe = path.join(ROOT, 'packages/reader/src/revocation/check-revocation.ts');
    expect(workspaceImports(probe)).toContain('@mdlkit/core');
    expect(workspaceImports(probe)).not.toContain('@mdlkit/issuer');
  });
});
