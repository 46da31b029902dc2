import { INTERNED_TEXT_MAX, internedText, TEXT_CACHE_SLOTS } from '../caches.js';
import type { ErrorCode } from '../errors/codes.js';
import { MdlError } from '../errors/mdl-error.js';
import { budgetItems, chargeBudgetBytes, setBudgetItems } from './budget.js';
import { type EncodedCbor, receivedEncodedCbor } from './encoded-cbor.js';
import { type CborDecodeOptions, type CborDeviation, DEFAULT_CBOR_LIMITS } from './options.js';
import { CborSimple, CborTagged, FullDate, isProfileTDate, TDate } from './types.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const TWO_32 = 4294967296;
const SMALL_TEXT = INTERNED_TEXT_MAX;
// Short ASCII strings are interned in core's caches module (see there).
const textCache = internedText;

/** Short ASCII text, interned; `undefined` when a byte is not ASCII. */
function shortAscii(b: Uint8Array, from: number, to: number): string | undefined {
  let h = to - from;
  for (let i = from; i < to; i++) {
    const c = b[i]!;
    if (c >= 0x80) return undefined;
    h = (Math.imul(h, 31) + c) | 0;
  }
  const slot = h & (TEXT_CACHE_SLOTS - 1);
  const cached = textCache[slot];
  if (cached !== undefined && cached.length === to - from) {
    let same = true;
    for (let i = 0; same && i < cached.length; i++) same = cached.charCodeAt(i) === b[from + i];
    if (same) return cached;
  }
  const s = String.fromCharCode.apply(null, b.subarray(from, to) as unknown as number[]);
  textCache[slot] = s;
  return s;
}

/**
 * A map read field by field ({@link decodeFields}): `values[i]` is the decoded value of the key
 * `names[i]`, `types[i]` the CBOR major type of that value (0 for an unsigned integer, 7 for a float
 * or simple value), or -1 when the map has no such key. Core's readers only ask whether `types[i]`
 * is -1 (a field present with the value CBOR `undefined` is not absent); the major type itself is
 * read only by `EncodedCbor.readFields`' deprecated `majorTypes`. Storing it rather than a flag
 * costs one byte read per named field and no allocation.
 */
export interface FieldValues {
  readonly values: unknown[];
  readonly types: number[];
}

function fail(code: ErrorCode, message: string, offset: number): never {
  throw new MdlError(code, message, { details: { offset } });
}

function halfToNumber(h: number): number {
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  let v: number;
  if (e === 0) v = m * 2 ** -24;
  else if (e === 31) v = m === 0 ? Number.POSITIVE_INFINITY : Number.NaN;
  else v = (m + 1024) * 2 ** (e - 25);
  return h & 0x8000 ? -v : v;
}

/**
 * The validating decoder. One instance per input; recursive descent with an explicit depth budget,
 * every declared length checked against the remaining input before anything is allocated.
 */
class Decoder {
  readonly b: Uint8Array;
  readonly end: number;
  pos = 0;
  items = 0;
  /** Set by `arg()` when a 64-bit argument does not fit a safe integer (then `arg()` returns -1). */
  big = 0n;
  view: DataView | undefined;
  readonly strictPreferred: boolean;
  readonly allowIndefinite: boolean;
  readonly lenientDates: boolean;
  /** Floats fail here; `fields` sets it for the values of its `noFloats` names (tag-24 items keep `options`). */
  noFloats: boolean;
  readonly maxDepth: number;
  readonly maxItems: number;
  readonly maxStringLength: number;
  readonly options: CborDecodeOptions;
  readonly onTolerated: ((deviation: CborDeviation, offset: number) => void) | undefined;
  /**
   * Memory of this decoder's own that tag-24 items are views into: `b` itself when the input is
   * already private (the content of a received tag-24 item), else one copy of the whole input made
   * at the first tag 24 — one allocation per input rather than one per embedded item.
   */
  own: Uint8Array | undefined;

  constructor(bytes: Uint8Array, options: CborDecodeOptions, inputPrivate = false) {
    this.b = bytes;
    this.own = inputPrivate ? bytes : undefined;
    this.end = bytes.length;
    this.options = options;
    this.strictPreferred = options.allowNonPreferred !== true;
    this.allowIndefinite = options.allowIndefinite === true;
    this.lenientDates = options.lenientDates === true;
    this.onTolerated = options.onTolerated;
    this.noFloats = options.noFloats === true;
    this.maxDepth = options.maxDepth ?? DEFAULT_CBOR_LIMITS.maxDepth;
    this.maxItems = options.maxItems ?? DEFAULT_CBOR_LIMITS.maxItems;
    this.maxStringLength = options.maxStringLength ?? DEFAULT_CBOR_LIMITS.maxStringLength;
    if (options.budget !== undefined) {
      chargeBudgetBytes(options.budget, bytes.length);
      this.items = budgetItems(options.budget);
    }
  }

  /** Reads the argument for additional info `ai` (0–27). Returns -1 and sets `big` above 2^53 − 1. */
  arg(ai: number, start: number): number {
    if (ai < 24) return ai;
    const b = this.b;
    const p = this.pos;
    let v: number;
    switch (ai) {
      case 24:
        if (p + 1 > this.end) fail('ERR_CBOR_TRUNCATED', 'CBOR input ends inside an argument', start);
        v = b[p]!;
        this.pos = p + 1;
        if (v < 24) this.nonPreferred(start);
        return v;
      case 25:
        if (p + 2 > this.end) fail('ERR_CBOR_TRUNCATED', 'CBOR input ends inside an argument', start);
        v = (b[p]! << 8) | b[p + 1]!;
        this.pos = p + 2;
        if (v < 0x100) this.nonPreferred(start);
        return v;
      case 26:
        if (p + 4 > this.end) fail('ERR_CBOR_TRUNCATED', 'CBOR input ends inside an argument', start);
        v = b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
        this.pos = p + 4;
        if (v < 0x10000) this.nonPreferred(start);
        return v;
      case 27: {
        if (p + 8 > this.end) fail('ERR_CBOR_TRUNCATED', 'CBOR input ends inside an argument', start);
        const hi = b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
        const lo = b[p + 4]! * 0x1000000 + ((b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!);
        this.pos = p + 8;
        if (hi === 0) this.nonPreferred(start);
        if (hi < 0x200000) return hi * TWO_32 + lo;
        this.big = (BigInt(hi) << 32n) | BigInt(lo);
        return -1;
      }
      default:
        return fail('ERR_CBOR_MALFORMED', 'reserved additional information value in CBOR input', start);
    }
  }

  nonPreferred(start: number): void {
    if (this.strictPreferred) {
      fail('ERR_CBOR_NON_PREFERRED', 'CBOR argument is not in preferred (shortest) encoding', start);
    }
    this.onTolerated?.('non-preferred', start);
  }

  /** A declared byte length, checked against the remaining input (before any allocation) and the limit. */
  length(ai: number, start: number): number {
    const n = this.arg(ai, start);
    if (n < 0 || n > this.end - this.pos) {
      fail('ERR_CBOR_TRUNCATED', 'CBOR string runs past the end of input', start);
    }
    if (n > this.maxStringLength) {
      fail('ERR_CBOR_STRING_TOO_LONG', 'CBOR string is longer than the configured limit', start);
    }
    return n;
  }

  /** A declared element count, checked against the remaining input (each item takes ≥ 1 byte). */
  count(ai: number, start: number, bytesPerEntry: number): number {
    const n = this.arg(ai, start);
    if (n < 0 || n * bytesPerEntry > this.end - this.pos) {
      fail('ERR_CBOR_TRUNCATED', 'CBOR container declares more items than the input holds', start);
    }
    if (n * bytesPerEntry > this.maxItems - this.items) {
      fail('ERR_CBOR_ITEM_COUNT_EXCEEDED', 'CBOR input has more items than the configured limit', start);
    }
    return n;
  }

  enter(depth: number, start: number): number {
    const d = depth + 1;
    if (d > this.maxDepth)
      fail('ERR_CBOR_DEPTH_EXCEEDED', 'CBOR nesting is deeper than the configured limit', start);
    return d;
  }

  indefinite(start: number): void {
    if (!this.allowIndefinite) {
      fail('ERR_CBOR_INDEFINITE_LENGTH', 'indefinite-length CBOR items are not allowed', start);
    }
    this.onTolerated?.('indefinite-length', start);
  }

  text(from: number, to: number): string {
    const b = this.b;
    if (to - from <= SMALL_TEXT) {
      const s = shortAscii(b, from, to);
      if (s !== undefined) return s;
    }
    try {
      return utf8.decode(b.subarray(from, to));
    } catch {
      return fail('ERR_CBOR_INVALID_UTF8', 'CBOR text string is not valid UTF-8', from);
    }
  }

  item(depth: number): unknown {
    const start = this.pos;
    if (start >= this.end) fail('ERR_CBOR_TRUNCATED', 'CBOR input ends where an item was expected', start);
    if (++this.items > this.maxItems) {
      fail('ERR_CBOR_ITEM_COUNT_EXCEEDED', 'CBOR input has more items than the configured limit', start);
    }
    const ib = this.b[start]!;
    this.pos = start + 1;
    const major = ib >> 5;
    const ai = ib & 31;
    switch (major) {
      case 0: {
        if (ai === 31) return fail('ERR_CBOR_MALFORMED', 'indefinite length on an integer', start);
        const n = this.arg(ai, start);
        return n < 0 ? this.big : n;
      }
      case 1: {
        if (ai === 31) return fail('ERR_CBOR_MALFORMED', 'indefinite length on an integer', start);
        const n = this.arg(ai, start);
        if (n < 0) return -1n - this.big;
        const v = -1 - n;
        return Number.isSafeInteger(v) ? v : -1n - BigInt(n);
      }
      case 2: {
        if (ai === 31) return this.indefiniteString(2, start);
        const n = this.length(ai, start);
        const p = this.pos;
        this.pos = p + n;
        // Each byte string is a copy of its own: no decoded value shares memory with another one
        // or with the input.
        return this.b.slice(p, p + n);
      }
      case 3: {
        if (ai === 31) return this.indefiniteString(3, start);
        const n = this.length(ai, start);
        const p = this.pos;
        this.pos = p + n;
        return this.text(p, p + n);
      }
      case 4: {
        const d = this.enter(depth, start);
        const out: unknown[] = [];
        if (ai === 31) {
          this.indefinite(start);
          while (true) {
            if (this.pos >= this.end) fail('ERR_CBOR_TRUNCATED', 'CBOR input ends inside an array', start);
            if (this.b[this.pos] === 0xff) {
              this.pos++;
              return out;
            }
            out.push(this.item(d));
          }
        }
        const n = this.count(ai, start, 1);
        for (let i = 0; i < n; i++) out.push(this.item(d));
        return out;
      }
      case 5:
        return this.map(ai, depth, start);
      case 6:
        return this.tag(ai, depth, start);
      default:
        return this.simple(ai, start);
    }
  }

  indefiniteString(major: 2 | 3, start: number): Uint8Array | string {
    this.indefinite(start);
    const chunks: Uint8Array[] = [];
    const texts: string[] = [];
    let total = 0;
    while (true) {
      const p = this.pos;
      if (p >= this.end) fail('ERR_CBOR_TRUNCATED', 'CBOR input ends inside an indefinite string', start);
      const ib = this.b[p]!;
      if (ib === 0xff) {
        this.pos = p + 1;
        break;
      }
      if (ib >> 5 !== major || (ib & 31) === 31) {
        fail('ERR_CBOR_MALFORMED', 'indefinite string chunk has the wrong type', p);
      }
      if (++this.items > this.maxItems) {
        fail('ERR_CBOR_ITEM_COUNT_EXCEEDED', 'CBOR input has more items than the configured limit', p);
      }
      this.pos = p + 1;
      const n = this.length(ib & 31, p);
      total += n;
      if (total > this.maxStringLength) {
        fail('ERR_CBOR_STRING_TOO_LONG', 'CBOR string is longer than the configured limit', start);
      }
      const q = this.pos;
      this.pos = q + n;
      if (major === 2) chunks.push(this.b.subarray(q, q + n));
      else texts.push(this.text(q, q + n));
    }
    if (major === 3) return texts.join('');
    const out = new Uint8Array(total);
    let o = 0;
    for (const c of chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }

  /** In an indefinite-length map: whether the break byte is next (consumed if so). */
  breakOf(start: number): boolean {
    const p = this.pos;
    if (p >= this.end) fail('ERR_CBOR_TRUNCATED', 'CBOR input ends inside a map', start);
    if (this.b[p] !== 0xff) return false;
    this.pos = p + 1;
    return true;
  }

  /** The bytes from `from` to the current position, as a latin1 string (a key compared by its encoding). */
  encodingSince(from: number): string {
    let key = '';
    for (let j = from; j < this.pos; j++) key += String.fromCharCode(this.b[j]!);
    return key;
  }

  map(ai: number, depth: number, start: number): Map<unknown, unknown> {
    const d = this.enter(depth, start);
    const m = new Map<unknown, unknown>();
    let encodedKeys: Set<string> | undefined;
    const indefinite = ai === 31;
    let n = 0;
    if (indefinite) this.indefinite(start);
    else n = this.count(ai, start, 2);
    for (let i = 0; indefinite || i < n; i++) {
      const kStart = this.pos;
      if (indefinite && this.breakOf(start)) break;
      const k = this.item(d);
      let dup: boolean;
      if (typeof k === 'object' && k !== null) {
        // Containers, byte strings and tagged keys compare by their encoding.
        const key = this.encodingSince(kStart);
        encodedKeys ??= new Set();
        dup = encodedKeys.has(key);
        encodedKeys.add(key);
      } else {
        dup = m.has(k);
      }
      if (dup) fail('ERR_CBOR_DUPLICATE_KEY', 'CBOR map has a duplicate key', kStart);
      m.set(k, this.item(d));
    }
    return m;
  }

  /**
   * The top-level item as a map read field by field: `values[i]` holds the value of the key
   * `names[i]` (a text key, or an integer key — major type 0 / 1, never the float 4.0 for 4) and
   * `types[i]` the CBOR major type of that value, or -1 when the map has no such key;
   * every other key and value is decoded and checked as usual (duplicates included) and dropped.
   * `undefined`, having read nothing, when the item is not a map. `keys`, when given, gets
   * `nonText: true` when the map has a key that is not a text string; the values of the `noFloats`
   * names fail on a float outside their tag-24 items (`ERR_CBOR_FLOAT_NOT_ALLOWED`). Two fixed-shape
   * arrays, not a record keyed by name: no dictionary-mode object and no keyed store per field.
   */
  fields(
    names: readonly (string | number)[],
    depth: number,
    keys?: { nonText: boolean },
    noFloats?: readonly (string | number)[],
  ): FieldValues | undefined {
    const start = this.pos;
    if (start >= this.end) fail('ERR_CBOR_TRUNCATED', 'CBOR input ends where an item was expected', start);
    const ib = this.b[start]!;
    if (ib >> 5 !== 5) return undefined;
    if (++this.items > this.maxItems) {
      fail('ERR_CBOR_ITEM_COUNT_EXCEEDED', 'CBOR input has more items than the configured limit', start);
    }
    this.pos = start + 1;
    const ai = ib & 31;
    const d = this.enter(depth, start);
    const indefinite = ai === 31;
    let n = 0;
    if (indefinite) this.indefinite(start);
    else n = this.count(ai, start, 2);
    const values: unknown[] = [];
    const types: number[] = [];
    for (let i = 0; i < names.length; i++) {
      values.push(undefined);
      types.push(-1);
    }
    let others: Set<unknown> | undefined;
    let encodedKeys: Set<string> | undefined;
    for (let i = 0; indefinite || i < n; i++) {
      const kStart = this.pos;
      if (indefinite && this.breakOf(start)) break;
      const k = this.item(d);
      // An integer name matches an integer key only (major type 0 / 1), never the float 4.0 for 4.
      const slot =
        typeof k === 'string' || (typeof k === 'number' && this.b[kStart]! >> 5 <= 1) ? names.indexOf(k) : -1;
      if (keys !== undefined && typeof k !== 'string') keys.nonText = true;
      let dup: boolean;
      if (slot >= 0) {
        dup = types[slot] !== -1;
      } else if (typeof k === 'object' && k !== null) {
        const key = this.encodingSince(kStart);
        encodedKeys ??= new Set();
        dup = encodedKeys.has(key);
        encodedKeys.add(key);
      } else {
        others ??= new Set();
        dup = others.has(k);
        others.add(k);
      }
      if (dup) fail('ERR_CBOR_DUPLICATE_KEY', 'CBOR map has a duplicate key', kStart);
      const vStart = this.pos;
      let v: unknown;
      if (slot >= 0 && noFloats !== undefined && !this.noFloats && noFloats.includes(k as string | number)) {
        this.noFloats = true;
        v = this.item(d);
        this.noFloats = false;
      } else {
        v = this.item(d);
      }
      if (slot >= 0) {
        values[slot] = v;
        types[slot] = this.b[vStart]! >> 5;
      }
    }
    return { values, types };
  }

  tag(ai: number, depth: number, start: number): unknown {
    if (ai === 31) return fail('ERR_CBOR_MALFORMED', 'indefinite length on a tag', start);
    const t = this.arg(ai, start);
    const d = this.enter(depth, start);
    switch (t) {
      case 24:
        return this.embedded(d, start);
      case 0: {
        const content = this.item(d);
        if (typeof content === 'string') {
          try {
            const date = new TDate(content, { lenient: this.lenientDates });
            if (this.lenientDates && !isProfileTDate(content)) this.onTolerated?.('tdate-form', start);
            return date;
          } catch {
            // reported below
          }
        }
        return fail('ERR_CBOR_INVALID_TAG_CONTENT', 'tag 0 must enclose an RFC 3339 date-time', start);
      }
      case 1004: {
        const content = this.item(d);
        if (typeof content === 'string') {
          try {
            return new FullDate(content);
          } catch {
            // reported below
          }
        }
        return fail('ERR_CBOR_INVALID_TAG_CONTENT', 'tag 1004 must enclose a YYYY-MM-DD full-date', start);
      }
      case 2:
      case 3: {
        const content = this.item(d);
        if (!(content instanceof Uint8Array)) {
          return fail('ERR_CBOR_INVALID_TAG_CONTENT', 'bignum tag must enclose a byte string', start);
        }
        if (content.length <= 8 || content[0] === 0) this.nonPreferred(start);
        let hex = '0x0';
        for (const byte of content) hex += (byte < 16 ? '0' : '') + byte.toString(16);
        const v = BigInt(hex);
        return t === 2 ? v : -1n - v;
      }
      default:
        return new CborTagged(t < 0 ? this.big : t, this.item(d));
    }
  }

  /**
   * The content of tag 24 (`#6.24(bstr)`), whose tag head ends at `this.pos`: one copy of the
   * received tag, head and content, kept by the {@link EncodedCbor} as it arrived. `depth` is the
   * depth inside the tag: the content decodes from there, so depth limits hold across it.
   */
  embedded(depth: number, start: number): EncodedCbor {
    const p = this.pos;
    const ib = p < this.end ? this.b[p]! : -1;
    if (ib >> 5 === 2 && (ib & 31) !== 31) {
      if (++this.items > this.maxItems) {
        fail('ERR_CBOR_ITEM_COUNT_EXCEEDED', 'CBOR input has more items than the configured limit', p);
      }
      this.pos = p + 1;
      const n = this.length(ib & 31, p);
      const contentStart = this.pos;
      this.pos = contentStart + n;
      this.own ??= this.b.slice();
      return receivedEncodedCbor(
        this.own.subarray(start, this.pos),
        contentStart - start,
        this.options,
        depth,
        true,
      );
    }
    // Anything else (an indefinite-length byte string, or not a byte string at all) takes the
    // general path: the content is then not a run of the received bytes.
    const content = this.item(depth);
    if (!(content instanceof Uint8Array)) {
      fail('ERR_CBOR_INVALID_TAG_CONTENT', 'tag 24 must enclose a byte string', start);
    }
    return receivedEncodedCbor(content, content, this.options, depth);
  }

  simple(ai: number, start: number): unknown {
    const p = this.pos;
    switch (ai) {
      case 20:
        return false;
      case 21:
        return true;
      case 22:
        return null;
      case 23:
        return undefined;
      case 24: {
        if (p + 1 > this.end) fail('ERR_CBOR_TRUNCATED', 'CBOR input ends inside a simple value', start);
        const v = this.b[p]!;
        this.pos = p + 1;
        if (v < 32) fail('ERR_CBOR_MALFORMED', 'two-byte simple value below 32', start);
        return new CborSimple(v);
      }
      case 25:
        if (this.noFloats) this.floatNotAllowed(start);
        if (p + 2 > this.end) fail('ERR_CBOR_TRUNCATED', 'CBOR input ends inside a float', start);
        this.pos = p + 2;
        return halfToNumber((this.b[p]! << 8) | this.b[p + 1]!);
      case 26:
        if (this.noFloats) this.floatNotAllowed(start);
        if (p + 4 > this.end) fail('ERR_CBOR_TRUNCATED', 'CBOR input ends inside a float', start);
        this.pos = p + 4;
        return this.dataView().getFloat32(p);
      case 27:
        if (this.noFloats) this.floatNotAllowed(start);
        if (p + 8 > this.end) fail('ERR_CBOR_TRUNCATED', 'CBOR input ends inside a float', start);
        this.pos = p + 8;
        return this.dataView().getFloat64(p);
      case 31:
        return fail('ERR_CBOR_MALFORMED', 'unexpected CBOR break', start);
      default:
        if (ai < 20) return new CborSimple(ai);
        return fail('ERR_CBOR_MALFORMED', 'reserved additional information value in CBOR input', start);
    }
  }

  floatNotAllowed(start: number): never {
    return fail('ERR_CBOR_FLOAT_NOT_ALLOWED', 'a floating-point value where the structure has none', start);
  }

  dataView(): DataView {
    this.view ??= new DataView(this.b.buffer, this.b.byteOffset, this.b.byteLength);
    return this.view;
  }
}

const LIMIT_NAMES = ['maxInputSize', 'maxDepth', 'maxItems', 'maxStringLength'] as const;

function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

/**
 * Decodes exactly one CBOR data item under the mdlkit profile (ISO/IEC 18013-5 §8.1 / ed2 §8.3;
 * RFC 8949 §4.2.1 core deterministic rules for what is accepted; digest §3.1).
 *
 * Result types: unsigned/negative integers → `number` (or `bigint` beyond ±2^53 − 1), byte strings →
 * `Uint8Array` (each a copy that owns its `ArrayBuffer`), text → `string` (strict UTF-8), arrays → `unknown[]`, maps → `Map` (any
 * key type), tag 24 → {@link EncodedCbor} holding the received bytes (as a view into one private copy
 * of the whole input that all of them share: one item kept keeps that copy alive until its
 * `tagged()` is called — see {@link EncodedCbor}), tag 0 → {@link TDate}, tag 1004
 * → {@link FullDate}, tags 2/3 → `bigint`, other tags → {@link CborTagged}, floats → `number`,
 * `false`/`true`/`null`/`undefined`, other simple values → {@link CborSimple}.
 *
 * Strict by default: non-preferred arguments, indefinite lengths and duplicate map keys are errors.
 * Any input yields a value or an {@link MdlError}; errors carry `details.offset`.
 *
 * @example
 * ```ts
 * const m = decodeCbor(fromHex('a1616101')) as Map<string, number>;
 * m.get('a'); // 1
 * ```
 * @throws {@link MdlError} `ERR_CBOR_TRUNCATED`, `ERR_CBOR_TRAILING_BYTES`, `ERR_CBOR_MALFORMED`,
 * `ERR_CBOR_DUPLICATE_KEY`, `ERR_CBOR_INDEFINITE_LENGTH`, `ERR_CBOR_NON_PREFERRED`,
 * `ERR_CBOR_INVALID_UTF8`, `ERR_CBOR_INVALID_TAG_CONTENT`, `ERR_CBOR_INPUT_TOO_LARGE`,
 * `ERR_CBOR_DEPTH_EXCEEDED`, `ERR_CBOR_ITEM_COUNT_EXCEEDED`, `ERR_CBOR_STRING_TOO_LONG`;
 * `ERR_INVALID_ARGUMENT` when `bytes` is not a `Uint8Array` or a limit is not a non-negative integer.
 */
export function decodeCbor(bytes: Uint8Array, options: CborDecodeOptions = {}): unknown {
  if (!(bytes instanceof Uint8Array)) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'decodeCbor expects a Uint8Array');
  }
  checkLimits(options);
  return runDecoder(bytes, options, 0, false);
}

/** Every limit given must be a non-negative integer (`ERR_INVALID_ARGUMENT`). */
function checkLimits(options: CborDecodeOptions): void {
  for (const limit of LIMIT_NAMES) {
    const v = options[limit];
    if (v !== undefined && !(Number.isInteger(v) && v >= 0)) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'CBOR limits must be non-negative integers', {
        details: { limit },
      });
    }
  }
}

/** `bytes` as a plain `Uint8Array` (a view over the same memory when it is a subclass such as `Buffer`). */
function plainView(bytes: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(bytes) === Uint8Array.prototype
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * {@link Decoder.fields} over a whole input. When the item is not a map it is decoded in full by the
 * same decoder (its CBOR errors first, its bytes charged once) and returned as `{ value }`. Internal:
 * not exported from the package (`EncodedCbor.readFields` is the public door).
 */
export function decodeFields(
  bytes: Uint8Array,
  options: CborDecodeOptions,
  names: readonly (string | number)[],
  depth = 0,
  keys?: { nonText: boolean },
  noFloats?: readonly (string | number)[],
  inputPrivate = false,
): { readonly fields: FieldValues } | { readonly value: unknown } {
  checkLimits(options);
  return runDecoder(bytes, options, depth, inputPrivate, names, keys, noFloats) as
    | { readonly fields: FieldValues }
    | { readonly value: unknown };
}

/**
 * Decodes the content of a tag-24 item at the depth of its tag (see `Decoder.embedded`). Internal:
 * not exported from the package. The options are those of the enclosing decode, checked there.
 * With `inputPrivate`, `bytes` is a view into a decoder's own copy of its input that no caller sees,
 * so nested tag-24 items are views into it too.
 */
export function decodeEmbedded(
  bytes: Uint8Array,
  options: CborDecodeOptions,
  depth: number,
  inputPrivate: boolean,
): unknown {
  return runDecoder(bytes, options, depth, inputPrivate);
}

/**
 * One decoder over one whole input, for all three entry points: the input-size limit, a stack
 * overflow turned into `ERR_CBOR_DEPTH_EXCEEDED`, the budget's item count written back whatever
 * happens, and no trailing bytes. Reads the item at `depth`; with `names`, reads it field by field
 * ({@link Decoder.fields}) and returns `{ fields }`, or `{ value }` when it is not a map. The read is
 * chosen by an argument rather than passed as a callback, so a call allocates no closure.
 */
function runDecoder(
  bytes: Uint8Array,
  options: CborDecodeOptions,
  depth: number,
  inputPrivate: boolean,
  names?: readonly (string | number)[],
  keys?: { nonText: boolean },
  noFloats?: readonly (string | number)[],
): unknown {
  const maxInputSize = options.maxInputSize ?? DEFAULT_CBOR_LIMITS.maxInputSize;
  if (bytes.length > maxInputSize) {
    throw new MdlError('ERR_CBOR_INPUT_TOO_LARGE', 'CBOR input is larger than the configured limit', {
      details: { size: bytes.length, limit: maxInputSize },
    });
  }
  // Decoded byte strings are copies (`slice`), never views of the input; a Node `Buffer` is read
  // through a plain view, since its own `slice` would be a view.
  const decoder = new Decoder(plainView(bytes), options, inputPrivate);
  let fields: FieldValues | undefined;
  let value: unknown;
  try {
    if (names !== undefined) fields = decoder.fields(names, depth, keys, noFloats);
    if (fields === undefined) value = decoder.item(depth);
  } catch (e) {
    if (isStackOverflow(e)) {
      throw new MdlError('ERR_CBOR_DEPTH_EXCEEDED', 'CBOR nesting exceeds the call stack', {
        details: { offset: decoder.pos },
      });
    }
    throw e;
  } finally {
    if (options.budget !== undefined) setBudgetItems(options.budget, decoder.items);
  }
  if (decoder.pos !== bytes.length) {
    fail('ERR_CBOR_TRAILING_BYTES', 'CBOR input has bytes after the first item', decoder.pos);
  }
  if (names === undefined) return value;
  return fields === undefined ? { value } : { fields };
}
