import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// The ```ts blocks of a README marked `<!-- example: name -->` form one program per README. Each is
// type-checked with the repository's compiler settings and run as written, and what it prints is
// compared with what the README says it prints, so the READMEs never drift from the API. The
// programs are written inside test-vectors/ (whose package.json depends on every published pure
// package) so their `@mdlkit/*` imports resolve through the workspace as a user's would.

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const workDir = path.join(here, '..', '.readme-examples', String(process.pid));

interface Example {
  readonly name: string;
  readonly code: string;
}

interface ReadmeProgram {
  /** README path from the repository root. */
  readonly readme: string;
  /** Example names, in order. */
  readonly examples: readonly string[];
  /** Lines the program must print, in order (each is also shown as a `// line` comment). */
  readonly output: readonly string[];
}

const PROGRAMS: readonly ReadmeProgram[] = [
  {
    readme: 'README.md',
    examples: ['issue', 'present', 'verify'],
    output: ['verified: true', 'given_name: Erika', 'age_over_21: true'],
  },
  { readme: 'packages/core/README.md', examples: ['core'], output: ['true', 'true', 'ERR_CBOR_TRUNCATED'] },
  {
    readme: 'docs/online.md',
    examples: ['online-setup', 'online-request', 'online-verify'],
    output: [
      'openid4vp-v1-unsigned org-iso-mdoc',
      'true online-state:passed online-decryption:passed online-origin:passed online-presentations:passed online-session-binding:passed online-query:passed',
      'age_over_21: true (verified: true)',
      'true',
      'ERR_ONLINE_STATE_REPLAYED',
    ],
  },
];

function extractExamples(markdown: string): Example[] {
  const marker = /<!-- example: ([a-z0-9-]+) -->\r?\n```ts\r?\n([\s\S]*?)\r?\n```/g;
  return [...markdown.matchAll(marker)].map((m) => ({ name: m[1]!, code: m[2]! }));
}

function programFile(program: ReadmeProgram): string {
  return path.join(workDir, `${program.readme.replace(/[/.]/g, '-')}.ts`);
}

/** Only the example's own diagnostics: `pnpm typecheck` covers the packages. */
function typeErrors(files: readonly string[]): string[] {
  const base = ts.readConfigFile(path.join(repoRoot, 'tsconfig.base.json'), (f) => ts.sys.readFile(f));
  const { options } = ts.parseJsonConfigFileContent(base.config, ts.sys, repoRoot);
  const program = ts.createProgram(files, { ...options, noEmit: true });
  const errors: string[] = program
    .getOptionsDiagnostics()
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (source === undefined) {
      errors.push(`${file}: not part of the program`);
      continue;
    }
    // Asking per file keeps the checker from walking every package source.
    for (const d of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
      const line = source.getLineAndCharacterOfPosition(d.start ?? 0).line + 1;
      errors.push(`${path.basename(file)}:${line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    }
  }
  return errors;
}

describe('README examples', () => {
  const extracted = new Map(
    PROGRAMS.map((p) => [p, extractExamples(readFileSync(path.join(repoRoot, p.readme), 'utf8'))]),
  );

  beforeAll(() => {
    mkdirSync(workDir, { recursive: true });
    for (const [program, examples] of extracted) {
      // One module per README: later blocks use what earlier ones defined (imports are hoisted).
      const code = examples.map((e) => `// --- example: ${e.name}\n${e.code}\n`).join('\n');
      writeFileSync(programFile(program), code);
    }
  });

  afterAll(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  it.each(PROGRAMS)('$readme has the expected example blocks and no stray markers', (program) => {
    const examples = extracted.get(program)!;
    expect(examples.map((e) => e.name)).toEqual(program.examples);
    const markdown = readFileSync(path.join(repoRoot, program.readme), 'utf8');
    expect(markdown.match(/<!-- example: [a-z0-9-]+ -->/g) ?? []).toHaveLength(examples.length);
  });

  it('the examples type-check under the repository compiler settings', () => {
    expect(typeErrors(PROGRAMS.map(programFile))).toEqual([]);
  });

  it.each(PROGRAMS)('$readme runs and prints what it says it prints', async (program) => {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
    try {
      await import(pathToFileURL(programFile(program)).href);
    } finally {
      log.mockRestore();
    }
    expect(lines).toEqual(program.output);
    const code = extracted
      .get(program)!
      .map((e) => e.code)
      .join('\n');
    for (const line of program.output) expect(code).toContain(`// ${line}`);
  });
});
