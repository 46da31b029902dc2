import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCbor, EncodedCbor, encodeCbor } from '../src/cbor/index.js';
import type { Jwk } from '../src/crypto/index.js';
import { hex } from './crypto-helpers.js';
import { node, web } from './crypto-providers.js';

describe('key import / export', () => {
  it('imports node-generated keys (SPKI, PKCS #8, JWK) on every curve OpenSSL and we share', async () => {
    const cases = [
      ['ec', { namedCurve: 'P-256' }, 'P-256'],
      ['ec', { namedCurve: 'P-521' }, 'P-521'],
      ['ec', { namedCurve: 'brainpoolP320r1' }, 'brainpoolP320r1'],
      ['ed25519', {}, 'Ed25519'],
      ['ed448', {}, 'Ed448'],
      ['x448', {}, 'X448'],
    ] as const;
    for (const [type, opts, curve] of cases) {
      const kp = generateKeyPairSync(type as 'ec', opts as { namedCurve: string });
      const spki = new Uint8Array(kp.publicKey.export({ type: 'spki', format: 'der' }));
      const pkcs8 = new Uint8Array(kp.privateKey.export({ type: 'pkcs8', format: 'der' }));
      const pub = node.importPublicKey({ format: 'spki', der: spki });
      const priv = node.importPrivateKey({ format: 'pkcs8', der: pkcs8 });
      expect(pub.curve).toBe(curve);
      expect(priv.publicKey.point).toEqual(pub.point);
      expect(node.exportPublicKey(pub, 'spki')).toEqual(spki);
      if (!curve.startsWith('brainpool')) {
        const jwk = kp.publicKey.export({ format: 'jwk' });
        expect(node.exportPublicKey(pub, 'jwk')).toEqual(jwk);
        expect(
          node.importPrivateKey({ format: 'jwk', jwk: kp.privateKey.export({ format: 'jwk' }) as Jwk }).d,
        ).toEqual(priv.d);
      }
    }
  });

  it('compressed and uncompressed raw points give the same handle', () => {
    for (const api of [node, web]) {
      const { publicKey } = api.generateKeyPair({ curve: 'brainpoolP256r1' });
      const c = api.exportPublicKey(publicKey, 'raw-compressed');
      expect(c.length).toBe(33);
      const back = api.importPublicKey({ format: 'raw', curve: 'brainpoolP256r1', bytes: c });
      expect(back.point).toEqual(publicKey.point);
      expect(
        api.importPublicKey({
          format: 'coordinates',
          curve: 'brainpoolP256r1',
          x: back.x,
          y: (c[0]! & 1) === 1,
        }).y,
      ).toEqual(publicKey.y);
    }
  });

  it.each([
    [
      'off-curve point',
      { format: 'raw', curve: 'P-256', bytes: new Uint8Array([4, ...new Uint8Array(64).fill(1)]) },
      'ERR_CRYPTO_INVALID_KEY',
    ],
    [
      'point at infinity',
      { format: 'raw', curve: 'P-256', bytes: Uint8Array.of(0) },
      'ERR_CRYPTO_INVALID_KEY',
    ],
    ['wrong length', { format: 'raw', curve: 'P-384', bytes: new Uint8Array(65) }, 'ERR_CRYPTO_INVALID_KEY'],
    [
      'x ≥ p compressed',
      { format: 'raw', curve: 'P-256', bytes: new Uint8Array([2, ...new Uint8Array(32).fill(0xff)]) },
      'ERR_CRYPTO_INVALID_KEY',
    ],
    [
      'unknown curve',
      { format: 'raw', curve: 'secp256k1', bytes: new Uint8Array(33) },
      'ERR_CRYPTO_UNSUPPORTED_CURVE',
    ],
    [
      'JWK kty mismatch',
      { format: 'jwk', jwk: { kty: 'OKP', crv: 'P-256', x: 'AA' } },
      'ERR_CRYPTO_INVALID_KEY',
    ],
    [
      'JWK bad base64url',
      { format: 'jwk', jwk: { kty: 'OKP', crv: 'Ed25519', x: 'a+b/' } },
      'ERR_CRYPTO_INVALID_KEY',
    ],
    [
      'JWK short x',
      { format: 'jwk', jwk: { kty: 'OKP', crv: 'Ed25519', x: 'AAAA' } },
      'ERR_CRYPTO_INVALID_KEY',
    ],
    [
      'SPKI garbage',
      { format: 'spki', der: Uint8Array.of(0x30, 0x03, 0x02, 0x01) },
      'ERR_CRYPTO_INVALID_KEY',
    ],
    [
      'SPKI without key bits (RSA AlgorithmIdentifier only)',
      { format: 'spki', der: hex('300d06092a864886f70d0101010500') },
      'ERR_CRYPTO_INVALID_KEY',
    ],
    ['unknown format', { format: 'pem' }, 'ERR_INVALID_ARGUMENT'],
  ] as const)('%s → %s', (_n, input, code) => {
    expect(() =>
      node.importPublicKey(input as unknown as Parameters<typeof node.importPublicKey>[0]),
    ).toThrow(expect.objectContaining({ code }));
  });

  it('rejects private scalars of 0, n and the wrong length', () => {
    const n = hex('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
    for (const d of [new Uint8Array(32), n, new Uint8Array(31).fill(1)]) {
      expect(() => node.importPrivateKey({ format: 'raw', curve: 'P-256', d })).toThrow(
        expect.objectContaining({ code: 'ERR_CRYPTO_INVALID_KEY' }),
      );
    }
  });
});

describe('digest and digestEquals', () => {
  // FIPS 180-4 examples: "abc".
  const abc = new TextEncoder().encode('abc');
  const known = {
    'SHA-256': hex('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'),
    'SHA-384': hex(
      'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
    ),
    'SHA-512': hex(
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    ),
  } as const;
  it.each([node, web])('$cryptoProvider: known answers, and a mismatch in any byte or length', (api) => {
    for (const [hash, expected] of Object.entries(known) as [keyof typeof known, Uint8Array][]) {
      expect(api.digest(hash, abc)).toEqual(expected);
      expect(api.digestEquals(hash, abc, expected)).toBe(true);
      for (const i of [0, expected.length - 1]) {
        const wrong = expected.slice();
        wrong[i]! ^= 0x80; // a high bit: a latin1 string compare must not fold it away
        expect(api.digestEquals(hash, abc, wrong)).toBe(false);
      }
      expect(api.digestEquals(hash, abc, expected.subarray(1))).toBe(false);
      expect(api.digestEquals(hash, new Uint8Array(0), expected)).toBe(false);
    }
    // A digest with every byte value ≥ 0x80 somewhere round-trips through the node string path.
    const high = api.digest('SHA-256', Uint8Array.of(0xff, 0x80));
    expect(api.digestEquals('SHA-256', Uint8Array.of(0xff, 0x80), high)).toBe(true);
    expect(() => api.digestEquals('MD5' as 'SHA-256', abc, known['SHA-256'])).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
    expect(() => api.digestEquals('SHA-256', abc, 'x' as unknown as Uint8Array)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
  });
});

describe('digestEquals over an embedded item', () => {
  it.each([node, web])('$cryptoProvider: hashes the #6.24(bstr) as received, in place', (api) => {
    const item = EncodedCbor.fromValue(
      new Map<string, unknown>([
        ['digestID', 7],
        ['random', new Uint8Array(40).fill(9)],
      ]),
    );
    // Received twice in one input: the items are views into the decoder's copy of it.
    const [a, b] = decodeCbor(encodeCbor([item, item])) as EncodedCbor[];
    const expected = api.digest('SHA-256', item.tagged());
    expect(api.digestEquals('SHA-256', a!, expected)).toBe(true);
    expect(api.digestEquals('SHA-384', b!, api.digest('SHA-384', item.tagged()))).toBe(true);
    const other = EncodedCbor.fromValue(new Map<string, unknown>([['digestID', 8]]));
    expect(api.digestEquals('SHA-256', other, expected)).toBe(false);
    // Not the content bytes: the digest covers the tag and byte-string heads too.
    expect(api.digestEquals('SHA-256', a!, api.digest('SHA-256', item.bytes))).toBe(false);
  });
});

describe('digests across providers', () => {
  it('node:crypto (two bytes per string unit) and WebCrypto / noble agree byte for byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2100 }), fc.integer({ min: 0, max: 9 }), (data, offset) => {
        for (const hash of ['SHA-256', 'SHA-384', 'SHA-512'] as const) {
          const expected = web.digest(hash, data);
          expect(node.digest(hash, data)).toEqual(expected);
          expect(node.digestEquals(hash, data, expected)).toBe(true);
          const out = new Uint8Array(offset + expected.length);
          node.digestInto(hash, data, out, offset);
          expect(out.subarray(offset)).toEqual(expected);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('digestInto', () => {
  it.each([node, web])('$cryptoProvider: writes the digest at the offset and nothing else', (api) => {
    const data = new TextEncoder().encode('abc');
    for (const hash of ['SHA-256', 'SHA-384', 'SHA-512'] as const) {
      const expected = api.digest(hash, data);
      const out = new Uint8Array(expected.length + 10).fill(0xee);
      expect(api.digestInto(hash, data, out, 7)).toBe(7 + expected.length);
      expect(out.subarray(7, 7 + expected.length)).toEqual(expected);
      expect([...out.subarray(0, 7), ...out.subarray(7 + expected.length)].every((b) => b === 0xee)).toBe(
        true,
      );
    }
  });

  it.each([node, web])('$cryptoProvider: typed errors for no room, bad offsets and bad arguments', (api) => {
    const data = Uint8Array.of(1, 2, 3);
    for (const [out, offset] of [
      [new Uint8Array(31), 0],
      [new Uint8Array(40), 9],
      [new Uint8Array(40), -1],
      [new Uint8Array(40), 1.5],
      ['x', 0],
    ] as const) {
      expect(() => api.digestInto('SHA-256', data, out as Uint8Array, offset)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
      );
    }
    expect(() => api.digestInto('MD5' as 'SHA-256', data, new Uint8Array(64), 0)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
  });
});

describe('primitive argument checks', () => {
  it.each([node, web])('$cryptoProvider: typed errors, never crashes', async (api) => {
    expect(api.hashForAlg(-36)).toBe('SHA-512');
    expect(() => api.hashForAlg(-8)).toThrow(
      expect.objectContaining({ code: 'ERR_CRYPTO_DIGEST_SIGNING_UNSUPPORTED' }),
    );
    expect(() => api.digest('MD5' as 'SHA-256', new Uint8Array(1))).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
    expect(() => api.digest('SHA-256', 'text' as unknown as Uint8Array)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
    for (const length of [0, -1, 1.5, 255 * 32 + 1]) {
      expect(() =>
        api.hkdf({
          hash: 'SHA-256',
          ikm: new Uint8Array(1),
          salt: new Uint8Array(0),
          info: new Uint8Array(0),
          length,
        }),
      ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    }
    expect(api.randomBytes(70000).length).toBe(70000);
    expect(() => api.randomBytes(-1)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    const key = new Uint8Array(32);
    await expect(
      api.aesGcmEncrypt({ key: new Uint8Array(24), iv: new Uint8Array(12), plaintext: new Uint8Array(1) }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(
      api.aesGcmDecrypt({ key, iv: new Uint8Array(12), ciphertext: new Uint8Array(15) }),
    ).rejects.toMatchObject({
      code: 'ERR_CRYPTO_DECRYPT_FAILED',
    });
    const ct = await api.aesGcmEncrypt({ key, iv: new Uint8Array(12), plaintext: Uint8Array.of(1, 2, 3) });
    ct[0]! ^= 1;
    await expect(api.aesGcmDecrypt({ key, iv: new Uint8Array(12), ciphertext: ct })).rejects.toMatchObject({
      code: 'ERR_CRYPTO_DECRYPT_FAILED',
    });
  });
});
