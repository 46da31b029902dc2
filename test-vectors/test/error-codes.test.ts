/**
 * One vocabulary of errors (shared style guide), held against drift: every `ERR_*` code the library
 * and the apps throw or compare with is registered — core's `ErrorCode`, or an adapter's own code list
 * (`AwsErrorCode` in `@mdlkit/aws-common`, `Pkcs11ErrorCode` in `@mdlkit/pkcs11`) — no code is
 * registered twice, adapter codes stay out of core, and no library module declares its own `Error`
 * subclass carrying a code or details beside `MdlError`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Where each code list lives, and the prefix its codes carry (core: every other `ERR_`). */
const REGISTRIES = [
  { file: 'packages/core/src/errors/codes.ts', pkg: '@mdlkit/core', prefix: undefined },
  { file: 'packages/aws-common/src/errors/aws-error-code.ts', pkg: '@mdlkit/aws-common', prefix: 'ERR_AWS_' },
  { file: 'packages/pkcs11/src/errors/pkcs11-error.ts', pkg: '@mdlkit/pkcs11', prefix: 'ERR_PKCS11_' },
] as const;

/**
 * Codes of the `mdlkit` CLI's `--json` error output, not thrown as `MdlError`s: `ERR_USAGE` (exit
 * code 2) and `ERR_KEY_CERTIFICATE_MISMATCH` (a key file that is not the certificate's). docs/cli.md.
 */
const CLI_OUTPUT_CODES: readonly string[] = ['ERR_USAGE', 'ERR_KEY_CERTIFICATE_MISMATCH'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory())
      return name === 'node_modules' || name === 'dist' ? [] : sourceFiles(file);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [file] : [];
  });
}

/** A workspace package with sources: its name, its `src` files and the workspace packages it depends on. */
interface WorkspacePackage {
  readonly name: string;
  readonly files: readonly string[];
  readonly deps: readonly string[];
}

function workspacePackages(): WorkspacePackage[] {
  return ['packages', 'apps'].flatMap((top) =>
    readdirSync(path.join(ROOT, top)).flatMap((dir) => {
      const src = path.join(ROOT, top, dir, 'src');
      let isDir = false;
      try {
        isDir = statSync(src).isDirectory();
      } catch {
        isDir = false;
      }
      if (!isDir) return [];
      const manifest = JSON.parse(readFileSync(path.join(ROOT, top, dir, 'package.json'), 'utf8')) as {
        name: string;
        dependencies?: Record<string, string>;
        peerDependencies?: Record<string, string>;
      };
      const deps = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies });
      return [
        { name: manifest.name, files: sourceFiles(src), deps: deps.filter((d) => d.startsWith('@mdlkit/')) },
      ];
    }),
  );
}

const PACKAGES = workspacePackages();

function librarySources(): string[] {
  return PACKAGES.flatMap((p) => p.files);
}

/** `name` and every workspace package it depends on, directly or through others. */
function closure(name: string): Set<string> {
  const seen = new Set<string>();
  const visit = (n: string): void => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const d of PACKAGES.find((p) => p.name === n)?.deps ?? []) visit(d);
  };
  visit(name);
  return seen;
}

/** The whole codes (`'ERR_…'` in quotes) a source text names; prefixes used with startsWith are not codes. */
function codesNamed(text: string): string[] {
  return [...text.matchAll(/['"`](ERR_[A-Z0-9_]*[A-Z0-9])['"`]/g)]
    .map((m) => m[1]!)
    .filter((code) => !new RegExp(`startsWith\\(['"\`]${code}`).test(text));
}

function registered(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  return [...text.matchAll(/^\s+(ERR_[A-Z0-9_]+): '(ERR_[A-Z0-9_]+)',$/gm)].map((m) => {
    expect(m[2], `${file}: ${m[1]} is its own name`).toBe(m[1]);
    return m[1]!;
  });
}

describe('error codes', () => {
  const lists = REGISTRIES.map((r) => ({ ...r, codes: registered(r.file) }));

  it('each code list is non-empty, carries its prefix, and adapter prefixes stay out of core', () => {
    const adapterPrefixes = REGISTRIES.flatMap((r) => (r.prefix === undefined ? [] : [r.prefix]));
    for (const list of lists) {
      expect(list.codes.length, list.file).toBeGreaterThan(0);
      for (const code of list.codes) {
        if (list.prefix !== undefined)
          expect(code.startsWith(list.prefix), `${list.file}: ${code}`).toBe(true);
        else
          expect(
            adapterPrefixes.filter((p) => code.startsWith(p)),
            `core: ${code}`,
          ).toEqual([]);
      }
    }
  });

  it('no code is registered twice', () => {
    const all = lists.flatMap((l) => l.codes);
    expect(all.filter((c, i) => all.indexOf(c) !== i)).toEqual([]);
  });

  it('every ERR_* code the sources name is registered', () => {
    const known = new Set([...lists.flatMap((l) => l.codes), ...CLI_OUTPUT_CODES]);
    const unknown: string[] = [];
    for (const file of librarySources()) {
      for (const code of codesNamed(readFileSync(file, 'utf8'))) {
        if (!known.has(code)) unknown.push(`${path.relative(ROOT, file)}: ${code}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it("a package names only codes registered in itself or in a package it depends on (an adapter's codes are the adapter's)", () => {
    const owner = new Map(lists.flatMap((l) => l.codes.map((c) => [c, l.pkg] as const)));
    const wrong: string[] = [];
    for (const pkg of PACKAGES) {
      const reachable = closure(pkg.name);
      for (const file of pkg.files) {
        for (const code of codesNamed(readFileSync(file, 'utf8'))) {
          const home = owner.get(code);
          if (home !== undefined && !reachable.has(home)) {
            wrong.push(
              `${path.relative(ROOT, file)}: ${code} is registered in ${home}, which ${pkg.name} does not depend on`,
            );
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('every adapter code is thrown or compared by a package that depends on its code list', () => {
    for (const list of lists.filter((l) => l.pkg !== '@mdlkit/core')) {
      const files = PACKAGES.filter((p) => closure(p.name).has(list.pkg))
        .flatMap((p) => p.files)
        .filter((f) => path.relative(ROOT, f) !== list.file);
      const named = new Set(files.flatMap((f) => codesNamed(readFileSync(f, 'utf8'))));
      expect(
        list.codes.filter((c) => !named.has(c)),
        `${list.pkg}: codes nobody throws`,
      ).toEqual([]);
    }
  });
});

/**
 * `Error` subclasses outside `MdlError` that are allowed, and why: none of them is an mdlkit error
 * with a code or details of its own.
 */
const OTHER_ERROR_CLASSES: Readonly<Record<string, readonly string[]>> = {
  // The emulator's model of an AWS service exception on the wire (`__type`, HTTP status), which the
  // real SDK clients parse: AWS's vocabulary, not mdlkit's.
  'packages/aws-emulator/src/errors.ts': ['AwsError'],
  // The CLI's exit-code-2 signal and its input variant (option, file, what the input looked like, and
  // the code of the MdlError behind it, repeated for `--json` output — a field of the CLI's output,
  // not a code of its own).
  'apps/demo/src/cli-error.ts': ['UsageError', 'InputError'],
  // A failed assertion of the vector self-check (`mdlkit vectors check`), reported per vector.
  'apps/demo/src/vectors/check.ts': ['CheckFailure'],
  // Stops the demo story after a failed step; never leaves the module.
  'apps/demo/src/demo/story.ts': ['StopStory'],
  // Bad verifier configuration, reported at start-up.
  'apps/verifier/src/server/config.ts': ['ConfigError'],
  // Text the verifier's inspector page cannot read as bytes, shown to the user.
  'apps/verifier/src/browser/input.ts': ['InputError'],
};

describe('error classes', () => {
  it('library code declares no Error subclass beside MdlError, directly or through another class (subclasses of MdlError are fine)', () => {
    const classes = librarySources().flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/class\s+(\w+)(?:<[^>]*>)?\s+extends\s+(\w+)/g)].map((m) => ({
        file: path.relative(ROOT, file),
        name: m[1]!,
        base: m[2]!,
      })),
    );
    // Every class that is an Error: the built-in ones, and whatever extends one of them (to a fixpoint).
    const errorBases = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'AggregateError']);
    const mdlErrors = new Set(['MdlError']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const c of classes) {
        if (mdlErrors.has(c.base) && !mdlErrors.has(c.name)) {
          mdlErrors.add(c.name);
          grew = true;
        } else if (errorBases.has(c.base) && !errorBases.has(c.name) && !mdlErrors.has(c.name)) {
          errorBases.add(c.name);
          grew = true;
        }
      }
    }
    const found = classes
      .filter((c) => errorBases.has(c.name) && !mdlErrors.has(c.name))
      .filter((c) => !(c.file === 'packages/core/src/errors/mdl-error.ts' && c.name === 'MdlError'))
      .filter((c) => OTHER_ERROR_CLASSES[c.file]?.includes(c.name) !== true)
      .map((c) => `${c.file}: ${c.name} extends ${c.base}`);
    expect(found).toEqual([]);
    // The list of exceptions stays exact: each one still exists.
    for (const [file, names] of Object.entries(OTHER_ERROR_CLASSES)) {
      for (const name of names)
        expect(
          classes.some((c) => c.file === file && c.name === name),
          `${file}: ${name}`,
        ).toBe(true);
    }
  });

  it("no package source outside the apps keeps an Error subclass at all, other than the emulator's wire error", () => {
    const outside = Object.keys(OTHER_ERROR_CLASSES).filter((f) => f.startsWith('packages/'));
    expect(outside).toEqual(['packages/aws-emulator/src/errors.ts']);
  });
});
