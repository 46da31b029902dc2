import { describe, expect, it } from 'vitest';
import { isMdlError, MdlError } from '../errors/mdl-error.js';
import type { CryptoBackend } from './backend.js';
import { bindCrypto, type CryptoFunctions } from './bind.js';
import { curveInfo } from './curves.js';
import { importPublicKey } from './import-key.js';
import { nobleEcdh } from './noble.js';
import { backend as nodeBackend } from './node/backend.js';
import { backend as webBackend } from './web/backend.js';

const rejectsWith =
  (code: string) =>
  (e: unknown): boolean =>
    isMdlError(e) && e.code === code;

const littleEndian = (n: number, size: number): Uint8Array => {
  const out = new Uint8Array(size);
  out[0] = n;
  return out;
};

/**
 * Peer keys of small order (RFC 7748 §6.1; the X25519 list of libsodium's blocklist): u = 0
 * (order 2), u = 1 (order 4) and, on Curve25519, a point of order 8. Any clamped scalar times
 * one of them is the identity, whose u-coordinate encodes as all zeros.
 */
const SMALL_ORDER = {
  X25519: [
    littleEndian(0, 32),
    littleEndian(1, 32),
    Uint8Array.from(Buffer.from('e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800', 'hex')),
  ],
  X448: [littleEndian(0, 56), littleEndian(1, 56)],
} as const;
const MONTGOMERY = ['X25519', 'X448'] as const;

describe('ecdh: the all-zero shared secret (RFC 7748 §6.1)', () => {
  for (const backend of [nodeBackend, webBackend]) {
    const api = bindCrypto(backend);
    it.each(MONTGOMERY)(
      `${backend.name}: %s rejects a small-order peer key with ERR_CRYPTO_INVALID_KEY`,
      async (curve) => {
        const { privateKey } = api.generateKeyPair({ curve });
        for (const bytes of SMALL_ORDER[curve]) {
          const publicKey = importPublicKey({ format: 'raw', curve, bytes });
          await expect(api.ecdh({ privateKey, publicKey })).rejects.toSatisfy(
            rejectsWith('ERR_CRYPTO_INVALID_KEY'),
          );
        }
      },
    );
  }

  it.each(MONTGOMERY)('the @noble path (WebCrypto without %s) rejects a small-order peer key', (curve) => {
    const { privateKey } = bindCrypto(webBackend).generateKeyPair({ curve });
    for (const bytes of SMALL_ORDER[curve]) {
      expect(() => nobleEcdh(curve, privateKey.d, bytes)).toThrow(
        expect.objectContaining({ code: 'ERR_CRYPTO_INVALID_KEY' }),
      );
    }
  });

  // The libraries under the real backends refuse these keys themselves; the check in bindCrypto's
  // ecdh is what holds a backend that does not (a new runtime, a wrapper), so it is tested over one.
  for (const base of [nodeBackend, webBackend]) {
    const returning = (secret: (size: number) => Uint8Array): CryptoBackend => ({
      ...base,
      ecdh: async (curve) => secret(curveInfo(curve).size),
    });
    const zeros = bindCrypto(returning((size) => new Uint8Array(size)));

    it.each(MONTGOMERY)(
      `over a ${base.name} backend that returns zeros: %s is refused once, in the binding`,
      async (curve) => {
        const a = zeros.generateKeyPair({ curve });
        const b = zeros.generateKeyPair({ curve });
        await expect(zeros.ecdh({ privateKey: a.privateKey, publicKey: b.publicKey })).rejects.toSatisfy(
          rejectsWith('ERR_CRYPTO_INVALID_KEY'),
        );
      },
    );

    it(`over a ${base.name} backend that throws: ERR_CRYPTO_INVALID_KEY with the cause, MdlErrors as they are`, async () => {
      const refusal = new Error('the runtime refuses the key');
      const throwing = (error: unknown): CryptoFunctions =>
        bindCrypto({
          ...base,
          ecdh: async () => {
            throw error;
          },
        });
      for (const curve of ['P-256', 'X25519'] as const) {
        const a = zeros.generateKeyPair({ curve });
        const b = zeros.generateKeyPair({ curve });
        const options = { privateKey: a.privateKey, publicKey: b.publicKey };
        const wrapped = await throwing(refusal)
          .ecdh(options)
          .catch((e: unknown) => e);
        expect(wrapped).toMatchObject({ code: 'ERR_CRYPTO_INVALID_KEY', details: { curve }, cause: refusal });
        const typed = new MdlError('ERR_NOT_SUPPORTED', 'no WebCrypto');
        await expect(throwing(typed).ecdh(options)).rejects.toBe(typed);
      }
    });

    it(`over a ${base.name} backend: every byte is read, and EC2 curves keep x = 0`, async () => {
      for (const curve of MONTGOMERY) {
        const size = curveInfo(curve).size;
        for (const at of [0, size - 1]) {
          const api = bindCrypto(returning((n) => littleEndian(0, n).fill(1, at, at + 1)));
          const a = api.generateKeyPair({ curve });
          const b = api.generateKeyPair({ curve });
          const z = await api.ecdh({ privateKey: a.privateKey, publicKey: b.publicKey });
          expect(z[at]).toBe(1);
        }
      }
      // For P-256 an all-zero x coordinate is a legitimate shared secret, not a small-order sign.
      const a = zeros.generateKeyPair({ curve: 'P-256' });
      const b = zeros.generateKeyPair({ curve: 'P-256' });
      expect(await zeros.ecdh({ privateKey: a.privateKey, publicKey: b.publicKey })).toEqual(
        new Uint8Array(32),
      );
    });
  }
});
