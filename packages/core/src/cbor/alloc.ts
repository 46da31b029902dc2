/**
 * Byte arrays for the encoders and decoders' own buffers, carved from shared slabs.
 *
 * V8 keeps a typed array of more than 64 bytes in its own off-heap backing store, and creating one
 * and collecting it again costs 1.5–3 µs on a server core — more than writing or hashing the few
 * hundred bytes it usually holds. An issuer or a reader makes several per document, so arrays of
 * medium size are handed out as views into a 64 KiB slab instead, the way Node's `Buffer` pool
 * does: a new slab is zero-filled, every region of it is handed out once and never reused, so a
 * view starts zeroed and no bytes pass from one holder to another.
 *
 * What this means for callers of the package (stated in docs/api.md): a byte array mdlkit returns
 * may share its `ArrayBuffer` with others. Copy it (`slice()`) before transferring its buffer to a
 * worker, and expect a small long-lived array to keep its slab (at most 64 KiB) alive.
 */

/** Slab size. */
const SLAB_SIZE = 64 * 1024;
/** Largest array carved from a slab; larger ones get their own buffer. */
const SLAB_MAX = 8 * 1024;
/** V8 keeps typed arrays up to this size on its heap, where they are cheap. */
const ON_HEAP_MAX = 64;

let slab = new Uint8Array(0);
let slabPos = 0;

/**
 * @internal a zero-filled `Uint8Array` of `length` bytes, possibly a view into a shared slab (see the
 * module comment). `length` must be a non-negative integer.
 */
export function allocBytes(length: number): Uint8Array {
  if (length <= ON_HEAP_MAX || length > SLAB_MAX) return new Uint8Array(length);
  if (slabPos + length > slab.length) {
    slab = new Uint8Array(SLAB_SIZE);
    slabPos = 0;
  }
  const out = slab.subarray(slabPos, slabPos + length);
  // Keep the next region 8-byte aligned (DataView reads over whole words stay aligned).
  slabPos += (length + 7) & ~7;
  return out;
}

/**
 * @internal a plain `Uint8Array` copy of `bytes[start, end)` (also when `bytes` is a Node `Buffer`,
 * whose own `slice` would be a view), in memory from {@link allocBytes}; a large one is made by
 * `slice` on a plain view, which V8 allocates without zero-filling first.
 */
export function copyBytes(bytes: Uint8Array, start = 0, end: number = bytes.length): Uint8Array {
  const length = end - start;
  if (length > SLAB_MAX) return new Uint8Array(bytes.buffer, bytes.byteOffset + start, length).slice();
  const out = allocBytes(length);
  out.set(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end));
  return out;
}
