/**
 * A proximity-only app imports `@mdlkit/reader` / `@mdlkit/holder` and must not ship JOSE, HPKE or
 * DCQL. Walks the static import graph from each main entry (relative imports and `@mdlkit/*`
 * subpaths resolved to their sources) and checks it never reaches those libraries; the online
 * subpaths do reach them (so the walk can see them).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const ONLINE_LIBS = /^(jose|dcql|@hpke\/)/;

function packageSource(specifier: string): string | undefined {
  const m = /^@mdlkit\/([^/]+)(?:\/(.+))?$/.exec(specifier);
  if (m === null) return undefined;
  const pkg = JSON.parse(readFileSync(join(root, 'packages', m[1]!, 'package.json'), 'utf8'));
  const entry = pkg.exports[m[2] === undefined ? '.' : `./${m[2]}`];
  const source = entry['@mdlkit/source'];
  return join(root, 'packages', m[1]!, typeof source === 'string' ? source : source.node);
}

function externalImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const external = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s(?:type\s)?[^;]*?from\s+'([^']+)'/gms)) {
      const spec = m[1]!;
      if (/^(?:import|export)\s+type\s/.test(m[0])) continue;
      if (spec.startsWith('.')) stack.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else {
        const src = packageSource(spec);
        if (src !== undefined) stack.push(src);
        else external.add(spec);
      }
    }
  }
  return external;
}

describe('the online protocols stay behind their subpaths', () => {
  for (const entry of ['reader/src/index.ts', 'holder/src/index.ts']) {
    it(`${entry} does not reach jose, @hpke or dcql`, () => {
      const libs = [...externalImports(join(root, 'packages', entry))].filter((s) => ONLINE_LIBS.test(s));
      expect(libs).toEqual([]);
    });
  }
  for (const entry of [
    'reader/src/oid4vp/index.ts',
    'reader/src/annex-c/index.ts',
    'holder/src/oid4vp/index.ts',
  ]) {
    it(`${entry} does (the walk sees them)`, () => {
      const libs = [...externalImports(join(root, 'packages', entry))].filter((s) => ONLINE_LIBS.test(s));
      expect(libs.length).toBeGreaterThan(0);
    });
  }
});
