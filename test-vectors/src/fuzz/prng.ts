/**
 * A small seeded PRNG for the fuzzer (xoshiro128**, seeded through splitmix32). Not for secrets:
 * it only decides which mutation to apply where, so that `--seed S` reproduces a run exactly and
 * input `i` of a run can be regenerated on its own ({@link inputSeed}).
 */
export class FuzzRandom {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** Seeds the four state words from `seed` with splitmix32. */
  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = next();
    this.#b = next();
    this.#c = next();
    this.#d = next() | 1;
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    const result = Math.imul(rotl(Math.imul(this.#b, 5), 7), 9) >>> 0;
    const t = this.#b << 9;
    this.#c ^= this.#a;
    this.#d ^= this.#b;
    this.#b ^= this.#c;
    this.#a ^= this.#d;
    this.#c ^= t;
    this.#d = rotl(this.#d, 11);
    return result;
  }

  /** A uniform integer in `[0, n)` (`n` ≥ 1). */
  below(n: number): number {
    return n <= 1 ? 0 : Math.floor((this.u32() / 4294967296) * n);
  }

  /** A uniform integer in `[lo, hi]`. */
  between(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.u32() / 4294967296 < p;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)] as T;
  }

  /** `n` uniform bytes. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * The seed of input `index` in a run seeded with `runSeed`: every input has its own generator, so
 * one input reproduces without replaying the ones before it.
 *
 * @example
 * ```ts
 * const random = new FuzzRandom(inputSeed(1, 4711));
 * ```
 */
export function inputSeed(runSeed: number, index: number): number {
  let h = (runSeed ^ 0x5bd1e995) >>> 0;
  h = Math.imul(h ^ index, 0x27d4eb2d) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x165667b1) >>> 0;
  return (h ^ (h >>> 13) ^ Math.floor(index / 4294967296)) >>> 0;
}
