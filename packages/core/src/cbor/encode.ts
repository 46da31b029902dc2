import { encodeScratch, sortScratch } from '../caches.js';
import { MdlError } from '../errors/mdl-error.js';
import { EncodedCbor, embeddedContent } from './encoded-cbor.js';
import type { CborEncodeOptions } from './options.js';
import { CborSimple, CborTagged, FullDate, RawCbor, TDate } from './types.js';

const TWO_32 = 4294967296;
const MAX_UINT64 = 0xffff_ffff_ffff_ffffn;
/** Deeper than any real structure; stops cyclic input before the call stack does. */
const MAX_ENCODE_DEPTH = 1000;

/**
 * The binary16 bit pattern of the float32 with bit pattern `bits` when it is exactly representable,
 * else -1 (NaN is handled by the caller).
 */
function halfOfFloat32(bits: number): number {
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0 && mant === 0) return sign; // ±0
  if (exp === 0xff) return sign | 0x7c00; // ±Infinity
  const e = exp - 127;
  if (e >= -14 && e <= 15) {
    if ((mant & 0x1fff) !== 0) return -1;
    return sign | ((e + 15) << 10) | (mant >> 13);
  }
  if (e >= -24 && e < -14) {
    const shift = -(e + 1); // 14..23
    const full = 0x800000 | mant;
    if ((full & ((1 << shift) - 1)) !== 0) return -1;
    return sign | (full >> shift);
  }
  return -1;
}

function unencodable(message: string, type: string): never {
  throw new MdlError('ERR_CBOR_UNENCODABLE', message, { details: { type } });
}

function compareBytes(buf: Uint8Array, a0: number, a1: number, b0: number, b1: number): number {
  const la = a1 - a0;
  const lb = b1 - b0;
  const n = Math.min(la, lb);
  for (let i = 0; i < n; i++) {
    const d = buf[a0 + i]! - buf[b0 + i]!;
    if (d !== 0) return d;
  }
  return la - lb;
}

// The scratch buffers (top-level encodes, map sorting) are core's caches module's (see there).
let scratchWriter: (options: CborEncodeOptions, buffer: Uint8Array) => CborWriter;
let writerBuffer: (w: CborWriter) => Uint8Array;

/**
 * The bytes a CBOR head takes for argument `n` in preferred (shortest) encoding — for writers that
 * lay out a structure before writing it.
 *
 * @example
 * ```ts
 * cborHeadLength(23); // 1
 * cborHeadLength(2048); // 3 (0x59 + two bytes)
 * ```
 */
export function cborHeadLength(n: number): number {
  return n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < TWO_32 ? 5 : 9;
}

/**
 * A growable CBOR writer under the same profile as {@link encodeCbor} (preferred arguments,
 * definite lengths, deterministic or insertion key order): callers that know the shape of what they
 * emit — an issuer writing a dozen IssuerSignedItems, their tag-24 wrappers and the IssuerNameSpaces
 * around them — write it in one pass into one buffer, and call {@link CborWriter.value} for the
 * parts of unknown shape. Nothing written is validated as a whole: the caller is responsible for
 * writing as many items as each head announces and, for deterministic output, for writing map keys
 * in their sorted order (maps written through `value` are sorted as usual).
 *
 * @example
 * ```ts
 * const w = new CborWriter();
 * w.head(4, 2); // array of 2
 * const start = w.beginEmbedded(); // #6.24(bstr .cbor …)
 * w.value(new Map([['a', 1]]));
 * w.endEmbedded(start);
 * w.text('x');
 * toHex(w.finish()); // '82d81844a16161016178'
 * ```
 */
export class CborWriter {
  /** The buffer (replaced when it grows); bytes [0, #pos) are written. Never handed out. */
  #buf: Uint8Array;
  #pos = 0;
  /** Whether `finish` handed `#buf` to its caller (then nothing more is written into it). */
  #handedOver = false;
  /** Whether `#buf` is a scratch buffer lent by {@link encodeCborWith} (never handed over). */
  #lent = false;
  /** DataView over `#buf`, made on first use (floats, 64-bit heads) — most writers never need one. */
  #view: DataView | undefined;
  /** Whether maps written through `value` get their keys sorted (core deterministic encoding). */
  readonly deterministic: boolean;

  /**
   * @param options `keyOrder` of maps written through `value` (default `'deterministic'`).
   * @param initialSize The initial buffer size in bytes (default 1024); it grows as needed.
   */
  constructor(options: CborEncodeOptions = {}, initialSize = 1024) {
    this.deterministic = options.keyOrder !== 'insertion';
    this.#buf = new Uint8Array(Math.max(16, initialSize));
  }

  static {
    // encodeCbor lends the writer its scratch buffer and reads it back (see there).
    scratchWriter = (options, buffer) => {
      const w = new CborWriter(options, 0);
      w.#buf = buffer;
      w.#lent = true;
      return w;
    };
    writerBuffer = (w) => w.#buf;
  }

  /** DataView over `#buf` (rebuilt after the buffer grows). */
  get #dataView(): DataView {
    const buf = this.#buf;
    let v = this.#view;
    if (v === undefined || v.buffer !== buf.buffer) {
      v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      this.#view = v;
    }
    return v;
  }

  /** The number of bytes written so far (where the next byte goes). */
  get length(): number {
    return this.#pos;
  }

  /**
   * The bytes written so far, as an array that owns its buffer: a writer sized exactly for what it
   * wrote hands its buffer over, any other copies. Writing on afterwards never changes what was
   * returned.
   */
  finish(): Uint8Array {
    if (this.#pos !== this.#buf.length || this.#lent) return this.#buf.slice(0, this.#pos);
    // Handed over: the next write copies into a buffer of the writer's own first.
    this.#handedOver = true;
    return this.#buf;
  }

  /** A byte string (major type 2): head and content. */
  bytes(b: Uint8Array): void {
    this.head(2, b.length);
    this.raw(b);
  }

  /**
   * Start an embedded item `#6.24(bstr .cbor …)`: writes the tag and reserves a byte-string head —
   * room for any content below 2^16 bytes, or, given `expectedLength`, the head that length needs
   * (a right guess means nothing moves when the item is closed; a wrong one only costs a move).
   * Write exactly one data item next, then call {@link CborWriter.endEmbedded} with the returned mark.
   */
  beginEmbedded(expectedLength = 0xffff): number {
    const head = expectedLength < 24 ? 1 : expectedLength < 0x100 ? 2 : expectedLength < 0x10000 ? 3 : 5;
    this.#ensure(2 + head);
    this.#buf[this.#pos] = 0xd8;
    this.#buf[this.#pos + 1] = 0x18;
    this.#pos += 2 + head;
    // The mark carries the content start and the head length reserved in front of it.
    return this.#pos * 8 + head;
  }

  /**
   * Close an embedded item opened by {@link CborWriter.beginEmbedded}: writes the preferred
   * byte-string head for the content length, moving the content when the reserved head was of
   * another length. Returns the offset of the content start (the tag starts `2 + head length` bytes
   * before it).
   *
   * @throws {@link MdlError} `ERR_CBOR_UNENCODABLE` past 2^32 − 1 content bytes.
   */
  endEmbedded(mark: number): number {
    if (this.#handedOver) this.#ensure(0); // the head goes into bytes already handed over
    const reserved = mark % 8;
    const contentStart = (mark - reserved) / 8;
    const n = this.#pos - contentStart;
    const headStart = contentStart - reserved;
    const head = n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < TWO_32 ? 5 : 0;
    if (head === 0) unencodable('embedded item too large', 'EncodedCbor');
    const start = headStart + head;
    if (start !== contentStart) {
      if (head > reserved) this.#ensure(head - reserved);
      this.#buf.copyWithin(start, contentStart, this.#pos);
      this.#pos = start + n;
    }
    const save = this.#pos;
    this.#pos = headStart;
    this.head(2, n);
    this.#pos = save;
    return start;
  }

  /** Make room for `n` more bytes. */
  #ensure(n: number): void {
    const need = this.#pos + n;
    if (need <= this.#buf.length && !this.#handedOver) return;
    this.#handedOver = false;
    let size = Math.max(16, this.#buf.length * 2);
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#pos));
    this.#buf = next;
  }

  /** A head (`major` 0–7) with the shortest argument encoding; `n` is a non-negative safe integer. */
  head(major: number, n: number): void {
    const m = major << 5;
    this.#ensure(9);
    const b = this.#buf;
    let p = this.#pos;
    if (n < 24) {
      b[p++] = m | n;
    } else if (n < 0x100) {
      b[p++] = m | 24;
      b[p++] = n;
    } else if (n < 0x10000) {
      b[p++] = m | 25;
      b[p++] = n >> 8;
      b[p++] = n & 0xff;
    } else if (n < TWO_32) {
      b[p++] = m | 26;
      b[p++] = n >>> 24;
      b[p++] = (n >>> 16) & 0xff;
      b[p++] = (n >>> 8) & 0xff;
      b[p++] = n & 0xff;
    } else {
      b[p++] = m | 27;
      this.#dataView.setUint32(p, Math.floor(n / TWO_32));
      this.#dataView.setUint32(p + 4, n >>> 0);
      p += 8;
    }
    this.#pos = p;
  }

  /** @internal */
  #headBig(major: number, n: bigint): void {
    if (n <= 0x1f_ffff_ffff_ffffn) {
      this.head(major, Number(n));
      return;
    }
    this.#ensure(9);
    this.#buf[this.#pos] = (major << 5) | 27;
    this.#dataView.setBigUint64(this.#pos + 1, n);
    this.#pos += 9;
  }

  /** Splice already-encoded CBOR verbatim. */
  raw(bytes: Uint8Array): void {
    this.#ensure(bytes.length);
    this.#buf.set(bytes, this.#pos);
    this.#pos += bytes.length;
  }

  /** @internal */
  #float(v: number): void {
    this.#ensure(9);
    const p = this.#pos;
    if (Number.isNaN(v)) {
      this.#buf[p] = 0xf9;
      this.#buf[p + 1] = 0x7e;
      this.#buf[p + 2] = 0x00;
      this.#pos = p + 3;
      return;
    }
    const buf = this.#buf;
    if (Math.fround(v) !== v) {
      buf[p] = 0xfb;
      this.#dataView.setFloat64(p + 1, v);
      this.#pos = p + 9;
      return;
    }
    // A float32: its bits are written in place (the output is the scratch, no module state), then
    // replaced by the binary16 form when that one holds the value exactly.
    const view = this.#dataView;
    view.setFloat32(p + 1, v);
    const h = halfOfFloat32(view.getUint32(p + 1));
    if (h >= 0) {
      buf[p] = 0xf9;
      buf[p + 1] = h >> 8;
      buf[p + 2] = h & 0xff;
      buf[p + 3] = 0; // nothing written stays beyond the output
      buf[p + 4] = 0;
      this.#pos = p + 3;
    } else {
      buf[p] = 0xfa;
      this.#pos = p + 5;
    }
  }

  /** A text string (major type 3), UTF-8. */
  text(s: string): void {
    const n = s.length;
    // ASCII fast path, one pass: head for n bytes, then copy while checking; the first unit ≥ 0x80
    // abandons what was written (pos goes back) for the UTF-8 path.
    const start = this.#pos;
    this.head(3, n);
    this.#ensure(n);
    const b = this.#buf;
    let p = this.#pos;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      b[p++] = c;
    }
    if (i === n) {
      this.#pos = p;
      return;
    }
    this.#pos = start;
    let len = 0;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) len += 1;
      else if (c < 0x800) len += 2;
      else if (c >= 0xd800 && c <= 0xdbff) {
        const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
        if (d < 0xdc00 || d > 0xdfff) unencodable('text has an unpaired surrogate', 'string');
        len += 4;
        i++;
      } else if (c >= 0xdc00 && c <= 0xdfff) {
        unencodable('text has an unpaired surrogate', 'string');
      } else len += 3;
    }
    this.head(3, len);
    this.#ensure(len);
    const out = this.#buf;
    let q = this.#pos;
    for (let i = 0; i < n; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) {
        out[q++] = c;
      } else if (c < 0x800) {
        out[q++] = 0xc0 | (c >> 6);
        out[q++] = 0x80 | (c & 63);
      } else if (c >= 0xd800 && c <= 0xdbff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
        out[q++] = 0xf0 | (c >> 18);
        out[q++] = 0x80 | ((c >> 12) & 63);
        out[q++] = 0x80 | ((c >> 6) & 63);
        out[q++] = 0x80 | (c & 63);
      } else {
        out[q++] = 0xe0 | (c >> 12);
        out[q++] = 0x80 | ((c >> 6) & 63);
        out[q++] = 0x80 | (c & 63);
      }
    }
    this.#pos = q;
  }

  /** @internal */
  #bigint(v: bigint): void {
    const negative = v < 0n;
    const n = negative ? -1n - v : v;
    if (n <= MAX_UINT64) {
      this.#headBig(negative ? 1 : 0, n);
      return;
    }
    // RFC 8949 §3.4.3 bignum: tag 2 / 3 around the big-endian magnitude without leading zeros.
    let hex = n.toString(16);
    if (hex.length % 2 === 1) hex = `0${hex}`;
    const bytes = new Uint8Array(hex.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    this.head(6, negative ? 3 : 2);
    this.head(2, bytes.length);
    this.raw(bytes);
  }

  /** @internal */
  #tagNumber(tag: number | bigint): void {
    if (typeof tag === 'bigint') {
      if (tag < 0n || tag > MAX_UINT64) unencodable('tag number out of range', 'CborTagged');
      this.#headBig(6, tag);
    } else {
      if (!Number.isSafeInteger(tag) || tag < 0) unencodable('tag number out of range', 'CborTagged');
      this.head(6, tag);
    }
  }

  /** Any value the profile can encode (see {@link encodeCbor}). */
  value(v: unknown, depth: number = 0): void {
    switch (typeof v) {
      case 'number':
        if (Number.isSafeInteger(v) && !(v === 0 && 1 / v < 0)) {
          if (v >= 0) this.head(0, v);
          else this.head(1, -1 - v);
        } else {
          this.#float(v);
        }
        return;
      case 'string':
        this.text(v);
        return;
      case 'boolean':
        this.#ensure(1);
        this.#buf[this.#pos++] = v ? 0xf5 : 0xf4;
        return;
      case 'bigint':
        this.#bigint(v);
        return;
      case 'object':
        if (v === null) {
          this.#ensure(1);
          this.#buf[this.#pos++] = 0xf6;
          return;
        }
        this.#object(v, depth);
        return;
      case 'undefined':
        unencodable('undefined cannot be encoded (the profile never emits it)', 'undefined');
        return;
      default:
        unencodable('value type cannot be encoded as CBOR', typeof v);
    }
  }

  /** @internal */
  #object(v: object, depth: number): void {
    if (depth >= MAX_ENCODE_DEPTH) unencodable('value is nested too deeply or is cyclic', 'object');
    const d = depth + 1;
    if (v instanceof Uint8Array) {
      this.head(2, v.length);
      this.raw(v);
    } else if (Array.isArray(v)) {
      this.head(4, v.length);
      for (let i = 0; i < v.length; i++) this.value(v[i], d);
    } else if (v instanceof Map) {
      this.#map(v, d);
    } else if (v instanceof EncodedCbor) {
      this.head(6, 24);
      const content = embeddedContent(v);
      this.head(2, content.length);
      this.raw(content);
    } else if (v instanceof RawCbor) {
      this.raw(v.bytes);
    } else if (v instanceof TDate) {
      this.head(6, 0);
      this.text(v.value);
    } else if (v instanceof FullDate) {
      this.head(6, 1004);
      this.text(v.value);
    } else if (v instanceof CborTagged) {
      this.#tagNumber(v.tag);
      this.value(v.value, d);
    } else if (v instanceof CborSimple) {
      this.#ensure(2);
      if (v.value < 24) this.#buf[this.#pos++] = 0xe0 | v.value;
      else {
        this.#buf[this.#pos++] = 0xf8;
        this.#buf[this.#pos++] = v.value;
      }
    } else {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        const name = (v as { constructor?: { name?: unknown } }).constructor?.name;
        unencodable(
          'objects of this class cannot be encoded as CBOR',
          typeof name === 'string' ? name : 'object',
        );
      }
      const record = v as Record<string, unknown>;
      const keys = Object.keys(record);
      const values: unknown[] = new Array(keys.length);
      for (let i = 0; i < keys.length; i++) values[i] = record[keys[i]!];
      this.#entries(keys, values, d);
    }
  }

  /** @internal */
  #map(m: ReadonlyMap<unknown, unknown>, depth: number): void {
    // Read into two arrays with Map#forEach: no iterator result or entry array per entry.
    const pair: EntryArrays = { keys: new Array(m.size), values: new Array(m.size), n: 0 };
    m.forEach(collectEntry, pair);
    this.#entries(pair.keys, pair.values, depth);
  }

  /**
   * @internal a deterministic map with a few ASCII text keys (a DrivingPrivilege, a Code): sorted
   * before anything is written — their encodings order by length, then by code units — so no key is
   * encoded twice and nothing is moved. `false` (nothing written) when a key is not ASCII. Keys of a
   * `Map` or an object are distinct strings, so no two encodings can be equal.
   */
  #sortedAsciiEntries(keys: readonly string[], values: readonly unknown[], depth: number): boolean {
    const size = keys.length;
    for (let i = 0; i < size; i++) if (!isAsciiText(keys[i]!)) return false;
    const order: number[] = new Array(size);
    for (let i = 0; i < size; i++) {
      const k = keys[i]!;
      let j = i - 1;
      while (j >= 0) {
        if (compareAsciiKeys(keys[order[j]!]!, k) < 0) break;
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = i;
    }
    for (let i = 0; i < size; i++) {
      const o = order[i]!;
      this.text(keys[o]!);
      this.value(values[o], depth);
    }
    return true;
  }

  /** @internal a map from parallel key / value arrays (a `Map`'s or a plain object's, in insertion order). */
  #entries(keys: readonly unknown[], values: readonly unknown[], depth: number): void {
    const size = keys.length;
    this.head(5, size);
    if (size === 0) return;
    let stringKeys = true;
    for (let i = 0; i < size; i++) {
      if (typeof keys[i] !== 'string') {
        stringKeys = false;
        break;
      }
    }
    if (!this.deterministic && stringKeys) {
      // Distinct JS strings always have distinct encodings: no duplicate check needed.
      for (let i = 0; i < size; i++) {
        this.text(keys[i] as string);
        this.value(values[i], depth);
      }
      return;
    }
    if (stringKeys && size <= 16 && this.#sortedAsciiEntries(keys as readonly string[], values, depth))
      return;
    const bodyStart = this.#pos;
    const offsets: number[] = new Array(3 * size);
    for (let i = 0; i < size; i++) {
      const ks = this.#pos;
      this.value(keys[i], depth);
      const ke = this.#pos;
      this.value(values[i], depth);
      offsets[3 * i] = ks;
      offsets[3 * i + 1] = ke;
      offsets[3 * i + 2] = this.#pos;
    }
    if (size === 1) return;
    const buf = this.#buf;
    // Fast path: keys already strictly ascending (the writer built the map in canonical order, or
    // insertion order was asked for and happens to match) — no sort, no duplicates, no copy.
    let ascending = true;
    for (let i = 1; i < size && ascending; i++) {
      ascending =
        compareBytes(buf, offsets[3 * i - 3]!, offsets[3 * i - 2]!, offsets[3 * i]!, offsets[3 * i + 1]!) < 0;
    }
    if (ascending) return;
    const order: number[] = new Array(size);
    for (let i = 0; i < size; i++) order[i] = i;
    if (size <= 16) {
      // Insertion sort: the usual small map (a driving_privileges entry, a COSE_Key) sorts in place,
      // without a comparator closure.
      for (let i = 1; i < size; i++) {
        const v = order[i]!;
        let j = i - 1;
        while (j >= 0) {
          const u = order[j]!;
          if (
            compareBytes(buf, offsets[3 * u]!, offsets[3 * u + 1]!, offsets[3 * v]!, offsets[3 * v + 1]!) <= 0
          )
            break;
          order[j + 1] = u;
          j--;
        }
        order[j + 1] = v;
      }
    } else {
      order.sort((a, b) =>
        compareBytes(buf, offsets[3 * a]!, offsets[3 * a + 1]!, offsets[3 * b]!, offsets[3 * b + 1]!),
      );
    }
    let inOrder = true;
    for (let i = 0; i < size; i++) {
      const a = order[i]!;
      if (a !== i) inOrder = false;
      if (i > 0) {
        const p = order[i - 1]!;
        if (
          compareBytes(buf, offsets[3 * p]!, offsets[3 * p + 1]!, offsets[3 * a]!, offsets[3 * a + 1]!) === 0
        ) {
          unencodable('map has two keys with the same encoding', 'Map');
        }
      }
    }
    if (!this.deterministic || inOrder) return;
    // The unsorted body is copied aside (into a reused scratch buffer when small: encoding is
    // synchronous, and a nested map finishes its own sort before its parent sorts) and written back
    // in key order.
    const bodyLength = this.#pos - bodyStart;
    const lent = sortScratch.take(bodyLength);
    let body: Uint8Array;
    if (lent !== undefined) {
      lent.set(buf.subarray(bodyStart, this.#pos));
      body = lent;
    } else {
      body = buf.slice(bodyStart, this.#pos);
    }
    let p = bodyStart;
    for (const i of order) {
      const s = offsets[3 * i]! - bodyStart;
      const e = offsets[3 * i + 2]! - bodyStart;
      buf.set(body.subarray(s, e), p);
      p += e - s;
    }
    // The scratch outlives the call: nothing written (a COSE_Key's `d`) may stay in it.
    if (lent !== undefined) sortScratch.give(lent, bodyLength);
  }
}

function isAsciiText(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** Two ASCII text keys in the order of their encodings: the head grows with the length, so shorter first, then by code units. */
function compareAsciiKeys(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The RFC 8949 core deterministic order of two text map keys — bytewise over their encodings —
 * without encoding them when both are ASCII.
 *
 * @example
 * ```ts
 * ['status', 'docType', 'version'].sort(compareTextKeys); // ['status', 'docType', 'version']
 * ```
 */
export function compareTextKeys(a: string, b: string): number {
  if (isAsciiText(a) && isAsciiText(b)) return compareAsciiKeys(a, b);
  const ea = encodeCbor(a);
  const eb = encodeCbor(b);
  const n = Math.min(ea.length, eb.length);
  for (let i = 0; i < n; i++) if (ea[i] !== eb[i]) return ea[i]! - eb[i]!;
  return ea.length - eb.length;
}

/** Keys and values of a map being written, filled by {@link collectEntry}. */
interface EntryArrays {
  readonly keys: unknown[];
  readonly values: unknown[];
  n: number;
}

/** `Map#forEach` callback (`this` is the arrays): a module function, so no closure per map. */
function collectEntry(this: EntryArrays, value: unknown, key: unknown): void {
  const i = this.n++;
  this.keys[i] = key;
  this.values[i] = value;
}

/**
 * Encodes a value under the mdlkit CBOR profile (ISO/IEC 18013-5 §8.1, ed2 §8.3; RFC 8949 §4.2.1):
 * preferred (shortest) arguments, definite lengths only, shortest float that round-trips (NaN as
 * `f97e00`), byte strings as plain major type 2 (never tag 64), `Map` and plain objects as maps,
 * keys sorted bytewise by their encoding unless `keyOrder: 'insertion'`.
 *
 * Integers: safe-integer `number`s encode as CBOR integers, other numbers as floats, `bigint`s as
 * integers (tag 2/3 bignums beyond 64 bits). {@link EncodedCbor} emits `#6.24(bstr)` with its exact
 * bytes; {@link RawCbor} is spliced verbatim; {@link TDate} / {@link FullDate} → tags 0 / 1004;
 * {@link CborTagged} / {@link CborSimple} as themselves.
 *
 * @example
 * ```ts
 * toHex(encodeCbor(new Map([['b', 1], ['a', 2]])));                            // 'a2616102616201'
 * toHex(encodeCbor(new Map([['b', 1], ['a', 2]]), { keyOrder: 'insertion' })); // 'a2616201616102'
 * ```
 * @throws {@link MdlError} `ERR_CBOR_UNENCODABLE` for `undefined`, functions, symbols, class
 * instances the profile does not know, unpaired surrogates, keys that encode identically, or
 * cyclic / absurdly deep values.
 */
export function encodeCbor(value: unknown, options: CborEncodeOptions = {}): Uint8Array {
  return encodeCborWith((w) => w.value(value, 0), options);
}

/**
 * Runs `write` against a {@link CborWriter} and returns what it wrote, in an array of its own — for
 * writers that know the shape of what they emit. The writer works in a scratch buffer reused from
 * call to call (zeroed after each: nothing written stays in it), so only the result is allocated;
 * do not keep the writer beyond `write`.
 *
 * @example
 * ```ts
 * toHex(encodeCborWith((w) => { w.head(4, 2); w.text('a'); w.value(1); })); // '82616101'
 * ```
 * @throws {@link MdlError} `ERR_CBOR_UNENCODABLE` from what `write` writes; whatever `write` throws.
 */
export function encodeCborWith(write: (w: CborWriter) => void, options: CborEncodeOptions = {}): Uint8Array {
  // A nested call (a compareTextKeys inside `write`) finds the scratch lent and gets a private buffer.
  const shared = encodeScratch.take();
  const encoder = shared === undefined ? new CborWriter(options, 512) : scratchWriter(options, shared);
  try {
    write(encoder);
    return encoder.finish();
  } finally {
    if (shared !== undefined) {
      const buffer = writerBuffer(encoder);
      // Never keep encoded bytes (a COSE_Key may hold `d`) beyond the call: give() zeroes what was
      // written (and drops a buffer grown past its limit); a writer that grew left a copy behind.
      if (buffer !== shared) shared.fill(0);
      encodeScratch.give(buffer, encoder.length);
    }
  }
}
