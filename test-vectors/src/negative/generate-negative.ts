/**
 * Writes the negative catalogue: one JSON file per case under `test-vectors/negative/`.
 * Run with `pnpm --filter @mdlkit/test-vectors run generate`. Keys, salts, serials and times are
 * deterministic; ECDSA signatures are randomised, so re-running changes signature bytes only.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCases } from './cases.js';
import { createWorld } from './world.js';

const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../negative');

const world = await createWorld();
const cases = await buildCases(world);
const ids = new Set<string>();
for (const c of cases) {
  if (ids.has(c.id)) throw new Error(`duplicate case id ${c.id}`);
  ids.add(c.id);
}
mkdirSync(outDir, { recursive: true });
for (const f of readdirSync(outDir)) if (f.endsWith('.json')) rmSync(path.join(outDir, f));
for (const c of cases) writeFileSync(path.join(outDir, `${c.id}.json`), `${JSON.stringify(c, null, 2)}\n`);
const negatives = cases.filter((c) => !('verified' in c.expect)).length;
console.log(
  `wrote ${cases.length} cases (${negatives} negative, ${cases.length - negatives} controls) to ${path.relative(process.cwd(), outDir)}`,
);
