import { MdlError } from '../errors/mdl-error.js';
import { zlibDeflate, zlibInflate } from './zlib.js';

/** Bits per status entry allowed by the Token Status List (18013-5 ed2 uses only 1). */
export type StatusBits = 1 | 2 | 4 | 8;

/** Status values of the Token Status List registry; 18013-5 uses only VALID and INVALID (revoked). */
export const StatusValue = { VALID: 0, INVALID: 1, SUSPENDED: 2 } as const;

/** Default upper bound on a decompressed status list (16 MiB = 134 M one-bit entries). */
export const DEFAULT_MAX_STATUS_LIST_BYTES: number = 16 * 1024 * 1024;

/**
 * A Token Status List (draft-ietf-oauth-status-list §4): a byte array where entry *i* occupies
 * `bits` bits starting at bit `(i × bits) mod 8` (least significant first) of byte
 * `⌊i × bits / 8⌋`, serialized as ZLIB-deflated `lst`.
 *
 * ```cddl
 * StatusList = { bits: 1 / 2 / 4 / 8, lst: bstr, ? aggregation_uri: tstr }
 * ```
 *
 * @example
 * ```ts
 * const list = new StatusList({ bits: 1, size: 1 << 20 });
 * list.set(4711, StatusValue.INVALID);
 * const { bits, lst } = await list.encode();
 * ```
 */
export class StatusList {
  /** Bits per entry. */
  readonly bits: StatusBits;
  /** The uncompressed bytes (entry 0 in the low bits of byte 0). */
  readonly bytes: Uint8Array;

  constructor(
    init:
      | { readonly bits: StatusBits; readonly size: number }
      | { readonly bits: StatusBits; readonly bytes: Uint8Array },
  ) {
    if (init.bits !== 1 && init.bits !== 2 && init.bits !== 4 && init.bits !== 8) {
      throw new MdlError('ERR_STATUS_LIST_INVALID', 'status list bits must be 1, 2, 4 or 8');
    }
    this.bits = init.bits;
    if ('bytes' in init) {
      this.bytes = init.bytes;
    } else {
      if (!Number.isInteger(init.size) || init.size <= 0) {
        throw new MdlError('ERR_INVALID_ARGUMENT', 'status list size must be a positive integer');
      }
      this.bytes = new Uint8Array(Math.ceil((init.size * init.bits) / 8));
    }
  }

  /** Number of entries the list holds. */
  get size(): number {
    return (this.bytes.length * 8) / this.bits;
  }

  private locate(index: number): { byte: number; shift: number } {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new MdlError('ERR_STATUS_LIST_INVALID', 'status list index out of range', {
        details: { index: Number.isFinite(index) ? index : -1, size: this.size },
      });
    }
    const bit = index * this.bits;
    return { byte: bit >>> 3, shift: bit & 7 };
  }

  /**
   * The status of entry `index`.
   * @throws {@link MdlError} `ERR_STATUS_LIST_INVALID` when `index` is out of range.
   */
  get(index: number): number {
    const { byte, shift } = this.locate(index);
    return (this.bytes[byte]! >>> shift) & ((1 << this.bits) - 1);
  }

  /**
   * Set the status of entry `index`.
   * @throws {@link MdlError} `ERR_STATUS_LIST_INVALID` for an out-of-range index or value.
   */
  set(index: number, value: number): void {
    const mask = (1 << this.bits) - 1;
    if (!Number.isInteger(value) || value < 0 || value > mask) {
      throw new MdlError('ERR_STATUS_LIST_INVALID', 'status value does not fit the list bits');
    }
    const { byte, shift } = this.locate(index);
    this.bytes[byte] = (this.bytes[byte]! & ~(mask << shift)) | (value << shift);
  }

  /** `{ bits, lst }` with `lst` ZLIB-deflated, ready for the `status_list` claim. */
  async encode(): Promise<{ bits: StatusBits; lst: Uint8Array }> {
    return { bits: this.bits, lst: await zlibDeflate(this.bytes) };
  }

  /**
   * Rebuild a list from a `status_list` claim.
   * @throws {@link MdlError} `ERR_STATUS_LIST_INVALID` for bad bits, bad ZLIB data or an
   * expansion beyond `maxBytes`.
   */
  static async decode(
    claim: { readonly bits: number; readonly lst: Uint8Array },
    maxBytes: number = DEFAULT_MAX_STATUS_LIST_BYTES,
  ): Promise<StatusList> {
    const bits = claim.bits;
    if (bits !== 1 && bits !== 2 && bits !== 4 && bits !== 8) {
      throw new MdlError('ERR_STATUS_LIST_INVALID', 'status list bits must be 1, 2, 4 or 8');
    }
    const bytes = await zlibInflate(claim.lst, maxBytes);
    if (bytes.length === 0) throw new MdlError('ERR_STATUS_LIST_INVALID', 'status list is empty');
    return new StatusList({ bits, bytes });
  }
}
