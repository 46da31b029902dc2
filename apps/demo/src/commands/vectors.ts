import { ExitCode, UsageError } from '../cli-error.js';
import { type Command, stringOption } from '../command.js';
import { Mark, table, toJson } from '../util/format.js';
import { findRepoRoot, resolveVectorsDir } from '../util/paths.js';
import { annexDChecks } from '../vectors/annex-d.js';
import { runChecks, type VectorCheck, type VectorResult } from '../vectors/check.js';
import { aamvaVicalChecks, negativeCatalogueChecks, profileSampleChecks } from '../vectors/other-suites.js';

const SUITES = ['annex-d', 'aamva-vical', 'pki-samples', 'negative'] as const;

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
export const vectorsCommand: Command = {
  name: 'vectors',
  summary: 'run the ISO Annex D suite and the project vectors; print a pass table',
  help: `Usage: mdlkit vectors [--dir DIR] [--suite ${SUITES.join('|')}] [--json]

Runs every published-vector check the libraries support and prints one row per check:
  annex-d      ISO/IEC 18013-5 Annex D: QR engagement and mdoc: URI, SessionTranscript, session
               keys, SessionEstablishment / SessionData, ReaderAuthenticationBytes and reader auth,
               IssuerSignedItems and MSO rebuilt byte-for-byte, IssuerAuth Sig_structure,
               DeviceAuthentication / EMacKey / MAC, DS and reader certificate paths, the strict
               linter's finding on the Annex D DS, the DeviceResponse accepted at 2021-01-01 and
               rejected today for exactly the expired DS certificate and MSO
  aamva-vical  the AAMVA VICAL of 2025-11-18: accepted, stale, rejected after the signer expires
  pki-samples  Annex B samples: a valid IACA/DS pair, a CA:TRUE DS and an intermediate rejected
  negative     the project's negative catalogue (test-vectors/negative/*.json), each case naming
               the error code it must produce

Options:
  --dir DIR    the shared vectors folder (default: MDLKIT_VECTORS, else ../shared/vectors from
               the repository root)
  --suite S    run one suite only
  --json       {"ok","dir","suites":{name:{"passed","failed"}},"results":[{"suite","id","clause","title","status","message"?}]}

Exit codes: 0 every check passed, 1 at least one failed, 2 the vectors folder is missing.`,
  options: { dir: { type: 'string' }, suite: { type: 'string' } },
  async run(values, _positionals, io) {
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
  },
};
