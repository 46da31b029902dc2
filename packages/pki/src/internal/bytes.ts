/** Small byte helpers used inside pki (not exported from the package). */

/** Copy an ArrayBuffer or view into a fresh, exactly-sized Uint8Array. */
export function toBytes(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}

/** A view of `bytes` as an ArrayBuffer of exactly its length (copies only when needed). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength &&
    bytes.buffer instanceof ArrayBuffer
  ) {
    return bytes.buffer;
  }
  return bytes.slice().buffer as ArrayBuffer;
}

/** A string key identifying the content of `bytes` (for Map caches keyed by DER). */
export function bytesKey(bytes: Uint8Array): string {
  let out = '';
  const chunk = 8192;
  for (let i = 0; i < bytes.length; i += chunk) {
    // apply() takes the typed array as array-like: no intermediate Array (≈ 10× faster).
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + chunk) as unknown as number[]);
  }
  return out;
}
