/** Small text helpers for human output: tables, status marks, a progress bar. */
import { UsageError } from '../cli-error.js';

/** Marks used in human output for each outcome. */
export const Mark = {
  passed: 'PASS',
  failed: 'FAIL',
  skipped: 'skip',
  undetermined: '????',
  warning: 'WARN',
  info: 'info',
} as const;

/** Lays out rows as left-aligned columns separated by two spaces. */
export function table(rows: readonly (readonly string[])[], header?: readonly string[], indent = ''): string {
  const all = header === undefined ? rows : [header, ...rows];
  const widths: number[] = [];
  for (const row of all) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  const line = (row: readonly string[]): string =>
    indent +
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = all.map(line);
  if (header !== undefined) out.splice(1, 0, indent + widths.map((w) => '-'.repeat(w)).join('  '));
  return `${out.join('\n')}\n`;
}

/** JSON with bigint and byte arrays rendered as strings; stable two-space layout. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, jsonReplacer, 2)}\n`;
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), v]));
  if (value instanceof Date) return value.toISOString();
  return value;
}

/** A one-line text progress bar, e.g. `[#####-----]  50/100`. */
export function progressBar(done: number, total: number, width = 30): string {
  const ratio = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(ratio * width);
  const count = `${String(done).padStart(String(total).length)}/${total}`;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${count}`;
}

/** Parses an ISO-8601 instant given on the command line. */
export function parseInstant(text: string, option: string): Date {
  const d = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(d.getTime())) {
    throw new UsageError(`--${option} must be an ISO-8601 date-time such as 2021-01-01T00:00:00Z`);
  }
  return d;
}
