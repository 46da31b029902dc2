/**
 * @module
 * Finding bytes inside received bytes, for tests that alter a structure in place (one byte of a
 * salt, a signature, a digest) without re-encoding it.
 */

/** Where `needle` first stands in `haystack` at or after `from`, or -1. */
export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
