import { MdlError } from '../errors/mdl-error.js';
import { copyBytes } from './alloc.js';
import { decodeCbor, decodeFields, decodeReceived } from './decode.js';
import { encodeCbor } from './encode.js';
import type { CborDecodeOptions, CborEncodeOptions } from './options.js';

let makeReceived: (
  bytes: Uint8Array,
  options: CborDecodeOptions,
  tagged: Uint8Array,
  depth: number,
) => EncodedCbor;
let makeDecoded: (bytes: Uint8Array, value: unknown) => EncodedCbor;

/**
 * @internal An EncodedCbor over `bytes` (a private copy the caller just decoded) whose value is
 * already known — so reading `value` does not decode the same bytes a second time.
 */
export function decodedEncodedCbor(bytes: Uint8Array, value: unknown): EncodedCbor {
  return makeDecoded(bytes, value);
}

/**
 * Wraps tag-24 content cut from a decoder's private input copy. `tagged` is the whole received
 * `#6.24(bstr)` (tag head, bstr head and content), also a view into that copy; `depth` is the
 * nesting depth of the tag (the item decodes from there, so depth limits hold across it). Internal: not
 * exported from the package.
 */
export function receivedEncodedCbor(
  bytes: Uint8Array,
  options: CborDecodeOptions,
  tagged: Uint8Array,
  depth = 0,
): EncodedCbor {
  return makeReceived(bytes, options, tagged, depth);
}

/**
 * An embedded CBOR data item, `#6.24(bstr .cbor T)` (RFC 8949 §3.4.5.1). ISO/IEC 18013-5 carries
 * every hashed or signed structure this way (IssuerSignedItemBytes, MobileSecurityObjectBytes,
 * DeviceNameSpacesBytes, ItemsRequestBytes, DeviceEngagementBytes, SessionTranscriptBytes …) so that
 * verifiers hash exactly the bytes they received (§9.1.2.4, digest §3.1).
 *
 * Decoding tag 24 yields an `EncodedCbor` holding the received bytes; encoding it emits those bytes
 * unchanged, whatever their key order or encoding. `value` decodes them lazily (once) with the
 * decode options of the enclosing decode.
 *
 * ```cddl
 * IssuerSignedItemBytes = #6.24(bstr .cbor IssuerSignedItem)
 * ```
 *
 * @example
 * ```ts
 * const item = EncodedCbor.fromValue<Map<string, unknown>>({ digestID: 0 });
 * item.bytes;    // a1 68 6469676573744944 00
 * item.tagged(); // d8 18 4b a1 68 …  (what the MSO digest covers)
 * item.value.get('digestID'); // 0
 * ```
 */
export class EncodedCbor<T = unknown> {
  /** The embedded item's encoding — exactly the content of the byte string. Do not mutate. */
  readonly bytes: Uint8Array;
  readonly #options: CborDecodeOptions;
  #decoded = false;
  /** True when `bytes` is a view into a decoder's private copy of its input (no second copy needed). */
  #received = false;
  /** Nesting depth of the tag this item was received in (its content decodes from there). */
  #depth = 0;
  #value: T | undefined;
  #tagged: Uint8Array | undefined;

  private constructor(bytes: Uint8Array, options: CborDecodeOptions) {
    this.bytes = bytes;
    this.#options = options;
  }

  static {
    makeDecoded = (bytes, value) => {
      const e = new EncodedCbor(bytes, {});
      e.#received = true;
      e.#value = value;
      e.#decoded = true;
      return e;
    };
    makeReceived = (bytes, options, tagged, depth) => {
      const e = new EncodedCbor(bytes, options);
      e.#received = true;
      e.#depth = depth;
      // The received tag and bstr heads are what `tagged()` would build only when they are the
      // preferred ones (always, unless the decode allowed non-preferred arguments); then the
      // received slice is used as is: value digests hash it without a copy.
      if (tagged.length === 2 + bstrHeadLength(bytes.length) + bytes.length) e.#tagged = tagged;
      return e;
    };
  }

  /**
   * Wraps already-encoded item bytes (the content of the tag-24 byte string). The bytes are not
   * copied or validated here; `value` validates them on first use.
   *
   * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` when `bytes` is not a `Uint8Array`.
   */
  static fromBytes<T = unknown>(bytes: Uint8Array, options: CborDecodeOptions = {}): EncodedCbor<T> {
    if (!(bytes instanceof Uint8Array)) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'EncodedCbor.fromBytes expects a Uint8Array');
    }
    return new EncodedCbor<T>(bytes, options);
  }

  /**
   * Encodes `value` with {@link encodeCbor} and wraps the result. `T` names the *decoded* shape
   * (plain objects come back as `Map`s).
   *
   * @throws {@link MdlError} `ERR_CBOR_UNENCODABLE` (see {@link encodeCbor}).
   */
  static fromValue<T = unknown>(value: unknown, options: CborEncodeOptions = {}): EncodedCbor<T> {
    return new EncodedCbor<T>(encodeCbor(value, options), {});
  }

  /**
   * The embedded item, decoded on first access (strict profile, or the options of the enclosing
   * decode) and cached.
   *
   * @throws {@link MdlError} any `ERR_CBOR_*` decode error for malformed embedded bytes.
   */
  get value(): T {
    if (!this.#decoded) {
      this.#value = (
        this.#received
          ? decodeReceived(this.bytes, this.#options, this.#depth)
          : decodeCbor(this.bytes, this.#options)
      ) as T;
      this.#decoded = true;
    }
    return this.#value as T;
  }

  /**
   * Read an embedded map field by field, without building a `Map`: for each `names[i]` present as a
   * text key, its decoded value is stored in `out[i]` and bit `i` of the result is set. The whole
   * item is still decoded and checked under the same options as {@link EncodedCbor.value} (other keys
   * are decoded and dropped; duplicate keys are still errors). Returns -1 when the embedded item is
   * not a map. For hot paths that read a fixed record, such as the four fields of every
   * IssuerSignedItem a reader receives; `out` can be reused between calls. At most 31 names.
   *
   * @example
   * ```ts
   * const out: unknown[] = [];
   * const present = item.readFields(['digestID', 'elementIdentifier'], out);
   * if (present & 1) console.log(out[0]); // the digestID
   * ```
   * When `majors` is given, `majors[i]` receives the CBOR major type of each present field's value
   * (0 for an unsigned integer, 7 for a float or simple value), so a `uint` field can be held to
   * major type 0.
   * @throws {@link MdlError} the `ERR_CBOR_*` codes of {@link decodeCbor}; `ERR_INVALID_ARGUMENT` for
   * more than 31 names.
   */
  readFields(names: readonly string[], out: unknown[], majors?: number[]): number {
    if (names.length > 31) throw new MdlError('ERR_INVALID_ARGUMENT', 'readFields takes at most 31 names');
    if (this.#decoded && this.#value instanceof Map && majors === undefined) {
      const m = this.#value as Map<unknown, unknown>;
      let present = 0;
      for (let i = 0; i < names.length; i++) {
        if (m.has(names[i])) {
          out[i] = m.get(names[i]);
          present |= 1 << i;
        }
      }
      return present;
    }
    // A received item is a view into a private copy already; anything else is copied first, as
    // `value` does.
    return decodeFields(
      this.#received ? this.bytes : copyBytes(this.bytes),
      this.#options,
      names,
      out,
      this.#depth,
      majors,
    );
  }

  /**
   * The exact encoding of `#6.24(bstr)` around {@link EncodedCbor.bytes} (cached). For a decoded
   * item this is a view of the decoder's private copy of its input, like `bytes`. Do not mutate.
   */
  tagged(): Uint8Array {
    this.#tagged ??= taggedBytes(this.bytes) ?? encodeCbor(this);
    return this.#tagged;
  }
}

/** Length of the preferred byte-string head for `n` content bytes; 0 past 2^32 − 1. */
function bstrHeadLength(n: number): number {
  return n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n <= 0xffffffff ? 5 : 0;
}

/**
 * `d8 18` + the preferred bstr head + `bytes` in one allocation — what `encodeCbor` emits for an
 * EncodedCbor, without an encoder, its growing buffer and a final copy. Readers and issuers call
 * this once per IssuerSignedItem (the value digest covers it). `undefined` past 2^32 − 1 bytes.
 */
function taggedBytes(bytes: Uint8Array): Uint8Array | undefined {
  const n = bytes.length;
  const head = bstrHeadLength(n);
  if (head === 0) return undefined;
  const out = new Uint8Array(2 + head + n);
  out[0] = 0xd8;
  out[1] = 0x18;
  if (head === 1) out[2] = 0x40 | n;
  else if (head === 2) {
    out[2] = 0x58;
    out[3] = n;
  } else if (head === 3) {
    out[2] = 0x59;
    out[3] = n >>> 8;
    out[4] = n & 0xff;
  } else {
    out[2] = 0x5a;
    out[3] = n >>> 24;
    out[4] = (n >>> 16) & 0xff;
    out[5] = (n >>> 8) & 0xff;
    out[6] = n & 0xff;
  }
  out.set(bytes, 2 + head);
  return out;
}
