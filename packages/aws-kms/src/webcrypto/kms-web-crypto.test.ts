import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FakeKms } from '../../test/support/fake-kms.js';
import { createKmsSigner } from '../signer/create-kms-signer.js';
import { createKmsWebCrypto } from './kms-web-crypto.js';

const base = webcrypto as unknown as Crypto;

describe('createKmsWebCrypto', () => {
  it.each([
    ['ECC_NIST_P256', { name: 'ECDSA', hash: 'SHA-256' }],
    ['ECC_NIST_P521', { name: 'ECDSA', hash: 'SHA-512' }],
    ['ECC_NIST_EDWARDS25519', { name: 'Ed25519' }],
  ] as const)('%s: subtle.sign goes to KMS and verifies with the platform', async (spec, algorithm) => {
    const kms = new FakeKms();
    const signer = await createKmsSigner({ client: kms, keyId: kms.createKey(spec) });
    const facade = await createKmsWebCrypto({ signer, crypto: base });
    expect(facade.signingAlgorithm).toEqual(algorithm);
    const data = new TextEncoder().encode('TBSCertificate');
    const signature = await facade.crypto.subtle.sign(facade.signingAlgorithm, facade.privateKey, data);
    expect(kms.count('Sign')).toBe(1);
    expect(await base.subtle.verify(facade.signingAlgorithm, facade.publicKey, signature, data)).toBe(true);
    // everything else is the platform's
    expect(new Uint8Array(await facade.crypto.subtle.exportKey('spki', facade.publicKey))).toEqual(
      signer.publicKey,
    );
    expect(facade.crypto.getRandomValues(new Uint8Array(8))).toHaveLength(8);
  });

  it('refuses another hash than the key spec allows', async () => {
    const kms = new FakeKms();
    const signer = await createKmsSigner({ client: kms, keyId: kms.createKey('ECC_NIST_P256') });
    const facade = await createKmsWebCrypto({ signer, crypto: base });
    await expect(
      facade.crypto.subtle.sign(
        { name: 'ECDSA', hash: 'SHA-384' } as EcdsaParams,
        facade.privateKey,
        new Uint8Array(1),
      ),
    ).rejects.toMatchObject({ code: 'ERR_SIGNER_KEY_USAGE' });
    expect(kms.count('Sign')).toBe(0);
  });
});
