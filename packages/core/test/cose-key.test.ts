import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeCbor } from '../src/cbor/index.js';
import {
  CoseKeyParam,
  coseKeyToJwk,
  coseKeyToPrivateKey,
  coseKeyToPublicKey,
  coseKeyToSpki,
  encodeCoseKey,
  jwkToCoseKey,
  privateKeyToCoseKey,
  publicKeyToCoseKey,
  spkiToCoseKey,
} from '../src/cose/index.js';
import { type Curve, curveInfo } from '../src/crypto/index.js';
import { readVectorHex } from './crypto-helpers.js';
import { node } from './crypto-providers.js';

const CURVES: readonly Curve[] = [
  'P-256',
  'P-384',
  'P-521',
  'brainpoolP256r1',
  'brainpoolP320r1',
  'brainpoolP384r1',
  'brainpoolP512r1',
  'Ed25519',
  'Ed448',
  'X25519',
  'X448',
];

describe('COSE_Key ↔ JWK ↔ SPKI', () => {
  it.each(CURVES)('%s round-trips through every form', (curve) => {
    const { privateKey, publicKey } = node.generateKeyPair({ curve });
    const info = curveInfo(curve);
    const coseKey = publicKeyToCoseKey(publicKey);
    expect(coseKey.get(CoseKeyParam.kty)).toBe(info.kty === 'EC2' ? 2 : 1);
    expect(coseKey.get(CoseKeyParam.crv)).toBe(info.coseCrv);
    const fromBytes = coseKeyToPublicKey(encodeCoseKey(coseKey));
    expect(fromBytes.point).toEqual(publicKey.point);
    const jwk = coseKeyToJwk(coseKey);
    expect(jwk.crv).toBe(curve);
    expect(jwkToCoseKey(jwk)).toEqual(coseKey);
    const spki = coseKeyToSpki(coseKey);
    expect(spkiToCoseKey(spki)).toEqual(coseKey);
    // node:crypto (OpenSSL) agrees with our SPKI encoding
    const ko = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    expect(new Uint8Array(ko.export({ type: 'spki', format: 'der' }))).toEqual(spki);
    expect(coseKeyToPrivateKey(privateKeyToCoseKey(privateKey)).d).toEqual(privateKey.d);
    if (info.kty === 'EC2') {
      const compressed = publicKeyToCoseKey(publicKey, { compressed: true });
      expect(typeof compressed.get(CoseKeyParam.y)).toBe('boolean');
      expect(coseKeyToPublicKey(compressed).point).toEqual(publicKey.point);
      expect(
        node.importPublicKey({
          format: 'raw',
          curve,
          bytes: node.exportPublicKey(publicKey, 'raw-compressed'),
        }).y,
      ).toEqual(publicKey.y);
    }
  });

  it('Annex D static device key (MSO deviceKey) imports from x/y', () => {
    const x = readVectorHex('iso-18013-5-annex-d', 's-device-key-x.hex');
    const y = readVectorHex('iso-18013-5-annex-d', 's-device-key-y.hex');
    const key = coseKeyToPublicKey(
      new Map<number, unknown>([
        [1, 2],
        [-1, 1],
        [-2, x],
        [-3, y],
      ]),
    );
    const priv = node.importPrivateKey({
      format: 'raw',
      curve: 'P-256',
      d: readVectorHex('iso-18013-5-annex-d', 's-device-key-d.hex'),
    });
    expect(priv.publicKey.point).toEqual(key.point);
  });

  const x32 = new Uint8Array(32).fill(1);
  it.each([
    ['not a map', [1, 2], 'ERR_COSE_KEY_INVALID'],
    [
      'unknown crv',
      new Map<number, unknown>([
        [1, 2],
        [-1, 99],
        [-2, x32],
        [-3, x32],
      ]),
      'ERR_CRYPTO_UNSUPPORTED_CURVE',
    ],
    [
      'kty/crv mismatch',
      new Map<number, unknown>([
        [1, 1],
        [-1, 1],
        [-2, x32],
        [-3, x32],
      ]),
      'ERR_COSE_KEY_INVALID',
    ],
    [
      'x missing',
      new Map<number, unknown>([
        [1, 2],
        [-1, 1],
        [-3, x32],
      ]),
      'ERR_COSE_KEY_INVALID',
    ],
    [
      'y missing',
      new Map<number, unknown>([
        [1, 2],
        [-1, 1],
        [-2, x32],
      ]),
      'ERR_COSE_KEY_INVALID',
    ],
    [
      'short x',
      new Map<number, unknown>([
        [1, 2],
        [-1, 1],
        [-2, x32.subarray(1)],
        [-3, x32],
      ]),
      'ERR_COSE_KEY_INVALID',
    ],
    [
      'point not on curve',
      new Map<number, unknown>([
        [1, 2],
        [-1, 1],
        [-2, x32],
        [-3, x32],
      ]),
      'ERR_COSE_KEY_INVALID',
    ],
    [
      'OKP wrong length',
      new Map<number, unknown>([
        [1, 1],
        [-1, 6],
        [-2, new Uint8Array(31)],
      ]),
      'ERR_COSE_KEY_INVALID',
    ],
  ] as const)('%s → %s', (_name, value, code) => {
    expect(() => coseKeyToPublicKey(encodeCbor(value))).toThrow(expect.objectContaining({ code }));
  });
});
