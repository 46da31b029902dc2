import { EncodedCbor } from '../../cbor/encoded-cbor.js';
import type { CborDecodeOptions } from '../../cbor/options.js';
import { CborTagged, FullDate, TDate } from '../../cbor/types.js';
import { MdlError } from '../../errors/mdl-error.js';

/** A model type with its fields writable, for building a result field by field. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * `options` with `noFloats` (the same object when it already has it): for the structures whose CDDL
 * has no float, so that a `uint` / `int` is CBOR major type 0 / 1 only.
 */
export function withNoFloats(options: CborDecodeOptions): CborDecodeOptions {
  return options.noFloats === true ? options : { ...options, noFloats: true };
}

/** Throws `ERR_STRUCTURE_INVALID` naming the path (never the value). */
export function invalid(path: string, expected: string): never {
  throw new MdlError('ERR_STRUCTURE_INVALID', `${path || '(root)'}: expected ${expected}`, {
    details: { path },
  });
}

export function asMap(value: unknown, path: string): Map<unknown, unknown> {
  if (!(value instanceof Map)) invalid(path, 'a map');
  return value;
}

/** A map whose keys are all text (the CDDL `{ "key": … }` structures). */
export function asTextMap(value: unknown, path: string): Map<string, unknown> {
  const m = asMap(value, path);
  for (const k of m.keys()) if (typeof k !== 'string') invalid(path, 'a map with text keys');
  return m as Map<string, unknown>;
}

export function asArray(value: unknown, path: string, nonEmpty = false): unknown[] {
  if (!Array.isArray(value)) invalid(path, nonEmpty ? 'a non-empty array' : 'an array');
  if (nonEmpty && value.length === 0) invalid(path, 'a non-empty array');
  return value;
}

export function asText(value: unknown, path: string, nonEmpty = false): string {
  if (typeof value !== 'string') invalid(path, 'a text string');
  if (nonEmpty && value.length === 0) invalid(path, 'a non-empty text string');
  return value;
}

export function asUint(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    invalid(path, 'an unsigned integer');
  }
  return value;
}

export function asInt(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) invalid(path, 'an integer');
  return value;
}

export function asBool(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') invalid(path, 'a boolean');
  return value;
}

export function asBytes(value: unknown, path: string): Uint8Array {
  if (!(value instanceof Uint8Array)) invalid(path, 'a byte string');
  return value;
}

export function asEncoded(value: unknown, path: string): EncodedCbor {
  if (!(value instanceof EncodedCbor)) invalid(path, 'an embedded CBOR item (#6.24(bstr))');
  return value;
}

export function asTDate(value: unknown, path: string): TDate {
  if (!(value instanceof TDate)) invalid(path, 'a tdate (#6.0(tstr))');
  return value;
}

export function asFullDate(value: unknown, path: string): FullDate {
  if (!(value instanceof FullDate)) invalid(path, 'a full-date (#6.1004(tstr))');
  return value;
}

/** A required map entry. */
export function req(map: Map<unknown, unknown>, key: string | number, path: string): unknown {
  const v = map.get(key);
  if (v === undefined) missing(path, key);
  return v;
}

/** Throws `ERR_STRUCTURE_INVALID`: the required entry `key` of the map at `path` is missing. */
export function missing(path: string, key: string | number): never {
  const where = child(path, key);
  throw new MdlError('ERR_STRUCTURE_INVALID', `${where}: required entry is missing`, {
    details: { path: where },
  });
}

/** `a.b`, `a[1]`, or just the key at the root. */
export function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/**
 * Decodes the content of an embedded item, turning CBOR errors into `ERR_STRUCTURE_INVALID` at
 * `path` (with the CBOR error as `cause`, its code in `details.cborCode`).
 */
export function embeddedValue(encoded: EncodedCbor, path: string): unknown {
  try {
    return encoded.value;
  } catch (cause) {
    embeddedError(cause, path, false);
  }
}

/**
 * Throws what reading an embedded item at `path` raised, as the rules say: under the verifier rules
 * the CBOR error's own code with `path` added ({@link embeddedCbor}), under the model rules
 * `ERR_STRUCTURE_INVALID` with the CBOR code in `details.cborCode` ({@link embeddedValue}). For a
 * caller that already read the item (`readFields`) and must not decode it a second time.
 */
export function embeddedError(error: unknown, path: string, verifier: boolean): never {
  if (!verifier) {
    const cborCode = error instanceof MdlError ? error.code : 'unknown';
    throw new MdlError('ERR_STRUCTURE_INVALID', `${path}: embedded CBOR item is not valid CBOR`, {
      details: { path, cborCode },
      cause: error,
    });
  }
  if (error instanceof MdlError) {
    throw new MdlError(error.code, `${error.message} (in ${path})`, {
      details: { ...error.details, path },
      cause: error,
    });
  }
  throw error;
}

/**
 * A COSE_Sign1 / COSE_Mac0 kept as decoded (the `/cose` module parses it): the four-element array,
 * or that array wrapped in its COSE tag (18 / 17), which lenient readers accept.
 */
export type CoseMessageCbor = readonly unknown[] | CborTagged<readonly unknown[]>;

/** Shape check only: `[bstr, {…}, bstr / nil, bstr]`, optionally tagged. */
export function asCoseMessage(value: unknown, path: string, tag: 17 | 18): CoseMessageCbor {
  let inner = value;
  if (value instanceof CborTagged) {
    if (value.tag !== tag) invalid(path, `a COSE message (tag ${tag} or untagged)`);
    inner = value.value;
  }
  if (
    !Array.isArray(inner) ||
    inner.length !== 4 ||
    !(inner[0] instanceof Uint8Array) ||
    !(inner[1] instanceof Map) ||
    !(inner[2] === null || inner[2] instanceof Uint8Array) ||
    !(inner[3] instanceof Uint8Array)
  ) {
    invalid(
      path,
      tag === 18
        ? 'a COSE_Sign1 [protected, unprotected, payload, signature]'
        : 'a COSE_Mac0 [protected, unprotected, payload, tag]',
    );
  }
  return value as CoseMessageCbor;
}

/** Builds a text-keyed map in the given key order, skipping `undefined` entries. */
export function textMap(entries: ReadonlyArray<readonly [string, unknown]>): Map<string, unknown> {
  const m = new Map<string, unknown>();
  for (const [k, v] of entries) if (v !== undefined) m.set(k, v);
  return m;
}

/**
 * Decodes the content of an embedded item that is part of a received structure, keeping the CBOR
 * error's own code (`ERR_CBOR_*`, the limit codes) and adding `path` to its message and details —
 * a broken tag-24 item is a CBOR error, whatever structure carries it.
 */
export function embeddedCbor(encoded: EncodedCbor, path: string): unknown {
  try {
    return encoded.value;
  } catch (error) {
    embeddedError(error, path, true);
  }
}

/**
 * The content of an embedded item of a received structure: under the verifier rules a broken item
 * keeps its CBOR code ({@link embeddedCbor}), under the model rules it is a structure error
 * ({@link embeddedValue}).
 */
export function embeddedItem(encoded: EncodedCbor, path: string, verifier: boolean): unknown {
  return verifier ? embeddedCbor(encoded, path) : embeddedValue(encoded, path);
}

/** A map whose keys are all text, or under the verifier rules any map (other keys are ignored). */
export function asFieldMap(value: unknown, path: string, verifier: boolean): Map<string, unknown> {
  return verifier ? (asMap(value, path) as Map<string, unknown>) : asTextMap(value, path);
}

/**
 * `version` of a DeviceResponse, MSO or DeviceRequest: major version 1 ("1.0", "1.1", … — ISO/IEC
 * 18013-5 §8.3.2.1.2.2, §9.1.2.4: a reader or an mdoc that does not know a major version must not
 * guess at its meaning); anything else fails with `ERR_VERSION_UNSUPPORTED`. The one version rule of
 * the toolkit: the `verifier` rules of core/mdoc apply it, and `@mdlkit/holder` to a DeviceRequest.
 *
 * @example
 * ```ts
 * checkVersion('1.1', 'deviceRequest.version'); // '1.1'
 * checkVersion('2.0', 'deviceRequest.version'); // throws ERR_VERSION_UNSUPPORTED
 * ```
 * @throws {@link MdlError} `ERR_VERSION_UNSUPPORTED` with `details.path` and `details.version` (its
 * first 16 characters).
 */
export function checkVersion(version: string, path: string): string {
  if (!/^1\.(0|[1-9]\d*)$/.test(version)) {
    throw new MdlError('ERR_VERSION_UNSUPPORTED', 'unsupported major version (only "1.x" is known)', {
      details: { path, version: version.slice(0, 16) },
    });
  }
  return version;
}
