/**
 * Structure-aware mutations of CBOR inputs. Every mutation works on one level of the input (the
 * input itself or the content of an embedded byte string such as an IssuerSignedItem or the MSO)
 * and the enclosing byte-string heads are re-encoded with core's encoder, so a change deep inside
 * the MSO arrives intact instead of as a framing error.
 */
import { concatBytes, encodeCbor } from '@mdlkit/core/cbor';
import { type CborLevel, type CborSpan, indexCbor } from './cbor-spans.js';
import type { FuzzRandom } from './prng.js';

/** What mutations may draw from besides the input. */
export interface MutationPool {
  /** Indexed levels of other inputs, for cross-input splices (items, IssuerAuth, documents). */
  readonly donors: readonly (readonly CborLevel[])[];
  /** DER certificates to put into x5chains. */
  readonly certificates: readonly Uint8Array[];
}

/** The names of the mutations, as counted and recorded in failing cases. */
export const MUTATIONS: readonly string[] = [
  'flip-bit',
  'set-byte',
  'insert-bytes',
  'delete-bytes',
  'truncate',
  'major-type',
  'length',
  'tag',
  'swap-map-entries',
  'duplicate-key',
  'delete-entry',
  'duplicate-element',
  'swap-items',
  'move-element',
  'splice-donor',
  'replace-certificate',
  'random-tail',
  'random-bytes',
];

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly bytes: Uint8Array;
}

type Mutator = (level: CborLevel, r: FuzzRandom, pool: MutationPool) => Uint8Array | undefined;

const INTERESTING = [
  0x00, 0x01, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1f, 0x20, 0x38, 0x40, 0x5f, 0x60, 0x7f, 0x80, 0x9f, 0xa0,
  0xbf, 0xc0, 0xd8, 0xf4, 0xf5, 0xf6, 0xf7, 0xf9, 0xfa, 0xfb, 0xff,
];
const TAGS = [0, 1, 2, 3, 18, 21, 24, 32, 55799, 1004, 1005, 17, 16, 96, 0xffff, 2 ** 32 - 1];

/** A CBOR head for `major` and `value`, preferred unless `width` forces 1/2/4/8 argument bytes. */
export function encodeHead(major: number, value: number, width?: 0 | 1 | 2 | 4 | 8): Uint8Array {
  const w = width ?? (value < 24 ? 0 : value < 0x100 ? 1 : value < 0x10000 ? 2 : value < 2 ** 32 ? 4 : 8);
  if (w === 0) return new Uint8Array([(major << 5) | Math.min(value, 23)]);
  const out = new Uint8Array(1 + w);
  out[0] = (major << 5) | (w === 1 ? 24 : w === 2 ? 25 : w === 4 ? 26 : 27);
  let v = value;
  for (let i = w; i >= 1; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return out;
}

function applyEdits(bytes: Uint8Array, edits: readonly Edit[]): Uint8Array | undefined {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) if (sorted[i]!.start < sorted[i - 1]!.end) return undefined;
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const e of sorted) {
    parts.push(bytes.subarray(at, e.start), e.bytes);
    at = e.end;
  }
  parts.push(bytes.subarray(at));
  return concatBytes(...parts);
}

const span = (level: CborLevel, s: CborSpan): Uint8Array => level.bytes.subarray(s.start, s.end);
const containers = (level: CborLevel, major: number, min: number): CborSpan[] =>
  level.spans.filter((s) => s.major === major && s.argument >= min && s.children.length >= min);
const disjoint = (a: CborSpan, b: CborSpan): boolean => a.end <= b.start || b.end <= a.start;
const withCount = (s: CborSpan, count: number): Edit => ({
  start: s.start,
  end: s.headEnd,
  bytes: encodeHead(s.major, count),
});

const mutators: Readonly<Record<string, Mutator>> = {
  'flip-bit': (level, r) => {
    if (level.bytes.length === 0) return undefined;
    const out = level.bytes.slice();
    const i = r.below(out.length);
    out[i] = (out[i] as number) ^ (1 << r.below(8));
    return out;
  },
  'set-byte': (level, r) => {
    if (level.bytes.length === 0) return undefined;
    const out = level.bytes.slice();
    out[r.below(out.length)] = r.chance(0.7) ? r.pick(INTERESTING) : r.below(256);
    return out;
  },
  'insert-bytes': (level, r) => {
    const at = r.below(level.bytes.length + 1);
    return applyEdits(level.bytes, [{ start: at, end: at, bytes: r.bytes(r.between(1, 8)) }]);
  },
  'delete-bytes': (level, r) => {
    if (level.bytes.length === 0) return undefined;
    const at = r.below(level.bytes.length);
    return applyEdits(level.bytes, [
      { start: at, end: Math.min(level.bytes.length, at + r.between(1, 8)), bytes: new Uint8Array() },
    ]);
  },
  truncate: (level, r) =>
    level.bytes.length === 0 ? undefined : level.bytes.slice(0, r.below(level.bytes.length)),
  'major-type': (level, r) => {
    if (level.spans.length === 0) return undefined;
    const s = r.pick(level.spans);
    const out = level.bytes.slice();
    const major = (s.major + r.between(1, 7)) % 8;
    out[s.start] = (major << 5) | s.additional;
    return out;
  },
  length: (level, r) => {
    if (level.spans.length === 0) return undefined;
    const s = r.pick(level.spans);
    const choice = r.below(6);
    if (choice === 5 && s.major >= 2 && s.major <= 5 && s.argument >= 0) {
      // the same item with an indefinite length
      if (s.major <= 3) {
        return applyEdits(level.bytes, [
          { start: s.start, end: s.start, bytes: new Uint8Array([(s.major << 5) | 31]) },
          { start: s.end, end: s.end, bytes: new Uint8Array([0xff]) },
        ]);
      }
      return applyEdits(level.bytes, [
        { start: s.start, end: s.headEnd, bytes: new Uint8Array([(s.major << 5) | 31]) },
        { start: s.end, end: s.end, bytes: new Uint8Array([0xff]) },
      ]);
    }
    const value = s.argument < 0 ? 0 : Math.min(s.argument, Number.MAX_SAFE_INTEGER);
    let head: Uint8Array;
    if (choice === 0) head = encodeHead(s.major, value + 1);
    else if (choice === 1) head = encodeHead(s.major, Math.max(0, value - 1));
    else if (choice === 2)
      head = encodeHead(s.major, r.pick([0, 23, 24, 255, 65535, 2 ** 31, 2 ** 32 - 1, 2 ** 53 - 1]));
    else if (choice === 3) head = encodeHead(s.major, value, r.pick([1, 2, 4, 8] as const));
    else head = encodeHead(s.major, r.below(64));
    return applyEdits(level.bytes, [{ start: s.start, end: s.headEnd, bytes: head }]);
  },
  tag: (level, r) => {
    const tags = level.spans.filter((s) => s.major === 6);
    if (tags.length > 0 && r.chance(0.6)) {
      const s = r.pick(tags);
      if (r.chance(0.4))
        return applyEdits(level.bytes, [{ start: s.start, end: s.end, bytes: span(level, s.children[0]!) }]);
      return applyEdits(level.bytes, [
        { start: s.start, end: s.headEnd, bytes: encodeHead(6, r.pick(TAGS)) },
      ]);
    }
    if (level.spans.length === 0) return undefined;
    const s = r.pick(level.spans);
    const content = span(level, s);
    const wrapped = r.chance(0.5)
      ? concatBytes(encodeHead(6, 24), encodeCbor(content.slice()))
      : concatBytes(encodeHead(6, r.pick(TAGS)), content);
    return applyEdits(level.bytes, [{ start: s.start, end: s.end, bytes: wrapped }]);
  },
  'swap-map-entries': (level, r) => {
    const maps = containers(level, 5, 2);
    if (maps.length === 0) return undefined;
    const m = r.pick(maps);
    const n = m.children.length / 2;
    const i = r.below(n);
    let j = r.below(n - 1);
    if (j >= i) j++;
    const [a, b] = i < j ? [i, j] : [j, i];
    const entry = (k: number) => ({ start: m.children[2 * k]!.start, end: m.children[2 * k + 1]!.end });
    const ea = entry(a);
    const eb = entry(b);
    return applyEdits(level.bytes, [
      { ...ea, bytes: level.bytes.slice(eb.start, eb.end) },
      { ...eb, bytes: level.bytes.slice(ea.start, ea.end) },
    ]);
  },
  'duplicate-key': (level, r) => {
    const maps = containers(level, 5, 1).filter((m) => m.argument >= 0);
    if (maps.length === 0) return undefined;
    const m = r.pick(maps);
    const n = m.children.length / 2;
    const k = r.below(n);
    const key = span(level, m.children[2 * k]!);
    const value = span(level, m.children[2 * r.below(n) + 1]!);
    return applyEdits(level.bytes, [
      withCount(m, n + 1),
      { start: m.end, end: m.end, bytes: concatBytes(key, value) },
    ]);
  },
  'delete-entry': (level, r) => {
    const lists = [...containers(level, 4, 1), ...containers(level, 5, 1)].filter((s) => s.argument >= 0);
    if (lists.length === 0) return undefined;
    const s = r.pick(lists);
    const step = s.major === 5 ? 2 : 1;
    const n = s.children.length / step;
    const k = r.below(n);
    return applyEdits(level.bytes, [
      withCount(s, n - 1),
      {
        start: s.children[k * step]!.start,
        end: s.children[k * step + step - 1]!.end,
        bytes: new Uint8Array(),
      },
    ]);
  },
  'duplicate-element': (level, r) => {
    const arrays = containers(level, 4, 1).filter((s) => s.argument >= 0);
    if (arrays.length === 0) return undefined;
    const s = r.pick(arrays);
    const e = r.pick(s.children);
    return applyEdits(level.bytes, [
      withCount(s, s.children.length + 1),
      { start: e.end, end: e.end, bytes: span(level, e) },
    ]);
  },
  'swap-items': (level, r) => {
    // two items of the same kind (tag-24 items, COSE arrays, maps …): swaps items between
    // namespaces and documents, IssuerAuths between documents
    if (level.spans.length < 2) return undefined;
    const a = r.pick(level.spans);
    const similar = level.spans.filter(
      (b) => b !== a && b.major === a.major && disjoint(a, b) && (a.major !== 6 || a.argument === b.argument),
    );
    if (similar.length === 0) return undefined;
    const b = r.pick(similar);
    return applyEdits(level.bytes, [
      { start: a.start, end: a.end, bytes: level.bytes.slice(b.start, b.end) },
      { start: b.start, end: b.end, bytes: level.bytes.slice(a.start, a.end) },
    ]);
  },
  'move-element': (level, r) => {
    const arrays = containers(level, 4, 1).filter((s) => s.argument >= 0);
    if (arrays.length < 2) return undefined;
    const from = r.pick(arrays);
    const targets = containers(level, 4, 0).filter((t) => t !== from && t.argument >= 0 && disjoint(t, from));
    if (targets.length === 0) return undefined;
    const to = r.pick(targets);
    const e = r.pick(from.children);
    return applyEdits(level.bytes, [
      withCount(from, from.children.length - 1),
      { start: e.start, end: e.end, bytes: new Uint8Array() },
      withCount(to, to.children.length + 1),
      { start: to.end, end: to.end, bytes: span(level, e) },
    ]);
  },
  'splice-donor': (level, r, pool) => {
    if (level.spans.length === 0 || pool.donors.length === 0) return undefined;
    const s = r.pick(level.spans);
    const donorLevel = r.pick(r.pick(pool.donors));
    const same = donorLevel.spans.filter((d) => d.major === s.major);
    if (same.length === 0) return undefined;
    const d = r.pick(same);
    return applyEdits(level.bytes, [{ start: s.start, end: s.end, bytes: span(donorLevel, d) }]);
  },
  'replace-certificate': (level, r, pool) => {
    const certs = level.spans.filter(
      (s) =>
        s.major === 2 &&
        s.argument > 64 &&
        level.bytes[s.headEnd] === 0x30 &&
        (level.bytes[s.headEnd + 1] ?? 0) >= 0x81,
    );
    if (certs.length === 0) return undefined;
    const s = r.pick(certs);
    const original = level.bytes.subarray(s.headEnd, s.end);
    let replacement: Uint8Array;
    const choice = r.below(6);
    if (choice <= 1 && pool.certificates.length > 0) {
      replacement = encodeCbor(r.pick(pool.certificates).slice());
    } else if (choice === 2) {
      const der = original.slice();
      const at = r.below(der.length);
      der[at] = (der[at] as number) ^ (1 << r.below(8));
      replacement = encodeCbor(der);
    } else if (choice === 3) {
      replacement = encodeCbor(original.slice(0, r.below(original.length)));
    } else if (choice === 4) {
      // an x5chain of several certificates (the chain-length limit, unknown intermediates)
      const chain = [
        original,
        ...Array.from({ length: r.between(1, 6) }, () => r.pick([...pool.certificates, original])),
      ];
      replacement = concatBytes(encodeHead(4, chain.length), ...chain.map((c) => encodeCbor(c.slice())));
    } else {
      // an oversized "certificate" (the certificate-size limit)
      const big = new Uint8Array(r.pick([16 * 1024, 16 * 1024 + 1, 40_000]));
      big.set(original.subarray(0, Math.min(original.length, big.length)));
      replacement = encodeCbor(big);
    }
    return applyEdits(level.bytes, [{ start: s.start, end: s.end, bytes: replacement }]);
  },
  'random-tail': (level, r) => concatBytes(level.bytes, r.bytes(r.between(1, 16))),
};

const WEIGHTS: readonly (readonly [string, number])[] = [
  ['flip-bit', 8],
  ['set-byte', 8],
  ['insert-bytes', 4],
  ['delete-bytes', 4],
  ['truncate', 2],
  ['major-type', 6],
  ['length', 8],
  ['tag', 6],
  ['swap-map-entries', 6],
  ['duplicate-key', 6],
  ['delete-entry', 6],
  ['duplicate-element', 4],
  ['swap-items', 10],
  ['move-element', 6],
  ['splice-donor', 6],
  ['replace-certificate', 6],
  ['random-tail', 1],
  ['random-bytes', 1],
];
const TOTAL_WEIGHT = WEIGHTS.reduce((sum, [, w]) => sum + w, 0);

function pickMutation(r: FuzzRandom): string {
  let x = r.below(TOTAL_WEIGHT);
  for (const [name, w] of WEIGHTS) {
    if (x < w) return name;
    x -= w;
  }
  return 'flip-bit';
}

/** Puts a level's new bytes back into the input, re-encoding every enclosing byte-string head. */
function rebuild(level: CborLevel, bytes: Uint8Array): Uint8Array {
  let inner = bytes;
  for (let i = level.path.length - 1; i >= 0; i--) {
    const { container, span: s } = level.path[i]!;
    inner = concatBytes(container.subarray(0, s.start), encodeCbor(inner), container.subarray(s.end));
  }
  return inner;
}

/** A mutated input and the mutations that made it. */
export interface Mutant {
  readonly bytes: Uint8Array;
  readonly mutations: readonly string[];
}

/**
 * Applies one to four mutations to `input` (indexed as `levels`). Inputs are capped at `maxSize`
 * bytes (truncated) so the fuzzer's own memory stays bounded.
 *
 * @example
 * ```ts
 * const { bytes, mutations } = mutate(seed, indexCbor(seed), new FuzzRandom(1), pool, 1 << 20);
 * ```
 */
export function mutate(
  input: Uint8Array,
  levels: readonly CborLevel[],
  r: FuzzRandom,
  pool: MutationPool,
  maxSize: number,
): Mutant {
  let bytes = input;
  let current = levels;
  const applied: string[] = [];
  const rounds = r.chance(0.6) ? 1 : r.between(2, 4);
  for (let round = 0; round < rounds; round++) {
    if (round > 0) current = indexCbor(bytes);
    for (let attempt = 0; attempt < 6; attempt++) {
      const name = pickMutation(r);
      if (name === 'random-bytes') {
        bytes = r.bytes(r.below(r.chance(0.5) ? 64 : 2048));
        applied.push(name);
        break;
      }
      // the input itself half of the time, otherwise any embedded level (MSO, items, headers)
      const level = current.length === 1 || r.chance(0.5) ? current[0]! : r.pick(current);
      const out = mutators[name]!(level, r, pool);
      if (out === undefined) continue;
      bytes = rebuild(level, out);
      applied.push(name);
      break;
    }
    if (bytes.length > maxSize) bytes = bytes.slice(0, maxSize);
  }
  return { bytes, mutations: applied };
}
