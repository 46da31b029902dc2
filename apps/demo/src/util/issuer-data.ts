import { FullDate, TDate } from '@mdlkit/core/cbor';
import { UsageError } from '../cli-error.js';

/**
 * The JSON encoding of data elements accepted by `mdlkit issue --data` (documented in its `--help`):
 *
 * - strings, booleans and integers as themselves; `null` as CBOR null; arrays as arrays;
 * - `{"full-date": "YYYY-MM-DD"}` → full-date (tag 1004); `{"tdate": "YYYY-MM-DDTHH:MM:SSZ"}` → tdate (tag 0);
 * - `{"hex": "…"}`, `{"base64": "…"}` (standard or url alphabet) → byte string;
 * - any other object → a CBOR map with text keys (e.g. a `driving_privileges` entry).
 *
 * Errors name the namespace / element path and never echo the value.
 */
export type IssuerDataJson = Record<string, Record<string, unknown>>;

const TAGGED_KEYS = new Set(['full-date', 'tdate', 'hex', 'base64']);
const MAX_DEPTH = 16;

function fail(where: string, why: string): never {
  throw new UsageError(`--data ${where}: ${why}`);
}

function convert(value: unknown, where: string, depth: number): unknown {
  if (depth > MAX_DEPTH) fail(where, `nested deeper than ${MAX_DEPTH} levels`);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) fail(where, 'numbers must be integers (floats are not mDL values)');
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => convert(v, `${where}[${i}]`, depth + 1));
  if (typeof value !== 'object') fail(where, 'unsupported JSON value');
  const entries = Object.entries(value as Record<string, unknown>);
  const [first] = entries;
  if (entries.length === 1 && first !== undefined && TAGGED_KEYS.has(first[0])) {
    const [kind, text] = first;
    if (typeof text !== 'string') fail(where, `"${kind}" takes a string`);
    try {
      switch (kind) {
        case 'full-date':
          return new FullDate(text);
        case 'tdate':
          return new TDate(text);
        case 'hex':
          if (!/^([0-9a-fA-F]{2})*$/.test(text)) fail(where, '"hex" must be an even number of hex digits');
          return Uint8Array.from(Buffer.from(text, 'hex'));
        default:
          if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) fail(where, '"base64" is not base64 / base64url');
          return Uint8Array.from(Buffer.from(text, 'base64')); // Node reads both alphabets
      }
    } catch (e) {
      if (e instanceof UsageError) throw e;
      fail(
        where,
        kind === 'full-date' ? 'full-date must be YYYY-MM-DD' : 'tdate must be YYYY-MM-DDTHH:MM:SSZ (UTC)',
      );
    }
  }
  return new Map(entries.map(([k, v]) => [k, convert(v, `${where}.${k}`, depth + 1)]));
}

/**
 * Parses the `--data` JSON into namespace → element → CBOR-ready value.
 *
 * @throws {@link UsageError} for malformed JSON or an unsupported value (naming where, not what).
 */
export function parseIssuerData(text: string, file: string): Map<string, Map<string, unknown>> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`${file}: not valid JSON`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new UsageError(`${file}: must be a JSON object of namespaces ({"org.iso.18013.5.1": {…}})`);
  }
  const out = new Map<string, Map<string, unknown>>();
  for (const [ns, elements] of Object.entries(json as Record<string, unknown>)) {
    if (elements === null || typeof elements !== 'object' || Array.isArray(elements)) {
      fail(ns, 'a namespace must be a JSON object of elements');
    }
    const items = new Map<string, unknown>();
    for (const [id, v] of Object.entries(elements as Record<string, unknown>)) {
      items.set(id, convert(v, `${ns}/${id}`, 0));
    }
    if (items.size === 0) fail(ns, 'a namespace needs at least one element');
    out.set(ns, items);
  }
  if (out.size === 0) throw new UsageError(`${file}: no namespaces`);
  return out;
}
