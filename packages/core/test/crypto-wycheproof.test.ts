import fc from 'fast-check';
/**
 * Wycheproof vectors through our wrappers, for both providers. Which files run, and the policy for
 * "acceptable" cases, is data in test-vectors/wycheproof-manifest.json.
 */
import { describe, expect, it } from 'vitest';
import { ecdsaRawToDerWith } from '../src/crypto/ecdsa-signature.js';
import type { PrivateKey, PublicKey } from '../src/crypto/index.js';
import { isMdlError } from '../src/errors/index.js';
import { hex, readVectorJson } from './crypto-helpers.js';
import { node, web } from './crypto-providers.js';
import { runEcdsaFile, type WFile, type WTest, wycheproofFiles } from './crypto-wycheproof-helpers.js';

const files = wycheproofFiles();
const providers = [node, web] as const;

function tally() {
  return { valid: 0, invalid: 0, acceptable: 0 };
}

describe.each(providers)('Wycheproof ($cryptoProvider)', (api) => {
  // The WebCrypto provider verifies brainpool with @noble (slow BigInt math): those four files run
  // in crypto-wycheproof-noble.test.ts so the two files can use both CI cores.
  const ecdsaFiles = files.filter(
    (f) => f.startsWith('ecdsa_') && !(api.cryptoProvider === 'webcrypto' && f.includes('brainpool')),
  );

  it.each(ecdsaFiles)('%s', (file) => runEcdsaFile(api, file));

  it('ed25519_test.json', async () => {
    expect(files).toContain('ed25519_test.json');
    const data = readVectorJson<WFile<{ publicKey: { pk: string } }>>('wycheproof', 'ed25519_test.json');
    let checked = 0;
    for (const group of data.testGroups) {
      const key = api.importPublicKey({ format: 'raw', curve: 'Ed25519', bytes: hex(group.publicKey.pk) });
      for (const t of group.tests) {
        const ok = await api.verifySignature({
          alg: -8,
          key,
          data: hex(t.msg as string),
          signature: hex(t.sig as string),
        });
        expect(ok, `tc ${t.tcId} (${t.comment})`).toBe(t.result === 'valid');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('ecdh_secp256r1_test.json (acceptable: compressed accepted; BER and explicit curves rejected)', async () => {
    expect(files).toContain('ecdh_secp256r1_test.json');
    const data = readVectorJson<WFile<object>>('wycheproof', 'ecdh_secp256r1_test.json');
    const seen = tally();
    for (const group of data.testGroups) {
      for (const t of group.tests) {
        let shared: Uint8Array | undefined;
        let error: unknown;
        try {
          const publicKey: PublicKey = api.importPublicKey({ format: 'spki', der: hex(t.public as string) });
          let d = hex(t.private as string);
          while (d.length > 32 && d[0] === 0) d = d.subarray(1);
          const padded = new Uint8Array(32);
          padded.set(d, 32 - d.length);
          const privateKey: PrivateKey = api.importPrivateKey({ format: 'raw', curve: 'P-256', d: padded });
          shared = await api.ecdh({ privateKey, publicKey });
        } catch (e) {
          error = e;
        }
        const label = `tc ${t.tcId} ${t.comment} ${t.flags.join(',')}`;
        if (error !== undefined) expect(isMdlError(error), `${label}: ${String(error)}`).toBe(true);
        const accept =
          t.result === 'valid' || (t.result === 'acceptable' && t.flags.includes('CompressedPublic'));
        if (accept) expect(shared, label).toEqual(hex(t.shared as string));
        else expect(shared, label).toBeUndefined();
        seen[t.result]++;
      }
    }
    expect(seen.valid).toBeGreaterThan(300);
    expect(seen.invalid).toBeGreaterThan(40);
  });

  it('hkdf_sha256_test.json', () => {
    expect(files).toContain('hkdf_sha256_test.json');
    const data = readVectorJson<WFile<object>>('wycheproof', 'hkdf_sha256_test.json');
    for (const group of data.testGroups) {
      for (const t of group.tests) {
        const run = () =>
          api.hkdf({
            hash: 'SHA-256',
            ikm: hex(t.ikm as string),
            salt: hex(t.salt as string),
            info: hex(t.info as string),
            length: t.size as number,
          });
        if (t.result === 'valid') expect(run(), `tc ${t.tcId}`).toEqual(hex(t.okm as string));
        else expect(run, `tc ${t.tcId}`).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
      }
    }
  });

  it('hmac_sha256_test.json', () => {
    expect(files).toContain('hmac_sha256_test.json');
    const data = readVectorJson<WFile<{ tagSize: number }>>('wycheproof', 'hmac_sha256_test.json');
    for (const group of data.testGroups) {
      for (const t of group.tests) {
        const tag = api
          .hmac('SHA-256', hex(t.key as string), hex(t.msg as string))
          .subarray(0, group.tagSize / 8);
        expect(api.constantTimeEqual(tag, hex(t.tag as string)), `tc ${t.tcId}`).toBe(t.result === 'valid');
      }
    }
  });

  it('aes_gcm_test.json (128/256-bit keys, 96-bit IV, 128-bit tag)', async () => {
    expect(files).toContain('aes_gcm_test.json');
    const data = readVectorJson<WFile<{ keySize: number; ivSize: number; tagSize: number }>>(
      'wycheproof',
      'aes_gcm_test.json',
    );
    let checked = 0;
    let otherIv: WTest | undefined;
    for (const group of data.testGroups) {
      if (group.ivSize !== 96 && group.keySize === 256) otherIv ??= group.tests[0];
      if (group.keySize === 192 || group.ivSize !== 96 || group.tagSize !== 128) continue;
      for (const t of group.tests) {
        const key = hex(t.key as string);
        const iv = hex(t.iv as string);
        const aad = hex(t.aad as string);
        const expected = new Uint8Array([...hex(t.ct as string), ...hex(t.tag as string)]);
        const decrypt = api.aesGcmDecrypt({ key, iv, aad, ciphertext: expected });
        if (t.result === 'valid') {
          expect(
            await api.aesGcmEncrypt({ key, iv, aad, plaintext: hex(t.msg as string) }),
            `tc ${t.tcId}`,
          ).toEqual(expected);
          expect(await decrypt, `tc ${t.tcId}`).toEqual(hex(t.msg as string));
        } else {
          await expect(decrypt, `tc ${t.tcId}`).rejects.toMatchObject({ code: 'ERR_CRYPTO_DECRYPT_FAILED' });
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(120);
    expect(otherIv).toBeDefined();
    await expect(
      api.aesGcmDecrypt({
        key: hex(otherIv!.key as string),
        iv: hex(otherIv!.iv as string),
        ciphertext: new Uint8Array(32),
      }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });
});

describe('ECDSA DER ↔ raw', () => {
  it('raw → DER is minimal DER for any r‖s (leading zeros, high bits, zero components)', () => {
    const shaped = fc
      .record({
        size: fc.constantFrom(32, 48, 66, 132),
        seed: fc.uint8Array({ minLength: 264, maxLength: 264 }),
        zerosR: fc.nat(140),
        zerosS: fc.nat(140),
      })
      .map(({ size, seed, zerosR, zerosS }) => {
        const raw = seed.slice(0, 2 * size);
        raw.fill(0, 0, Math.min(zerosR, size));
        raw.fill(0, size, size + Math.min(zerosS, size));
        return { size, raw };
      });
    fc.assert(
      fc.property(shaped, ({ size, raw }) => {
        // ecdsaDerToRaw is strict: it refuses non-minimal lengths and INTEGERs.
        const der = node.ecdsaRawToDer(raw);
        expect(node.ecdsaDerToRaw(der, size)).toEqual(raw);
        // The provider's form writes every byte of an array it did not zero.
        expect(ecdsaRawToDerWith(raw, (n) => new Uint8Array(n).fill(0xaa))).toEqual(der);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips and handles P-521 long-form lengths', () => {
    for (const size of [32, 48, 66]) {
      for (const fill of [0x00, 0x01, 0x7f, 0x80, 0xff]) {
        const raw = new Uint8Array(size * 2).fill(fill);
        raw[0] = 0;
        raw[size] = 0x80;
        const der = node.ecdsaRawToDer(raw);
        if (size === 66 && fill !== 0) expect(der[1]).toBe(0x81); // long-form SEQUENCE length
        expect(node.ecdsaDerToRaw(der, size)).toEqual(raw);
      }
    }
  });

  it.each([
    ['empty', ''],
    ['not a sequence', '310602010102010'],
    ['trailing byte', '3006020101020101' + '00'],
    ['indefinite length', '3080020101020101' + '0000'],
    ['non-minimal long form', '30810602010102010'],
    ['negative r', '3006020180020101'],
    ['non-minimal integer', '300702020001020101'],
    ['three integers', '3009020101020101020101'],
    ['truncated', '30060201010201'],
    ['r too large', `3026022101${'00'.repeat(32)}020101`],
  ])('%s → ERR_CRYPTO_INVALID_SIGNATURE_ENCODING', (_name, h) => {
    expect(() => node.ecdsaDerToRaw(hex(h.length % 2 ? `${h}0` : h), 32)).toThrow(
      expect.objectContaining({ code: 'ERR_CRYPTO_INVALID_SIGNATURE_ENCODING' }),
    );
  });
});
