import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCbor } from '../src/cbor/index.js';
import {
  buildMacStructure,
  buildSigStructure,
  CoseHeader,
  coseKeyToPublicKey,
  decodeCoseSign1,
  encodeCoseSign1,
  getSignatureAlg,
  getX5Chain,
  parseCoseMac0,
  verifyCoseMac0,
  verifyCoseSign1,
} from '../src/cose/index.js';
import { readVectorHex, VECTORS } from './crypto-helpers.js';
import { node, web } from './crypto-providers.js';

const ANNEX_D = 'iso-18013-5-annex-d';
const hexFile = (name: string) => readVectorHex(ANNEX_D, name);

function certSpki(name: string): Uint8Array {
  const cert = new X509Certificate(readFileSync(path.join(VECTORS, ANNEX_D, name)));
  return new Uint8Array(cert.publicKey.export({ type: 'spki', format: 'der' }));
}
function certDer(name: string): Uint8Array {
  return new Uint8Array(new X509Certificate(readFileSync(path.join(VECTORS, ANNEX_D, name))).raw);
}

describe('Annex D D.5.2 IssuerAuth', () => {
  const bytes = hexFile('issuer-auth.hex');
  const sign1 = decodeCoseSign1(bytes);

  it('parses: untagged, ES256 in the protected header, DS cert in unprotected x5chain', () => {
    expect(sign1.tagged).toBe(false);
    expect(sign1.protectedBytes).toEqual(Uint8Array.of(0xa1, 0x01, 0x26));
    expect(getSignatureAlg(sign1)).toEqual({ alg: -7, isProtected: true });
    const chain = getX5Chain(sign1);
    expect(chain?.bucket).toBe('unprotected');
    expect(chain?.certificates).toEqual([certDer('ds-cert.pem')]);
    expect(sign1.payload).not.toBeNull();
  });

  it('rebuilds the Sig_structure byte for byte', () => {
    expect(buildSigStructure({ protectedBytes: sign1.protectedBytes, payload: sign1.payload! })).toEqual(
      hexFile('issuer-auth-sig-structure.hex'),
    );
  });

  it('re-encodes to the received bytes', () => {
    expect(encodeCoseSign1(sign1)).toEqual(bytes);
  });

  it.each([node, web])('verifies with the ds-cert.pem key ($cryptoProvider)', async (api) => {
    const key = api.importPublicKey({ format: 'spki', der: certSpki('ds-cert.pem') });
    expect(await verifyCoseSign1({ message: sign1, key })).toBe(true);
    const iaca = api.importPublicKey({ format: 'spki', der: certSpki('iaca-cert.pem') });
    expect(await verifyCoseSign1({ message: sign1, key: iaca })).toBe(false);
  });
});

describe('Annex D D.5.4 ReaderAuth (detached payload)', () => {
  const sign1 = decodeCoseSign1(hexFile('reader-auth.hex'));
  const readerAuthenticationBytes = hexFile('reader-authentication-bytes.hex');

  it('parses with a nil payload and the reader cert in x5chain', () => {
    expect(sign1.payload).toBeNull();
    expect(getX5Chain(sign1)?.certificates).toEqual([certDer('reader-cert.pem')]);
  });

  it('rebuilds the Sig_structure byte for byte', () => {
    expect(
      buildSigStructure({ protectedBytes: sign1.protectedBytes, payload: readerAuthenticationBytes }),
    ).toEqual(hexFile('reader-auth-sig-structure.hex'));
  });

  it.each([node, web])('verifies with the reader-cert.pem key ($cryptoProvider)', async (api) => {
    const key = api.importPublicKey({ format: 'spki', der: certSpki('reader-cert.pem') });
    expect(await verifyCoseSign1({ message: sign1, key, detachedPayload: readerAuthenticationBytes })).toBe(
      true,
    );
    await expect(verifyCoseSign1({ message: sign1, key })).rejects.toMatchObject({
      code: 'ERR_COSE_PAYLOAD_MISSING',
    });
    const other = readerAuthenticationBytes.slice();
    other[other.length - 1]! ^= 1;
    expect(await verifyCoseSign1({ message: sign1, key, detachedPayload: other })).toBe(false);
  });
});

describe('Annex D D.5.3 DeviceMac', () => {
  const deviceAuth = decodeCbor(hexFile('device-auth.hex')) as Map<string, unknown>;
  const mac0 = parseCoseMac0(deviceAuth.get('deviceMac'));
  const deviceAuthenticationBytes = hexFile('device-authentication-bytes.hex');

  it('MAC_structure equals mac-structure.hex', () => {
    expect(mac0.protectedBytes).toEqual(Uint8Array.of(0xa1, 0x01, 0x05));
    expect(
      buildMacStructure({ protectedBytes: mac0.protectedBytes, payload: deviceAuthenticationBytes }),
    ).toEqual(hexFile('mac-structure.hex'));
  });

  it.each([node, web])('mac-tag.hex reproduces with emac-key.hex and verifies ($cryptoProvider)', (api) => {
    const key = hexFile('emac-key.hex');
    expect(api.hmac('SHA-256', key, hexFile('mac-structure.hex'))).toEqual(hexFile('mac-tag.hex'));
    expect(mac0.tag).toEqual(hexFile('mac-tag.hex'));
    expect(verifyCoseMac0({ message: mac0, key, detachedPayload: deviceAuthenticationBytes })).toBe(true);
    const wrong = key.slice();
    wrong[0]! ^= 1;
    expect(verifyCoseMac0({ message: mac0, key: wrong, detachedPayload: deviceAuthenticationBytes })).toBe(
      false,
    );
  });

  it.each([node, web])('EMacKey derives from ECDH + HKDF ($cryptoProvider)', async (api) => {
    const sDevice = api.importPrivateKey({ format: 'raw', curve: 'P-256', d: hexFile('s-device-key-d.hex') });
    const eReader = api.importPublicKey({
      format: 'coordinates',
      curve: 'P-256',
      x: hexFile('e-reader-key-x.hex'),
      y: hexFile('e-reader-key-y.hex'),
    });
    const zab = await api.ecdh({ privateKey: sDevice, publicKey: eReader });
    expect(zab).toEqual(hexFile('emac-zab.hex'));
    const salt = api.digest('SHA-256', hexFile('session-transcript-bytes.hex'));
    const eMacKey = api.hkdf({
      hash: 'SHA-256',
      ikm: zab,
      salt,
      info: new TextEncoder().encode('EMacKey'),
      length: 32,
    });
    expect(eMacKey).toEqual(hexFile('emac-key.hex'));
  });
});

describe('Annex D device key as COSE_Key', () => {
  it('the EDeviceKey COSE_Key imports and matches the x/y vectors', () => {
    const eDeviceKeyBytes = decodeCbor(hexFile('e-device-key-bytes.hex')) as { bytes: Uint8Array };
    const key = coseKeyToPublicKey(eDeviceKeyBytes.bytes);
    expect(key.curve).toBe('P-256');
    expect(key.x).toEqual(hexFile('e-device-key-x.hex'));
    expect(key.y).toEqual(hexFile('e-device-key-y.hex'));
    expect(CoseHeader.x5chain).toBe(33);
  });
});
