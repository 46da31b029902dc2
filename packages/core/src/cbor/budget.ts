import { MdlError } from '../errors/mdl-error.js';

let takeItems: (budget: CborBudget) => number;
let returnItems: (budget: CborBudget, used: number) => void;
let chargeBytes: (budget: CborBudget, n: number) => void;

/** @internal Items already used from `budget` (the decoder continues counting from here). */
export function budgetItems(budget: CborBudget): number {
  return takeItems(budget);
}

/** @internal Records the items a decode has used in total. */
export function setBudgetItems(budget: CborBudget, used: number): void {
  returnItems(budget, used);
}

/** @internal Charges `n` input bytes to `budget`; throws when it would exceed `maxBytes`. */
export function chargeBudgetBytes(budget: CborBudget, n: number): void {
  chargeBytes(budget, n);
}

/**
 * One resource budget shared by several decodes: an input and every tag-24 item decoded from it
 * later (the `EncodedCbor`s keep the decode options, budget included), and any other structure
 * the caller decodes with the same options (COSE headers, payloads). With a budget, `maxItems`
 * counts the items of all those decodes together instead of restarting at every tag-24 item, and
 * `maxBytes` bounds the bytes decoded in total (nested items re-read bytes of their container).
 * Nesting depth carries over too: a tag-24 item decodes at the depth its tag sat at.
 *
 * A budget is per operation (one verification), never shared between callers; it holds only counters.
 *
 * @example
 * ```ts
 * const options = { maxItems: 100_000, budget: new CborBudget({ maxBytes: 8 * 1024 * 1024 }) };
 * const response = decodeCbor(bytes, options); // items of later tag-24 decodes count here too
 * ```
 */
export class CborBudget {
  /** Most input bytes all decodes under this budget may read together (`ERR_CBOR_INPUT_TOO_LARGE`). */
  readonly maxBytes: number;
  #items = 0;
  #bytes = 0;

  /** @throws {@link MdlError} `ERR_INVALID_ARGUMENT` when `maxBytes` is not a non-negative integer. */
  constructor(options: { readonly maxBytes?: number } = {}) {
    const maxBytes = options.maxBytes ?? Number.MAX_SAFE_INTEGER;
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'CborBudget maxBytes must be a non-negative integer');
    }
    this.maxBytes = maxBytes;
  }

  /** Data items decoded so far under this budget. */
  get itemsUsed(): number {
    return this.#items;
  }

  /** Input bytes decoded so far under this budget. */
  get bytesUsed(): number {
    return this.#bytes;
  }

  static {
    takeItems = (b) => b.#items;
    returnItems = (b, used) => {
      b.#items = used;
    };
    chargeBytes = (b, n) => {
      if (b.#bytes + n > b.maxBytes) {
        throw new MdlError(
          'ERR_CBOR_INPUT_TOO_LARGE',
          'CBOR decoding exceeds the byte budget of the operation',
          {
            details: { limit: b.maxBytes, size: b.#bytes + n, budget: 'bytes' },
          },
        );
      }
      b.#bytes += n;
    };
  }
}
