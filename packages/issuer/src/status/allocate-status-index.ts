import { MdlError } from '@mdlkit/core/errors';
import { type RandomBytes, randomBelow } from '../items/digest-ids.js';

/**
 * Hands out status-list indices at random (never sequentially — sequential indices would let a
 * verifier link MSOs issued together and estimate issuance volume). State → class.
 *
 * @example
 * ```ts
 * const alloc = new StatusIndexAllocator({ capacity: 1 << 20, randomBytes });
 * const idx = alloc.allocate(); // e.g. 734_219
 * ```
 */
export class StatusIndexAllocator {
  /** Entries in the list. */
  readonly capacity: number;
  readonly #used: Uint8Array;
  readonly #randomBytes: RandomBytes;
  #count = 0;

  constructor(options: {
    /** Number of entries of the status list (≤ 2^32). */
    readonly capacity: number;
    /** Secure randomness. */
    readonly randomBytes: RandomBytes;
    /** Indices already taken (for example loaded from the issuer's database). */
    readonly used?: Iterable<number>;
  }) {
    if (!Number.isInteger(options.capacity) || options.capacity <= 0 || options.capacity > 2 ** 32) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'capacity must be an integer in (0, 2^32]');
    }
    this.capacity = options.capacity;
    this.#randomBytes = options.randomBytes;
    this.#used = new Uint8Array(Math.ceil(options.capacity / 8));
    for (const i of options.used ?? []) this.markUsed(i);
  }

  /** Number of allocated indices. */
  get allocated(): number {
    return this.#count;
  }

  /** True when `index` is taken. */
  isUsed(index: number): boolean {
    return (this.#used[index >>> 3]! & (1 << (index & 7))) !== 0;
  }

  /**
   * Mark `index` as taken.
   * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` when `index` is outside the list.
   */
  markUsed(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.capacity) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'status index outside the list');
    }
    if (!this.isUsed(index)) {
      this.#used[index >>> 3]! |= 1 << (index & 7);
      this.#count++;
    }
  }

  /**
   * A fresh random index, marked as used.
   * @throws {@link MdlError} `ERR_STATUS_LIST_INVALID` when the list is full.
   */
  allocate(): number {
    if (this.#count >= this.capacity) {
      throw new MdlError('ERR_STATUS_LIST_INVALID', 'status list is full', {
        details: { capacity: this.capacity },
      });
    }
    // Rejection sampling stays uniform; when the list is nearly full, fall back to the first free
    // slot after a random start so allocation always terminates quickly.
    for (let tries = 0; tries < 64; tries++) {
      const i = randomBelow(this.capacity, this.#randomBytes);
      if (!this.isUsed(i)) {
        this.markUsed(i);
        return i;
      }
    }
    const start = randomBelow(this.capacity, this.#randomBytes);
    for (let k = 0; k < this.capacity; k++) {
      const i = (start + k) % this.capacity;
      if (!this.isUsed(i)) {
        this.markUsed(i);
        return i;
      }
    }
    throw new MdlError('ERR_INTERNAL', 'status list allocation failed');
  }
}

/**
 * A fresh random identifier for an ISO identifier list entry (spec §5.3: unique per MSO, random
 * recommended). 16 bytes by default.
 *
 * @example
 * ```ts
 * const id = allocateIdentifier({ randomBytes }); // Uint8Array(16)
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for a length below 16 bytes.
 */
export function allocateIdentifier(options: {
  readonly randomBytes: RandomBytes;
  readonly length?: number;
}): Uint8Array {
  const length = options.length ?? 16;
  if (!Number.isInteger(length) || length < 16 || length > 64) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'identifier length must be 16..64 bytes');
  }
  const id = options.randomBytes(length);
  if (id.length !== length)
    throw new MdlError('ERR_INVALID_ARGUMENT', 'randomBytes returned the wrong length');
  return id;
}
