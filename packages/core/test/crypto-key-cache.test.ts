import { describe, expect, it } from 'vitest';
import { CoseAlg, importPublicKey } from '../src/crypto/index.js';
import { node } from './crypto-providers.js';

const { createLocalSigner, generateKeyPair, signWithPort, verifySignature } = node;

// Public keys seen before skip the curve check (core/crypto/noble.ts) and the KeyObject import
// (core/crypto/node/backend.ts). Neither shortcut may accept a point that was never validated.
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
