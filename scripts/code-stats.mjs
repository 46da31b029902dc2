#!/usr/bin/env node
// `pnpm stats [--root DIR] [--top N] [--json]`: size and module state of the library code, read
// with the TypeScript compiler API (syntax only, no type-checking), so the same file measures any
// commit's tree (`node scripts/code-stats.mjs --root <checkout of that commit>`).
//
// Library code: `packages/*/src/**/*.ts`, without `*.test.ts`, `*.spec.ts` and `*.d.ts`; apps/,
// bench/, interop/ and test-vectors/ are not library code. Private packages (the aws-emulator)
// are measured but marked `private`.
//
// It prints:
// - the N largest files by lines (and code lines: lines with a token outside comments);
// - the N largest functions by lines, from their first token to their closing brace: function
//   declarations and expressions, arrow functions, methods, accessors and constructors (a nested
//   function counts on its own and inside its parent);
// - the module-level caches, by this rule. A binding is module-level when it is declared by a
//   statement of the source file itself (`const` / `let` / `var`, exported or not), or is a static
//   field of a top-level class. It is a cache when its initialiser (or, for an object literal, a
//   property's initialiser) is
//     1. `new C(…)` or `c(…)` where the class or function name contains Cache, Memo, Pool, Scratch
//        or LRU (the registry's BoundedCache, HandleMemo, ScratchBuffer, RandomPool; any LRU), or
//     2. `new Map` / `new WeakMap` / `new Set` / `new WeakSet`, an array literal or `new Array(…)`,
//        changed inside a function (`.set` / `.add` / `.delete` / `.clear`, `.push` / `.unshift` /
//        `.splice` / `.fill`, an element assigned) in its own file or in a library file importing
//        it — one only filled while the module loads is a constant table, counted apart — or
//     3. a typed array or ArrayBuffer of a given length (not of listed bytes, not empty) written
//        inside a function (an element assigned, `.set` / `.fill` / `.copyWithin`, handed to a
//        function whose name contains fill or random), or any typed array held by a `let` that is
//        assigned again inside a function (a buffer that is replaced as it grows).
//   A `let` assigned again inside a function that is none of these is listed as other module state.
//   For each cache: whether it is registered (its class calls `registerCache`, or its name appears
//   in a `registerCache(…)` call of its file), whether it is declared in a `caches.ts` module, and
//   its bound: for a registered class, the `kind` its registration reports (bounded: entries and
//   bytes; buffer: one buffer of at most maxBytes; per-handle: a WeakMap, bounded by the caller's
//   objects); otherwise what the code shows (a WeakMap lives with its keys; `.size` / `.length`
//   compared: entries; a byte counter (`let …bytes…` changed in a function): bytes) — a heuristic,
//   read the line it names before quoting it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
};
const root = path.resolve(arg('--root') ?? path.join(path.dirname(new URL(import.meta.url).pathname), '..'));
const top = Number(arg('--top') ?? 10);
const asJson = process.argv.includes('--json');

// ---------------------------------------------------------------------------------------------
// The files.

const packagesDir = path.join(root, 'packages');
const files = [];
const privatePackages = new Set();
for (const pkg of readdirSync(packagesDir).sort()) {
  const src = path.join(packagesDir, pkg, 'src');
  if (!existsSync(src)) continue;
  const manifest = path.join(packagesDir, pkg, 'package.json');
  if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).private === true) {
    privatePackages.add(pkg);
  }
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts') && !/\.(test|spec|d)\.ts$/.test(name)) files.push(full);
    }
  };
  walk(src);
}

const rel = (file) => path.relative(root, file).split(path.sep).join('/');
const packageOf = (file) => rel(file).split('/')[1];
const sources = files.map((file) =>
  ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS),
);
const lineOf = (sf, pos) => sf.getLineAndCharacterOfPosition(pos).line + 1;

// ---------------------------------------------------------------------------------------------
// Files by lines.

function codeLines(sf) {
  const lines = new Set();
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, sf.text);
  for (let t = scanner.scan(); t !== ts.SyntaxKind.EndOfFileToken; t = scanner.scan()) {
    const first = lineOf(sf, scanner.getTokenStart());
    const last = lineOf(sf, scanner.getTokenEnd());
    for (let l = first; l <= last; l++) lines.add(l);
  }
  return lines.size;
}

const fileStats = sources.map((sf) => ({
  file: rel(sf.fileName),
  lines: sf.text.length === 0 ? 0 : sf.text.replace(/\n$/, '').split('\n').length,
  code: codeLines(sf),
}));

// ---------------------------------------------------------------------------------------------
// Functions by lines.

const nameText = (n) =>
  n === undefined
    ? undefined
    : ts.isIdentifier(n) || ts.isPrivateIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n)
      ? n.text
      : n.getText();

function functionName(node) {
  const owner = (n) => {
    const c = n.parent;
    if (c && (ts.isClassDeclaration(c) || ts.isClassExpression(c)))
      return `${nameText(c.name) ?? '<class>'}.`;
    if (c && ts.isObjectLiteralExpression(c)) return '';
    return '';
  };
  if (ts.isFunctionDeclaration(node)) return nameText(node.name) ?? 'default';
  if (ts.isConstructorDeclaration(node)) return `${owner(node)}constructor`;
  if (ts.isMethodDeclaration(node)) return `${owner(node)}${nameText(node.name)}`;
  if (ts.isGetAccessorDeclaration(node)) return `${owner(node)}get ${nameText(node.name)}`;
  if (ts.isSetAccessorDeclaration(node)) return `${owner(node)}set ${nameText(node.name)}`;
  // A function or arrow expression: named by what it is assigned to, or the call it is passed to.
  if (node.name) return nameText(node.name);
  let p = node.parent;
  while (p && (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p)))
    p = p.parent;
  if (p && ts.isVariableDeclaration(p)) return nameText(p.name);
  if (p && (ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)))
    return `${owner(p)}${nameText(p.name)}`;
  if (p && ts.isCallExpression(p)) return `(callback of ${p.expression.getText().slice(0, 40)})`;
  return '<anonymous>';
}

const functions = [];
for (const sf of sources) {
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const first = lineOf(sf, node.getStart(sf));
      const last = lineOf(sf, node.end);
      functions.push({
        name: functionName(node),
        file: rel(sf.fileName),
        line: first,
        lines: last - first + 1,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

// ---------------------------------------------------------------------------------------------
// Module-level caches.

const CACHE_NAME = /cache|memo|pool|scratch|lru/i;
const COLLECTIONS = new Set(['Map', 'WeakMap', 'Set', 'WeakSet']);
const TYPED =
  /^(Uint8|Uint8Clamped|Int8|Uint16|Int16|Uint32|Int32|Float32|Float64|BigInt64|BigUint64)Array$|^ArrayBuffer$/;
const MUTATORS = new Set([
  'set',
  'add',
  'delete',
  'clear',
  'push',
  'unshift',
  'splice',
  'fill',
  'pop',
  'shift',
  'copyWithin',
]);

const unwrap = (e) => {
  while (
    e &&
    (ts.isParenthesizedExpression(e) ||
      ts.isAsExpression(e) ||
      ts.isSatisfiesExpression(e) ||
      ts.isNonNullExpression(e))
  )
    e = e.expression;
  return e;
};
const calleeName = (e) => {
  const x = unwrap(e);
  if (ts.isIdentifier(x)) return x.text;
  if (ts.isPropertyAccessExpression(x)) return x.name.text;
  return undefined;
};
const insideFunction = (node) => {
  for (let p = node.parent; p; p = p.parent) if (ts.isFunctionLike(p)) return true;
  return false;
};

// Classes that register themselves, with the kind their registration reports.
const registeringClasses = new Map();
for (const sf of sources) {
  const visit = (node) => {
    if (ts.isClassDeclaration(node) && node.name) {
      let registers = false;
      let kind;
      const inner = (n) => {
        if (ts.isCallExpression(n) && calleeName(n.expression) === 'registerCache') registers = true;
        if (
          ts.isPropertyAssignment(n) &&
          nameText(n.name) === 'kind' &&
          ts.isStringLiteralLike(n.initializer)
        )
          kind = n.initializer.text;
        ts.forEachChild(n, inner);
      };
      inner(node);
      if (registers) registeringClasses.set(node.name.text, kind);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

/** What an initialiser is, if it can be a cache: { what, category }. */
function classify(init, isLet = false) {
  const e = unwrap(init);
  if (e === undefined) return undefined;
  if (ts.isNewExpression(e)) {
    const c = calleeName(e.expression);
    if (c === undefined) return undefined;
    if (CACHE_NAME.test(c) || registeringClasses.has(c))
      return { what: `new ${c}`, category: 'class', ctor: c };
    if (COLLECTIONS.has(c)) return { what: `new ${c}`, category: 'collection' };
    if (c === 'Array') return { what: 'new Array', category: 'collection' };
    if (TYPED.test(c)) {
      const a = e.arguments?.[0];
      const x = a === undefined ? undefined : unwrap(a);
      const listed =
        x === undefined ||
        ts.isArrayLiteralExpression(x) ||
        ts.isStringLiteralLike(x) ||
        (ts.isNumericLiteral(x) && x.text === '0');
      return listed && !isLet ? undefined : { what: `new ${c}`, category: 'buffer' };
    }
    return undefined;
  }
  if (ts.isCallExpression(e)) {
    const c = calleeName(e.expression);
    if (c && CACHE_NAME.test(c)) return { what: `${c}(…)`, category: 'class', ctor: c };
    // `new Array(n).fill(x)`: the array.
    if (c === 'fill' && ts.isPropertyAccessExpression(unwrap(e.expression)))
      return classify(unwrap(e.expression).expression);
    if (c && /^(alloc|allocUnsafe)$/.test(c))
      return {
        what: `${calleeName(unwrap(e.expression).expression ?? e.expression) ?? ''}.${c}`,
        category: 'buffer',
      };
    return undefined;
  }
  if (ts.isArrayLiteralExpression(e) && e.elements.length === 0)
    return { what: '[]', category: 'collection' };
  return undefined;
}

// Candidate bindings.
const candidates = [];
for (const sf of sources) {
  const add = (name, node, init, isLet) => {
    const c = classify(init, isLet);
    if (c) candidates.push({ name, key: name.split('.')[0], sf, node, isLet, ...c });
    else if (init && ts.isObjectLiteralExpression(unwrap(init))) {
      for (const p of unwrap(init).properties) {
        if (ts.isPropertyAssignment(p)) add(`${name}.${nameText(p.name)}`, p, p.initializer, false);
      }
    } else if (isLet)
      candidates.push({
        name,
        key: name,
        sf,
        node,
        isLet,
        what: init ? init.getText(sf).slice(0, 30) : '(no initialiser)',
        category: 'let',
      });
  };
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) {
      const isLet =
        (st.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) !== ts.NodeFlags.Const;
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name)) add(d.name.text, d, d.initializer, isLet);
      }
    } else if (ts.isClassDeclaration(st)) {
      for (const m of st.members) {
        if (ts.isPropertyDeclaration(m) && m.modifiers?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword)) {
          const readonly = m.modifiers.some((x) => x.kind === ts.SyntaxKind.ReadonlyKeyword);
          add(`${nameText(st.name) ?? '<class>'}.${nameText(m.name)}`, m, m.initializer, !readonly);
        }
      }
    }
  }
}

// Which library files import a name (named imports and re-exports, by the exported name).
const importersOf = new Map();
for (const sf of sources) {
  for (const st of sf.statements) {
    const clause = ts.isImportDeclaration(st)
      ? st.importClause?.namedBindings
      : ts.isExportDeclaration(st)
        ? st.exportClause
        : undefined;
    if (clause && (ts.isNamedImports(clause) || ts.isNamedExports(clause))) {
      for (const el of clause.elements) {
        const exported = (el.propertyName ?? el.name).text;
        if (!importersOf.has(exported)) importersOf.set(exported, []);
        importersOf.get(exported).push({ sf, local: el.name.text });
      }
    }
  }
}

/** The name of the function a node is in (`undefined` at module level). */
function enclosingFunction(node) {
  for (let p = node.parent; p; p = p.parent) if (ts.isFunctionLike(p)) return functionName(p);
  return undefined;
}

const COMPARISONS = new Set([
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
]);
const isAssignment = (n) =>
  ts.isBinaryExpression(n) &&
  n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
  n.operatorToken.kind <= ts.SyntaxKind.LastAssignment;

/**
 * Facts about how `local` (a module binding, or a static field written `Class.field`) is used in
 * `sf`. Inside a function, a reference that is only read (`.get`, `.has`, `.size`, an element read,
 * `for … of`, a spread, a comparison) changes nothing; a mutator call or an element assignment
 * changes it; any other reference (handed to a function, aliased, returned) `escapes`, which counts
 * as a change for a WeakMap / WeakSet only (a weak map is never a constant table).
 */
function usage(sf, local) {
  const facts = {
    escapes: false,
    mutated: false,
    mutatedBy: [],
    reassigned: false,
    sizeCompared: false,
    registered: false,
    registeredKind: undefined,
  };
  const [head, field] = local.split('.');
  const isRef = (n) => {
    const x = unwrap(n);
    if (x === undefined) return false;
    if (field === undefined) return ts.isIdentifier(x) && x.text === head;
    return (
      ts.isPropertyAccessExpression(x) &&
      (nameText(x.name) === field || x.name.getText(sf) === field) &&
      (ts.isIdentifier(x.expression)
        ? x.expression.text === head
        : x.expression.kind === ts.SyntaxKind.ThisKeyword)
    );
  };
  const mark = (n) => {
    facts.mutated = true;
    facts.mutatedBy.push(enclosingFunction(n));
  };
  // The outermost expression that is the reference itself (through parentheses and casts).
  const outer = (n) => {
    while (
      n.parent &&
      (ts.isParenthesizedExpression(n.parent) ||
        ts.isAsExpression(n.parent) ||
        ts.isNonNullExpression(n.parent) ||
        ts.isSatisfiesExpression(n.parent))
    )
      n = n.parent;
    return n;
  };
  const visit = (n) => {
    if (ts.isCallExpression(n) && calleeName(n.expression) === 'registerCache') {
      let refers = false;
      const inner = (m) => {
        if (isRef(m)) refers = true;
        ts.forEachChild(m, inner);
      };
      inner(n);
      if (refers) {
        facts.registered = true;
        const find = (m) => {
          if (
            ts.isPropertyAssignment(m) &&
            nameText(m.name) === 'kind' &&
            ts.isStringLiteralLike(m.initializer)
          )
            facts.registeredKind ??= m.initializer.text;
          ts.forEachChild(m, find);
        };
        find(n);
      }
    }
    const ref = (field === undefined ? ts.isIdentifier(n) && n.text === head : isRef(n))
      ? outer(n)
      : undefined;
    if (ref !== undefined && insideFunction(ref)) {
      const p = ref.parent;
      if (ts.isPropertyAccessExpression(p) && p.expression === ref) {
        if (MUTATORS.has(p.name.text) && ts.isCallExpression(p.parent) && p.parent.expression === p) mark(p);
        if (p.name.text === 'length' && isAssignment(p.parent) && p.parent.left === p) mark(p);
        if (
          ['size', 'length'].includes(p.name.text) &&
          ts.isBinaryExpression(p.parent) &&
          COMPARISONS.has(p.parent.operatorToken.kind)
        )
          facts.sizeCompared = true;
      } else if (ts.isElementAccessExpression(p) && p.expression === ref) {
        if (isAssignment(p.parent) && p.parent.left === p) mark(p);
      } else if (isAssignment(p) && p.left === ref) {
        facts.reassigned = true;
      } else if (
        (ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) &&
        [ts.SyntaxKind.PlusPlusToken, ts.SyntaxKind.MinusMinusToken].includes(p.operator)
      ) {
        facts.reassigned = true;
      } else if (
        ts.isForOfStatement(p) ||
        ts.isSpreadElement(p) ||
        (ts.isBinaryExpression(p) &&
          (COMPARISONS.has(p.operatorToken.kind) || p.operatorToken.kind === ts.SyntaxKind.InKeyword))
      ) {
        // read only
      } else if (
        ts.isPropertyAccessExpression(p) ||
        ts.isQualifiedName(p) ||
        ts.isTypeQueryNode(p) ||
        ts.isTypeReferenceNode(p) ||
        ((ts.isVariableDeclaration(p) ||
          ts.isParameter(p) ||
          ts.isBindingElement(p) ||
          ts.isPropertyAssignment(p) ||
          ts.isPropertyDeclaration(p) ||
          ts.isMethodDeclaration(p) ||
          ts.isFunctionDeclaration(p)) &&
          p.name === ref)
      ) {
        // a name of something else (a property, a local of the same name), or a type
      } else {
        facts.escapes = true;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return facts;
}

/** A byte counter in the file: a module-level `let` whose name says bytes, changed in a function. */
function hasByteCounter(sf) {
  return candidates.some(
    (c) => c.sf === sf && c.category === 'let' && /bytes/i.test(c.name) && usage(sf, c.name).reassigned,
  );
}

const caches = [];
const constantTables = [];
const otherState = [];
for (const c of candidates) {
  const own = usage(c.sf, c.name);
  const elsewhere = c.name.includes('.')
    ? []
    : (importersOf.get(c.name) ?? []).filter((i) => i.sf !== c.sf).map((i) => usage(i.sf, i.local));
  const all = [own, ...elsewhere];
  const mutatedBy = all.flatMap((f) => f.mutatedBy);
  const weak = /WeakMap|WeakSet/.test(c.what);
  const mutated = mutatedBy.length > 0 || (weak && all.some((f) => f.escapes));
  const reassigned = c.isLet && own.reassigned;
  const where = `${rel(c.sf.fileName)}:${lineOf(c.sf, c.node.getStart(c.sf))}`;
  const entry = { name: c.name, package: packageOf(c.sf.fileName), where, what: c.what };
  if (c.category === 'let') {
    if (own.reassigned) otherState.push(entry);
    continue;
  }
  if (c.category !== 'class' && !mutated && !reassigned) {
    if (c.category === 'collection') constantTables.push(entry);
    continue;
  }
  // The registry itself: a list only ever added to by a register… function.
  if (
    c.category === 'collection' &&
    mutatedBy.length > 0 &&
    mutatedBy.every((f) => f !== undefined && /^register/.test(f))
  ) {
    otherState.push({ ...entry, what: `registry (added to by ${[...new Set(mutatedBy)].join(', ')})` });
    continue;
  }
  const classKind = c.category === 'class' ? registeringClasses.get(c.ctor) : undefined;
  const registered =
    classKind !== undefined ||
    (c.category === 'class' && registeringClasses.has(c.ctor)) ||
    all.some((f) => f.registered);
  const kind = classKind ?? all.find((f) => f.registeredKind !== undefined)?.registeredKind;
  let bound;
  if (kind === 'bounded') bound = 'entries + bytes';
  else if (kind === 'buffer') bound = 'bytes (one buffer)';
  else if (kind === 'per-handle' || /WeakMap|WeakSet/.test(c.what)) bound = 'per-handle (WeakMap)';
  else if (c.category === 'buffer') bound = reassigned ? 'buffer, reassigned' : 'buffer, fixed length';
  else {
    const entries = all.some((f) => f.sizeCompared) || c.what === 'new Array';
    const bytes = hasByteCounter(c.sf);
    bound = entries && bytes ? 'entries + bytes?' : entries ? 'entries?' : bytes ? 'bytes?' : 'none found';
  }
  caches.push({
    ...entry,
    registered,
    inCachesModule: /(^|\/)caches\.ts$/.test(rel(c.sf.fileName)),
    bound,
    private: privatePackages.has(entry.package),
  });
}

// ---------------------------------------------------------------------------------------------
// Output.

const result = {
  root,
  files: files.length,
  lines: fileStats.reduce((s, f) => s + f.lines, 0),
  codeLines: fileStats.reduce((s, f) => s + f.code, 0),
  functions: functions.length,
  privatePackages: [...privatePackages],
  largestFiles: [...fileStats].sort((a, b) => b.lines - a.lines || (a.file < b.file ? -1 : 1)).slice(0, top),
  largestFunctions: [...functions]
    .sort((a, b) => b.lines - a.lines || (a.file < b.file ? -1 : 1))
    .slice(0, top),
  caches,
  constantTables,
  otherModuleState: otherState,
};

if (asJson) {
  console.log(JSON.stringify(result, null, 2));
} else {
  const pad = (s, n) => String(s).padEnd(n);
  const lpad = (s, n) => String(s).padStart(n);
  console.log(
    `library code under ${root}: ${result.files} files, ${result.lines} lines (${result.codeLines} code), ${result.functions} functions; private: ${result.privatePackages.join(', ') || 'none'}`,
  );
  console.log(`\n${top} largest files (lines, code lines)`);
  for (const f of result.largestFiles) console.log(`  ${lpad(f.lines, 5)} ${lpad(f.code, 5)}  ${f.file}`);
  console.log(`\n${top} largest functions (lines)`);
  for (const f of result.largestFunctions)
    console.log(`  ${lpad(f.lines, 5)}  ${pad(f.name, 40)} ${f.file}:${f.line}`);
  const byPackage = {};
  for (const c of caches) byPackage[c.package] = (byPackage[c.package] ?? 0) + 1;
  console.log(
    `\nmodule-level caches: ${caches.length} (${Object.entries(byPackage)
      .map(([p, n]) => `${p} ${n}`)
      .join(
        ', ',
      )}); registered ${caches.filter((c) => c.registered).length}, in a caches.ts module ${caches.filter((c) => c.inCachesModule).length}`,
  );
  for (const c of caches) {
    const flags = [
      c.registered ? 'registered' : 'NOT registered',
      c.inCachesModule ? 'caches.ts' : undefined,
      c.private ? 'private package' : undefined,
    ]
      .filter(Boolean)
      .join(', ');
    console.log(`  ${pad(c.name, 34)} ${pad(c.what, 20)} ${pad(c.bound, 22)} ${pad(flags, 26)} ${c.where}`);
  }
  console.log(`\nconstant tables (Map / Set / array filled only at load): ${constantTables.length}`);
  console.log(`\nother module state (a module-level let assigned inside a function): ${otherState.length}`);
  for (const s of otherState) console.log(`  ${pad(s.name, 34)} ${pad(s.what, 30)} ${s.where}`);
}
