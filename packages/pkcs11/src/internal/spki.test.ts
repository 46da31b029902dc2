import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { curveFromEcParams, PKCS11_CURVES } from '../signer/curves.js';
import { pointFromEcPoint, spkiFromPoint } from './spki.js';

const der = (key: ReturnType<typeof generateKeyPairSync>['publicKey']): Uint8Array =>
  new Uint8Array(key.export({ format: 'der', type: 'spki' }));

describe('SPKI from CKA_EC_POINT', () => {
  it.each([
    ['P-256', 'prime256v1'],
    ['P-384', 'secp384r1'],
    ['P-521', 'secp521r1'],
  ] as const)('%s: DER OCTET STRING and bare points give the SPKI OpenSSL writes', (curve, namedCurve) => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve });
    const spki = der(publicKey);
    const point = spki.subarray(spki.length - (1 + 2 * PKCS11_CURVES[curve].coordinateBytes));
    const length = point.length;
    const octet = Uint8Array.from([0x04, ...(length < 128 ? [length] : [0x81, length]), ...point]);
    expect(spkiFromPoint(pointFromEcPoint(octet, curve)!, curve)).toEqual(spki);
    expect(spkiFromPoint(pointFromEcPoint(point, curve)!, curve)).toEqual(spki);
    expect(
      createPublicKey({ key: Buffer.from(spkiFromPoint(point, curve)), format: 'der', type: 'spki' })
        .asymmetricKeyType,
    ).toBe('ec');
    expect(pointFromEcPoint(point.subarray(1), curve)).toBeUndefined();
  });

  it('Ed25519: the RFC 8410 SPKI', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const spki = der(publicKey);
    const point = spki.subarray(spki.length - 32);
    expect(
      spkiFromPoint(pointFromEcPoint(Uint8Array.from([0x04, 32, ...point]), 'Ed25519')!, 'Ed25519'),
    ).toEqual(spki);
  });

  it('CKA_EC_PARAMS: curve OIDs and the edwards25519 PrintableString; other curves are not ours', () => {
    expect(curveFromEcParams(PKCS11_CURVES['P-384'].oid)).toBe('P-384');
    expect(curveFromEcParams(Uint8Array.from([0x13, 12, ...new TextEncoder().encode('edwards25519')]))).toBe(
      'Ed25519',
    );
    // secp256k1 1.3.132.0.10
    expect(curveFromEcParams(Uint8Array.of(0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a))).toBeUndefined();
  });
});
