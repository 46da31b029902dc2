import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CborTagged, decodeCbor, encodeCbor } from '../src/cbor/index.js';
import {
  CoseHeader,
  createCoseMac0,
  decodeCoseMac0,
  decodeCoseSign1,
  encodeCoseSign1,
  getX5Chain,
  parseCoseSign1,
  signCoseSign1,
  verifyCoseMac0,
  verifyCoseSign1,
  x5chainValue,
} from '../src/cose/index.js';
import { node } from './crypto-providers.js';

const require = createRequire(import.meta.url);
const cose = require('cose-js') as {
  sign: {
    create(
      headers: { p: Record<string, unknown>; u: Record<string, unknown> },
      payload: Buffer,
      signer: { key: { d: Buffer } },
    ): Promise<Buffer>;
    verify(message: Buffer, verifier: { key: { x: Buffer; y: Buffer } }): Promise<Buffer>;
  };
};

const { privateKey, publicKey } = node.generateKeyPair({ curve: 'P-256' });
const signer = node.createLocalSigner({ privateKey, alg: -7 });
const enc = new TextEncoder();

describe('COSE_Sign1 sign / verify', () => {
  it('verifies many messages at once, each against its own Sig_structure', async () => {
    // verifyCoseSign1 builds the Sig_structure in a buffer the next call reuses (node provider):
    // concurrent verifications must each check their own bytes. Every third key is the wrong one,
    // payloads differ in size (the scratch grows between calls).
    const keys = Array.from({ length: 24 }, () => node.generateKeyPair({ curve: 'P-256' }));
    const messages = await Promise.all(
      keys.map(async (k, i) => {
        const payload = new Uint8Array(50 + 400 * i).fill(i);
        const { message } = await signCoseSign1({
          signer: node.createLocalSigner({ privateKey: k.privateKey, alg: -7 }),
          payload,
        });
        return message;
      }),
    );
    const results = await Promise.all(
      messages.map((message, i) =>
        verifyCoseSign1({ message, key: keys[i % 3 === 0 ? (i + 1) % keys.length : i]!.publicKey }),
      ),
    );
    expect(results).toEqual(keys.map((_, i) => i % 3 !== 0));
  });

  it('round-trips attached, detached, tagged, with external AAD, through both signer ports', async () => {
    const digestSigner = node.createLocalDigestSigner({ privateKey, alg: -7 });
    for (const s of [signer, digestSigner]) {
      const payload = enc.encode('payload');
      const aad = Uint8Array.of(1, 2);
      const { bytes } = await signCoseSign1({ signer: s, payload, externalAad: aad, tagged: true });
      expect(decodeCbor(bytes)).toBeInstanceOf(CborTagged);
      const msg = decodeCoseSign1(bytes);
      expect(msg.tagged).toBe(true);
      expect(await verifyCoseSign1({ message: msg, key: publicKey, externalAad: aad })).toBe(true);
      expect(await verifyCoseSign1({ message: msg, key: publicKey })).toBe(false);

      const detached = await signCoseSign1({ signer: s, payload, detached: true });
      const d = decodeCoseSign1(detached.bytes);
      expect(d.payload).toBeNull();
      expect(await verifyCoseSign1({ message: d, key: publicKey, detachedPayload: payload })).toBe(true);
    }
  });

  it('x5chain: one cert is a bare bstr, several an array; both read back with their bucket', async () => {
    const a = Uint8Array.of(0x30, 1);
    const b = Uint8Array.of(0x30, 2);
    const one = await signCoseSign1({
      signer,
      payload: Uint8Array.of(1),
      unprotectedHeaders: new Map([[CoseHeader.x5chain, x5chainValue([a])]]),
    });
    expect(one.message.unprotected.get(33)).toBeInstanceOf(Uint8Array);
    expect(getX5Chain(decodeCoseSign1(one.bytes))).toEqual({ certificates: [a], bucket: 'unprotected' });
    const two = await signCoseSign1({
      signer,
      payload: Uint8Array.of(1),
      protectedHeaders: new Map([[CoseHeader.x5chain, x5chainValue([a, b])]]),
    });
    expect(getX5Chain(decodeCoseSign1(two.bytes))).toEqual({ certificates: [a, b], bucket: 'protected' });
    expect(await verifyCoseSign1({ message: decodeCoseSign1(two.bytes), key: publicKey })).toBe(true);
  });

  it('property: any single-byte change to payload, protected header or signature fails', async () => {
    const { message } = await signCoseSign1({
      signer,
      payload: enc.encode('the payload that is signed'),
      protectedHeaders: new Map([[CoseHeader.contentType, 0]]),
    });
    const parts = ['payload', 'protectedBytes', 'signature'] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...parts),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        async (part, pos, xor) => {
          const original = message[part]!;
          const changed = original.slice();
          changed[pos % changed.length]! ^= xor;
          const tampered = { ...message, [part]: changed };
          let ok: boolean;
          try {
            // a changed protected header may no longer decode or may lose alg: also a failure
            const reparsed = parseCoseSign1(decodeCbor(encodeCoseSign1(tampered)));
            ok = await verifyCoseSign1({ message: reparsed, key: publicKey });
          } catch {
            ok = false;
          }
          expect(ok).toBe(false);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('COSE_Sign1 structural errors', () => {
  const sig = new Uint8Array(64);
  const protectedAlg = encodeCbor(new Map([[1, -7]]));
  it.each([
    ['not an array', 5, 'ERR_COSE_MALFORMED'],
    ['3 elements', [protectedAlg, new Map(), null], 'ERR_COSE_MALFORMED'],
    ['wrong tag', new CborTagged(17, [protectedAlg, new Map(), null, sig]), 'ERR_COSE_MALFORMED'],
    ['protected not bstr', [new Map(), new Map(), null, sig], 'ERR_COSE_MALFORMED'],
    ['protected bstr holds an array', [encodeCbor([1]), new Map(), null, sig], 'ERR_COSE_MALFORMED'],
    ['unprotected not map', [protectedAlg, [], null, sig], 'ERR_COSE_MALFORMED'],
    ['payload text', [protectedAlg, new Map(), 'x', sig], 'ERR_COSE_MALFORMED'],
    ['signature missing', [protectedAlg, new Map(), null, null], 'ERR_COSE_MALFORMED'],
    ['duplicate label', [protectedAlg, new Map([[1, -7]]), null, sig], 'ERR_COSE_DUPLICATE_HEADER'],
    ['bad label type', [protectedAlg, new Map([[1.5, 0]]), null, sig], 'ERR_COSE_MALFORMED'],
  ] as const)('%s → %s', (_name, value, code) => {
    expect(() => decodeCoseSign1(encodeCbor(value))).toThrow(expect.objectContaining({ code }));
  });

  it('truncated bytes → CBOR error', () => {
    expect(() => decodeCoseSign1(Uint8Array.of(0x84, 0x43))).toThrow(
      expect.objectContaining({ code: 'ERR_CBOR_TRUNCATED' }),
    );
  });

  it('alg policy: missing, unsupported, only unprotected', async () => {
    const payload = Uint8Array.of(1);
    const noAlg = decodeCoseSign1(encodeCbor([new Uint8Array(0), new Map(), payload, sig]));
    await expect(verifyCoseSign1({ message: noAlg, key: publicKey })).rejects.toMatchObject({
      code: 'ERR_COSE_ALG_MISSING',
    });
    const rsa = decodeCoseSign1(encodeCbor([encodeCbor(new Map([[1, -257]])), new Map(), payload, sig]));
    await expect(verifyCoseSign1({ message: rsa, key: publicKey })).rejects.toMatchObject({
      code: 'ERR_COSE_ALG_UNSUPPORTED',
    });
    // sign with alg in the unprotected bucket by hand
    const protectedBytes = new Uint8Array(0);
    const { buildSigStructure } = await import('../src/cose/index.js');
    const s = await node.signWithPort(signer, buildSigStructure({ protectedBytes, payload }));
    const unprot = decodeCoseSign1(encodeCbor([protectedBytes, new Map([[1, -7]]), payload, s]));
    await expect(verifyCoseSign1({ message: unprot, key: publicKey })).rejects.toMatchObject({
      code: 'ERR_COSE_ALG_NOT_PROTECTED',
    });
    expect(await verifyCoseSign1({ message: unprot, key: publicKey, allowUnprotectedAlg: true })).toBe(true);
    const ed = node.generateKeyPair({ curve: 'Ed25519' });
    const good = decodeCoseSign1((await signCoseSign1({ signer, payload })).bytes);
    await expect(verifyCoseSign1({ message: good, key: ed.publicKey })).rejects.toMatchObject({
      code: 'ERR_COSE_ALG_KEY_MISMATCH',
    });
  });

  it('crit must list understood, present labels', async () => {
    const payload = Uint8Array.of(1);
    const ok = await signCoseSign1({
      signer,
      payload,
      protectedHeaders: new Map<number, unknown>([
        [CoseHeader.crit, [CoseHeader.contentType]],
        [CoseHeader.contentType, 0],
      ]),
    });
    expect(await verifyCoseSign1({ message: ok.message, key: publicKey })).toBe(true);
    const bad = await signCoseSign1({
      signer,
      payload,
      protectedHeaders: new Map([[CoseHeader.crit, [99]]]),
    });
    await expect(verifyCoseSign1({ message: bad.message, key: publicKey })).rejects.toMatchObject({
      code: 'ERR_COSE_MALFORMED',
    });
  });
});

describe('COSE_Mac0', () => {
  it('round-trips HS256/384/512, attached and detached; wrong key fails', () => {
    const key = node.randomBytes(32);
    for (const alg of [5, 6, 7] as const) {
      const payload = enc.encode('mac me');
      const { bytes } = createCoseMac0({ key, alg, payload, detached: true });
      const msg = decodeCoseMac0(bytes);
      expect(msg.payload).toBeNull();
      expect(verifyCoseMac0({ message: msg, key, detachedPayload: payload })).toBe(true);
      expect(verifyCoseMac0({ message: msg, key: node.randomBytes(32), detachedPayload: payload })).toBe(
        false,
      );
      const attached = decodeCoseMac0(createCoseMac0({ key, alg, payload, tagged: true }).bytes);
      expect(attached.tagged).toBe(true);
      expect(verifyCoseMac0({ message: attached, key })).toBe(true);
    }
  });
});

describe('interop with cose-js (ES256)', () => {
  it('cose-js verifies a COSE_Sign1 we sign', async () => {
    const payload = enc.encode('signed by mdlkit');
    const { bytes } = await signCoseSign1({ signer, payload, tagged: true });
    const result = await cose.sign.verify(Buffer.from(bytes), {
      key: { x: Buffer.from(publicKey.x), y: Buffer.from(publicKey.y!) },
    });
    expect(new Uint8Array(result)).toEqual(payload);
  });

  it('we verify a COSE_Sign1 cose-js signs', async () => {
    const payload = Buffer.from('signed by cose-js');
    const bytes = await cose.sign.create({ p: { alg: 'ES256' }, u: { kid: 'k1' } }, payload, {
      key: { d: Buffer.from(privateKey.d) },
    });
    const msg = decodeCoseSign1(new Uint8Array(bytes));
    expect(msg.tagged).toBe(true);
    expect(await verifyCoseSign1({ message: msg, key: publicKey })).toBe(true);
  });
});
