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
import { importPublicKey } from './crypto/import-key.js';
import { createLocalSigner, generateKeyPair, signWithPort, verifySignature } from './crypto/node/api.js';
import { isMdlError } from './errors/mdl-error.js';

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
      'core.crypto.node-public-key-sightings',
      'core.crypto.node-random-pool',
    ]) {
      expect(names).toContain(n);
      const s = stat(n)!;
      expect(s.limits!.maxBytes).toBeGreaterThan(0);
      expect(s.limits!.maxEntries).toBeGreaterThan(0);
    }
  });

  it('keeps a node KeyObject by point from the second import of the key on', async () => {
    clearCaches();
    const { privateKey, publicKey } = generateKeyPair({ curve: 'P-256' });
    const data = new Uint8Array([1, 2, 3]);
    const signature = await signWithPort(createLocalSigner({ privateKey, alg: -7 }), data);
    const entries = (name: string) => stat(name)!.entries;
    // Each call site builds its own handle from the key bytes, as a reader does per response.
    const handle = () => importPublicKey({ format: 'raw', curve: 'P-256', bytes: publicKey.point });
    expect(await verifySignature({ alg: -7, key: handle(), data, signature })).toBe(true);
    expect(entries('core.crypto.node-public-keys-by-point')).toBe(0); // seen once: noted, not kept
    expect(entries('core.crypto.node-public-key-sightings')).toBe(1);
    expect(await verifySignature({ alg: -7, key: handle(), data, signature })).toBe(true);
    expect(entries('core.crypto.node-public-keys-by-point')).toBe(1);
    expect(await verifySignature({ alg: -7, key: handle(), data: new Uint8Array([9]), signature })).toBe(
      false,
    );
    expect(entries('core.crypto.node-public-keys-by-point')).toBe(1);
    clearCaches();
    expect(entries('core.crypto.node-public-key-sightings')).toBe(0);
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
