import { describe, expect, it } from 'vitest';
import { cacheStats, clearCaches } from '../src/caches.js';
import { CoseAlg, importPublicKey } from '../src/crypto/index.js';
import { decodeEcPoint } from '../src/crypto/noble.js';
import { hex } from './crypto-helpers.js';
import { node } from './crypto-providers.js';

const { createLocalSigner, generateKeyPair, signWithPort, verifySignature } = node;

// Public keys seen before skip the KeyObject import (core/crypto/node/backend.ts, where the import is
// also the curve check) and, on the web provider, @noble's curve check (core/crypto/noble.ts).
// Neither shortcut may accept a point that was never validated.
describe('imported-key reuse', () => {
  it('a key imported again in a new handle verifies; a one-byte change is still rejected', async () => {
    const pair = generateKeyPair({ curve: 'P-256' });
    const data = new Uint8Array([1, 2, 3]);
    const signature = await signWithPort(
      createLocalSigner({ privateKey: pair.privateKey, alg: CoseAlg.ES256 }),
      data,
    );
    for (let i = 0; i < 3; i++) {
      const key = importPublicKey({ format: 'raw', curve: 'P-256', bytes: pair.publicKey.point });
      expect(key).not.toBe(pair.publicKey);
      expect(await verifySignature({ alg: CoseAlg.ES256, key, data, signature })).toBe(true);
    }
    const tampered = pair.publicKey.point.slice();
    tampered[64]! ^= 1; // y off by one bit: not on the curve
    expect(() => importPublicKey({ format: 'raw', curve: 'P-256', bytes: tampered })).toThrow(
      expect.objectContaining({ code: 'ERR_CRYPTO_INVALID_KEY' }),
    );
  });

  it('a reused key never verifies a signature by another key', async () => {
    const a = generateKeyPair({ curve: 'P-256' });
    const b = generateKeyPair({ curve: 'P-256' });
    const data = new Uint8Array([9]);
    const sigB = await signWithPort(
      createLocalSigner({ privateKey: b.privateKey, alg: CoseAlg.ES256 }),
      data,
    );
    const keyA = importPublicKey({ format: 'raw', curve: 'P-256', bytes: a.publicKey.point });
    expect(await verifySignature({ alg: CoseAlg.ES256, key: keyA, data, signature: sigB })).toBe(false);
  });
});

// On node:crypto, an uncompressed EC point is checked by OpenSSL as the key is imported (the
// backend's `adoptEcPoint`); everywhere else by @noble (`decodeEcPoint`). Both must refuse the same
// points. Each curve's prime and a point with a small x (x + p still fits the coordinate size) are
// built here from the curve equation y² = x³ − 3x + b, independently of either implementation.
describe('uncompressed points the curve check must refuse, on both paths', () => {
  const curves = {
    'P-256': {
      p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
      b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
      size: 32,
    },
    'P-384': {
      p: 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n,
      b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
      size: 48,
    },
  } as const;
  const modPow = (base: bigint, e: bigint, p: bigint): bigint => {
    let r = 1n;
    let a = base % p;
    for (; e > 0n; e >>= 1n, a = (a * a) % p) if (e & 1n) r = (r * a) % p;
    return r;
  };
  const bytesOf = (n: bigint, size: number): number[] => [...hex(n.toString(16).padStart(2 * size, '0'))];
  /** A point with a small x (both primes are 3 mod 4, so √ is a power). */
  const smallPoint = (p: bigint, b: bigint): [bigint, bigint] => {
    for (let x = 1n; ; x++) {
      const rhs = (((x ** 3n - 3n * x + b) % p) + p) % p;
      const y = modPow(rhs, (p + 1n) / 4n, p);
      if ((y * y) % p === rhs) return [x, y];
    }
  };
  for (const [curve, { p, b, size }] of Object.entries(curves) as [
    keyof typeof curves,
    (typeof curves)[keyof typeof curves],
  ][]) {
    const [x, y] = smallPoint(p, b);
    const point = (px: bigint, py: bigint) =>
      Uint8Array.from([4, ...bytesOf(px, size), ...bytesOf(py, size)]);
    const cases: [string, Uint8Array][] = [
      ['off the curve (y + 1)', point(x, (y + 1n) % p)],
      ['x + p (the same point, unreduced)', point(x + p, y)],
      ['(0, 0)', point(0n, 0n)],
    ];
    it(`${curve}: the small-x point itself is accepted on both paths`, () => {
      expect(importPublicKey({ format: 'raw', curve, bytes: point(x, y) }).x).toEqual(
        Uint8Array.from(bytesOf(x, size)),
      );
      expect(decodeEcPoint(curve, point(x, y))).toEqual(point(x, y));
    });
    it.each(cases)(`${curve}: %s → ERR_CRYPTO_INVALID_KEY (runtime import and @noble)`, (_name, bytes) => {
      const code = expect.objectContaining({ code: 'ERR_CRYPTO_INVALID_KEY' });
      expect(() => importPublicKey({ format: 'raw', curve, bytes })).toThrow(code);
      expect(() => decodeEcPoint(curve, bytes)).toThrow(code);
    });
  }

  it.each(['P-521', 'brainpoolP256r1', 'brainpoolP384r1'] as const)(
    '%s: a generated point with one bit of y flipped is refused on both paths',
    (curve) => {
      const { publicKey } = generateKeyPair({ curve });
      const tampered = publicKey.point.slice();
      tampered[tampered.length - 1]! ^= 1; // y ± 1: not on the curve
      const code = expect.objectContaining({ code: 'ERR_CRYPTO_INVALID_KEY' });
      expect(() => importPublicKey({ format: 'raw', curve, bytes: tampered })).toThrow(code);
      expect(() => decodeEcPoint(curve, tampered)).toThrow(code);
      expect(importPublicKey({ format: 'raw', curve, bytes: publicKey.point }).point).toEqual(
        publicKey.point,
      );
    },
  );

  it('on node:crypto the import is the check: no @noble cache entry, one KeyObject noted', () => {
    clearCaches();
    const pair = generateKeyPair({ curve: 'P-256' });
    clearCaches();
    importPublicKey({ format: 'raw', curve: 'P-256', bytes: pair.publicKey.point });
    expect(cacheStats().find((s) => s.name === 'core.crypto.valid-points')!.entries).toBe(0);
    expect(
      cacheStats().find((s) => s.name === 'core.crypto.node-public-keys-by-point.sightings')!.entries,
    ).toBe(1);
  });
});
