/**
 * Must-show tests: the KMS adapter through the real `@aws-sdk/client-kms` over loopback HTTP to
 * the project's emulator (started once for this file on port 0).
 */
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import {
  CreateAliasCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  GetPublicKeyCommand,
  KMSClient,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { buildSigStructure, signCoseSign1, verifyCoseSign1 } from '@mdlkit/core/cose';
import { CoseAlg, digest, importPublicKey, signWithPort } from '@mdlkit/core/crypto';
import { expectRejection } from '@mdlkit/test-utils';
import { EMULATOR_CREDENTIALS, withKms } from '@mdlkit/test-utils/kms';
import { issueTwoElementMdl } from '@mdlkit/test-utils/mdoc';
import { buildTestDs, buildTestIaca, type TestIaca } from '@mdlkit/test-utils/pki';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AwsAuditRecord,
  type AwsClientLike,
  awsClientDefaults,
  createKmsSigner,
  fromEnv,
  KmsKeyRing,
  type KmsSigner,
  type KmsSigningKeySpec,
  rotateKmsKey,
} from '../src/index.js';

/** Real clients with mdlkit's defaults: the SDK's strategy is the one retry layer (no back-off in tests). */
const aws = withKms({ client: { retry: { maxAttempts: 4 } } });
const sdkClient = (extra: Parameters<typeof awsClientDefaults>[0] = {}): KMSClient =>
  aws.newClient({ retry: { maxAttempts: 4, ...extra } });

const newKey = (keySpec: string, keyUsage: 'SIGN_VERIFY' | 'ENCRYPT_DECRYPT' = 'SIGN_VERIFY') =>
  aws.createKey({ KeySpec: keySpec as never, KeyUsage: keyUsage, Description: 'mdlkit test' });

/** Verify with node:crypto, independently of core: `r‖s` (IEEE P1363) for ECDSA, PureEdDSA for Ed25519. */
function nodeVerifies(signer: KmsSigner, data: Uint8Array, signature: Uint8Array): boolean {
  const key = createPublicKey({ key: Buffer.from(signer.publicKey), format: 'der', type: 'spki' });
  if (signer.kind === 'message') return nodeVerify(null, data, key, signature);
  const hash = signer.hash.replace('-', '').toLowerCase();
  return nodeVerify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
}

describe('KMS signer through the real SDK and the emulator', () => {
  it('the SDK client fits the injected client port', () => {
    const port: AwsClientLike = aws.client;
    expect(typeof port.send).toBe('function');
  });

  it.each([
    ['ECC_NIST_P256', CoseAlg.ES256, 64],
    ['ECC_NIST_P384', CoseAlg.ES384, 96],
    ['ECC_NIST_P521', CoseAlg.ES512, 132],
  ] as const)(
    '%s: a COSE_Sign1 over a 10 KiB payload, signed in DIGEST mode, verifies with core and node:crypto',
    async (spec, alg, size) => {
      const { arn } = await newKey(spec);
      const aliasName = `alias/ds-${spec.toLowerCase()}`;
      await aws.client.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: arn }));
      const signer = await createKmsSigner({ client: aws.client, keyId: aliasName });
      expect(signer).toMatchObject({ kind: 'digest', alg, keyId: arn, keySpec: spec });

      // a large MSO (many elements and decoys): the Sig_structure is beyond KMS's 4096-byte RAW limit
      const payload = new Uint8Array(10 * 1024).map((_, i) => (i * 31) & 0xff);
      const { message } = await signCoseSign1({ signer, payload });
      expect(message.signature).toHaveLength(size);
      const key = importPublicKey({ format: 'spki', der: signer.publicKey });
      expect(await verifyCoseSign1({ message, key })).toBe(true);
      const sigStructure = buildSigStructure({ protectedBytes: message.protectedBytes, payload });
      expect(sigStructure.length).toBeGreaterThan(4096);
      expect(nodeVerifies(signer, sigStructure, message.signature)).toBe(true);

      const tampered = payload.slice();
      tampered[100] = tampered[100]! ^ 1;
      expect(await verifyCoseSign1({ message: { ...message, payload: tampered }, key })).toBe(false);
    },
  );

  it('Ed25519: RAW PureEdDSA signatures verify; Sig_structures over 4096 bytes are refused before any call', async () => {
    const { arn } = await newKey('ECC_NIST_EDWARDS25519');
    const signer = await createKmsSigner({ client: aws.client, keyId: arn });
    expect(signer).toMatchObject({ kind: 'message', alg: CoseAlg.EdDSA });
    const payload = new TextEncoder().encode('ReaderAuthentication or a small MSO');
    const { message } = await signCoseSign1({ signer, payload });
    const key = importPublicKey({ format: 'spki', der: signer.publicKey });
    expect(await verifyCoseSign1({ message, key })).toBe(true);
    const sigStructure = buildSigStructure({ protectedBytes: message.protectedBytes, payload });
    expect(nodeVerifies(signer, sigStructure, message.signature)).toBe(true);

    const signsBefore = aws.emulator.faults.calls.count('Sign');
    const error = await expectRejection(
      signCoseSign1({ signer, payload: new Uint8Array(5000) }),
      'ERR_SIGNER_MESSAGE_TOO_LARGE',
    );
    expect(error.message).toContain('4096');
    expect(aws.emulator.faults.calls.count('Sign')).toBe(signsBefore);
  });
});

describe('error mapping through the emulator', () => {
  it('AccessDeniedException → ERR_SIGNER_ACCESS_DENIED naming the IAM action', async () => {
    const { arn, keyId } = await newKey('ECC_NIST_P256');
    const signer = await createKmsSigner({ client: aws.client, keyId: arn });
    aws.emulator.faults.failKey(keyId, { fromCall: 1, mode: 'access-denied' });
    const error = await expectRejection(
      signWithPort(signer, new Uint8Array([1])),
      'ERR_SIGNER_ACCESS_DENIED',
    );
    expect(error.message).toContain('kms:Sign');
    expect(error.details['awsError']).toBe('AccessDeniedException');
    expect((error.cause as Error).name).toBe('AccessDeniedException');

    const fresh = await newKey('ECC_NIST_P256');
    aws.emulator.faults.failKey(fresh.keyId, { fromCall: 1, mode: 'access-denied' });
    const atCreate = await expectRejection(
      createKmsSigner({ client: aws.client, keyId: fresh.arn }),
      'ERR_SIGNER_ACCESS_DENIED',
    );
    expect(atCreate.message).toContain('kms:DescribeKey');
  });

  it('a key disabled mid-batch → ERR_SIGNER_KEY_DISABLED from the next Sign on', async () => {
    const { arn, keyId } = await newKey('ECC_NIST_P256');
    const signer = await createKmsSigner({ client: aws.client, keyId: arn });
    // counted from now on: the first Sign still works, the key is disabled at the second
    aws.emulator.faults.failKey(keyId, { fromCall: 2, mode: 'disabled' });
    expect(await signWithPort(signer, new Uint8Array([1]))).toHaveLength(64);
    await expectRejection(signWithPort(signer, new Uint8Array([2])), 'ERR_SIGNER_KEY_DISABLED');

    const other = await newKey('ECC_NIST_P384');
    const second = await createKmsSigner({ client: aws.client, keyId: other.arn });
    await aws.client.send(new DisableKeyCommand({ KeyId: other.arn }));
    await expectRejection(signWithPort(second, new Uint8Array([3])), 'ERR_SIGNER_KEY_DISABLED');
    await expectRejection(
      createKmsSigner({ client: aws.client, keyId: other.arn }),
      'ERR_SIGNER_KEY_DISABLED',
    );
  });

  it('a key pending deletion (KMSInvalidStateException) → ERR_SIGNER_KEY_DISABLED', async () => {
    const { arn } = await newKey('ECC_NIST_P256');
    const signer = await createKmsSigner({ client: aws.client, keyId: arn });
    await aws.client.send(new ScheduleKeyDeletionCommand({ KeyId: arn, PendingWindowInDays: 7 }));
    const error = await expectRejection(signWithPort(signer, new Uint8Array([1])), 'ERR_SIGNER_KEY_DISABLED');
    expect(error.details['awsError']).toBe('KMSInvalidStateException');
  });

  it('InvalidKeyUsageException (preset config naming an encryption key) → ERR_SIGNER_KEY_USAGE', async () => {
    const signing = await createKmsSigner({ client: aws.client, keyId: (await newKey('ECC_NIST_P256')).arn });
    const wrong = await newKey('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
    const misconfigured = await createKmsSigner({
      client: aws.client,
      keyId: wrong.arn,
      keySpec: 'ECC_NIST_P256',
      publicKey: signing.publicKey,
    });
    const error = await expectRejection(
      signWithPort(misconfigured, new Uint8Array([1])),
      'ERR_SIGNER_KEY_USAGE',
    );
    expect(error.details['awsError']).toBe('InvalidKeyUsageException');
    // and DescribeKey catches it up front when the spec is not preset
    await expectRejection(createKmsSigner({ client: aws.client, keyId: wrong.arn }), 'ERR_SIGNER_KEY_USAGE');
  });

  it('unknown key → ERR_AWS_CONFIG_INVALID', async () => {
    await expectRejection(
      createKmsSigner({ client: aws.client, keyId: 'alias/does-not-exist' }),
      'ERR_AWS_CONFIG_INVALID',
    );
  });

  it('ThrottlingException: the SDK strategy retries up to maxAttempts; every attempt reaches the server and the audit log', async () => {
    const { arn } = await newKey('ECC_NIST_P256');
    const records: AwsAuditRecord[] = [];
    const signer = await createKmsSigner({ client: aws.client, keyId: arn, audit: (r) => records.push(r) });
    records.length = 0;

    let before = aws.emulator.faults.calls.count('Sign');
    aws.emulator.faults.throttleNext(2, { operations: ['Sign'] });
    expect(await signWithPort(signer, new Uint8Array([1]))).toHaveLength(64);
    expect(aws.emulator.faults.calls.count('Sign') - before).toBe(3);
    expect(records.map((r) => `${r.attempt}:${r.outcome}`)).toEqual(['1:error', '2:error', '3:success']);

    records.length = 0;
    before = aws.emulator.faults.calls.count('Sign');
    aws.emulator.faults.throttleNext(10, { operations: ['Sign'] });
    const error = await expectRejection(signWithPort(signer, new Uint8Array([2])), 'ERR_SIGNER_THROTTLED');
    expect(aws.emulator.faults.calls.count('Sign') - before).toBe(4);
    expect(records.map((r) => r.attempt)).toEqual([1, 2, 3, 4]);
    expect(error.details['attempts']).toBe(4);
    expect(error.message).toContain('Cause: ThrottlingException (Rate exceeded)');
    expect((error.cause as Error).name).toBe('ThrottlingException');
    aws.emulator.faults.clear();
  });

  it('a connection reset is retried (Sign is safe to repeat), not reported as outcome unknown', async () => {
    const { arn } = await newKey('ECC_NIST_P256');
    const records: AwsAuditRecord[] = [];
    const signer = await createKmsSigner({ client: aws.client, keyId: arn, audit: (r) => records.push(r) });
    records.length = 0;
    aws.emulator.faults.resetNext(1, { operations: ['Sign'] });
    expect(await signWithPort(signer, new Uint8Array([1]))).toHaveLength(64);
    expect(records.map((r) => r.networkError ?? r.outcome)).toEqual(['ECONNRESET', 'success']);
    aws.emulator.faults.resetNext(10, { operations: ['Sign'] });
    const error = await expectRejection(signWithPort(signer, new Uint8Array([2])), 'ERR_SIGNER_UNAVAILABLE');
    expect(error.message).toContain('ECONNRESET');
    aws.emulator.faults.clear();
  });

  it('a stalled Sign: the per-attempt timeout retries it; a deadline ends a call that stalls every time', async () => {
    const fast = sdkClient({ requestTimeoutMs: 150 });
    try {
      const { arn } = await newKey('ECC_NIST_P256');
      const signer = await createKmsSigner({ client: fast, keyId: arn });
      aws.emulator.faults.holdNext(1, { operations: ['Sign'] });
      expect(await signWithPort(signer, new Uint8Array([1]))).toHaveLength(64);
      const bounded = await createKmsSigner({ client: aws.client, keyId: arn, deadlineMs: 300 });
      aws.emulator.faults.holdNext(1, { operations: ['Sign'] });
      const error = await expectRejection(signWithPort(bounded, new Uint8Array([1])), 'ERR_SIGNER_TIMEOUT');
      expect(error.message).toContain('within the deadline');
    } finally {
      fast.destroy();
      aws.emulator.faults.clear();
    }
  });

  it('an unreachable endpoint keeps its cause: ERR_SIGNER_UNAVAILABLE naming ENOTFOUND', async () => {
    const nowhere = new KMSClient({
      endpoint: 'http://kms.mdlkit-test.invalid',
      region: 'us-east-1',
      credentials: EMULATOR_CREDENTIALS,
      ...awsClientDefaults({ maxAttempts: 1 }),
    });
    const error = await expectRejection(
      createKmsSigner({ client: nowhere, keyId: 'alias/ds' }),
      'ERR_SIGNER_UNAVAILABLE',
    );
    expect(error.message).toMatch(/ENOTFOUND|EAI_AGAIN/);
    expect(error.cause).toBeInstanceOf(Error);
    nowhere.destroy();
  });
});

describe('audit log', () => {
  it('one redacted record per KMS call: no digest or signature bytes in any record', async () => {
    const records: AwsAuditRecord[] = [];
    const { arn } = await newKey('ECC_NIST_P256');
    const before = aws.emulator.faults.calls.count();
    const signer = await createKmsSigner({
      client: aws.client,
      keyId: arn,
      audit: (r) => records.push(r),
      now: () => new Date('2026-01-01T00:00:00Z'),
    });
    if (signer.kind !== 'digest') throw new Error('expected a digest signer');
    const data = new TextEncoder().encode('a Sig_structure');
    const hash = digest('SHA-256', data);
    const signature = await signer.signDigest(hash);
    expect(records).toHaveLength(aws.emulator.faults.calls.count() - before);
    expect(records.map((r) => r.operation)).toEqual(['DescribeKey', 'GetPublicKey', 'Sign']);
    for (const r of records) {
      expect(r).toMatchObject({
        service: 'kms',
        outcome: 'success',
        attempt: 1,
        resourceId: expect.any(String),
      });
      expect(r.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.timestamp).toBe('2026-01-01T00:00:00.000Z');
    }
    expect(records[2]?.request).toMatchObject({
      Message: { redacted: 'bytes', length: 32 },
      MessageType: 'DIGEST',
    });
    expect(records[2]?.response).toMatchObject({ Signature: { redacted: 'bytes' } });
    const text = JSON.stringify(records);
    const r = signature.subarray(0, 32);
    const s = signature.subarray(32);
    for (const secret of [hash, r, s, signer.publicKey]) {
      expect(text).not.toContain(Buffer.from(secret).toString('hex'));
      expect(text).not.toContain(Buffer.from(secret).toString('base64'));
    }
  });
});

describe('key ring rotation against the emulator', () => {
  it('rotates through CreateKey + UpdateAlias; the retired key verifies but never signs', async () => {
    const aliasName = 'alias/mdl-ds-rotating';
    const first = await rotateKmsKey({ client: aws.client, aliasName, keySpec: 'ECC_NIST_P256' });
    const ring = new KmsKeyRing({ active: await createKmsSigner({ client: aws.client, keyId: aliasName }) });
    expect(ring.active.keyId).toBe(first.signer.keyId);
    const data = new Uint8Array([1, 2, 3]);
    const oldSignature = await signWithPort(ring.active, data);

    let hookSawAlias: string | undefined;
    const next = await rotateKmsKey({
      client: aws.client,
      aliasName,
      keySpec: 'ECC_NIST_P384' satisfies KmsSigningKeySpec,
      beforeAliasUpdate: async () => {
        const d = await aws.client.send(new DescribeKeyCommand({ KeyId: aliasName }));
        hookSawAlias = d.KeyMetadata?.Arn;
      },
    });
    expect(hookSawAlias).toBe(first.signer.keyId);
    expect(next.previousKeyId).toBe(first.signer.keyId);
    const moved = await aws.client.send(new DescribeKeyCommand({ KeyId: aliasName }));
    expect(moved.KeyMetadata?.Arn).toBe(next.signer.keyId);

    ring.rotate(next.signer);
    expect(ring.active.alg).toBe(CoseAlg.ES384);
    await expect(Promise.resolve().then(() => ring.signerFor(first.signer.keyId))).rejects.toMatchObject({
      code: 'ERR_SIGNER_RETIRED_KEY',
    });
    const retired = ring.verificationKeys().find((k) => k.status === 'retired');
    expect(retired?.keyId).toBe(first.signer.keyId);
    const key = createPublicKey({ key: Buffer.from(retired!.publicKey), format: 'der', type: 'spki' });
    expect(nodeVerify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, oldSignature)).toBe(true);
  });
});

describe('issue #19: the KMS key must be the DS certificate key', () => {
  let iaca: TestIaca;
  beforeAll(async () => {
    iaca = await buildTestIaca('Key check IACA');
  });
  const dsFor = (publicKey: Uint8Array) => buildTestDs({ iaca, publicKey });
  const publicKeyOf = async (keyId: string) =>
    (await aws.client.send(new GetPublicKeyCommand({ KeyId: keyId }))).PublicKey!;
  const pemOf = (der: Uint8Array) =>
    `-----BEGIN PUBLIC KEY-----\n${Buffer.from(der).toString('base64')}\n-----END PUBLIC KEY-----`;

  it("fromEnv with an alias and another key's PEM: refused after GetPublicKey", async () => {
    const ds = await newKey('ECC_NIST_P256');
    const other = await newKey('ECC_NIST_P256');
    await aws.client.send(new CreateAliasCommand({ AliasName: 'alias/key-check-ds', TargetKeyId: ds.keyId }));
    const cfg = fromEnv({
      AWS_REGION: aws.emulator.region,
      MDLKIT_KMS_KEY_ID: 'alias/key-check-ds',
      MDLKIT_KMS_PUBLIC_KEY_PEM: pemOf(await publicKeyOf(other.arn)),
    });
    await expectRejection(
      createKmsSigner({
        client: aws.client,
        keyId: cfg.keyId,
        ...(cfg.publicKey === undefined ? {} : { publicKey: cfg.publicKey }),
      }),
      'ERR_SIGNER_KEY_MISMATCH',
    );
  });

  it('key ARN + key spec + a wrong public key + the certificate: refused with no KMS call', async () => {
    const ds = await newKey('ECC_NIST_P256');
    const other = await newKey('ECC_NIST_P256');
    const certificate = await dsFor(await publicKeyOf(ds.arn));
    const wrong = await publicKeyOf(other.arn);
    const before = aws.emulator.faults.calls.count();
    await expectRejection(
      createKmsSigner({
        client: aws.client,
        keyId: ds.arn,
        keySpec: 'ECC_NIST_P256',
        publicKey: wrong,
        certificate,
      }),
      'ERR_SIGNER_KEY_MISMATCH',
    );
    const right = await createKmsSigner({
      client: aws.client,
      keyId: ds.arn,
      keySpec: 'ECC_NIST_P256',
      publicKey: await publicKeyOf(ds.arn),
      certificate,
    });
    expect(aws.emulator.faults.calls.count() - before).toBe(1); // the GetPublicKey of the test itself
    expect(right.region).toBe(aws.emulator.region);
  });

  it('key ARN + key spec + a wrong public key, no certificate: issueMdoc refuses before any Sign', async () => {
    const ds = await newKey('ECC_NIST_P256');
    const other = await newKey('ECC_NIST_P256');
    const certificate = await dsFor(await publicKeyOf(ds.arn));
    const signer = await createKmsSigner({
      client: aws.client,
      keyId: ds.arn,
      keySpec: 'ECC_NIST_P256',
      publicKey: await publicKeyOf(other.arn),
    });
    const signs = aws.emulator.faults.calls.count('Sign');
    await expectRejection(
      issueTwoElementMdl({ signer, dsCertificate: certificate }),
      'ERR_SIGNER_KEY_MISMATCH',
    );
    expect(aws.emulator.faults.calls.count('Sign')).toBe(signs);
  });
});
