import { describe, expect, it } from 'vitest';
import { FakeKms } from '../../test/support/fake-kms.js';
import { createKmsSigner } from '../signer/create-kms-signer.js';
import { KmsKeyRing } from './kms-key-ring.js';
import { rotateKmsKey } from './rotate-kms-key.js';

describe('KmsKeyRing and rotateKmsKey (fake client)', () => {
  it('rotates by CreateKey + UpdateAlias and keeps the old key verify-only', async () => {
    const kms = new FakeKms();
    const first = kms.createKey('ECC_NIST_P256');
    kms.aliases.set('alias/mdl-ds', first);
    const ring = new KmsKeyRing({ active: await createKmsSigner({ client: kms, keyId: 'alias/mdl-ds' }) });

    const order: string[] = [];
    const { signer, previousKeyId } = await rotateKmsKey({
      client: kms,
      aliasName: 'alias/mdl-ds',
      keySpec: 'ECC_NIST_P256',
      beforeAliasUpdate: async (s) => {
        order.push(`hook:${kms.aliases.get('alias/mdl-ds') === s.keyId ? 'moved' : 'not-moved'}`);
      },
    });
    expect(order).toEqual(['hook:not-moved']);
    expect(previousKeyId).toBe(first);
    expect(kms.aliases.get('alias/mdl-ds')).toBe(signer.keyId);

    ring.rotate(signer, new Date('2025-06-01T00:00:00Z'));
    expect(ring.active.keyId).toBe(signer.keyId);
    expect(ring.signerFor(signer.keyId)).toBe(signer);
    expect(() => ring.signerFor(first)).toThrow(expect.objectContaining({ code: 'ERR_SIGNER_RETIRED_KEY' }));
    // bare key ids match ARNs
    expect(() => ring.signerFor(first.split('/')[1]!)).toThrow(
      expect.objectContaining({ code: 'ERR_SIGNER_RETIRED_KEY' }),
    );
    expect(() => ring.signerFor('unknown')).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
    expect(ring.verificationKeys().map((k) => [k.keyId, k.status])).toEqual([
      [signer.keyId, 'active'],
      [first, 'retired'],
    ]);
    expect(ring.retired[0]?.publicKey).toEqual(kms.resolve(first).spki);
    expect(() => ring.rotate(signer)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it('creates the alias on first rotation and leaves it alone when the hook fails', async () => {
    const kms = new FakeKms();
    const first = await rotateKmsKey({ client: kms, aliasName: 'alias/new', keySpec: 'ECC_NIST_P384' });
    expect(first.previousKeyId).toBeUndefined();
    expect(kms.aliases.get('alias/new')).toBe(first.signer.keyId);
    expect(kms.count('CreateAlias')).toBe(1);

    await expect(
      rotateKmsKey({
        client: kms,
        aliasName: 'alias/new',
        keySpec: 'ECC_NIST_P384',
        beforeAliasUpdate: async () => {
          throw new Error('certificate issuance failed');
        },
      }),
    ).rejects.toThrow('certificate issuance failed');
    expect(kms.aliases.get('alias/new')).toBe(first.signer.keyId);
    expect(kms.count('UpdateAlias')).toBe(0);
  });

  it('rejects malformed alias names', async () => {
    const kms = new FakeKms();
    for (const aliasName of ['mdl-ds', 'alias/aws/kms', 'alias/']) {
      await expect(rotateKmsKey({ client: kms, aliasName, keySpec: 'ECC_NIST_P256' })).rejects.toMatchObject({
        code: 'ERR_AWS_CONFIG_INVALID',
      });
    }
    expect(kms.calls).toHaveLength(0);
  });
});
