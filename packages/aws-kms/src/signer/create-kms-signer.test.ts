import { CoseAlg, digest, importPublicKey, signWithPort, verifySignature } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { describe, expect, it } from 'vitest';
import { FakeAwsError, FakeKms } from '../../test/support/fake-kms.js';
import { createKmsSigner } from './create-kms-signer.js';

async function verifies(
  signer: Awaited<ReturnType<typeof createKmsSigner>>,
  data: Uint8Array,
): Promise<boolean> {
  const signature = await signWithPort(signer, data);
  const key = importPublicKey({ format: 'spki', der: signer.publicKey });
  return verifySignature({ alg: signer.alg, key, data, signature });
}

describe('createKmsSigner (fake send-level client)', () => {
  it.each([
    ['ECC_NIST_P256', CoseAlg.ES256, 'SHA-256', 64],
    ['ECC_NIST_P384', CoseAlg.ES384, 'SHA-384', 96],
    ['ECC_NIST_P521', CoseAlg.ES512, 'SHA-512', 132],
  ] as const)('%s signs digests as alg %i over %s, r‖s of %i bytes', async (spec, alg, hash, size) => {
    const kms = new FakeKms();
    const arn = kms.createKey(spec);
    kms.aliases.set('alias/ds', arn);
    const signer = await createKmsSigner({ client: kms, keyId: 'alias/ds' });
    expect(signer).toMatchObject({ kind: 'digest', alg, hash, keyId: arn, keySpec: spec });
    const data = new TextEncoder().encode('Sig_structure bytes');
    const raw = signer.kind === 'digest' ? await signer.signDigest(digest(hash, data)) : undefined;
    expect(raw).toHaveLength(size);
    expect(await verifies(signer, data)).toBe(true);
    // the alias was resolved once: Sign names the ARN, so a later alias move cannot change the key
    expect(kms.calls.filter((c) => c.operation === 'Sign').every((c) => c.input['KeyId'] === arn)).toBe(true);
    expect(kms.calls.find((c) => c.operation === 'Sign')?.input['MessageType']).toBe('DIGEST');
  });

  it('Ed25519 signs RAW and refuses messages over 4096 bytes without calling KMS', async () => {
    const kms = new FakeKms();
    const arn = kms.createKey('ECC_NIST_EDWARDS25519');
    const signer = await createKmsSigner({ client: kms, keyId: arn });
    expect(signer).toMatchObject({ kind: 'message', alg: CoseAlg.EdDSA, maxMessageBytes: 4096 });
    expect(await verifies(signer, new Uint8Array(4096).fill(7))).toBe(true);
    expect(kms.calls.find((c) => c.operation === 'Sign')?.input).toMatchObject({
      MessageType: 'RAW',
      SigningAlgorithm: 'ED25519_SHA_512',
    });
    const before = kms.count('Sign');
    const error = await signWithPort(signer, new Uint8Array(4097)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_SIGNER_MESSAGE_TOO_LARGE' });
    expect(kms.count('Sign')).toBe(before);
  });

  it('rejects a digest of the wrong length before calling KMS', async () => {
    const kms = new FakeKms();
    const signer = await createKmsSigner({ client: kms, keyId: kms.createKey('ECC_NIST_P384') });
    if (signer.kind !== 'digest') throw new Error('expected a digest signer');
    await expect(signer.signDigest(new Uint8Array(32))).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
    expect(kms.count('Sign')).toBe(0);
  });

  it('makes no call at creation when key spec and public key are given', async () => {
    const kms = new FakeKms();
    const arn = kms.createKey('ECC_NIST_P256');
    const publicKey = kms.resolve(arn).spki;
    const signer = await createKmsSigner({ client: kms, keyId: arn, keySpec: 'ECC_NIST_P256', publicKey });
    expect(kms.calls).toHaveLength(0);
    expect(await verifies(signer, new Uint8Array([1, 2, 3]))).toBe(true);
    expect(kms.calls.map((c) => c.operation)).toEqual(['Sign']);
  });

  it('refuses an alias with a preset public key, and a public key of the wrong curve', async () => {
    const kms = new FakeKms();
    const p256 = kms.createKey('ECC_NIST_P256');
    const p384 = kms.createKey('ECC_NIST_P384');
    const publicKey = kms.resolve(p256).spki;
    await expect(
      createKmsSigner({ client: kms, keyId: 'alias/ds', keySpec: 'ECC_NIST_P256', publicKey }),
    ).rejects.toMatchObject({ code: 'ERR_AWS_CONFIG_INVALID' });
    await expect(
      createKmsSigner({ client: kms, keyId: p384, keySpec: 'ECC_NIST_P384', publicKey }),
    ).rejects.toMatchObject({ code: 'ERR_AWS_CONFIG_INVALID' });
  });

  it('checks key usage, spec and state from DescribeKey', async () => {
    const kms = new FakeKms();
    const rsa = kms.createKey('RSA_2048');
    const hmac = kms.createKey('ECC_NIST_P256', 'ENCRYPT_DECRYPT');
    const disabled = kms.createKey('ECC_NIST_P256');
    kms.resolve(disabled).state = 'Disabled';
    await expect(createKmsSigner({ client: kms, keyId: rsa })).rejects.toMatchObject({
      code: 'ERR_SIGNER_KEY_USAGE',
    });
    await expect(createKmsSigner({ client: kms, keyId: hmac })).rejects.toMatchObject({
      code: 'ERR_SIGNER_KEY_USAGE',
    });
    await expect(createKmsSigner({ client: kms, keyId: disabled })).rejects.toMatchObject({
      code: 'ERR_SIGNER_KEY_DISABLED',
    });
    await expect(createKmsSigner({ client: kms, keyId: 'alias/missing' })).rejects.toMatchObject({
      code: 'ERR_AWS_CONFIG_INVALID',
    });
  });

  it('maps Sign failures (the fake has no SDK retry layer; the emulator tests cover retries)', async () => {
    const kms = new FakeKms();
    const signer = await createKmsSigner({ client: kms, keyId: kms.createKey('ECC_NIST_P256') });
    kms.failNext('Sign', () => new FakeAwsError('ThrottlingException'), 1);
    const data = new Uint8Array([9, 9, 9]);
    await expect(signWithPort(signer, data)).rejects.toMatchObject({ code: 'ERR_SIGNER_THROTTLED' });
    await signWithPort(signer, data);
    expect(kms.count('Sign')).toBe(2);

    kms.failNext('Sign', () => new FakeAwsError('DisabledException'));
    const error = await signWithPort(signer, data).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MdlError);
    expect((error as MdlError).code).toBe('ERR_SIGNER_KEY_DISABLED');
  });
});
