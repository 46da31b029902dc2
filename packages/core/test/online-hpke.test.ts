/**
 * HPKE through the wrapper: RFC 9180 Appendix A.3.1 (DHKEM(P-256, HKDF-SHA256), HKDF-SHA256,
 * AES-128-GCM, Base mode, sequence 0), and the failure cases mapped to codes.
 */
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../src/cbor/index.js';
import { generateKeyPair, importPrivateKey, importPublicKey } from '../src/crypto/index.js';
import { isMdlError } from '../src/errors/index.js';
import { hpkeOpen, hpkeSeal } from '../src/online/index.js';

// RFC 9180 A.3.1 (values cross-checked against three independent test suites).
const A31 = {
  info: '4f6465206f6e2061204772656369616e2055726e',
  ikmE: '4270e54ffd08d79d5928020af4686d8f6b7d35dbe470265f1f5aa22816ce860e',
  pkRm: '04fe8c19ce0905191ebc298a9245792531f26f0cece2460639e8bc39cb7f706a826a779b4cf969b8a0e539c7f62fb3d30ad6aa8f80e30f1d128aafd68a2ce72ea0',
  skRm: 'f3ce7fdae57e1a310d87f1ebbde6f328be0a99cdbcadf4d6589cf29de4b8ffd2',
  enc: '04a92719c6195d5085104f469a8b9814d5838ff72b60501e2c4466e5e67b325ac98536d7b61a1af4b78e5b7f951c0900be863c403ce65c9bfcb9382657222d18c4',
  pt: '4265617574792069732074727574682c20747275746820626561757479',
  aad: '436f756e742d30',
  ct: '5ad590bb8baa577f8619db35a36311226a896e7342a6d836d8b7bcd2f20b6c7f9076ac232e3ab2523f39513434',
};

const recipientPublicKey = importPublicKey({ format: 'raw', curve: 'P-256', bytes: fromHex(A31.pkRm) });
const recipientPrivateKey = importPrivateKey({ format: 'raw', curve: 'P-256', d: fromHex(A31.skRm) });

describe('HPKE (RFC 9180 A.3.1 through @hpke/core)', () => {
  it('seals the vector plaintext to the vector enc and ciphertext', async () => {
    const sealed = await hpkeSeal({
      recipientPublicKey,
      plaintext: fromHex(A31.pt),
      info: fromHex(A31.info),
      aad: fromHex(A31.aad),
      ephemeralIkm: fromHex(A31.ikmE),
    });
    expect(toHex(sealed.enc)).toBe(A31.enc);
    expect(toHex(sealed.ciphertext)).toBe(A31.ct);
  });

  it('opens the vector ciphertext with skRm', async () => {
    const pt = await hpkeOpen({
      recipientPrivateKey,
      enc: fromHex(A31.enc),
      ciphertext: fromHex(A31.ct),
      info: fromHex(A31.info),
      aad: fromHex(A31.aad),
    });
    expect(toHex(pt)).toBe(A31.pt);
  });

  it('fails with ERR_CRYPTO_DECRYPT_FAILED for another info, another key or a flipped byte', async () => {
    const base = {
      enc: fromHex(A31.enc),
      ciphertext: fromHex(A31.ct),
      info: fromHex(A31.info),
      aad: fromHex(A31.aad),
    };
    const other = generateKeyPair({ curve: 'P-256' }).privateKey;
    const flipped = fromHex(A31.ct);
    flipped[3] = flipped[3]! ^ 1;
    for (const attempt of [
      { ...base, recipientPrivateKey, info: new Uint8Array([1]) },
      { ...base, recipientPrivateKey: other },
      { ...base, recipientPrivateKey, ciphertext: flipped },
      { ...base, recipientPrivateKey, enc: new Uint8Array(65) },
    ]) {
      const error = await hpkeOpen(attempt).catch((e: unknown) => e);
      expect(isMdlError(error, 'ERR_CRYPTO_DECRYPT_FAILED')).toBe(true);
    }
  });

  it('round-trips with a fresh ephemeral key and rejects non-P-256 keys', async () => {
    const pair = generateKeyPair({ curve: 'P-256' });
    const info = new Uint8Array([0x83, 0xf6, 0xf6, 0xf6]);
    const a = await hpkeSeal({
      recipientPublicKey: pair.publicKey,
      plaintext: new Uint8Array([1, 2, 3]),
      info,
    });
    const b = await hpkeSeal({
      recipientPublicKey: pair.publicKey,
      plaintext: new Uint8Array([1, 2, 3]),
      info,
    });
    expect(toHex(a.enc)).not.toBe(toHex(b.enc));
    expect([...(await hpkeOpen({ recipientPrivateKey: pair.privateKey, ...a, info }))]).toEqual([1, 2, 3]);
    const p384 = generateKeyPair({ curve: 'P-384' });
    const error = await hpkeSeal({
      recipientPublicKey: p384.publicKey,
      plaintext: new Uint8Array(1),
      info,
    }).catch((e: unknown) => e);
    expect(isMdlError(error, 'ERR_CRYPTO_UNSUPPORTED_CURVE')).toBe(true);
  });
});
