import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CoseAlg, type Curve, isMdlErrorCode } from './crypto-helpers.js';
import { node, web } from './crypto-providers.js';

const providers = [node, web] as const;

const SIGNING: ReadonlyArray<readonly [Curve, CoseAlg]> = [
  ['P-256', -7],
  ['P-384', -35],
  ['P-521', -36],
  ['brainpoolP256r1', -7],
  ['brainpoolP320r1', -35],
  ['brainpoolP384r1', -35],
  ['brainpoolP512r1', -36],
  ['Ed25519', -8],
  ['Ed448', -8],
];

describe.each(providers)('local signers ($cryptoProvider)', (api) => {
  it.each(SIGNING)('%s / alg %i: verify(sign(x)) on both providers', async (curve, alg) => {
    const { privateKey, publicKey } = api.generateKeyPair({ curve });
    const signer = api.createLocalSigner({ privateKey, alg });
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (data) => {
        const signature = await api.signWithPort(signer, data);
        for (const other of providers) {
          expect(await other.verifySignature({ alg, key: publicKey, data, signature })).toBe(true);
        }
        const tampered = data.length > 0 ? data.map((b, i) => (i === 0 ? b ^ 1 : b)) : Uint8Array.of(0);
        expect(await api.verifySignature({ alg, key: publicKey, data: tampered, signature })).toBe(false);
      }),
      { numRuns: 8 },
    );
  });

  it.each(SIGNING.filter(([, alg]) => alg !== -8))(
    '%s / alg %i: digest signer (KMS DIGEST path) verifies',
    async (curve, alg) => {
      const { privateKey, publicKey } = api.generateKeyPair({ curve });
      const signer = api.createLocalDigestSigner({ privateKey, alg });
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (data) => {
          const signature = await api.signWithPort(signer, data);
          expect(await api.verifySignature({ alg, key: publicKey, data, signature })).toBe(true);
        }),
        { numRuns: 5 },
      );
    },
  );

  it('the local signer signs synchronously where the provider can (node:crypto), and checks its input the same way', async () => {
    const { privateKey, publicKey } = api.generateKeyPair({ curve: 'P-256' });
    const signer = api.createLocalSigner({ privateKey, alg: -7 });
    if (api.cryptoProvider === 'webcrypto') {
      // WebCrypto only signs behind a promise.
      expect(signer.signSync).toBeUndefined();
      return;
    }
    const data = Uint8Array.of(1, 2, 3);
    const signature = signer.signSync!(data);
    expect(signature).toBeInstanceOf(Uint8Array);
    expect(signature).toHaveLength(64);
    for (const other of providers) {
      expect(await other.verifySignature({ alg: -7, key: publicKey, data, signature })).toBe(true);
    }
    expect(() => signer.signSync!('abc' as unknown as Uint8Array)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
    await expect(signer.sign('abc' as unknown as Uint8Array)).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
  });

  it('refuses EdDSA through a digest signer', async () => {
    const digestSigner = {
      kind: 'digest' as const,
      alg: -8 as const,
      signDigest: async () => new Uint8Array(64),
    };
    await expect(api.signWithPort(digestSigner, new Uint8Array(3))).rejects.toSatisfy(
      isMdlErrorCode('ERR_CRYPTO_DIGEST_SIGNING_UNSUPPORTED'),
    );
    const { privateKey } = api.generateKeyPair({ curve: 'Ed25519' });
    expect(() => api.createLocalDigestSigner({ privateKey, alg: -8 })).toThrow(
      expect.objectContaining({ code: 'ERR_CRYPTO_DIGEST_SIGNING_UNSUPPORTED' }),
    );
  });

  it('digest signers receive the alg hash of the to-be-signed bytes', async () => {
    const seen: Uint8Array[] = [];
    const signer = {
      kind: 'digest' as const,
      alg: -35 as const,
      signDigest: async (d: Uint8Array) => {
        seen.push(d);
        return new Uint8Array(96);
      },
    };
    const tbs = Uint8Array.of(1, 2, 3);
    await api.signWithPort(signer, tbs);
    expect(seen[0]).toEqual(api.digest('SHA-384', tbs));
  });

  it('wraps foreign signer failures as ERR_SIGNER_FAILED', async () => {
    const signer = {
      kind: 'message' as const,
      alg: -7 as const,
      sign: async (): Promise<Uint8Array> => {
        throw new Error('network down');
      },
    };
    await expect(api.signWithPort(signer, Uint8Array.of(1))).rejects.toSatisfy(
      isMdlErrorCode('ERR_SIGNER_FAILED'),
    );
  });

  it('rejects alg / key mismatches with a typed error', async () => {
    const ed = api.generateKeyPair({ curve: 'Ed25519' });
    const ec = api.generateKeyPair({ curve: 'P-256' });
    const x = api.generateKeyPair({ curve: 'X25519' });
    expect(() => api.createLocalSigner({ privateKey: ed.privateKey, alg: -7 })).toThrow(
      expect.objectContaining({ code: 'ERR_COSE_ALG_KEY_MISMATCH' }),
    );
    expect(() => api.createLocalSigner({ privateKey: x.privateKey, alg: -8 })).toThrow(
      expect.objectContaining({ code: 'ERR_COSE_ALG_KEY_MISMATCH' }),
    );
    await expect(
      api.verifySignature({
        alg: -8,
        key: ec.publicKey,
        data: new Uint8Array(1),
        signature: new Uint8Array(64),
      }),
    ).rejects.toSatisfy(isMdlErrorCode('ERR_COSE_ALG_KEY_MISMATCH'));
    await expect(
      api.verifySignature({
        alg: 1 as CoseAlg,
        key: ec.publicKey,
        data: new Uint8Array(1),
        signature: new Uint8Array(64),
      }),
    ).rejects.toSatisfy(isMdlErrorCode('ERR_COSE_ALG_UNSUPPORTED'));
  });

  it('a local signer given no bytes rejects (a promise, never a synchronous throw)', async () => {
    const signer = api.createLocalSigner({
      privateKey: api.generateKeyPair({ curve: 'P-256' }).privateKey,
      alg: -7,
    });
    let pending: Promise<Uint8Array> | undefined;
    expect(() => {
      pending = signer.sign('abc' as unknown as Uint8Array);
    }).not.toThrow();
    await expect(pending).rejects.toSatisfy(isMdlErrorCode('ERR_INVALID_ARGUMENT'));
  });

  it('wrong-length and garbage signatures are false, not crashes', async () => {
    const { publicKey } = api.generateKeyPair({ curve: 'P-256' });
    for (const len of [0, 1, 63, 65, 72, 128]) {
      expect(
        await api.verifySignature({
          alg: -7,
          key: publicKey,
          data: Uint8Array.of(1),
          signature: new Uint8Array(len),
        }),
      ).toBe(false);
    }
    expect(
      await api.verifySignature({
        alg: -7,
        key: publicKey,
        data: Uint8Array.of(1),
        signature: new Uint8Array(64).fill(0xff),
      }),
    ).toBe(false);
  });
});

describe('ECDH across providers', () => {
  it.each([
    'P-256',
    'P-384',
    'P-521',
    'brainpoolP256r1',
    'brainpoolP320r1',
    'brainpoolP384r1',
    'brainpoolP512r1',
    'X25519',
    'X448',
  ] as const)('%s: node and webcrypto agree', async (curve) => {
    const a = node.generateKeyPair({ curve });
    const b = web.generateKeyPair({ curve });
    const z1 = await node.ecdh({ privateKey: a.privateKey, publicKey: b.publicKey });
    const z2 = await web.ecdh({ privateKey: b.privateKey, publicKey: a.publicKey });
    expect(z1).toEqual(z2);
    expect(z1.length).toBe(web.curveInfo(curve).size);
  });

  it('rejects mixed curves and EdDSA keys', async () => {
    const a = node.generateKeyPair({ curve: 'P-256' });
    const b = node.generateKeyPair({ curve: 'P-384' });
    const e = node.generateKeyPair({ curve: 'Ed25519' });
    for (const api of providers) {
      await expect(api.ecdh({ privateKey: a.privateKey, publicKey: b.publicKey })).rejects.toSatisfy(
        isMdlErrorCode('ERR_CRYPTO_INVALID_KEY'),
      );
      await expect(api.ecdh({ privateKey: e.privateKey, publicKey: e.publicKey })).rejects.toSatisfy(
        isMdlErrorCode('ERR_CRYPTO_UNSUPPORTED_CURVE'),
      );
    }
  });
});

describe('generateKeyPair with injected randomness', () => {
  it('is reproducible', () => {
    const rnd = (n: number) => new Uint8Array(n).fill(7);
    for (const api of providers) {
      const a = api.generateKeyPair({ curve: 'P-256', randomBytes: rnd });
      const b = api.generateKeyPair({ curve: 'P-256', randomBytes: rnd });
      expect(a.publicKey.point).toEqual(b.publicKey.point);
    }
  });
});

describe('ECDSA high-S signatures (what OpenSSL / KMS emit half the time) are accepted', () => {
  const ORDER: Partial<Record<Curve, bigint>> = {
    'P-256': BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551'),
    brainpoolP256r1: BigInt('0xa9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7'),
  };
  it.each(Object.keys(ORDER) as Curve[])('%s: (r, n − s) verifies on both providers', async (curve) => {
    const n = ORDER[curve]!;
    const { privateKey, publicKey } = node.generateKeyPair({ curve });
    const data = Uint8Array.of(1, 2, 3);
    const sig = await node.signWithPort(node.createLocalSigner({ privateKey, alg: -7 }), data);
    const s = BigInt(`0x${Buffer.from(sig.subarray(32)).toString('hex')}`);
    const flipped = new Uint8Array(sig);
    flipped.set(Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex'), 32);
    expect(flipped).not.toEqual(sig);
    for (const api of providers) {
      expect(await api.verifySignature({ alg: -7, key: publicKey, data, signature: sig })).toBe(true);
      expect(await api.verifySignature({ alg: -7, key: publicKey, data, signature: flipped })).toBe(true);
    }
  });
});
