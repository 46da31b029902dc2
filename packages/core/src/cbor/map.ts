/**
 * Reads `key` from a decoded CBOR map; `undefined` when `map` is not a `Map` or lacks the key.
 *
 * @example
 * ```ts
 * cborMapGet(decodeCbor(fromHex('a1616101')), 'a'); // 1
 * ```
 */
export function cborMapGet(map: unknown, key: unknown): unknown {
  return map instanceof Map ? map.get(key) : undefined;
}

/**
 * True when `value` is a decoded CBOR map.
 *
 * @example
 * ```ts
 * isCborMap(decodeCbor(fromHex('a0'))); // true
 * ```
 */
export function isCborMap(value: unknown): value is Map<unknown, unknown> {
  return value instanceof Map;
}
