import { describe, expect, it } from 'vitest';
import {
  BoundedCache,
  cacheStats,
  clearCaches,
  HandleMemo,
  RandomPool,
  ScratchBuffer,
  setCacheLimits,
} from './caches.js';
import { decodeCbor } from './cbor/decode.js';
import { encodeCbor } from './cbor/encode.js';
import { bindCrypto } from './crypto/bind.js';
import { importPublicKey } from './crypto/import-key.js';
import { backend as nodeBackend } from './crypto/node/backend.js';
import { isMdlError } from './errors/mdl-error.js';

/** The node:crypto provider, whose KeyObject and random caches these tests count. */
const { createLocalSigner, generateKeyPair, signWithPort, verifySignature } = bindCrypto(nodeBackend);
const stat = (name: string) => cacheStats().find((c) => c.name === name);

describe('caches', () => {
  it('bounds a cache by entries, least recently used first', () => {
    const c = new BoundedCache<string, number>({
      name: 'test.entries',
      maxEntries: 2,
      maxBytes: 1000,
      sizeOf: () => 1,
    });
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1); // a is now the most recent
    c.set('c', 3);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    expect(c.get('c')).toBe(3);
    expect(stat('test.entries')).toMatchObject({ kind: 'bounded', entries: 2, bytes: 2 });
  });

  it('bounds a cache by bytes and never keeps an entry larger than the limit', () => {
    const c = new BoundedCache<string, string>({
      name: 'test.bytes',
      maxEntries: 100,
      maxBytes: 10,
      sizeOf: (_, v) => v.length,
    });
    c.set('a', 'xxxx');
    c.set('b', 'xxxx');
    c.set('c', 'xxxx'); // 12 bytes would not fit: a goes
    expect(c.get('a')).toBeUndefined();
    expect(stat('test.bytes')).toMatchObject({ entries: 2, bytes: 8 });
    c.set('big', 'x'.repeat(11));
    expect(c.get('big')).toBeUndefined();
    c.set('b', 'xx'); // replacing an entry accounts for the old size
    expect(stat('test.bytes')).toMatchObject({ entries: 2, bytes: 6 });
  });

  it('setCacheLimits evicts at once, 0 turns a cache off, bad input is refused with a code', () => {
    const c = new BoundedCache<number, number>({
      name: 'test.limits',
      maxEntries: 10,
      maxBytes: 100,
      sizeOf: () => 1,
    });
    for (let i = 0; i < 10; i++) c.set(i, i);
    setCacheLimits('test.limits', { maxEntries: 3 });
    expect(stat('test.limits')).toMatchObject({ entries: 3, limits: { maxEntries: 3, maxBytes: 100 } });
    expect(c.get(9)).toBe(9);
    expect(c.get(0)).toBeUndefined();
    setCacheLimits('test.limits', { maxEntries: 0 });
    c.set(42, 42);
    expect(c.get(42)).toBeUndefined();
    for (const bad of [
      () => setCacheLimits('test.nope', { maxEntries: 1 }),
      () => setCacheLimits('test.limits', { maxBytes: -1 }),
    ]) {
      try {
        bad();
        expect.unreachable();
      } catch (e) {
        expect(isMdlError(e, 'ERR_INVALID_ARGUMENT')).toBe(true);
      }
    }
    new HandleMemo<object, number>('test.memo-limits');
    expect(() => setCacheLimits('test.memo-limits', { maxEntries: 1 })).toThrow(/limits/);
  });

  it('clearCaches empties bounded caches, per-handle memos and core caches the decoder filled', () => {
    const c = new BoundedCache<string, number>({
      name: 'test.clear',
      maxEntries: 10,
      maxBytes: 100,
      sizeOf: () => 1,
    });
    const m = new HandleMemo<object, number>('test.memo');
    const handle = {};
    c.set('a', 1);
    m.set(handle, 7);
    decodeCbor(encodeCbor(new Map([['family_name', 1]])));
    expect(stat('core.cbor.interned-text')!.entries).toBeGreaterThan(0);
    clearCaches();
    expect(c.get('a')).toBeUndefined();
    expect(m.get(handle)).toBeUndefined();
    expect(stat('test.clear')).toMatchObject({ entries: 0, bytes: 0 });
    expect(stat('core.cbor.interned-text')).toMatchObject({ entries: 0, bytes: 0 });
    // Results never depend on the caches.
    expect(decodeCbor(encodeCbor(new Map([['family_name', 1]])))).toEqual(new Map([['family_name', 1]]));
  });

  describe('second-sighting admission', () => {
    const make = (name: string, sightings = { maxEntries: 3, maxBytes: 1000 }, maxEntries = 10) =>
      new BoundedCache<string, string>({
        name,
        maxEntries,
        maxBytes: 1000,
        sizeOf: (_, v) => v.length,
        admit: 'second-sighting',
        sightings: { ...sightings, sizeOf: (k) => k.length },
      });

    it('keeps nothing but the key at the first sighting and the entry from the second on', () => {
      const c = make('test.admit');
      c.set('a', 'first');
      expect(c.get('a')).toBeUndefined();
      expect(stat('test.admit')).toMatchObject({ entries: 0, bytes: 0 });
      expect(stat('test.admit.sightings')).toMatchObject({
        kind: 'bounded',
        entries: 1,
        bytes: 1,
        limits: { maxEntries: 3, maxBytes: 1000 },
      });
      c.set('a', 'second');
      expect(c.get('a')).toBe('second');
      expect(stat('test.admit')).toMatchObject({ entries: 1, bytes: 6 });
      // Admitted: the key leaves the sightings, and replacing a held entry needs no new sighting.
      expect(stat('test.admit.sightings')).toMatchObject({ entries: 0, bytes: 0 });
      c.set('a', 'third');
      expect(c.get('a')).toBe('third');
      expect(stat('test.admit.sightings')!.entries).toBe(0);
    });

    it('applies keep only to the entries it keeps', () => {
      const kept: string[] = [];
      const c = new BoundedCache<string, { v: string }>({
        name: 'test.admit-keep',
        maxEntries: 10,
        maxBytes: 100,
        sizeOf: () => 1,
        keep: (e) => {
          kept.push(e.v);
          return { v: `${e.v}!` };
        },
        admit: 'second-sighting',
        sightings: { maxEntries: 10, maxBytes: 100, sizeOf: () => 1 },
      });
      c.set('a', { v: 'one' });
      expect(kept).toEqual([]);
      c.set('a', { v: 'two' });
      expect(kept).toEqual(['two']);
      expect(c.get('a')).toEqual({ v: 'two!' });
    });

    it('an always-admitting cache keeps the first set and lists no sightings', () => {
      const c = new BoundedCache<string, number>({
        name: 'test.admit-always',
        maxEntries: 10,
        maxBytes: 100,
        sizeOf: () => 1,
        admit: 'always',
      });
      c.set('a', 1);
      expect(c.get('a')).toBe(1);
      expect(stat('test.admit-always.sightings')).toBeUndefined();
    });

    it('bounds its sightings in entries and bytes, oldest first out', () => {
      const c = make('test.admit-bounds', { maxEntries: 2, maxBytes: 5 });
      c.set('a', 'x');
      c.set('b', 'x');
      c.set('c', 'x'); // a third sighting: the oldest (a) is forgotten
      expect(stat('test.admit-bounds.sightings')).toMatchObject({ entries: 2, bytes: 2 });
      c.set('a', 'x'); // a first sighting again, not a second: not kept (b goes)
      expect(c.get('a')).toBeUndefined();
      c.set('c', 'x'); // still noted: kept
      expect(c.get('c')).toBe('x');
      c.set('dddd', 'x'); // 1 + 4 bytes fit; a second long key does not
      expect(stat('test.admit-bounds.sightings')).toMatchObject({ entries: 2, bytes: 5 });
      c.set('eeee', 'x');
      expect(stat('test.admit-bounds.sightings')).toMatchObject({ entries: 1, bytes: 4 });
      c.set('toolong', 'x'); // a key larger than the byte limit is never noted
      c.set('toolong', 'x');
      expect(c.get('toolong')).toBeUndefined();
      expect(stat('test.admit-bounds.sightings')).toMatchObject({ entries: 1, bytes: 4 });
    });

    it('admits a returning key only when it returns within the cache size (no churn from longer cycles)', () => {
      const c = make('test.admit-distance', { maxEntries: 100, maxBytes: 1000 }, 4);
      const cycle = (n: number, rounds: number): number => {
        let hits = 0;
        for (let r = 0; r < rounds; r++) {
          for (let i = 0; i < n; i++) {
            const key = `k${n}-${i}`;
            if (c.get(key) !== undefined) hits++;
            else c.set(key, 'v');
          }
        }
        return hits;
      };
      // Six keys in turn through four places: each returns after five other keys, too late to be
      // found, so none is admitted (an LRU that admitted them would evict on every call, hitting never).
      expect(cycle(6, 5)).toBe(0);
      expect(stat('test.admit-distance')).toMatchObject({ entries: 0 });
      expect(stat('test.admit-distance.sightings')).toMatchObject({ entries: 6 });
      // Three keys in turn: admitted at their second sighting, then found every time.
      expect(cycle(3, 5)).toBe(9);
      expect(stat('test.admit-distance')).toMatchObject({ entries: 3 });
    });

    it('clear() and clearCaches() forget the sightings as well as the entries', () => {
      const c = make('test.admit-clear');
      c.set('a', 'x');
      c.set('a', 'x');
      c.set('b', 'x');
      c.clear();
      expect(stat('test.admit-clear')).toMatchObject({ entries: 0, bytes: 0 });
      expect(stat('test.admit-clear.sightings')).toMatchObject({ entries: 0, bytes: 0 });
      c.set('b', 'x'); // a first sighting after the clear
      expect(c.get('b')).toBeUndefined();
      c.set('b', 'x');
      c.set('c', 'x');
      clearCaches();
      expect(c.get('b')).toBeUndefined();
      expect(stat('test.admit-clear.sightings')).toMatchObject({ entries: 0, bytes: 0 });
      c.set('c', 'x');
      expect(c.get('c')).toBeUndefined();
    });

    it('setCacheLimits reaches the sightings by name; a cache turned off notes nothing', () => {
      const c = make('test.admit-limits', { maxEntries: 10, maxBytes: 100 });
      for (const k of ['a', 'b', 'c', 'd']) c.set(k, 'x');
      setCacheLimits('test.admit-limits.sightings', { maxEntries: 2 });
      expect(stat('test.admit-limits.sightings')).toMatchObject({
        entries: 2,
        limits: { maxEntries: 2, maxBytes: 100 },
      });
      c.set('a', 'x'); // forgotten by the new limit: a first sighting
      expect(c.get('a')).toBeUndefined();
      c.set('d', 'x'); // still noted
      expect(c.get('d')).toBe('x');
      // No sightings kept: no key is ever seen twice, so nothing is kept.
      setCacheLimits('test.admit-limits.sightings', { maxEntries: 0 });
      expect(stat('test.admit-limits.sightings')!.entries).toBe(0);
      c.set('e', 'x');
      c.set('e', 'x');
      expect(c.get('e')).toBeUndefined();
      // The cache itself off: nothing kept and nothing noted.
      setCacheLimits('test.admit-limits.sightings', { maxEntries: 10 });
      setCacheLimits('test.admit-limits', { maxEntries: 0 });
      expect(stat('test.admit-limits')!.entries).toBe(0);
      c.set('f', 'x');
      expect(stat('test.admit-limits.sightings')!.entries).toBe(0);
    });
  });

  it('lists core caches with limits in bytes and entries', () => {
    const names = cacheStats().map((c) => c.name);
    for (const n of [
      'core.cbor.interned-text',
      'core.cbor.encode-scratch',
      'core.cbor.sort-scratch',
      'core.cose.sig-structure-scratch',
      'core.cose.protected-header-by-alg',
      'core.crypto.valid-points',
      'core.crypto.node-public-keys-by-point',
      'core.crypto.node-public-keys-by-point.sightings',
      'core.crypto.node-random-pool',
    ]) {
      expect(names).toContain(n);
      const s = stat(n)!;
      expect(s.limits!.maxBytes).toBeGreaterThan(0);
      expect(s.limits!.maxEntries).toBeGreaterThan(0);
    }
  });

  it('keeps a node KeyObject by point from the second import of the key on', async () => {
    const { privateKey, publicKey } = generateKeyPair({ curve: 'P-256' });
    const data = new Uint8Array([1, 2, 3]);
    const signature = await signWithPort(createLocalSigner({ privateKey, alg: -7 }), data);
    // Building the generated key's handle imported its point once; count from here.
    clearCaches();
    const entries = (name: string) => stat(name)!.entries;
    // Each call site builds its own handle from the key bytes, as a reader does per response.
    const handle = () => importPublicKey({ format: 'raw', curve: 'P-256', bytes: publicKey.point });
    expect(await verifySignature({ alg: -7, key: handle(), data, signature })).toBe(true);
    expect(entries('core.crypto.node-public-keys-by-point')).toBe(0); // seen once: noted, not kept
    expect(entries('core.crypto.node-public-keys-by-point.sightings')).toBe(1);
    expect(await verifySignature({ alg: -7, key: handle(), data, signature })).toBe(true);
    expect(entries('core.crypto.node-public-keys-by-point')).toBe(1);
    expect(await verifySignature({ alg: -7, key: handle(), data: new Uint8Array([9]), signature })).toBe(
      false,
    );
    expect(entries('core.crypto.node-public-keys-by-point')).toBe(1);
    clearCaches();
    expect(entries('core.crypto.node-public-keys-by-point.sightings')).toBe(0);
  });

  it('a scratch buffer is zeroed when given back, lent once, and dropped past its limit', () => {
    const s = new ScratchBuffer('test.scratch', 8, 32);
    const b = s.take(4)!;
    expect(b.length).toBe(8);
    expect(s.take()).toBeUndefined(); // lent
    b.fill(0xaa, 0, 5);
    s.give(b, 5);
    const again = s.take()!;
    expect(again).toBe(b);
    expect([...again]).toEqual(new Array(8).fill(0));
    s.give(again, 0);
    expect(s.take(64)).toBeUndefined(); // over the limit: the caller allocates
    const big = new Uint8Array(64).fill(1);
    const t = s.take()!;
    s.give(big, 64); // what the writer grew into is over the limit: not kept
    expect([...big]).toEqual(new Array(64).fill(0));
    expect(stat('test.scratch')).toMatchObject({ kind: 'buffer', bytes: 0 });
    expect(t.length).toBe(8);
  });

  it('a random pool hands each byte out once and zeroes what it handed out', () => {
    let calls = 0;
    const pool = new RandomPool('test.random', 16, 8);
    const fill = (b: Uint8Array) => {
      calls++;
      for (let i = 0; i < b.length; i++) b[i] = (i + calls * 16) & 0xff;
    };
    const a = pool.take(8, fill);
    const b = pool.take(8, fill);
    expect(calls).toBe(1);
    expect([...a]).not.toEqual([...b]);
    expect(a.buffer).not.toBe(b.buffer);
    const big = pool.take(9, fill); // over maxRequest: drawn directly
    expect(big.length).toBe(9);
    expect(calls).toBe(2);
  });
});
