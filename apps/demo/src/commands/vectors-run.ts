import { ExitCode, UsageError } from '../cli-error.js';
import { type CliIo, type CommandValues, stringOption } from '../command.js';
import { Mark, table, toJson } from '../util/format.js';
import { findRepoRoot, resolveVectorsDir } from '../util/paths.js';
import { annexDChecks } from '../vectors/annex-d.js';
import { runChecks, type VectorCheck, type VectorResult } from '../vectors/check.js';
import { aamvaVicalChecks, negativeCatalogueChecks, profileSampleChecks } from '../vectors/other-suites.js';
import { SUITES } from './vectors.js';

/** Collects the checks of the selected suites. */
export function collectVectorChecks(
  vectorsDir: string,
  repoRoot: string | undefined,
  only?: string,
): VectorCheck[] {
  const all = [
    ...annexDChecks(vectorsDir),
    ...aamvaVicalChecks(vectorsDir),
    ...profileSampleChecks(vectorsDir),
    ...negativeCatalogueChecks(repoRoot),
  ];
  return only === undefined ? all : all.filter((c) => c.suite === only);
}

/** Prints the pass table of vector results. */
export function vectorTable(results: readonly VectorResult[]): string {
  const rows = results.map((r) => [
    r.status === 'passed' ? Mark.passed : Mark.failed,
    r.suite,
    r.id,
    r.clause,
    r.status === 'passed' ? r.title : `${r.title} -- ${r.message ?? ''}`,
  ]);
  return table(rows, ['', 'suite', 'check', 'clause', 'what']);
}

/** Per-suite pass counts. */
export function suiteSummary(
  results: readonly VectorResult[],
): Record<string, { passed: number; failed: number }> {
  const out: Record<string, { passed: number; failed: number }> = {};
  for (const r of results) {
    const s = out[r.suite] ?? { passed: 0, failed: 0 };
    s[r.status]++;
    out[r.suite] = s;
  }
  return out;
}

/** `mdlkit vectors`: the Annex D suite and the project's own vectors, as a pass table. */
/** Runs `mdlkit vectors` (loaded on demand, so `--help` stays fast). */
export async function run(values: CommandValues, _positionals: string[], io: CliIo): Promise<ExitCode> {
  const dir = resolveVectorsDir(io, stringOption(values, 'dir'));
  const suite = stringOption(values, 'suite');
  if (suite !== undefined && !(SUITES as readonly string[]).includes(suite)) {
    throw new UsageError(`--suite must be one of ${SUITES.join(', ')}`);
  }
  const checks = collectVectorChecks(dir, findRepoRoot(io.cwd), suite);
  const results = await runChecks(checks);
  const ok = results.length > 0 && results.every((r) => r.status === 'passed');
  const suites = suiteSummary(results);
  if (values['json'] === true) {
    io.out(toJson({ ok, dir, suites, results }));
  } else {
    io.out(`Vectors from ${dir}\n\n`);
    io.out(vectorTable(results));
    io.out('\n');
    for (const [name, s] of Object.entries(suites)) {
      io.out(
        `${s.failed === 0 ? Mark.passed : Mark.failed}  ${name}: ${s.passed}/${s.passed + s.failed} passed\n`,
      );
    }
    if (results.length === 0) io.out('no vectors found\n');
  }
  return ok ? ExitCode.OK : ExitCode.FAILED;
}
