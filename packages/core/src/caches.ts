/**
 * @module
 * Every cache and reusable buffer the mdlkit packages keep between calls, in one registry a caller
 * can see ({@link cacheStats}), bound ({@link setCacheLimits}) and clear ({@link clearCaches}).
 *
 * Three kinds, and what bounds each:
 * - `bounded`: a map from input bytes to what was derived from them (a parsed certificate, an
 *   imported public key, a verified pair of certificates). Bounded by entry count and by an estimate of
 *   the bytes it holds; the least recently used entry goes first. A cache may admit an entry only from
 *   its key's second sighting on; the keys seen once are listed as a bounded cache of their own,
 *   `<name>.sightings`.
 * - `per-handle`: a memo attached to an object the caller holds (a key handle, a signer, a decoded
 *   COSE_Key), kept in a `WeakMap`: an entry lives exactly as long as the caller's object, so it is
 *   bounded by what the caller keeps, and never keeps a private key alive beyond its handle.
 * - `buffer`: working memory reused from call to call (encoder scratch, a block of CSPRNG output),
 *   bounded in bytes and zeroed after each use so nothing written stays in it.
 *
 * No cache holds secret material: caches keyed by bytes hold public values only; the per-handle memos
 * of private keys hold the runtime's key object for a handle that already holds the key.
 *
 * The registry is one per loaded copy of `@mdlkit/core`; pki, issuer, holder and reader register
 * their caches here, so one {@link clearCaches} call clears all of them.
 */
import type { PrivateKey, PublicKey } from './crypto/keys.js';
import { MdlError } from './errors/mdl-error.js';

/** Limits of one cache: at most `maxEntries` entries and about `maxBytes` bytes. `0` turns it off. */
export interface CacheLimits {
  readonly maxEntries: number;
  readonly maxBytes: number;
}

/** The kinds of cache the registry knows (see the module description). */
export type CacheKind = 'bounded' | 'per-handle' | 'buffer';

/** What one cache holds now, from {@link cacheStats}. */
export interface CacheStats {
  /** Stable name, `<package>.<what>` (for example `pki.parsed-certificates`). */
  readonly name: string;
  readonly kind: CacheKind;
  /** Entries held; `undefined` for a per-handle memo (a `WeakMap` cannot count them). */
  readonly entries: number | undefined;
  /** Estimated bytes held; `undefined` for a per-handle memo. */
  readonly bytes: number | undefined;
  /** The limits in force; `undefined` for a per-handle memo (bounded by the caller's objects). */
  readonly limits: CacheLimits | undefined;
}

/** @internal What the registry needs of a cache. */
export interface RegisteredCache {
  readonly name: string;
  stats(): CacheStats;
  clear(): void;
  /** Present on caches whose limits can be changed. */
  setLimits?(limits: CacheLimits): void;
}

// A list, not a map by name: a module evaluated twice (a test runner re-importing it) registers a
// second cache under the same name, and both must be cleared.
const registry: RegisteredCache[] = [];

/** @internal Adds a cache to the registry (mdlkit's own packages call this when they create one). */
export function registerCache(cache: RegisteredCache): void {
  registry.push(cache);
}

/**
 * Empties every cache and releases every reusable buffer of the mdlkit packages loaded in this
 * process (or page). Results never depend on the caches: after this call the next operations are
 * only slower until the caches fill again. Use it after rotating trust anchors or keys, in tests,
 * or to hand memory back.
 *
 * @example
 * ```ts
 * import { clearCaches } from '@mdlkit/core';
 * clearCaches();
 * ```
 */
export function clearCaches(): void {
  for (const cache of registry) cache.clear();
}

/**
 * What every registered cache holds now, sorted by name.
 *
 * @example
 * ```ts
 * for (const c of cacheStats()) console.log(c.name, c.entries, c.bytes);
 * ```
 */
export function cacheStats(): readonly CacheStats[] {
  return registry.map((c) => c.stats()).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Changes the limits of one cache (entries beyond the new limits go at once). `{ maxEntries: 0 }`
 * turns a bounded cache off; buffers take `maxBytes` only (`0`: a fresh buffer for every call).
 *
 * @example
 * ```ts
 * setCacheLimits('pki.parsed-certificates', { maxEntries: 256, maxBytes: 1 << 20 });
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for an unknown name, a per-handle memo (bounded by
 * the caller's objects) or a limit that is not a non-negative integer.
 */
export function setCacheLimits(name: string, limits: Partial<CacheLimits>): void {
  const caches = registry.filter((c) => c.name === name && c.setLimits !== undefined);
  if (caches.length === 0) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'no cache with this name takes limits', { details: { name } });
  }
  for (const v of [limits.maxEntries, limits.maxBytes]) {
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'cache limits are non-negative integers', {
        details: { name },
      });
    }
  }
  for (const cache of caches) {
    const now = cache.stats().limits!;
    cache.setLimits!({
      maxEntries: limits.maxEntries ?? now.maxEntries,
      maxBytes: limits.maxBytes ?? now.maxBytes,
    });
  }
}

/**
 * @internal Which entries a {@link BoundedCache} keeps:
 * - `'always'`: every entry set (within the limits).
 * - `'second-sighting'`: an entry only from the second time its key is set, and only when fewer
 *   than `maxEntries` other keys were set in between (its reuse distance: a key that comes back
 *   later than that would have been evicted before its return, so keeping it would only churn the
 *   cache); otherwise only the key is noted, in the cache's own sightings, registered beside it as
 *   `<name>.sightings`.
 */
export type CacheAdmission = 'always' | 'second-sighting';

/** @internal Limits and size estimate of the keys a second-sighting cache has seen once. */
export interface SightingsOptions<K> extends CacheLimits {
  /** Estimated bytes one noted key holds. */
  readonly sizeOf: (key: K) => number;
}

/** @internal Options of {@link BoundedCache}. */
export type BoundedCacheOptions<K, V> = CacheLimits & {
  readonly name: string;
  /** Estimated bytes an entry holds (key and value). */
  readonly sizeOf: (key: K, value: V) => number;
  /**
   * What the cache keeps of a value it admits (for example a private copy of bytes the caller may
   * change later); applied only to an entry actually kept, so a value that is not kept (a first
   * sighting, over the limits) costs no copy. The identity when absent.
   */
  readonly keep?: (value: V) => V;
} & (
    | { readonly admit?: 'always' }
    | {
        /**
         * Keep an entry only from its second sighting on: where most keys are seen once (holders
         * at a gate), keeping each would evict entries that are used again and leave the old
         * generation a value to collect for every one-time key.
         */
        readonly admit: 'second-sighting';
        readonly sightings: SightingsOptions<K>;
      }
  );

/**
 * @internal A map bounded by entry count and estimated bytes; the least recently used entry is
 * evicted first. An entry larger than the byte limit is not kept.
 *
 * With `admit: 'second-sighting'` the first {@link set} of a key keeps nothing but the key, in a
 * sightings list of the cache's own (bounded by its own limits, oldest first out, listed by
 * `cacheStats()` as `<name>.sightings`, limited by `setCacheLimits('<name>.sightings', …)`); the
 * second {@link set} of a noted key keeps the entry if at most `maxEntries` sets of other keys the
 * cache did not hold came in between (else the sighting is renewed): a key whose reuse distance
 * exceeds the cache would be evicted before its return, and admitting it would only evict keys
 * that are used again. {@link clear} and `clearCaches()` empty both.
 * A hit costs the same as without admission: {@link get} never looks at the sightings.
 */
export class BoundedCache<K, V> {
  readonly #map = new Map<K, { readonly value: V; readonly size: number }>();
  readonly #sizeOf: (key: K, value: V) => number;
  readonly #keep: ((value: V) => V) | undefined;
  #limits: CacheLimits;
  #bytes = 0;
  // Second-sighting admission: the keys noted, each with the `#tick` it was noted at (oldest first).
  readonly #sightings: Map<K, number> | undefined;
  /** Sets of keys the cache did not hold: the clock of reuse distances. */
  #tick = 0;
  readonly #sightingSizeOf: ((key: K) => number) | undefined;
  #sightingLimits: CacheLimits = { maxEntries: 0, maxBytes: 0 };
  #sightingBytes = 0;

  constructor(options: BoundedCacheOptions<K, V>) {
    this.#sizeOf = options.sizeOf;
    this.#keep = options.keep;
    this.#limits = { maxEntries: options.maxEntries, maxBytes: options.maxBytes };
    registerCache({
      name: options.name,
      stats: () => ({
        name: options.name,
        kind: 'bounded',
        entries: this.#map.size,
        bytes: this.#bytes,
        limits: this.#limits,
      }),
      clear: () => this.clear(),
      setLimits: (limits) => {
        this.#limits = limits;
        this.#evict(0, 0);
      },
    });
    if (options.admit === 'second-sighting') {
      const { sightings } = options;
      this.#sightings = new Map();
      this.#sightingSizeOf = sightings.sizeOf;
      this.#sightingLimits = { maxEntries: sightings.maxEntries, maxBytes: sightings.maxBytes };
      const name = `${options.name}.sightings`;
      registerCache({
        name,
        stats: () => ({
          name,
          kind: 'bounded',
          entries: this.#sightings!.size,
          bytes: this.#sightingBytes,
          limits: this.#sightingLimits,
        }),
        clear: () => this.#clearSightings(),
        setLimits: (limits) => {
          this.#sightingLimits = limits;
          this.#evictSightings(0, 0);
        },
      });
    }
  }

  /** The value for `key` (which becomes the most recently used), or `undefined`. */
  get(key: K): V | undefined {
    const hit = this.#map.get(key);
    if (hit === undefined) return undefined;
    this.#map.delete(key);
    this.#map.set(key, hit);
    return hit.value;
  }

  /**
   * Keeps `value` for `key`, evicting the least recently used entries to stay within the limits.
   * Under second-sighting admission a key not held yet is only noted the first time.
   */
  set(key: K, value: V): void {
    const old = this.#map.get(key);
    if (old !== undefined) {
      this.#map.delete(key);
      this.#bytes -= old.size;
    }
    const size = this.#sizeOf(key, value);
    if (this.#limits.maxEntries === 0 || size > this.#limits.maxBytes) return;
    const sightings = this.#sightings;
    if (old === undefined && sightings !== undefined) {
      const tick = ++this.#tick;
      const seen = sightings.get(key);
      if (seen !== undefined) {
        sightings.delete(key);
        this.#sightingBytes -= this.#sightingSizeOf!(key);
      }
      // Admitted only when it came back soon enough to have been found, had it been kept.
      if (seen === undefined || tick - seen > this.#limits.maxEntries) {
        this.#note(sightings, key, tick);
        return;
      }
    }
    this.#evict(1, size);
    this.#map.set(key, { value: this.#keep === undefined ? value : this.#keep(value), size });
    this.#bytes += size;
  }

  /** Empties the cache (and its sightings). */
  clear(): void {
    this.#map.clear();
    this.#bytes = 0;
    this.#clearSightings();
  }

  /** Evicts until `entries` more entries of `bytes` more bytes fit. */
  #evict(entries: number, bytes: number): void {
    const { maxEntries, maxBytes } = this.#limits;
    for (const [key, entry] of this.#map) {
      if (this.#map.size + entries <= maxEntries && this.#bytes + bytes <= maxBytes) return;
      this.#map.delete(key);
      this.#bytes -= entry.size;
    }
  }

  /** Notes a sighting of `key` at `tick`, dropping the oldest sightings to stay within their limits. */
  #note(sightings: Map<K, number>, key: K, tick: number): void {
    const size = this.#sightingSizeOf!(key);
    if (this.#sightingLimits.maxEntries === 0 || size > this.#sightingLimits.maxBytes) return;
    this.#evictSightings(1, size);
    sightings.set(key, tick);
    this.#sightingBytes += size;
  }

  #evictSightings(entries: number, bytes: number): void {
    const sightings = this.#sightings;
    if (sightings === undefined) return;
    const { maxEntries, maxBytes } = this.#sightingLimits;
    for (const key of sightings.keys()) {
      if (sightings.size + entries <= maxEntries && this.#sightingBytes + bytes <= maxBytes) return;
      sightings.delete(key);
      this.#sightingBytes -= this.#sightingSizeOf!(key);
    }
  }

  #clearSightings(): void {
    this.#sightings?.clear();
    this.#sightingBytes = 0;
  }
}

/**
 * @internal A memo attached to objects the caller holds (a `WeakMap`): an entry lives as long as
 * its key object, and {@link clearCaches} drops them all.
 */
export class HandleMemo<K extends WeakKey, V> {
  #map = new WeakMap<K, V>();

  constructor(name: string) {
    registerCache({
      name,
      stats: () => ({ name, kind: 'per-handle', entries: undefined, bytes: undefined, limits: undefined }),
      clear: () => {
        this.#map = new WeakMap();
      },
    });
  }

  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  set(key: K, value: V): void {
    this.#map.set(key, value);
  }

  delete(key: K): void {
    this.#map.delete(key);
  }
}

/**
 * @internal A working buffer reused from call to call, at most `maxBytes` long. {@link take} lends
 * it out (a nested caller gets `undefined` and allocates its own); {@link give} zeroes what was
 * written and keeps the (possibly grown) buffer when it is within the limit.
 */
export class ScratchBuffer {
  #buffer: Uint8Array | undefined;
  #lent = false;
  #maxBytes: number;
  readonly #initial: number;

  constructor(name: string, initial: number, maxBytes: number) {
    this.#initial = initial;
    this.#maxBytes = maxBytes;
    registerCache({
      name,
      stats: () => ({
        name,
        kind: 'buffer',
        entries: this.#buffer === undefined ? 0 : 1,
        bytes: this.#buffer?.length ?? 0,
        limits: { maxEntries: 1, maxBytes: this.#maxBytes },
      }),
      clear: () => {
        if (!this.#lent) this.#buffer = undefined;
      },
      setLimits: (limits) => {
        this.#maxBytes = limits.maxBytes;
        if (!this.#lent && (this.#buffer?.length ?? 0) > limits.maxBytes) this.#buffer = undefined;
      },
    });
  }

  /** The buffer (at least `min` bytes long), or `undefined` when it is lent out or `min` is over the limit. */
  take(min = 0): Uint8Array | undefined {
    if (this.#lent || min > this.#maxBytes || this.#maxBytes === 0) return undefined;
    let b = this.#buffer;
    if (b === undefined || b.length < min) {
      b = new Uint8Array(Math.min(this.#maxBytes, Math.max(min, this.#initial, 2 * (b?.length ?? 0))));
    }
    this.#lent = true;
    this.#buffer = undefined;
    return b;
  }

  /** Returns a taken buffer (or what it grew into) after zeroing its first `used` bytes. */
  give(buffer: Uint8Array, used: number): void {
    buffer.fill(0, 0, Math.min(used, buffer.length));
    this.#lent = false;
    if (buffer.length <= this.#maxBytes) this.#buffer = buffer;
  }
}

/**
 * @internal Small requests for random bytes served from one block of CSPRNG output drawn at once;
 * each byte is handed out once (copied out, then zeroed in the block). {@link clearCaches} zeroes the
 * unused rest.
 */
export class RandomPool {
  readonly #block: Uint8Array;
  readonly #maxRequest: number;
  #pos: number;

  constructor(name: string, size: number, maxRequest: number) {
    this.#block = new Uint8Array(size);
    this.#pos = size;
    this.#maxRequest = maxRequest;
    registerCache({
      name,
      stats: () => ({
        name,
        kind: 'buffer',
        entries: 1,
        bytes: size,
        limits: { maxEntries: 1, maxBytes: size },
      }),
      clear: () => {
        this.#block.fill(0);
        this.#pos = size;
      },
    });
  }

  /** `length` fresh random bytes in an array of their own; `fill` is the CSPRNG. */
  take(length: number, fill: (block: Uint8Array) => void): Uint8Array {
    if (length > this.#maxRequest) {
      const out = new Uint8Array(length);
      fill(out);
      return out;
    }
    const block = this.#block;
    if (this.#pos + length > block.length) {
      fill(block);
      this.#pos = 0;
    }
    const out = block.slice(this.#pos, this.#pos + length);
    block.fill(0, this.#pos, this.#pos + length);
    this.#pos += length;
    return out;
  }
}

/** Estimated bytes of a string key (one byte per character for the one-byte strings used as keys). */
export function stringBytes(s: string): number {
  return s.length + 16;
}

// ---------------------------------------------------------------------------------------------
// core's own caches and buffers. Each says why it pays; none holds secret material.

/** Slots of {@link internedText} (a power of two: the slot is the hash masked). */
export const TEXT_CACHE_SLOTS = 4096;
/** Longest text the decoder interns. */
export const INTERNED_TEXT_MAX = 32;

/**
 * @internal Interned short ASCII strings, direct-mapped by hash (map keys, element identifiers and
 * namespaces repeat across items and responses). A pure memo of immutable strings: a hit returns an
 * identical string, so it is not observable; reusing one string object also lets `Map` reuse its
 * cached hash. At most {@link TEXT_CACHE_SLOTS} strings of {@link INTERNED_TEXT_MAX} characters.
 */
export const internedText: (string | undefined)[] = new Array(TEXT_CACHE_SLOTS).fill(undefined);
registerCache({
  name: 'core.cbor.interned-text',
  stats: () => {
    let entries = 0;
    let bytes = 0;
    for (const s of internedText) {
      if (s !== undefined) {
        entries++;
        bytes += stringBytes(s);
      }
    }
    return {
      name: 'core.cbor.interned-text',
      kind: 'bounded',
      entries,
      bytes,
      limits: {
        maxEntries: TEXT_CACHE_SLOTS,
        maxBytes: TEXT_CACHE_SLOTS * stringBytes('x'.repeat(INTERNED_TEXT_MAX)),
      },
    };
  },
  clear: () => internedText.fill(undefined),
});

/**
 * @internal Scratch of top-level encodes: typed arrays above 64 bytes live outside the V8 heap and
 * each costs about a microsecond to allocate and more to collect, and an issuer encodes a dozen small
 * items per mdoc. The result is still one fresh, exact-size copy.
 */
export const encodeScratch: ScratchBuffer = new ScratchBuffer('core.cbor.encode-scratch', 4096, 64 * 1024);

/** @internal Scratch for re-ordering the body of a map whose keys were not written in sorted order. */
export const sortScratch: ScratchBuffer = new ScratchBuffer('core.cbor.sort-scratch', 1024, 64 * 1024);

/** @internal Scratch for a Sig_structure verified synchronously (see `verifyCoseSign1`). */
export const sigStructureScratch: ScratchBuffer = new ScratchBuffer(
  'core.cose.sig-structure-scratch',
  2048,
  64 * 1024,
);

/** @internal The encoded protected header `{1: alg}` per signature algorithm. */
export const protectedHeaderByAlg: BoundedCache<number, Uint8Array> = new BoundedCache({
  name: 'core.cose.protected-header-by-alg',
  maxEntries: 64,
  maxBytes: 64 * 64,
  sizeOf: (_, v) => v.length + 48,
});

/**
 * @internal Uncompressed EC points known to lie on their curve (by `curve + point` as one-byte
 * text): the encoding is canonical, so a point that passed @noble's check before is the same point
 * again and skips the BigInt arithmetic. Only where the runtime does not check points itself (the
 * web provider); on node:crypto OpenSSL checks them as it imports the key (`adoptEcPoint`).
 */
export const validPoints: BoundedCache<string, true> = new BoundedCache({
  name: 'core.crypto.valid-points',
  maxEntries: 1024,
  maxBytes: 256 * 1024,
  sizeOf: (k) => stringBytes(k),
});

/** @internal node:crypto `KeyObject`s per public key handle. */
export const nodePublicKeyObjects: HandleMemo<PublicKey, object> = new HandleMemo(
  'core.crypto.node-public-key-objects',
);
/** @internal node:crypto `KeyObject`s per private key handle (they live no longer than the handle). */
export const nodePrivateKeyObjects: HandleMemo<PrivateKey, object> = new HandleMemo(
  'core.crypto.node-private-key-objects',
);
/**
 * @internal node:crypto public `KeyObject`s by key bytes (`curve + point` as one-byte text): handles
 * are per call site (a reader builds a new one from the MSO's COSE_Key on every response), so a key
 * seen before — the same holder presenting again, the same DS, a verify-after-sign — is not imported
 * a third time. A key is kept from its second import on (second-sighting admission; the first import
 * is noted in `core.crypto.node-public-keys-by-point.sightings`): at a gate nearly every device key is
 * seen once, and keeping each would evict a key that is used again and hand the old generation a
 * native-backed object to collect, costing every distinct holder more than a second import costs a
 * returning one. A KeyObject is estimated at 1 KiB of native memory.
 */
export const nodePublicKeysByPoint: BoundedCache<string, object> = new BoundedCache({
  name: 'core.crypto.node-public-keys-by-point',
  maxEntries: 1024,
  maxBytes: 2 * 1024 * 1024,
  sizeOf: (k) => stringBytes(k) + 1024,
  admit: 'second-sighting',
  sightings: { maxEntries: 4096, maxBytes: 512 * 1024, sizeOf: stringBytes },
});
/**
 * @internal 8 KiB of CSPRNG output for requests up to 1 KiB: a randomFillSync call costs several
 * microseconds in the binding whatever its size, and an issuer asks for salts and digestIDs on every
 * mdoc. Key generation does not draw from it.
 */
export const nodeRandomPool: RandomPool = new RandomPool('core.crypto.node-random-pool', 8192, 1024);

/** @internal WebCrypto `CryptoKey`s per key handle and use. */
export const webKeys: {
  readonly verify: HandleMemo<PublicKey, Promise<CryptoKey>>;
  readonly ecdhPublic: HandleMemo<PublicKey, Promise<CryptoKey>>;
  readonly sign: HandleMemo<PrivateKey, Promise<CryptoKey>>;
  readonly ecdhPrivate: HandleMemo<PrivateKey, Promise<CryptoKey>>;
} = {
  verify: new HandleMemo('core.crypto.web-verify-keys'),
  ecdhPublic: new HandleMemo('core.crypto.web-ecdh-public-keys'),
  sign: new HandleMemo('core.crypto.web-sign-keys'),
  ecdhPrivate: new HandleMemo('core.crypto.web-ecdh-private-keys'),
};

/** @internal Whether this runtime's WebCrypto implements an algorithm (Ed25519 / X25519 are recent). */
export const webSupport: BoundedCache<string, boolean> = new BoundedCache({
  name: 'core.crypto.web-support',
  maxEntries: 32,
  maxBytes: 32 * 64,
  sizeOf: (k) => stringBytes(k) + 8,
});
