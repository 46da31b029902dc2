import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisabledException,
  DisableKeyCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetPublicKeyCommand,
  IncorrectKeyException,
  InvalidCiphertextException,
  InvalidKeyUsageException,
  type KeySpec,
  KMSInvalidSignatureException,
  KMSInvalidStateException,
  ListAliasesCommand,
  NotFoundException,
  ScheduleKeyDeletionCommand,
  SignCommand,
  type SigningAlgorithmSpec,
  UnsupportedOperationException,
  UpdateAliasCommand,
  VerifyCommand,
} from '@aws-sdk/client-kms';
import { eddsa } from '@noble/curves/abstract/edwards.js';
import { ed25519, ed25519ph } from '@noble/curves/ed25519.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { AsnConvert } from '@peculiar/asn1-schema';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { errorOf, kmsClient } from './helpers.js';

let emulator: Emulator;
let kms: ReturnType<typeof kmsClient>;

beforeAll(async () => {
  emulator = await startEmulator();
  kms = kmsClient(emulator);
});
afterAll(async () => {
  kms.destroy();
  await emulator.close();
});

async function createSigningKey(keySpec: KeySpec): Promise<string> {
  const out = await kms.send(new CreateKeyCommand({ KeySpec: keySpec, KeyUsage: 'SIGN_VERIFY' }));
  return out.KeyMetadata!.KeyId!;
}

async function publicKeyOf(keyId: string) {
  const out = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
  const spki = out.PublicKey!;
  return {
    spki,
    response: out,
    get key() {
      return createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    },
  };
}

const message = new TextEncoder().encode('mdlkit emulator test message');

/**
 * An independent Ed25519ph verifier (RFC 8032 §5.1) that takes the 64-byte prehash PH(M) itself:
 * dom2(phflag = 1, empty context) and the RFC's clamping, with an identity prehash.
 */
const sha512 = Object.assign((m: Uint8Array) => new Uint8Array(createHash('sha512').update(m).digest()), {
  outputLen: 64,
  blockLen: 128,
});
const ed25519phOverPrehash = eddsa(ed25519.Point, sha512, {
  adjustScalarBytes: (bytes: Uint8Array) => {
    bytes[0] = (bytes[0] ?? 0) & 248;
    bytes[31] = ((bytes[31] ?? 0) & 127) | 64;
    return bytes;
  },
  domain: (data: Uint8Array, context: Uint8Array, phflag: boolean) => {
    const prefix = new TextEncoder().encode('SigEd25519 no Ed25519 collisions');
    return new Uint8Array([...prefix, phflag ? 1 : 0, context.length, ...context, ...data]);
  },
  prehash: (m: Uint8Array) => m,
  zip215: false,
});

const ECDSA_CASES = [
  { spec: 'ECC_NIST_P256', alg: 'ECDSA_SHA_256', hash: 'sha256', curve: p256, digestLength: 32 },
  { spec: 'ECC_NIST_P384', alg: 'ECDSA_SHA_384', hash: 'sha384', curve: p384, digestLength: 48 },
  { spec: 'ECC_NIST_P521', alg: 'ECDSA_SHA_512', hash: 'sha512', curve: p521, digestLength: 64 },
] as const;

describe('KMS ECDSA keys through the real SDK client', () => {
  for (const c of ECDSA_CASES) {
    it(`${c.spec}: GetPublicKey, RAW and DIGEST signatures verify with independent verifiers`, async () => {
      const keyId = await createSigningKey(c.spec);
      const { key, response } = await publicKeyOf(keyId);
      expect(response.KeySpec).toBe(c.spec);
      expect(response.KeyUsage).toBe('SIGN_VERIFY');
      expect(response.SigningAlgorithms).toEqual([c.alg]);
      expect(key.asymmetricKeyType).toBe('ec');

      const raw = await kms.send(
        new SignCommand({ KeyId: keyId, Message: message, MessageType: 'RAW', SigningAlgorithm: c.alg }),
      );
      expect(raw.SigningAlgorithm).toBe(c.alg);
      expect(raw.KeyId).toMatch(/^arn:aws:kms:us-east-1:111122223333:key\//);
      expect(nodeVerify(c.hash, message, { key, dsaEncoding: 'der' }, raw.Signature!)).toBe(true);

      // DIGEST: the message is the digest, signed without hashing again. Verify over the digest
      // with prehash disabled, and via node over the original message (which hashes once).
      const digest = createHash(c.hash).update(message).digest();
      const signed = await kms.send(
        new SignCommand({ KeyId: keyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: c.alg }),
      );
      const sig = signed.Signature!;
      expect(sig[0]).toBe(0x30); // DER SEQUENCE
      expect(nodeVerify(c.hash, message, { key, dsaEncoding: 'der' }, sig)).toBe(true);
      const jwk = key.export({ format: 'jwk' });
      const point = Uint8Array.from([
        4,
        ...Buffer.from(jwk.x!, 'base64url'),
        ...Buffer.from(jwk.y!, 'base64url'),
      ]);
      expect(c.curve.verify(sig, digest, point, { prehash: false, lowS: false, format: 'der' })).toBe(true);
      // Re-hashing the digest (what a wrong emulator would do) must not verify.
      expect(nodeVerify(c.hash, digest, { key, dsaEncoding: 'der' }, sig)).toBe(false);

      // Verify through KMS: good signature, then a bad one.
      const ok = await kms.send(
        new VerifyCommand({
          KeyId: keyId,
          Message: digest,
          MessageType: 'DIGEST',
          Signature: sig,
          SigningAlgorithm: c.alg,
        }),
      );
      expect(ok.SignatureValid).toBe(true);
      const otherMessage = new TextEncoder().encode('another message');
      const bad = await errorOf(() =>
        kms.send(
          new VerifyCommand({
            KeyId: keyId,
            Message: otherMessage,
            MessageType: 'RAW',
            Signature: sig,
            SigningAlgorithm: c.alg,
          }),
        ),
      );
      expect(bad).toBeInstanceOf(KMSInvalidSignatureException);

      // Wrong digest length for the algorithm.
      const short = await errorOf(() =>
        kms.send(
          new SignCommand({
            KeyId: keyId,
            Message: digest.subarray(1),
            MessageType: 'DIGEST',
            SigningAlgorithm: c.alg,
          }),
        ),
      );
      expect(short.name).toBe('ValidationException');
    });
  }

  it('P-521 DER signatures use the long-form length', async () => {
    const keyId = await createSigningKey('ECC_NIST_P521');
    const out = await kms.send(
      new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_512' }),
    );
    expect(out.Signature![1]).toBe(0x81);
  });

  it('rejects a 31-byte digest, a 4097-byte RAW message, and accepts 4096 bytes', async () => {
    const keyId = await createSigningKey('ECC_NIST_P256');
    const e1 = await errorOf(() =>
      kms.send(
        new SignCommand({
          KeyId: keyId,
          Message: new Uint8Array(31),
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      ),
    );
    expect(e1.name).toBe('ValidationException');
    const e2 = await errorOf(() =>
      kms.send(
        new SignCommand({
          KeyId: keyId,
          Message: new Uint8Array(4097),
          MessageType: 'RAW',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      ),
    );
    expect(e2.name).toBe('ValidationException');
    const e3 = await errorOf(() =>
      kms.send(
        new SignCommand({ KeyId: keyId, Message: new Uint8Array(0), SigningAlgorithm: 'ECDSA_SHA_256' }),
      ),
    );
    expect(e3.name).toBe('ValidationException');
    const big = new Uint8Array(4096).fill(7);
    const ok = await kms.send(
      new SignCommand({ KeyId: keyId, Message: big, SigningAlgorithm: 'ECDSA_SHA_256' }),
    );
    const { key } = await publicKeyOf(keyId);
    expect(nodeVerify('sha256', big, { key, dsaEncoding: 'der' }, ok.Signature!)).toBe(true);
  });

  it('rejects a signing algorithm of another key spec with InvalidKeyUsageException', async () => {
    const keyId = await createSigningKey('ECC_NIST_P256');
    for (const alg of ['ECDSA_SHA_384', 'ED25519_SHA_512', 'RSASSA_PSS_SHA_256'] as SigningAlgorithmSpec[]) {
      const error = await errorOf(() =>
        kms.send(new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: alg })),
      );
      expect(error).toBeInstanceOf(InvalidKeyUsageException);
    }
    const symmetric = await kms.send(new CreateKeyCommand({}));
    const error = await errorOf(() =>
      kms.send(
        new SignCommand({
          KeyId: symmetric.KeyMetadata!.KeyId!,
          Message: message,
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      ),
    );
    expect(error).toBeInstanceOf(InvalidKeyUsageException);
  });

  it('answers an unknown key with NotFoundException', async () => {
    const error = await errorOf(() =>
      kms.send(
        new SignCommand({
          KeyId: '00000000-0000-0000-0000-000000000000',
          Message: message,
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      ),
    );
    expect(error).toBeInstanceOf(NotFoundException);
    expect((error as NotFoundException).$metadata.httpStatusCode).toBe(400);
    expect((error as NotFoundException).$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('KMS Ed25519 keys', () => {
  it('ED25519_SHA_512 is RAW only (PureEdDSA) and ED25519_PH_SHA_512 is DIGEST only (Ed25519ph)', async () => {
    const keyId = await createSigningKey('ECC_NIST_EDWARDS25519');
    const { key, response } = await publicKeyOf(keyId);
    expect(response.SigningAlgorithms).toEqual(['ED25519_SHA_512', 'ED25519_PH_SHA_512']);
    expect(key.asymmetricKeyType).toBe('ed25519');

    const pure = await kms.send(
      new SignCommand({
        KeyId: keyId,
        Message: message,
        MessageType: 'RAW',
        SigningAlgorithm: 'ED25519_SHA_512',
      }),
    );
    expect(pure.Signature!.length).toBe(64);
    expect(nodeVerify(null, message, key, pure.Signature!)).toBe(true);

    const digest = createHash('sha512').update(message).digest();
    const ph = await kms.send(
      new SignCommand({
        KeyId: keyId,
        Message: digest,
        MessageType: 'DIGEST',
        SigningAlgorithm: 'ED25519_PH_SHA_512',
      }),
    );
    const raw = Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url');
    // AWS: "KMS still performs the SHA-512 prehash … the input is hashed twice: once by you and
    // once by KMS" — the 64-byte digest is the Ed25519ph message, so PH = SHA-512(SHA-512(M)).
    expect(ed25519ph.verify(ph.Signature!, digest, raw)).toBe(true);
    const twice = createHash('sha512').update(digest).digest();
    expect(ed25519phOverPrehash.verify(ph.Signature!, twice, raw)).toBe(true);
    // signing the digest as the prehash itself (hashed once) is what AWS does not do
    expect(ed25519ph.verify(ph.Signature!, message, raw)).toBe(false);
    expect(nodeVerify(null, message, key, ph.Signature!)).toBe(false);

    const e1 = await errorOf(() =>
      kms.send(
        new SignCommand({
          KeyId: keyId,
          Message: digest,
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ED25519_SHA_512',
        }),
      ),
    );
    expect(e1.name).toBe('ValidationException');
    const e2 = await errorOf(() =>
      kms.send(
        new SignCommand({
          KeyId: keyId,
          Message: message,
          MessageType: 'RAW',
          SigningAlgorithm: 'ED25519_PH_SHA_512',
        }),
      ),
    );
    expect(e2.name).toBe('ValidationException');
    const verified = await kms.send(
      new VerifyCommand({
        KeyId: keyId,
        Message: digest,
        MessageType: 'DIGEST',
        Signature: ph.Signature!,
        SigningAlgorithm: 'ED25519_PH_SHA_512',
      }),
    );
    expect(verified.SignatureValid).toBe(true);
  });
});

describe('KMS ML-DSA keys', () => {
  const cases = [
    { spec: 'ML_DSA_44', dsa: ml_dsa44, size: 2420, oid: '2.16.840.1.101.3.4.3.17' },
    { spec: 'ML_DSA_65', dsa: ml_dsa65, size: 3309, oid: '2.16.840.1.101.3.4.3.18' },
    { spec: 'ML_DSA_87', dsa: ml_dsa87, size: 4627, oid: '2.16.840.1.101.3.4.3.19' },
  ] as const;
  for (const c of cases) {
    it(`${c.spec}: RAW and EXTERNAL_MU signatures verify; DIGEST is rejected`, async () => {
      const keyId = await createSigningKey(c.spec);
      const { spki, response } = await publicKeyOf(keyId);
      expect(response.SigningAlgorithms).toEqual(['ML_DSA_SHAKE_256']);
      const parsed = AsnConvert.parse(spki, SubjectPublicKeyInfo);
      expect(parsed.algorithm.algorithm).toBe(c.oid);
      expect(parsed.algorithm.parameters).toBeUndefined();
      const publicKey = new Uint8Array(parsed.subjectPublicKey);
      expect(publicKey.length).toBe(c.dsa.lengths.publicKey);
      const raw = await kms.send(
        new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'ML_DSA_SHAKE_256' }),
      );
      expect(raw.Signature!.length).toBe(c.size);
      expect(c.dsa.verify(raw.Signature!, message, publicKey)).toBe(true);

      // μ = SHAKE256(SHAKE256(pk, 64) ‖ 0x00 ‖ 0x00 ‖ M, 64) — FIPS 204 with an empty context.
      const tr = createHash('shake256', { outputLength: 64 }).update(publicKey).digest();
      const mu = createHash('shake256', { outputLength: 64 })
        .update(tr)
        .update(Buffer.from([0, 0]))
        .update(message)
        .digest();
      const external = await kms.send(
        new SignCommand({
          KeyId: keyId,
          Message: mu,
          MessageType: 'EXTERNAL_MU',
          SigningAlgorithm: 'ML_DSA_SHAKE_256',
        }),
      );
      expect(c.dsa.verify(external.Signature!, message, publicKey)).toBe(true);

      const digest = await errorOf(() =>
        kms.send(
          new SignCommand({
            KeyId: keyId,
            Message: new Uint8Array(64),
            MessageType: 'DIGEST',
            SigningAlgorithm: 'ML_DSA_SHAKE_256',
          }),
        ),
      );
      expect(digest.name).toBe('ValidationException');
    });
  }
});

describe('KMS key states', () => {
  it('disabled key → DisabledException; EnableKey brings it back', async () => {
    const keyId = await createSigningKey('ECC_NIST_P256');
    await kms.send(new DisableKeyCommand({ KeyId: keyId }));
    const described = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    expect(described.KeyMetadata?.KeyState).toBe('Disabled');
    expect(described.KeyMetadata?.Enabled).toBe(false);
    const error = await errorOf(() =>
      kms.send(new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' })),
    );
    expect(error).toBeInstanceOf(DisabledException);
    const gp = await errorOf(() => kms.send(new GetPublicKeyCommand({ KeyId: keyId })));
    expect(gp).toBeInstanceOf(DisabledException);
    await kms.send(new EnableKeyCommand({ KeyId: keyId }));
    const ok = await kms.send(
      new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }),
    );
    expect(ok.Signature!.length).toBeGreaterThan(60);
  });

  it('pending deletion → KMSInvalidStateException; cancel returns the key Disabled', async () => {
    const keyId = await createSigningKey('ECC_NIST_P256');
    for (const days of [6, 31]) {
      const error = await errorOf(() =>
        kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: days })),
      );
      expect(error.name).toBe('ValidationException');
    }
    const scheduled = await kms.send(
      new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }),
    );
    expect(scheduled.KeyState).toBe('PendingDeletion');
    expect(scheduled.PendingWindowInDays).toBe(7);
    expect(scheduled.DeletionDate).toBeInstanceOf(Date);
    expect(scheduled.DeletionDate!.getTime()).toBeGreaterThan(Date.now() + 7 * 86_400_000 - 1000);
    const error = await errorOf(() =>
      kms.send(new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' })),
    );
    expect(error).toBeInstanceOf(KMSInvalidStateException);
    const enable = await errorOf(() => kms.send(new EnableKeyCommand({ KeyId: keyId })));
    expect(enable).toBeInstanceOf(KMSInvalidStateException);
    await kms.send(new CancelKeyDeletionCommand({ KeyId: keyId }));
    const described = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    expect(described.KeyMetadata?.KeyState).toBe('Disabled');
    expect(described.KeyMetadata?.DeletionDate).toBeUndefined();
    const again = await errorOf(() => kms.send(new CancelKeyDeletionCommand({ KeyId: keyId })));
    expect(again).toBeInstanceOf(KMSInvalidStateException);
  });

  it('a key is gone once its deletion date has passed (injected clock)', async () => {
    let now = new Date('2030-01-01T00:00:00Z');
    const local = await startEmulator({ now: () => now });
    const client = kmsClient(local);
    try {
      const created = await client.send(
        new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
      );
      const keyId = created.KeyMetadata!.KeyId!;
      expect(created.KeyMetadata!.CreationDate!.toISOString()).toBe('2030-01-01T00:00:00.000Z');
      await client.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
      now = new Date('2030-01-09T00:00:01Z');
      const error = await errorOf(() => client.send(new DescribeKeyCommand({ KeyId: keyId })));
      expect(error).toBeInstanceOf(NotFoundException);
    } finally {
      client.destroy();
      await local.close();
    }
  });

  it('asymmetric keys cannot rotate (UnsupportedOperationException)', async () => {
    const keyId = await createSigningKey('ECC_NIST_P256');
    const error = await errorOf(() => kms.send(new EnableKeyRotationCommand({ KeyId: keyId })));
    expect(error).toBeInstanceOf(UnsupportedOperationException);
  });
});

describe('KMS aliases', () => {
  it('key id, key ARN, alias name and alias ARN all name the key; UpdateAlias re-points it', async () => {
    const first = await createSigningKey('ECC_NIST_P256');
    const second = await createSigningKey('ECC_NIST_P256');
    const aliasName = `alias/ds-${first.slice(0, 8)}`;
    await kms.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: first }));
    const dup = await errorOf(() =>
      kms.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: second })),
    );
    expect(dup.name).toBe('AlreadyExistsException');
    const arn = `arn:aws:kms:us-east-1:111122223333:key/${first}`;
    const aliasArn = `arn:aws:kms:us-east-1:111122223333:${aliasName}`;
    for (const id of [first, arn, aliasName, aliasArn]) {
      const out = await kms.send(new DescribeKeyCommand({ KeyId: id }));
      expect(out.KeyMetadata?.KeyId).toBe(first);
    }
    const listed = await kms.send(new ListAliasesCommand({ KeyId: first }));
    expect(listed.Aliases?.map((a) => a.AliasName)).toEqual([aliasName]);
    expect(listed.Aliases?.[0]?.AliasArn).toBe(aliasArn);

    await kms.send(new UpdateAliasCommand({ AliasName: aliasName, TargetKeyId: second }));
    const signed = await kms.send(
      new SignCommand({ KeyId: aliasName, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }),
    );
    expect(signed.KeyId).toBe(`arn:aws:kms:us-east-1:111122223333:key/${second}`);
    const { key } = await publicKeyOf(second);
    expect(nodeVerify('sha256', message, { key, dsaEncoding: 'der' }, signed.Signature!)).toBe(true);

    const symmetric = await kms.send(new CreateKeyCommand({}));
    const mismatch = await errorOf(() =>
      kms.send(new UpdateAliasCommand({ AliasName: aliasName, TargetKeyId: symmetric.KeyMetadata!.KeyId! })),
    );
    expect(mismatch.name).toBe('ValidationException');

    await kms.send(new DeleteAliasCommand({ AliasName: aliasName }));
    const gone = await errorOf(() => kms.send(new DescribeKeyCommand({ KeyId: aliasName })));
    expect(gone).toBeInstanceOf(NotFoundException);
    const reserved = await errorOf(() =>
      kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/x', TargetKeyId: first })),
    );
    expect(reserved.name).toBe('InvalidAliasNameException');
  });
});

describe('KMS Encrypt / Decrypt with an encryption context', () => {
  it('round-trips; a different context or tampered blob → InvalidCiphertextException', async () => {
    const created = await kms.send(new CreateKeyCommand({ Description: 'wrap holder PII' }));
    const keyId = created.KeyMetadata!.KeyId!;
    expect(created.KeyMetadata?.KeySpec).toBe('SYMMETRIC_DEFAULT');
    expect(created.KeyMetadata?.EncryptionAlgorithms).toEqual(['SYMMETRIC_DEFAULT']);
    const plaintext = new TextEncoder().encode('data key bytes');
    const context = { holder: 'h-1', purpose: 'pii' };
    const enc = await kms.send(
      new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: context }),
    );
    const dec = await kms.send(
      new DecryptCommand({
        CiphertextBlob: enc.CiphertextBlob!,
        EncryptionContext: { purpose: 'pii', holder: 'h-1' },
      }),
    );
    expect(Buffer.from(dec.Plaintext!).equals(Buffer.from(plaintext))).toBe(true);
    expect(dec.KeyId).toBe(created.KeyMetadata?.Arn);

    const wrong = await errorOf(() =>
      kms.send(
        new DecryptCommand({
          CiphertextBlob: enc.CiphertextBlob!,
          EncryptionContext: { holder: 'h-2', purpose: 'pii' },
        }),
      ),
    );
    expect(wrong).toBeInstanceOf(InvalidCiphertextException);
    const none = await errorOf(() => kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob! })));
    expect(none).toBeInstanceOf(InvalidCiphertextException);
    const tampered = Uint8Array.from(enc.CiphertextBlob!);
    tampered[tampered.length - 1]! ^= 1;
    const bad = await errorOf(() =>
      kms.send(new DecryptCommand({ CiphertextBlob: tampered, EncryptionContext: context })),
    );
    expect(bad).toBeInstanceOf(InvalidCiphertextException);

    const other = await kms.send(new CreateKeyCommand({}));
    const incorrect = await errorOf(() =>
      kms.send(
        new DecryptCommand({
          CiphertextBlob: enc.CiphertextBlob!,
          EncryptionContext: context,
          KeyId: other.KeyMetadata!.KeyId!,
        }),
      ),
    );
    expect(incorrect).toBeInstanceOf(IncorrectKeyException);

    const signingKey = await createSigningKey('ECC_NIST_P256');
    const usage = await errorOf(() =>
      kms.send(new EncryptCommand({ KeyId: signingKey, Plaintext: plaintext })),
    );
    expect(usage).toBeInstanceOf(InvalidKeyUsageException);
  });
});
