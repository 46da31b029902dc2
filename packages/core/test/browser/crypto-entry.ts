/**
 * Runs inside Chromium (bundled by browser-webcrypto.test.ts with esbuild, browser conditions, so
 * `@mdlkit/core/crypto` resolves to the WebCrypto provider). Exposes one function the test calls
 * with vectors read on the Node side; returns one result per check.
 */
import { CborTagged, decodeCbor } from '../../src/cbor/index.js';
import {
  decodeCoseSign1,
  parseCoseMac0,
  signCoseSign1,
  verifyCoseMac0,
  verifyCoseSign1,
} from '../../src/cose/index.js';
import * as api from '../../src/crypto/index.js';

export interface BrowserInput {
  readonly annexD: Record<string, string>;
  readonly wycheproof: Record<string, unknown>;
  /** Signatures made by the node:crypto provider, to verify here. */
  readonly fromNode: { curve: api.Curve; alg: api.CoseAlg; spki: string; data: string; signature: string }[];
}
export interface BrowserResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail?: string;
}
export interface BrowserOutput {
  readonly provider: string;
  readonly userAgent: string;
  readonly results: BrowserResult[];
  /** Signatures made here, for the Node side to verify with node:crypto. */
  readonly toNode: { curve: api.Curve; alg: api.CoseAlg; spki: string; data: string; signature: string }[];
}

const hex = (h: string): Uint8Array => {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
};
const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const eq = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

const SIGNING: [api.Curve, api.CoseAlg][] = [
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
const ECDH: api.Curve[] = [
  'P-256',
  'P-384',
  'P-521',
  'brainpoolP256r1',
  'brainpoolP320r1',
  'brainpoolP384r1',
  'brainpoolP512r1',
  'X25519',
  'X448',
];

interface WTest {
  tcId: number;
  result: string;
  [k: string]: unknown;
}
interface WGroup {
  tests: WTest[];
  [k: string]: unknown;
}

async function run(input: BrowserInput): Promise<BrowserOutput> {
  const results: BrowserResult[] = [];
  const check = async (name: string, f: () => Promise<boolean> | boolean) => {
    try {
      results.push({ name, ok: await f() });
    } catch (e) {
      results.push({ name, ok: false, detail: `${(e as Error).name}: ${(e as Error).message}` });
    }
  };
  const toNode: BrowserOutput['toNode'] = [];
  const data = new TextEncoder().encode('mdlkit in the browser');

  await check('provider is webcrypto', () => api.cryptoProvider === 'webcrypto');

  for (const [curve, alg] of SIGNING) {
    await check(`sign/verify ${curve}`, async () => {
      const { privateKey, publicKey } = api.generateKeyPair({ curve });
      const signature = await api.signWithPort(api.createLocalSigner({ privateKey, alg }), data);
      const good = await api.verifySignature({ alg, key: publicKey, data, signature });
      const bad = await api.verifySignature({ alg, key: publicKey, data: data.subarray(1), signature });
      toNode.push({
        curve,
        alg,
        spki: toHex(api.exportPublicKey(publicKey, 'spki')),
        data: toHex(data),
        signature: toHex(signature),
      });
      if (alg !== -8) {
        const d = await api.signWithPort(api.createLocalDigestSigner({ privateKey, alg }), data);
        if (!(await api.verifySignature({ alg, key: publicKey, data, signature: d }))) return false;
      }
      return good && !bad;
    });
  }
  for (const v of input.fromNode) {
    await check(`verify Node-provider signature ${v.curve}`, () =>
      api.verifySignature({
        alg: v.alg,
        key: api.importPublicKey({ format: 'spki', der: hex(v.spki) }),
        data: hex(v.data),
        signature: hex(v.signature),
      }),
    );
  }
  for (const curve of ECDH) {
    await check(`ECDH ${curve}`, async () => {
      const a = api.generateKeyPair({ curve });
      const b = api.generateKeyPair({ curve });
      const z1 = await api.ecdh({ privateKey: a.privateKey, publicKey: b.publicKey });
      const z2 = await api.ecdh({ privateKey: b.privateKey, publicKey: a.publicKey });
      return eq(z1, z2) && z1.length === api.curveInfo(curve).size;
    });
  }
  await check('AES-256-GCM round trip and tamper', async () => {
    const key = api.randomBytes(32);
    const iv = api.randomBytes(12);
    const ct = await api.aesGcmEncrypt({ key, iv, plaintext: data });
    const pt = await api.aesGcmDecrypt({ key, iv, ciphertext: ct });
    ct[0]! ^= 1;
    try {
      await api.aesGcmDecrypt({ key, iv, ciphertext: ct });
      return false;
    } catch (e) {
      return eq(pt, data) && (e as { code?: string }).code === 'ERR_CRYPTO_DECRYPT_FAILED';
    }
  });

  // ISO/IEC 18013-5 Annex D
  const d = (name: string) => hex(input.annexD[name]!);
  await check('Annex D IssuerAuth verifies with the DS key', async () => {
    const key = api.importPublicKey({ format: 'spki', der: d('ds-spki') });
    return verifyCoseSign1({ message: decodeCoseSign1(d('issuer-auth.hex')), key });
  });
  await check('Annex D ReaderAuth verifies with the reader key', async () => {
    const key = api.importPublicKey({ format: 'spki', der: d('reader-spki') });
    const message = decodeCoseSign1(d('reader-auth.hex'));
    return verifyCoseSign1({ message, key, detachedPayload: d('reader-authentication-bytes.hex') });
  });
  await check('Annex D EMacKey (ECDH + HKDF) and DeviceMac', async () => {
    const sDevice = api.importPrivateKey({ format: 'raw', curve: 'P-256', d: d('s-device-key-d.hex') });
    const eReader = api.importPublicKey({
      format: 'coordinates',
      curve: 'P-256',
      x: d('e-reader-key-x.hex'),
      y: d('e-reader-key-y.hex'),
    });
    const zab = await api.ecdh({ privateKey: sDevice, publicKey: eReader });
    const salt = api.digest('SHA-256', d('session-transcript-bytes.hex'));
    const eMacKey = api.hkdf({
      hash: 'SHA-256',
      ikm: zab,
      salt,
      info: new TextEncoder().encode('EMacKey'),
      length: 32,
    });
    const deviceAuth = decodeCbor(d('device-auth.hex')) as Map<string, unknown>;
    const mac0 = parseCoseMac0(deviceAuth.get('deviceMac'));
    return (
      eq(eMacKey, d('emac-key.hex')) &&
      verifyCoseMac0({ message: mac0, key: eMacKey, detachedPayload: d('device-authentication-bytes.hex') })
    );
  });
  await check('COSE_Sign1 sign (tagged) and verify', async () => {
    const { privateKey, publicKey } = api.generateKeyPair({ curve: 'P-256' });
    const { bytes } = await signCoseSign1({
      signer: api.createLocalSigner({ privateKey, alg: -7 }),
      payload: data,
      tagged: true,
    });
    return (
      decodeCbor(bytes) instanceof CborTagged &&
      verifyCoseSign1({ message: decodeCoseSign1(bytes), key: publicKey })
    );
  });

  // Wycheproof through the browser's WebCrypto
  const wp = input.wycheproof as Record<string, { testGroups: WGroup[] }>;
  await check('Wycheproof ecdsa_secp256r1_sha256_p1363', async () => {
    for (const g of wp.ecdsaP256!.testGroups) {
      const key = api.importPublicKey({ format: 'spki', der: hex(g.publicKeyDer as string) });
      for (const t of g.tests) {
        const ok = await api.verifySignature({
          alg: -7,
          key,
          data: hex(t.msg as string),
          signature: hex(t.sig as string),
        });
        if (ok !== (t.result === 'valid')) throw new Error(`tc ${t.tcId}`);
      }
    }
    return true;
  });
  await check('Wycheproof ed25519', async () => {
    for (const g of wp.ed25519!.testGroups) {
      const key = api.importPublicKey({
        format: 'raw',
        curve: 'Ed25519',
        bytes: hex((g.publicKey as { pk: string }).pk),
      });
      for (const t of g.tests) {
        const ok = await api.verifySignature({
          alg: -8,
          key,
          data: hex(t.msg as string),
          signature: hex(t.sig as string),
        });
        if (ok !== (t.result === 'valid')) throw new Error(`tc ${t.tcId}`);
      }
    }
    return true;
  });
  await check('Wycheproof aes_gcm (128/256-bit keys, 96-bit IV)', async () => {
    for (const g of wp.aesGcm!.testGroups) {
      if (g.keySize === 192 || g.ivSize !== 96 || g.tagSize !== 128) continue;
      for (const t of g.tests) {
        const ciphertext = new Uint8Array([...hex(t.ct as string), ...hex(t.tag as string)]);
        const args = { key: hex(t.key as string), iv: hex(t.iv as string), aad: hex(t.aad as string) };
        let pt: Uint8Array | undefined;
        try {
          pt = await api.aesGcmDecrypt({ ...args, ciphertext });
        } catch (e) {
          if ((e as { code?: string }).code !== 'ERR_CRYPTO_DECRYPT_FAILED') throw e;
        }
        const ok = pt !== undefined && eq(pt, hex(t.msg as string));
        if (ok !== (t.result === 'valid')) throw new Error(`tc ${t.tcId}`);
      }
    }
    return true;
  });

  return { provider: api.cryptoProvider, userAgent: navigator.userAgent, results, toNode };
}

(globalThis as { runMdlkitBrowserSuite?: typeof run }).runMdlkitBrowserSuite = run;
