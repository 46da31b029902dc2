import { MDL_ELEMENTS, MDL_NAMESPACE, mdlElementSpec } from '@mdlkit/core/mdoc';
import type { CliIo } from '../command.js';
import type { ElementRef } from './elements.js';

interface NamespaceSchema {
  /** Whether the schema defines the identifier (patterns such as age_over_NN included). */
  readonly has: (identifier: string) => boolean;
  /** The identifiers suggestions are drawn from. */
  readonly names: readonly string[];
}

/** The namespaces whose schema mdlkit knows. */
function knownNamespaces(): ReadonlyMap<string, NamespaceSchema> {
  return new Map([
    [
      MDL_NAMESPACE,
      { has: (id: string) => mdlElementSpec(id) !== undefined, names: MDL_ELEMENTS.map((s) => s.identifier) },
    ],
  ]);
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The closest known identifier (edit distance ≤ 3, or a prefix match), if any. */
export function suggestElement(identifier: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = distance(identifier.toLowerCase(), k);
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  if (best !== undefined && bestD <= Math.max(1, Math.min(3, Math.floor(identifier.length / 3)))) return best;
  return identifier.length >= 3 ? known.find((k) => k.startsWith(identifier.toLowerCase())) : undefined;
}

/**
 * Warns (on stderr) about element names a known namespace schema does not define, with the closest
 * known name: `request --element famly_name` → "did you mean family_name?". Returns the warnings.
 */
export function warnUnknownElements(refs: readonly ElementRef[], option: string, io: CliIo): string[] {
  const schemas = knownNamespaces();
  const warnings: string[] = [];
  for (const r of refs) {
    const schema = schemas.get(r.nameSpace);
    if (schema === undefined || schema.has(r.identifier)) continue;
    const hint = suggestElement(
      r.identifier,
      schema.names.filter((n) => n !== 'age_over_NN'),
    );
    warnings.push(
      `--${option} ${r.identifier}: not an element of ${r.nameSpace}${hint === undefined ? '' : ` — did you mean ${hint}?`}`,
    );
  }
  for (const w of warnings) io.err(`warning: ${w}\n`);
  return warnings;
}
