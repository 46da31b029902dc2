import { MdlError } from '../errors/mdl-error.js';
import { decodeCbor, decodeEmbedded, decodeFields, type FieldValues } from './decode.js';
import { cborHeadLength, encodeCbor } from './encode.js';
import type { CborDecodeOptions, CborEncodeOptions } from './options.js';

let makeReceived: (
  tagged: Uint8Array,
  content: number | Uint8Array,
  options: CborDecodeOptions,
  depth: number,
  shared: boolean,
) => EncodedCbor;
let taggedOf: (e: EncodedCbor) => Uint8Array;
let makeDecoded: (bytes: Uint8Array, value: unknown) => EncodedCbor;
let contentOf: (e: EncodedCbor) => Uint8Array;
let fieldValuesOf: (
  e: EncodedCbor,
  names: readonly string[],
  keys: { nonText: boolean } | undefined,
  noFloats: readonly string[] | undefined,
) => FieldValues | undefined;

/**
 * @internal the content bytes of `e` without a copy, for the encoder to write them out (a view that
 * must not leave the package).
 */
export function embeddedContent(e: EncodedCbor): Uint8Array {
  return contentOf(e);
}

/**
 * @internal The embedded map read field by field, as {@link EncodedCbor.readFields} reads it, in the
 * fixed-shape form core's structure readers use: `values[i]` / `types[i]` for `names[i]` (type -1
 * when absent). Always reads the bytes (so the major types are known), and keeps the value when the
 * item is not a map (then `undefined`).
 */
export function readFieldValues(
  e: EncodedCbor,
  names: readonly string[],
  keys?: { nonText: boolean },
  noFloats?: readonly string[],
): FieldValues | undefined {
  return fieldValuesOf(e, names, keys, noFloats);
}

/**
 * @internal An EncodedCbor over `bytes` (an array of its own, just decoded) whose value is already
 * known — so reading `value` does not decode the same bytes a second time.
 */
export function decodedEncodedCbor(bytes: Uint8Array, value: unknown): EncodedCbor {
  return makeDecoded(bytes, value);
}

/**
 * @internal An EncodedCbor as received: `tagged` is the whole `#6.24(bstr)` (tag head, bstr head and
 * content) that the EncodedCbor keeps — with `shared`, a view into the decoder's own copy of its
 * input (which other items of the same input view too; `tagged()` and `bytes` copy out of it, so no
 * returned array shares it), else an array of its own; `content` is where the content starts in
 * it, or the content itself when it is not a run of `tagged` (an indefinite-length byte string);
 * `depth` is the nesting depth of the tag (the item decodes from there, so depth limits hold across it).
 */
export function receivedEncodedCbor(
  tagged: Uint8Array,
  content: number | Uint8Array,
  options: CborDecodeOptions,
  depth: number,
  shared = false,
): EncodedCbor {
  return makeReceived(tagged, content, options, depth, shared);
}

/**
 * @internal The `#6.24(bstr)` encoding of `e` without a copy — for core's digest functions, which
 * read it at once and keep nothing; the array may be a view into memory other items share, and
 * must not leave the package.
 */
export function taggedView(e: EncodedCbor): Uint8Array {
  return taggedOf(e);
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
 * Memory: a decode makes one private copy of its whole input (at its first tag 24), and every item
 * it returns — tag-24 items nested in their `value` included — keeps a view into that copy rather
 * than a copy of its own bytes. No array handed out shares it (`bytes` and `tagged()` copy out), but
 * one item you hold keeps the whole copy alive: an IssuerSignedItemBytes of 100 bytes kept from a
 * 2 MB DeviceResponse holds 2 MB. To keep an item without the input, call `tagged()` once (the item
 * then holds a copy of its own `#6.24(bstr)` and lets go of the view; tag-24 items inside a `value`
 * already read keep theirs), or keep `item.bytes` / `item.tagged()` — arrays of their own — and drop
 * the item (`EncodedCbor.fromBytes(item.bytes, options)` wraps the same bytes again). Reading
 * `bytes` alone does not let go of the view.
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
  /** The content bytes, when known as an array of their own (made from `#tagged` on first read). */
  #bytes: Uint8Array | undefined;
  /** The whole `#6.24(bstr)`, as received or as built on first use. */
  #tagged: Uint8Array | undefined;
  /** Where the content starts in `#tagged` (when `#bytes` is not known yet). */
  #contentStart = 0;
  /** Whether `#tagged` is a view into a decoder's copy of its input (then copied out by `tagged()`). */
  #shared = false;
  readonly #options: CborDecodeOptions;
  /** Whether the item was decoded (not wrapped by `fromBytes` / `fromValue`). */
  #received = false;
  /** The nesting depth of a received item's tag: its content decodes from there. */
  #depth = 0;
  #decoded = false;
  #value: T | undefined;

  private constructor(bytes: Uint8Array | undefined, options: CborDecodeOptions) {
    this.#bytes = bytes;
    this.#options = options;
  }

  static {
    makeDecoded = (bytes, value) => {
      const e = new EncodedCbor(bytes, {});
      e.#value = value;
      e.#decoded = true;
      return e;
    };
    makeReceived = (tagged, content, options, depth, shared) => {
      let e: EncodedCbor;
      if (typeof content !== 'number') e = new EncodedCbor(content, options);
      // The received tag and bstr heads are what `tagged()` would build only when they are the
      // preferred ones (always, unless the decode allowed non-preferred arguments); otherwise the
      // content is kept on its own and `tagged()` builds the preferred form.
      else if (content !== 2 + cborHeadLength(tagged.length - content))
        e = new EncodedCbor(tagged.slice(content), options);
      else {
        e = new EncodedCbor(undefined, options);
        e.#tagged = tagged;
        e.#contentStart = content;
        e.#shared = shared;
      }
      e.#received = true;
      e.#depth = depth;
      return e;
    };
    contentOf = (e) => e.#content();
    taggedOf = (e) => e.#tagged ?? e.tagged();
    fieldValuesOf = (e, names, keys, noFloats) => e.#fieldValues(names, keys, noFloats);
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
   * The embedded item's encoding — exactly the content of the byte string. For a decoded or built
   * item this is an array of its own (its `ArrayBuffer` holds nothing else). Do not mutate. A decoded
   * item still keeps its view into the decode's input copy after this is read (see the class
   * description; `tagged()` lets go of it).
   */
  get bytes(): Uint8Array {
    this.#bytes ??= this.#tagged!.slice(this.#contentStart);
    return this.#bytes;
  }

  /**
   * The content without a copy: a view of `#tagged` that never leaves this class (always while
   * `#tagged` is shared, so that it is the decoder's memory and not `bytes`, which a caller holds),
   * else `#bytes`.
   */
  #content(): Uint8Array {
    if (this.#shared || this.#bytes === undefined) return this.#tagged!.subarray(this.#contentStart);
    return this.#bytes;
  }

  /**
   * The embedded item, decoded on first access (strict profile, or the options of the enclosing
   * decode) and cached.
   *
   * @throws {@link MdlError} any `ERR_CBOR_*` decode error for malformed embedded bytes.
   */
  get value(): T {
    if (!this.#decoded) {
      const content = this.#content();
      this.#value = (
        this.#received
          ? decodeEmbedded(content, this.#options, this.#depth, this.#shared)
          : decodeCbor(content, this.#options)
      ) as T;
      this.#decoded = true;
    }
    return this.#value as T;
  }

  /**
   * Read an embedded map field by field, without building a `Map`: a record (no prototype) holding
   * the decoded value of each of `names` present as a text key. The whole item is still decoded and
   * checked under the same options as {@link EncodedCbor.value} (other keys are decoded and dropped;
   * duplicate keys are still errors). `undefined` when the embedded item is not a map (it is then
   * decoded in full by the same read, and kept as {@link EncodedCbor.value}). For hot paths
   * that read a fixed record, such as the four fields of every IssuerSignedItem a reader receives.
   *
   * When `keys` is given, its `nonText` is set to `true` if the map has a key that is not a text
   * string (so a structure whose CDDL keys are all text can be held to that without a second decode).
   * The values of the fields named in `noFloats` are decoded as with the `noFloats` option, their
   * tag-24 items excepted (those keep the options of this item): for fields whose CDDL has no float,
   * beside others that carry any value in embedded items (a DeviceResponse's `documents`).
   *
   * @example
   * ```ts
   * const fields = item.readFields(['digestID', 'elementIdentifier'], undefined, undefined, ['digestID']);
   * if (fields !== undefined && 'digestID' in fields) console.log(fields.digestID);
   * ```
   * @param majorTypes - **Deprecated**; pass `undefined`. It receives the CBOR major type of each
   * present field's value (0 for an unsigned integer, 7 for a float or simple value). It was there to
   * hold a `uint` field to major type 0; `noFloats` does that now, during the same read, with
   * `ERR_CBOR_FLOAT_NOT_ALLOWED`, and nothing in mdlkit passes `majorTypes` any more. It still works
   * and goes at the next breaking release.
   * @throws {@link MdlError} the `ERR_CBOR_*` codes of {@link decodeCbor} (`ERR_CBOR_FLOAT_NOT_ALLOWED`
   * for a float in a `noFloats` field).
   */
  readFields<const K extends string>(
    names: readonly K[],
    majorTypes?: { [P in K]?: number },
    keys?: { nonText: boolean },
    noFloats?: readonly K[],
  ): { readonly [P in K]?: unknown } | undefined {
    if (this.#decoded && !(this.#value instanceof Map)) return undefined;
    const out: Record<string, unknown> = Object.create(null);
    if (this.#decoded && majorTypes === undefined && keys === undefined && noFloats === undefined) {
      const m = this.#value as Map<unknown, unknown>;
      for (const name of names) if (m.has(name)) out[name] = m.get(name);
      return out as { readonly [P in K]?: unknown };
    }
    const read = this.#fieldValues(names, keys, noFloats);
    if (read === undefined) return undefined;
    for (let i = 0; i < names.length; i++) {
      if (read.types[i] === -1) continue;
      out[names[i]!] = read.values[i];
      if (majorTypes !== undefined) majorTypes[names[i]!] = read.types[i];
    }
    return out as { readonly [P in K]?: unknown };
  }

  #fieldValues(
    names: readonly string[],
    keys: { nonText: boolean } | undefined,
    noFloats: readonly string[] | undefined,
  ): FieldValues | undefined {
    if (this.#decoded && !(this.#value instanceof Map)) return undefined;
    const read = decodeFields(
      this.#content(),
      this.#options,
      names,
      this.#depth,
      keys,
      noFloats,
      this.#shared,
    );
    if ('fields' in read) return read.fields;
    // Not a map: decoded in full by the same read, and kept, so `value` does not decode it again.
    this.#value = read.value as T;
    this.#decoded = true;
    return undefined;
  }

  /**
   * The exact encoding of `#6.24(bstr)` around {@link EncodedCbor.bytes} (cached): for a decoded item
   * the bytes as received, an array of its own. Do not mutate. The first call on a decoded item
   * copies them out of the decode's input copy, and the item keeps that copy instead of its view, so
   * from then on it no longer keeps the whole input alive.
   */
  tagged(): Uint8Array {
    if (this.#shared) {
      this.#tagged = this.#tagged!.slice();
      this.#shared = false;
    }
    this.#tagged ??= taggedBytes(this.#bytes!) ?? encodeCbor(this);
    return this.#tagged;
  }
}

/**
 * `d8 18` + the preferred bstr head + `bytes` in one allocation — what `encodeCbor` emits for an
 * EncodedCbor, without an encoder, its growing buffer and a final copy. Readers and issuers call
 * this once per IssuerSignedItem (the value digest covers it). `undefined` past 2^32 − 1 bytes.
 */
function taggedBytes(bytes: Uint8Array): Uint8Array | undefined {
  const n = bytes.length;
  if (n > 0xffffffff) return undefined;
  const head = cborHeadLength(n);
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
