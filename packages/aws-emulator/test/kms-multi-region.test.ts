import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import {
  AlreadyExistsException,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisabledException,
  DisableKeyCommand,
  EncryptCommand,
  GetPublicKeyCommand,
  ListKeysCommand,
  NotFoundException,
  ReplicateKeyCommand,
  SignCommand,
  UnsupportedOperationException,
  VerifyCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { errorOf, kmsClient } from './helpers.js';

// Multi-Region keys as AWS KMS has them, through the real @aws-sdk/client-kms: one client per
// Region, all pointed at the one emulator, which takes each request's Region from its SigV4
// credential scope as a Regional endpoint does.

const PRIMARY = 'us-east-1';
const REPLICA = 'eu-west-1';
let emulator: Emulator;
let east: ReturnType<typeof kmsClient>;
let west: ReturnType<typeof kmsClient>;

beforeAll(async () => {
  emulator = await startEmulator({ region: PRIMARY });
  east = kmsClient(emulator, 1, PRIMARY);
  west = kmsClient(emulator, 1, REPLICA);
});
afterAll(async () => {
  east.destroy();
  west.destroy();
  await emulator.close();
});

async function multiRegionSigningKey(): Promise<string> {
  const out = await east.send(
    new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', MultiRegion: true }),
  );
  return out.KeyMetadata!.Arn!;
}

const digest = new Uint8Array(32).fill(7);

describe('CreateKey MultiRegion', () => {
  it('a primary key: mrk- key id, MultiRegion true, PRIMARY with itself as PrimaryKey and no replicas yet', async () => {
    const created = await east.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', MultiRegion: true }),
    );
    const meta = created.KeyMetadata!;
    expect(meta.KeyId).toMatch(/^mrk-[0-9a-f]{32}$/);
    expect(meta.Arn).toBe(`arn:aws:kms:${PRIMARY}:${emulator.accountId}:key/${meta.KeyId}`);
    expect(meta.MultiRegion).toBe(true);
    expect(meta.MultiRegionConfiguration).toEqual({
      MultiRegionKeyType: 'PRIMARY',
      PrimaryKey: { Arn: meta.Arn, Region: PRIMARY },
      ReplicaKeys: [],
    });
    const single = await east.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    expect(single.KeyMetadata!.KeyId).toMatch(/^[0-9a-f]{8}-/);
    expect(single.KeyMetadata!.MultiRegion).toBe(false);
    expect(single.KeyMetadata!.MultiRegionConfiguration).toBeUndefined();
  });
});

describe('ReplicateKey', () => {
  it('creates the replica in the other Region: same key id and public key, its own ARN, REPLICA pointing at the primary', async () => {
    const primaryArn = await multiRegionSigningKey();
    const keyId = primaryArn.split('/')[1]!;
    const replicated = await east.send(
      new ReplicateKeyCommand({ KeyId: primaryArn, ReplicaRegion: REPLICA, Description: 'DS replica' }),
    );
    const replicaArn = `arn:aws:kms:${REPLICA}:${emulator.accountId}:key/${keyId}`;
    expect(replicated.ReplicaKeyMetadata).toMatchObject({
      KeyId: keyId,
      Arn: replicaArn,
      Description: 'DS replica',
      KeyState: 'Enabled',
      KeySpec: 'ECC_NIST_P256',
      KeyUsage: 'SIGN_VERIFY',
      MultiRegion: true,
    });
    expect(JSON.parse(replicated.ReplicaPolicy!)).toHaveProperty('Statement');

    const replica = (await west.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
    expect(replica.Arn).toBe(replicaArn);
    expect(replica.MultiRegionConfiguration).toEqual({
      MultiRegionKeyType: 'REPLICA',
      PrimaryKey: { Arn: primaryArn, Region: PRIMARY },
      ReplicaKeys: [{ Arn: replicaArn, Region: REPLICA }],
    });
    const primary = (await east.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
    expect(primary.MultiRegionConfiguration).toEqual({
      MultiRegionKeyType: 'PRIMARY',
      PrimaryKey: { Arn: primaryArn, Region: PRIMARY },
      ReplicaKeys: [{ Arn: replicaArn, Region: REPLICA }],
    });

    const eastKey = await east.send(new GetPublicKeyCommand({ KeyId: primaryArn }));
    const westKey = await west.send(new GetPublicKeyCommand({ KeyId: replicaArn }));
    expect(westKey.KeyId).toBe(replicaArn);
    expect(Buffer.from(westKey.PublicKey!).equals(Buffer.from(eastKey.PublicKey!))).toBe(true);
  });

  it('a signature made in the replica Region verifies with the primary public key (node:crypto) and by the primary', async () => {
    const primaryArn = await multiRegionSigningKey();
    const { ReplicaKeyMetadata } = await east.send(
      new ReplicateKeyCommand({ KeyId: primaryArn, ReplicaRegion: REPLICA }),
    );
    const message = new TextEncoder().encode('MSO signed in the replica Region');
    const signed = await west.send(
      new SignCommand({
        KeyId: ReplicaKeyMetadata!.Arn!,
        Message: message,
        MessageType: 'RAW',
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    expect(signed.KeyId).toBe(ReplicaKeyMetadata!.Arn);
    const primaryKey = await east.send(new GetPublicKeyCommand({ KeyId: primaryArn }));
    const publicKey = createPublicKey({
      key: Buffer.from(primaryKey.PublicKey!),
      format: 'der',
      type: 'spki',
    });
    expect(nodeVerify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, signed.Signature!)).toBe(
      true,
    );
    expect(
      nodeVerify('sha256', message.subarray(1), { key: publicKey, dsaEncoding: 'der' }, signed.Signature!),
    ).toBe(false);
    const digestSigned = await west.send(
      new SignCommand({
        KeyId: ReplicaKeyMetadata!.Arn!,
        Message: digest,
        MessageType: 'DIGEST',
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    const verified = await east.send(
      new VerifyCommand({
        KeyId: primaryArn,
        Message: digest,
        MessageType: 'DIGEST',
        Signature: digestSigned.Signature!,
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    expect(verified.SignatureValid).toBe(true);
  });

  it('a symmetric multi-Region key: ciphertext from the primary Region decrypts in the replica Region', async () => {
    const created = await east.send(new CreateKeyCommand({ MultiRegion: true }));
    await east.send(new ReplicateKeyCommand({ KeyId: created.KeyMetadata!.KeyId!, ReplicaRegion: REPLICA }));
    const context = { purpose: 'replica-test' };
    const sealed = await east.send(
      new EncryptCommand({
        KeyId: created.KeyMetadata!.Arn!,
        Plaintext: new Uint8Array([1, 2, 3]),
        EncryptionContext: context,
      }),
    );
    const opened = await west.send(
      new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob!, EncryptionContext: context }),
    );
    expect(opened.KeyId).toBe(
      `arn:aws:kms:${REPLICA}:${emulator.accountId}:key/${created.KeyMetadata!.KeyId}`,
    );
    expect([...opened.Plaintext!]).toEqual([1, 2, 3]);
  });

  it('a single-Region key → UnsupportedOperationException (not a multi-Region primary key)', async () => {
    const single = await east.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    const error = await errorOf(() =>
      east.send(new ReplicateKeyCommand({ KeyId: single.KeyMetadata!.Arn!, ReplicaRegion: REPLICA })),
    );
    expect(error).toBeInstanceOf(UnsupportedOperationException);
    expect(error.message).toBe(`${single.KeyMetadata!.Arn} is not a multi-Region primary key.`);
  });

  it('a replica cannot be replicated → UnsupportedOperationException', async () => {
    const primaryArn = await multiRegionSigningKey();
    const { ReplicaKeyMetadata } = await east.send(
      new ReplicateKeyCommand({ KeyId: primaryArn, ReplicaRegion: REPLICA }),
    );
    const error = await errorOf(() =>
      west.send(
        new ReplicateKeyCommand({ KeyId: ReplicaKeyMetadata!.Arn!, ReplicaRegion: 'ap-southeast-2' }),
      ),
    );
    expect(error).toBeInstanceOf(UnsupportedOperationException);
  });

  it('into the primary key’s own Region → AlreadyExistsException', async () => {
    const primaryArn = await multiRegionSigningKey();
    const error = await errorOf(() =>
      east.send(new ReplicateKeyCommand({ KeyId: primaryArn, ReplicaRegion: PRIMARY })),
    );
    expect(error).toBeInstanceOf(AlreadyExistsException);
  });

  it('a second replica in the same Region → AlreadyExistsException, the first replica untouched', async () => {
    const primaryArn = await multiRegionSigningKey();
    await east.send(
      new ReplicateKeyCommand({ KeyId: primaryArn, ReplicaRegion: REPLICA, Description: 'first' }),
    );
    const error = await errorOf(() =>
      east.send(
        new ReplicateKeyCommand({ KeyId: primaryArn, ReplicaRegion: REPLICA, Description: 'second' }),
      ),
    );
    expect(error).toBeInstanceOf(AlreadyExistsException);
    const replica = await west.send(new DescribeKeyCommand({ KeyId: primaryArn.split('/')[1]! }));
    expect(replica.KeyMetadata!.Description).toBe('first');
  });

  it('a disabled primary → DisabledException; an alias as KeyId → NotFoundException; a malformed Region → ValidationException', async () => {
    const primaryArn = await multiRegionSigningKey();
    await east.send(
      new CreateAliasCommand({ AliasName: `alias/mrk-${Date.now()}`, TargetKeyId: primaryArn }),
    );
    const aliasError = await errorOf(() =>
      east.send(new ReplicateKeyCommand({ KeyId: 'alias/does-not-matter', ReplicaRegion: REPLICA })),
    );
    expect(aliasError).toBeInstanceOf(NotFoundException);
    const region = await errorOf(() =>
      east.send(new ReplicateKeyCommand({ KeyId: primaryArn, ReplicaRegion: 'Europe' })),
    );
    expect(region.name).toBe('ValidationException');
    await east.send(new DisableKeyCommand({ KeyId: primaryArn }));
    const disabled = await errorOf(() =>
      east.send(new ReplicateKeyCommand({ KeyId: primaryArn, ReplicaRegion: REPLICA })),
    );
    expect(disabled).toBeInstanceOf(DisabledException);
    expect(
      await errorOf(() => west.send(new DescribeKeyCommand({ KeyId: primaryArn.split('/')[1]! }))),
    ).toBeInstanceOf(NotFoundException);
  });
});

describe('Regions are separate', () => {
  it('a key ARN of one Region sent to another Region’s endpoint → NotFoundException; so is its bare key id', async () => {
    const single = await east.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    const byArn = await errorOf(() =>
      west.send(new GetPublicKeyCommand({ KeyId: single.KeyMetadata!.Arn! })),
    );
    expect(byArn).toBeInstanceOf(NotFoundException);
    expect(byArn.message).toBe(`Invalid arn ${REPLICA}`);
    const byId = await errorOf(() =>
      west.send(new DescribeKeyCommand({ KeyId: single.KeyMetadata!.KeyId! })),
    );
    expect(byId).toBeInstanceOf(NotFoundException);
    // the primary's ARN on the replica Region's endpoint, too, although the replica exists there
    const primaryArn = await multiRegionSigningKey();
    await east.send(new ReplicateKeyCommand({ KeyId: primaryArn, ReplicaRegion: REPLICA }));
    const crossArn = await errorOf(() =>
      west.send(
        new SignCommand({
          KeyId: primaryArn,
          Message: digest,
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      ),
    );
    expect(crossArn).toBeInstanceOf(NotFoundException);
  });

  it('aliases and ListKeys are per Region; a replica’s key state is its own', async () => {
    const primaryArn = await multiRegionSigningKey();
    const keyId = primaryArn.split('/')[1]!;
    const aliasName = `alias/ds-${Date.now()}`;
    await east.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: keyId }));
    const { ReplicaKeyMetadata } = await east.send(
      new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: REPLICA }),
    );
    expect(await errorOf(() => west.send(new DescribeKeyCommand({ KeyId: aliasName })))).toBeInstanceOf(
      NotFoundException,
    );
    const westKeys = (await west.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyArn);
    expect(westKeys).toContain(ReplicaKeyMetadata!.Arn);
    expect(westKeys.every((arn) => arn!.includes(`:${REPLICA}:`))).toBe(true);
    expect(emulator.state.kms.regions.get(REPLICA)?.keys.get(keyId)?.region).toBe(REPLICA);

    await west.send(new DisableKeyCommand({ KeyId: keyId }));
    const disabled = await errorOf(() =>
      west.send(
        new SignCommand({
          KeyId: keyId,
          Message: digest,
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      ),
    );
    expect(disabled).toBeInstanceOf(DisabledException);
    const stillSigns = await east.send(
      new SignCommand({
        KeyId: keyId,
        Message: digest,
        MessageType: 'DIGEST',
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    expect(stillSigns.Signature!.length).toBeGreaterThan(60);
  });

  it('faults can be limited to one Region: the primary Region throttles while the replica Region answers', async () => {
    const primaryArn = await multiRegionSigningKey();
    const { ReplicaKeyMetadata } = await east.send(
      new ReplicateKeyCommand({ KeyId: primaryArn, ReplicaRegion: REPLICA }),
    );
    emulator.faults.calls.reset();
    emulator.faults.throttleRate(1, { operations: ['Sign'], regions: [PRIMARY] });
    try {
      const throttled = await errorOf(() =>
        east.send(
          new SignCommand({
            KeyId: primaryArn,
            Message: digest,
            MessageType: 'DIGEST',
            SigningAlgorithm: 'ECDSA_SHA_256',
          }),
        ),
      );
      expect(throttled.name).toBe('ThrottlingException');
      const answered = await west.send(
        new SignCommand({
          KeyId: ReplicaKeyMetadata!.Arn!,
          Message: digest,
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      );
      expect(answered.Signature).toBeInstanceOf(Uint8Array);
      expect(emulator.faults.calls.countInRegion(PRIMARY, 'Sign')).toBe(1);
      expect(emulator.faults.calls.countInRegion(REPLICA, 'Sign')).toBe(1);
    } finally {
      emulator.faults.clear();
    }
  });
});
