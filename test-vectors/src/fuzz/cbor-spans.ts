/**
 * Where the CBOR items of an input sit — fuzzer tooling only. This reads item *heads* (major type,
 * argument, length) to find byte ranges for structure-aware mutations; it never builds values and
 * nothing it returns is ever verified: decoding stays core's job (`@mdlkit/core/cbor`). It is
 * deliberately lenient (non-preferred and indefinite lengths are indexed too) and stops at the
 * first thing it cannot read, leaving a partial index.
 *
 * RFC 8949 §3 (item heads), §3.2 (indefinite lengths).
 */

/** One data item's byte range in its buffer. */
export interface CborSpan {
  /** Offset of the initial byte. */
  readonly start: number;
  /** Offset just after the head (initial byte + argument). */
  readonly headEnd: number;
  /** Offset just after the whole item. */
  readonly end: number;
  /** Major type 0–7. */
  readonly major: number;
  /** The low 5 bits of the initial byte. */
  readonly additional: number;
  /** Count, length, tag number or simple value (`Infinity` beyond 2^53, `-1` for indefinite). */
  readonly argument: number;
  /** Array elements, map keys and values alternating, or a tag's content. */
  readonly children: readonly CborSpan[];
}

/** A buffer of CBOR and the items found in it. */
export interface CborLevel {
  /** The bytes of this level (the input itself, or the content of an embedded byte string). */
  readonly bytes: Uint8Array;
  /** The top-level item, when one could be read. */
  readonly root: CborSpan | undefined;
  /** Every item found, in document order. */
  readonly spans: readonly CborSpan[];
  /**
   * How this level sits in the input: for an embedded byte string, the chain of byte-string spans
   * from the input down, each with the bytes of the level that contains it. Empty for the input.
   */
  readonly path: readonly { readonly container: Uint8Array; readonly span: CborSpan }[];
}

const MAX_DEPTH = 48;
const MAX_SPANS = 20_000;
const MAX_LEVELS = 256;

class Stop extends Error {}

/** Reads the head at `offset`: [major, additional, argument, headEnd]. */
export function readHead(bytes: Uint8Array, offset: number): [number, number, number, number] {
  const ib = bytes[offset];
  if (ib === undefined) throw new Stop();
  const major = ib >> 5;
  const additional = ib & 0x1f;
  if (additional < 24) return [major, additional, additional, offset + 1];
  if (additional === 31) return [major, additional, -1, offset + 1];
  if (additional > 27) throw new Stop();
  const width = 1 << (additional - 24);
  if (offset + 1 + width > bytes.length) throw new Stop();
  let value = 0;
  for (let i = 0; i < width; i++) value = value * 256 + (bytes[offset + 1 + i] as number);
  return [
    major,
    additional,
    value > Number.MAX_SAFE_INTEGER ? Number.POSITIVE_INFINITY : value,
    offset + 1 + width,
  ];
}

function scan(bytes: Uint8Array, offset: number, depth: number, out: CborSpan[]): CborSpan {
  if (depth > MAX_DEPTH || out.length >= MAX_SPANS) throw new Stop();
  const [major, additional, argument, headEnd] = readHead(bytes, offset);
  const children: CborSpan[] = [];
  const placeholder = out.length;
  out.push(undefined as unknown as CborSpan);
  let end = headEnd;
  if (major === 2 || major === 3) {
    if (argument < 0) {
      while (bytes[end] !== 0xff) {
        if (end >= bytes.length) throw new Stop();
        const chunk = scan(bytes, end, depth + 1, out);
        children.push(chunk);
        end = chunk.end;
      }
      end += 1;
    } else {
      end = headEnd + argument;
      if (end > bytes.length) throw new Stop();
    }
  } else if (major === 4 || major === 5) {
    const items = argument < 0 ? Number.POSITIVE_INFINITY : major === 5 ? argument * 2 : argument;
    for (let i = 0; i < items; i++) {
      if (argument < 0 && bytes[end] === 0xff) break;
      if (end >= bytes.length) throw new Stop();
      const child = scan(bytes, end, depth + 1, out);
      children.push(child);
      end = child.end;
    }
    if (argument < 0) end += 1;
  } else if (major === 6) {
    const child = scan(bytes, end, depth + 1, out);
    children.push(child);
    end = child.end;
  }
  if (end > bytes.length) throw new Stop();
  const span: CborSpan = { start: offset, headEnd, end, major, additional, argument, children };
  out[placeholder] = span;
  return span;
}

function indexOne(bytes: Uint8Array): { root: CborSpan | undefined; spans: CborSpan[] } {
  const spans: CborSpan[] = [];
  try {
    const root = scan(bytes, 0, 0, spans);
    return { root, spans };
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    // keep the complete items found before the point of failure
    return { root: undefined, spans: spans.filter((s) => s !== undefined) };
  }
}

/**
 * Indexes an input and, recursively, every definite byte string whose content is exactly one CBOR
 * item (tag-24 embedded CBOR, COSE protected headers and payloads), so mutations can reach the
 * MSO and the IssuerSignedItems inside their byte strings.
 *
 * @example
 * ```ts
 * const levels = indexCbor(deviceResponseBytes); // levels[0] is the input
 * ```
 */
export function indexCbor(bytes: Uint8Array): CborLevel[] {
  const levels: CborLevel[] = [];
  const visit = (
    level: Uint8Array,
    path: CborLevel['path'],
    found: { root: CborSpan | undefined; spans: CborSpan[] },
  ): void => {
    if (levels.length >= MAX_LEVELS) return;
    const { root, spans } = found;
    levels.push({ bytes: level, root, spans, path });
    for (const span of spans) {
      if (span.major !== 2 || span.argument <= 0) continue;
      const content = level.subarray(span.headEnd, span.end);
      const inner = indexOne(content);
      if (inner.root !== undefined && inner.root.end === content.length && content.length > 1) {
        visit(content, [...path, { container: level, span }], inner);
      }
    }
  };
  visit(bytes, [], indexOne(bytes));
  return levels;
}
