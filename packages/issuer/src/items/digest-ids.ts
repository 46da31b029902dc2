import { MdlError } from '@mdlkit/core/errors';

/** Largest digestID + 1 (ISO/IEC 18013-5 §9.1.2.4: digestID < 2^31). */
export const DIGEST_ID_LIMIT = 0x8000_0000;

/**
 * How digestIDs are assigned to the items of one namespace (spec §3.3: unique per namespace, no
 * correlation between the digestID of an element across MSOs):
 * - `'random'` (default): distinct uniform random integers in [0, 2^31);
 * - `'shuffled'`: a uniformly random permutation of 0..n-1 (Multipaz's choice; smaller encoding);
 * - a function returning `count` distinct digestIDs (for vectors such as Annex D).
 */
export type DigestIdStrategy =
  | 'random'
  | 'shuffled'
  | ((input: { readonly nameSpace: string; readonly count: number }) => readonly number[]);

/** A source of cryptographically secure random bytes. */
export type RandomBytes = (length: number) => Uint8Array;

/** Uniform random integer in [0, bound) for bound ≤ 2^32, by rejection sampling (no modulo bias). */
export function randomBelow(bound: number, randomBytes: RandomBytes): number {
  if (!Number.isInteger(bound) || bound <= 0 || bound > 2 ** 32) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'random bound must be an integer in (0, 2^32]');
  }
  const limit = 2 ** 32 - (2 ** 32 % bound);
  for (;;) {
    const b = randomBytes(4);
    if (b.length !== 4) throw new MdlError('ERR_INVALID_ARGUMENT', 'randomBytes returned the wrong length');
    const x = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
    if (x < limit) return x % bound;
  }
}

/**
 * Assign `count` distinct digestIDs for `nameSpace` with the given strategy.
 *
 * @example
 * ```ts
 * assignDigestIds({ nameSpace: 'org.iso.18013.5.1', count: 3, strategy: 'shuffled', randomBytes }); // e.g. [2, 0, 1]
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` when a custom strategy returns ids that are not
 * `count` distinct integers in [0, 2^31).
 */
export function assignDigestIds(input: {
  readonly nameSpace: string;
  readonly count: number;
  readonly strategy: DigestIdStrategy;
  readonly randomBytes: RandomBytes;
}): number[] {
  const { nameSpace, count, strategy, randomBytes } = input;
  if (typeof strategy === 'function') {
    const ids = [...strategy({ nameSpace, count })];
    const seen = new Set<number>();
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id >= DIGEST_ID_LIMIT || seen.has(id)) {
        throw new MdlError('ERR_INVALID_ARGUMENT', 'digestIDs must be distinct integers in [0, 2^31)', {
          details: { nameSpace },
        });
      }
      seen.add(id);
    }
    if (ids.length !== count) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'digestID strategy returned the wrong number of ids', {
        details: { nameSpace, expected: count, actual: ids.length },
      });
    }
    return ids;
  }
  if (strategy === 'shuffled') {
    const ids = Array.from({ length: count }, (_, i) => i);
    for (let i = count - 1; i > 0; i--) {
      const j = randomBelow(i + 1, randomBytes);
      const t = ids[i]!;
      ids[i] = ids[j]!;
      ids[j] = t;
    }
    return ids;
  }
  // 2^31 divides 2^32, so masking a 32-bit draw is unbiased; one randomBytes call per namespace
  // (another only in the rare case of a repeat). A namespace of a few dozen elements is checked for
  // repeats by scanning, without a Set.
  const seen = count > 32 ? new Set<number>() : undefined;
  const ids: number[] = [];
  while (ids.length < count) {
    const need = count - ids.length;
    const buf = randomBytes(4 * need);
    if (buf.length !== 4 * need)
      throw new MdlError('ERR_INVALID_ARGUMENT', 'randomBytes returned the wrong length');
    for (let i = 0; i < need; i++) {
      const id =
        ((buf[4 * i]! << 24) | (buf[4 * i + 1]! << 16) | (buf[4 * i + 2]! << 8) | buf[4 * i + 3]!) &
        0x7fff_ffff;
      if (seen === undefined ? ids.includes(id) : seen.has(id)) continue;
      seen?.add(id);
      ids.push(id);
    }
  }
  return ids;
}
