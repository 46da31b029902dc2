/**
 * Must-show tests: the KMS adapter through the real `@aws-sdk/client-kms` over loopback HTTP to
 * the project's emulator (started once for this file on port 0).
 */
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  GetPublicKeyCommand,
  KMSClient,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { type Emulator, startEmulator } from '@mdlkit/aws-emulator';
import { buildSigStructure, signCoseSign1, verifyCoseSign1 } from '@mdlkit/core/cose';
import {
  CoseAlg,
  createLocalSigner,
  digest,
  exportPublicKey,
  generateKeyPair,
  importPublicKey,
  randomBytes,
  signWithPort,
} from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { issueMdoc } from '@mdlkit/issuer';
import { buildDocumentSignerCertificate, buildIacaCertificate } from '@mdlkit/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

let emulator: Emulator;
let client: KMSClient;
const credentials = { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' };
/** A real client with mdlkit's defaults: the SDK's strategy is the one retry layer (no back-off in tests). */
function sdkClient(extra: Parameters<typeof awsClientDefaults>[0] = {}): KMSClient {
  return new KMSClient({
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials,
    ...awsClientDefaults({ mode: 'standard', maxAttempts: 4, backoffMs: () => 0, ...extra }),
  });
}

beforeAll(async () => {
  emulator = await startEmulator();
  client = sdkClient();
});
afterAll(async () => {
  client.destroy();
  await emulator.close();
});

async function newKey(keySpec: string, keyUsage: 'SIGN_VERIFY' | 'ENCRYPT_DECRYPT' = 'SIGN_VERIFY') {
  const out = await client.send(
    new CreateKeyCommand({ KeySpec: keySpec as never, KeyUsage: keyUsage, Description: 'mdlkit test' }),
  );
  return { arn: out.KeyMetadata!.Arn!, keyId: out.KeyMetadata!.KeyId! };
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<MdlError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MdlError);
  expect((error as MdlError).code).toBe(code);
  return error as MdlError;
}

/** Verify with node:crypto, independently of core: `r‖s` (IEEE P1363) for ECDSA, PureEdDSA for Ed25519. */
function nodeVerifies(signer: KmsSigner, data: Uint8Array, signature: Uint8Array): boolean {
  const key = createPublicKey({ key: Buffer.from(signer.publicKey), format: 'der', type: 'spki' });
  if (signer.kind === 'message') return nodeVerify(null, data, key, signature);
  const hash = signer.hash.replace('-', '').toLowerCase();
  return nodeVerify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
}

describe('KMS signer through the real SDK and the emulator', () => {
  it('the SDK client fits the injected client port', () => {
    const port: AwsClientLike = client;
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
      await client.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: arn }));
      const signer = await createKmsSigner({ client, keyId: aliasName });
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
    const signer = await createKmsSigner({ client, keyId: arn });
    expect(signer).toMatchObject({ kind: 'message', alg: CoseAlg.EdDSA });
    const payload = new TextEncoder().encode('ReaderAuthentication or a small MSO');
    const { message } = await signCoseSign1({ signer, payload });
    const key = importPublicKey({ format: 'spki', der: signer.publicKey });
    expect(await verifyCoseSign1({ message, key })).toBe(true);
    const sigStructure = buildSigStructure({ protectedBytes: message.protectedBytes, payload });
    expect(nodeVerifies(signer, sigStructure, message.signature)).toBe(true);

    const signsBefore = emulator.faults.calls.count('Sign');
    const error = await expectCode(
      signCoseSign1({ signer, payload: new Uint8Array(5000) }),
      'ERR_SIGNER_MESSAGE_TOO_LARGE',
    );
    expect(error.message).toContain('4096');
    expect(emulator.faults.calls.count('Sign')).toBe(signsBefore);
  });
});

describe('error mapping through the emulator', () => {
  it('AccessDeniedException → ERR_SIGNER_ACCESS_DENIED naming the IAM action', async () => {
    const { arn, keyId } = await newKey('ECC_NIST_P256');
    const signer = await createKmsSigner({ client, keyId: arn });
    emulator.faults.failKey(keyId, { fromCall: 1, mode: 'access-denied' });
    const error = await expectCode(signWithPort(signer, new Uint8Array([1])), 'ERR_SIGNER_ACCESS_DENIED');
    expect(error.message).toContain('kms:Sign');
    expect(error.details['awsError']).toBe('AccessDeniedException');
    expect((error.cause as Error).name).toBe('AccessDeniedException');

    const fresh = await newKey('ECC_NIST_P256');
    emulator.faults.failKey(fresh.keyId, { fromCall: 1, mode: 'access-denied' });
    const atCreate = await expectCode(
      createKmsSigner({ client, keyId: fresh.arn }),
      'ERR_SIGNER_ACCESS_DENIED',
    );
    expect(atCreate.message).toContain('kms:DescribeKey');
  });

  it('a key disabled mid-batch → ERR_SIGNER_KEY_DISABLED from the next Sign on', async () => {
    const { arn, keyId } = await newKey('ECC_NIST_P256');
    const signer = await createKmsSigner({ client, keyId: arn });
    // counted from now on: the first Sign still works, the key is disabled at the second
    emulator.faults.failKey(keyId, { fromCall: 2, mode: 'disabled' });
    expect(await signWithPort(signer, new Uint8Array([1]))).toHaveLength(64);
    await expectCode(signWithPort(signer, new Uint8Array([2])), 'ERR_SIGNER_KEY_DISABLED');

    const other = await newKey('ECC_NIST_P384');
    const second = await createKmsSigner({ client, keyId: other.arn });
    await client.send(new DisableKeyCommand({ KeyId: other.arn }));
    await expectCode(signWithPort(second, new Uint8Array([3])), 'ERR_SIGNER_KEY_DISABLED');
    await expectCode(createKmsSigner({ client, keyId: other.arn }), 'ERR_SIGNER_KEY_DISABLED');
  });

  it('a key pending deletion (KMSInvalidStateException) → ERR_SIGNER_KEY_DISABLED', async () => {
    const { arn } = await newKey('ECC_NIST_P256');
    const signer = await createKmsSigner({ client, keyId: arn });
    await client.send(new ScheduleKeyDeletionCommand({ KeyId: arn, PendingWindowInDays: 7 }));
    const error = await expectCode(signWithPort(signer, new Uint8Array([1])), 'ERR_SIGNER_KEY_DISABLED');
    expect(error.details['awsError']).toBe('KMSInvalidStateException');
  });

  it('InvalidKeyUsageException (preset config naming an encryption key) → ERR_SIGNER_KEY_USAGE', async () => {
    const signing = await createKmsSigner({ client, keyId: (await newKey('ECC_NIST_P256')).arn });
    const wrong = await newKey('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
    const misconfigured = await createKmsSigner({
      client,
      keyId: wrong.arn,
      keySpec: 'ECC_NIST_P256',
      publicKey: signing.publicKey,
    });
    const error = await expectCode(signWithPort(misconfigured, new Uint8Array([1])), 'ERR_SIGNER_KEY_USAGE');
    expect(error.details['awsError']).toBe('InvalidKeyUsageException');
    // and DescribeKey catches it up front when the spec is not preset
    await expectCode(createKmsSigner({ client, keyId: wrong.arn }), 'ERR_SIGNER_KEY_USAGE');
  });

  it('unknown key → ERR_AWS_CONFIG_INVALID', async () => {
    await expectCode(createKmsSigner({ client, keyId: 'alias/does-not-exist' }), 'ERR_AWS_CONFIG_INVALID');
  });

  it('ThrottlingException: the SDK strategy retries up to maxAttempts; every attempt reaches the server and the audit log', async () => {
    const { arn } = await newKey('ECC_NIST_P256');
    const records: AwsAuditRecord[] = [];
    const signer = await createKmsSigner({ client, keyId: arn, audit: (r) => records.push(r) });
    records.length = 0;

    let before = emulator.faults.calls.count('Sign');
    emulator.faults.throttleNext(2, { operations: ['Sign'] });
    expect(await signWithPort(signer, new Uint8Array([1]))).toHaveLength(64);
    expect(emulator.faults.calls.count('Sign') - before).toBe(3);
    expect(records.map((r) => `${r.attempt}:${r.outcome}`)).toEqual(['1:error', '2:error', '3:success']);

    records.length = 0;
    before = emulator.faults.calls.count('Sign');
    emulator.faults.throttleNext(10, { operations: ['Sign'] });
    const error = await expectCode(signWithPort(signer, new Uint8Array([2])), 'ERR_SIGNER_THROTTLED');
    expect(emulator.faults.calls.count('Sign') - before).toBe(4);
    expect(records.map((r) => r.attempt)).toEqual([1, 2, 3, 4]);
    expect(error.details['attempts']).toBe(4);
    expect(error.message).toContain('Cause: ThrottlingException (Rate exceeded)');
    expect((error.cause as Error).name).toBe('ThrottlingException');
    emulator.faults.clear();
  });

  it('a connection reset is retried (Sign is safe to repeat), not reported as outcome unknown', async () => {
    const { arn } = await newKey('ECC_NIST_P256');
    const records: AwsAuditRecord[] = [];
    const signer = await createKmsSigner({ client, keyId: arn, audit: (r) => records.push(r) });
    records.length = 0;
    emulator.faults.resetNext(1, { operations: ['Sign'] });
    expect(await signWithPort(signer, new Uint8Array([1]))).toHaveLength(64);
    expect(records.map((r) => r.networkError ?? r.outcome)).toEqual(['ECONNRESET', 'success']);
    emulator.faults.resetNext(10, { operations: ['Sign'] });
    const error = await expectCode(signWithPort(signer, new Uint8Array([2])), 'ERR_SIGNER_UNAVAILABLE');
    expect(error.message).toContain('ECONNRESET');
    emulator.faults.clear();
  });

  it('a stalled Sign: the per-attempt timeout retries it; a deadline ends a call that stalls every time', async () => {
    const fast = sdkClient({ requestTimeoutMs: 150 });
    try {
      const { arn } = await newKey('ECC_NIST_P256');
      const signer = await createKmsSigner({ client: fast, keyId: arn });
      emulator.faults.holdNext(1, { operations: ['Sign'] });
      expect(await signWithPort(signer, new Uint8Array([1]))).toHaveLength(64);
      const bounded = await createKmsSigner({ client, keyId: arn, deadlineMs: 300 });
      emulator.faults.holdNext(1, { operations: ['Sign'] });
      const error = await expectCode(signWithPort(bounded, new Uint8Array([1])), 'ERR_SIGNER_TIMEOUT');
      expect(error.message).toContain('within the deadline');
    } finally {
      fast.destroy();
      emulator.faults.clear();
    }
  });

  it('an unreachable endpoint keeps its cause: ERR_SIGNER_UNAVAILABLE naming ENOTFOUND', async () => {
    const nowhere = new KMSClient({
      endpoint: 'http://kms.mdlkit-test.invalid',
      region: 'us-east-1',
      credentials,
      ...awsClientDefaults({ maxAttempts: 1 }),
    });
    const error = await expectCode(
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
    const before = emulator.faults.calls.count();
    const signer = await createKmsSigner({
      client,
      keyId: arn,
      audit: (r) => records.push(r),
      now: () => new Date('2026-01-01T00:00:00Z'),
    });
    if (signer.kind !== 'digest') throw new Error('expected a digest signer');
    const data = new TextEncoder().encode('a Sig_structure');
    const hash = digest('SHA-256', data);
    const signature = await signer.signDigest(hash);
    expect(records).toHaveLength(emulator.faults.calls.count() - before);
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
    const first = await rotateKmsKey({ client, aliasName, keySpec: 'ECC_NIST_P256' });
    const ring = new KmsKeyRing({ active: await createKmsSigner({ client, keyId: aliasName }) });
    expect(ring.active.keyId).toBe(first.signer.keyId);
    const data = new Uint8Array([1, 2, 3]);
    const oldSignature = await signWithPort(ring.active, data);

    let hookSawAlias: string | undefined;
    const next = await rotateKmsKey({
      client,
      aliasName,
      keySpec: 'ECC_NIST_P384' satisfies KmsSigningKeySpec,
      beforeAliasUpdate: async () => {
        const d = await client.send(new DescribeKeyCommand({ KeyId: aliasName }));
        hookSawAlias = d.KeyMetadata?.Arn;
      },
    });
    expect(hookSawAlias).toBe(first.signer.keyId);
    expect(next.previousKeyId).toBe(first.signer.keyId);
    const moved = await client.send(new DescribeKeyCommand({ KeyId: aliasName }));
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
  let iacaDer: Uint8Array;
  let iacaSigner: ReturnType<typeof createLocalSigner>;
  beforeAll(async () => {
    const iacaKey = generateKeyPair({ curve: 'P-256' });
    iacaSigner = createLocalSigner({ privateKey: iacaKey.privateKey, alg: -7 });
    iacaDer = await buildIacaCertificate({
      subject: { country: 'US', commonName: 'Key check IACA' },
      publicKey: exportPublicKey(iacaKey.publicKey, 'spki'),
      signer: iacaSigner,
      issuerAltName: [{ email: 'iaca@example.com' }],
      crlDistributionPoint: 'https://example.com/iaca.crl',
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2030-01-01T00:00:00Z'),
      randomBytes,
    });
  });
  const dsFor = (publicKey: Uint8Array) =>
    buildDocumentSignerCertificate({
      subject: { commonName: 'KMS DS', country: 'US' },
      publicKey,
      issuer: { certificate: iacaDer, signer: iacaSigner },
      crlDistributionPoint: 'https://example.com/iaca.crl',
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2026-01-01T00:00:00Z'),
      randomBytes,
    });
  const publicKeyOf = async (keyId: string) =>
    (await client.send(new GetPublicKeyCommand({ KeyId: keyId }))).PublicKey!;
  const pemOf = (der: Uint8Array) =>
    `-----BEGIN PUBLIC KEY-----\n${Buffer.from(der).toString('base64')}\n-----END PUBLIC KEY-----`;

  it("fromEnv with an alias and another key's PEM: refused after GetPublicKey", async () => {
    const ds = await newKey('ECC_NIST_P256');
    const other = await newKey('ECC_NIST_P256');
    await client.send(new CreateAliasCommand({ AliasName: 'alias/key-check-ds', TargetKeyId: ds.keyId }));
    const cfg = fromEnv({
      AWS_REGION: emulator.region,
      MDLKIT_KMS_KEY_ID: 'alias/key-check-ds',
      MDLKIT_KMS_PUBLIC_KEY_PEM: pemOf(await publicKeyOf(other.arn)),
    });
    await expectCode(
      createKmsSigner({
        client,
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
    const before = emulator.faults.calls.count();
    await expectCode(
      createKmsSigner({ client, keyId: ds.arn, keySpec: 'ECC_NIST_P256', publicKey: wrong, certificate }),
      'ERR_SIGNER_KEY_MISMATCH',
    );
    const right = await createKmsSigner({
      client,
      keyId: ds.arn,
      keySpec: 'ECC_NIST_P256',
      publicKey: await publicKeyOf(ds.arn),
      certificate,
    });
    expect(emulator.faults.calls.count() - before).toBe(1); // the GetPublicKey of the test itself
    expect(right.region).toBe(emulator.region);
  });

  it('key ARN + key spec + a wrong public key, no certificate: issueMdoc refuses before any Sign', async () => {
    const ds = await newKey('ECC_NIST_P256');
    const other = await newKey('ECC_NIST_P256');
    const certificate = await dsFor(await publicKeyOf(ds.arn));
    const signer = await createKmsSigner({
      client,
      keyId: ds.arn,
      keySpec: 'ECC_NIST_P256',
      publicKey: await publicKeyOf(other.arn),
    });
    const signs = emulator.faults.calls.count('Sign');
    await expectCode(
      issueMdoc({
        docType: 'org.iso.18013.5.1.mDL',
        nameSpaces: {
          'org.iso.18013.5.1': new Map<string, unknown>([
            ['family_name', 'Doe'],
            ['issuing_country', 'US'],
          ]),
        },
        requireMandatory: false,
        deviceKey: generateKeyPair({ curve: 'P-256' }).publicKey,
        validity: { validUntil: new Date('2025-06-01T00:00:00Z') },
        signer,
        dsCertificate: certificate,
        now: new Date('2025-03-01T00:00:00Z'),
      }),
      'ERR_SIGNER_KEY_MISMATCH',
    );
    expect(emulator.faults.calls.count('Sign')).toBe(signs);
  });
});
