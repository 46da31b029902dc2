/**
 * Multi-Region signing keys (issue #19) through the real `@aws-sdk/client-kms` over loopback HTTP to
 * the project's emulator: one client per Region, all pointed at the one emulator, which serves each
 * request in the Region of its SigV4 credential scope as AWS's Regional endpoints do.
 */
import { X509Certificate } from 'node:crypto';
import {
  CreateKeyCommand,
  DisableKeyCommand,
  GetPublicKeyCommand,
  type KMSClient,
  ReplicateKeyCommand,
} from '@aws-sdk/client-kms';
import { decodeCoseSign1 } from '@mdlkit/core/cose';
import { exportPublicKey, generateKeyPair, importPublicKey, signWithPort } from '@mdlkit/core/crypto';
import { verifyIssuerAuthSignature } from '@mdlkit/reader';
import { expectRejection, expectThrow } from '@mdlkit/test-utils';
import { withKms } from '@mdlkit/test-utils/kms';
import { issueTwoElementMdl } from '@mdlkit/test-utils/mdoc';
import { buildTestDs, buildTestIaca, type TestIaca } from '@mdlkit/test-utils/pki';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type awsClientDefaults,
  createKmsSigner,
  type KmsFailoverEvent,
  KmsKeyRing,
  type KmsSigner,
} from '../src/index.js';

const EAST = 'us-east-1';
const WEST = 'eu-west-1';
const SOUTH = 'ap-southeast-2';
const MAX_ATTEMPTS = 3;

const aws = withKms({ emulator: { region: EAST }, client: { retry: { maxAttempts: MAX_ATTEMPTS } } });
const clients = new Map<string, KMSClient>();
/** A real client for `region` with mdlkit's defaults (standard mode, no back-off in tests). */
const clientIn = (region: string, extra: Parameters<typeof awsClientDefaults>[0] = {}): KMSClient =>
  aws.newClient({ region, retry: { maxAttempts: MAX_ATTEMPTS, ...extra } });
const kms = (region: string): KMSClient => clients.get(region)!;

let iaca: TestIaca;

beforeAll(async () => {
  clients.set(EAST, aws.client);
  for (const region of [WEST, SOUTH]) clients.set(region, clientIn(region));
  iaca = await buildTestIaca('Multi-Region IACA');
});

interface MrkKey {
  readonly keyId: string;
  readonly primaryArn: string;
  /** Replica ARNs by Region. */
  readonly replicaArns: Readonly<Record<string, string>>;
  /** The primary's public key (DER SPKI). */
  readonly publicKey: Uint8Array;
}

/** A multi-Region P-256 signing key in us-east-1, replicated to `replicaRegions`. */
async function mrkKey(replicaRegions: readonly string[], keySpec = 'ECC_NIST_P256'): Promise<MrkKey> {
  const created = await kms(EAST).send(
    new CreateKeyCommand({ KeySpec: keySpec as never, KeyUsage: 'SIGN_VERIFY', MultiRegion: true }),
  );
  const primaryArn = created.KeyMetadata!.Arn!;
  const replicaArns: Record<string, string> = {};
  for (const region of replicaRegions) {
    const out = await kms(EAST).send(new ReplicateKeyCommand({ KeyId: primaryArn, ReplicaRegion: region }));
    replicaArns[region] = out.ReplicaKeyMetadata!.Arn!;
  }
  const publicKey = (await kms(EAST).send(new GetPublicKeyCommand({ KeyId: primaryArn }))).PublicKey!;
  return { keyId: created.KeyMetadata!.KeyId!, primaryArn, replicaArns, publicKey };
}

/** A DS certificate for `publicKey`, issued by the test IACA. */
const dsFor = (publicKey: Uint8Array) => buildTestDs({ iaca, publicKey, commonName: 'Multi-Region KMS DS' });

/** The DS certificate's public key, read by node:crypto (independently of mdlkit's SPKI reader). */
const certificateKey = (der: Uint8Array) =>
  importPublicKey({
    format: 'spki',
    der: new Uint8Array(new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' })),
  });

/** Issues an MSO with `signer` and verifies IssuerAuth with the DS certificate's key (reader). */
async function issueAndVerify(signer: KmsSigner, dsCertificate: Uint8Array): Promise<void> {
  const mdoc = await issueTwoElementMdl({ signer, dsCertificate });
  const issuerAuth = decodeCoseSign1(mdoc.issuerAuth);
  const dsPublicKey = certificateKey(dsCertificate);
  await verifyIssuerAuthSignature({ issuerAuth, dsPublicKey });
  // and the check can fail: one flipped payload bit is refused
  const payload = issuerAuth.payload!.slice();
  payload[payload.length - 1] = payload[payload.length - 1]! ^ 1;
  await expectRejection(
    verifyIssuerAuthSignature({ issuerAuth: { ...issuerAuth, payload }, dsPublicKey }),
    'ERR_ISSUER_AUTH_SIGNATURE_INVALID',
  );
}

/** Sign calls per Region since `snapshot()`. */
function signCounter() {
  const regions = [EAST, WEST, SOUTH];
  const before = regions.map((r) => aws.emulator.faults.calls.countInRegion(r, 'Sign'));
  return () =>
    Object.fromEntries(
      regions.map((r, i) => [r, aws.emulator.faults.calls.countInRegion(r, 'Sign') - before[i]!]),
    );
}

/** A ring for `key`: the primary in us-east-1, a signer per replica. */
async function ringFor(key: MrkKey): Promise<KmsKeyRing> {
  const active = await createKmsSigner({ client: kms(EAST), keyId: key.primaryArn });
  const replicas = await Promise.all(
    Object.entries(key.replicaArns).map(([region, arn]) =>
      createKmsSigner({ client: kms(region), keyId: arn }),
    ),
  );
  return new KmsKeyRing({ active, replicas });
}

describe('a signer on a multi-Region replica', () => {
  it("signs in the replica's Region an MSO that verifies with the primary's DS certificate", async () => {
    const key = await mrkKey([WEST]);
    const certificate = await dsFor(key.publicKey);
    const counted = signCounter();
    // the certificate check: the replica has the primary's key material
    const signer = await createKmsSigner({ client: kms(WEST), keyId: key.replicaArns[WEST]!, certificate });
    expect(signer).toMatchObject({
      keyId: `arn:aws:kms:${WEST}:${aws.emulator.accountId}:key/${key.keyId}`,
      region: WEST,
      multiRegion: true,
    });
    await issueAndVerify(signer, certificate);
    expect(counted()).toEqual({ [EAST]: 0, [WEST]: 1, [SOUTH]: 0 });
  });

  it("a bare mrk- key id resolves to the key of the client's Region", async () => {
    const key = await mrkKey([WEST]);
    const west = await createKmsSigner({ client: kms(WEST), keyId: key.keyId });
    expect(west.keyId).toBe(key.replicaArns[WEST]);
    expect(west.region).toBe(WEST);
    const east = await createKmsSigner({ client: kms(EAST), keyId: key.keyId });
    expect(east.keyId).toBe(key.primaryArn);
    expect(east.region).toBe(EAST);
    const single = await kms(EAST).send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    expect((await createKmsSigner({ client: kms(EAST), keyId: single.KeyMetadata!.Arn! })).multiRegion).toBe(
      false,
    );
  });

  it('a key ARN of another Region than the client is refused before any call (ERR_AWS_CONFIG_INVALID)', async () => {
    const single = await kms(EAST).send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    const arn = single.KeyMetadata!.Arn!;
    const before = aws.emulator.faults.calls.count();
    const error = await expectRejection(
      createKmsSigner({ client: kms(WEST), keyId: arn }),
      'ERR_AWS_CONFIG_INVALID',
    );
    expect(error.details).toMatchObject({ keyRegion: EAST, clientRegion: WEST });
    expect(error.message).toContain(WEST);
    // also with a preset key spec and public key (the path that makes no call at all)
    await expectRejection(
      createKmsSigner({
        client: kms(WEST),
        keyId: arn,
        keySpec: 'ECC_NIST_P256',
        publicKey: exportPublicKey(generateKeyPair({ curve: 'P-256' }).publicKey, 'spki'),
      }),
      'ERR_AWS_CONFIG_INVALID',
    );
    expect(aws.emulator.faults.calls.count()).toBe(before);
  });

  it("a key that is not in the client's Region: KMS answers NotFoundException → ERR_AWS_CONFIG_INVALID", async () => {
    const single = await kms(EAST).send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    // a bare key id of a single-Region key in another Region
    const bare = await expectRejection(
      createKmsSigner({ client: kms(WEST), keyId: single.KeyMetadata!.KeyId! }),
      'ERR_AWS_CONFIG_INVALID',
    );
    expect(bare.details['awsError']).toBe('NotFoundException');
    // a multi-Region key never replicated to ap-southeast-2: neither its bare id nor its would-be ARN there
    const key = await mrkKey([WEST]);
    const notReplicated = await expectRejection(
      createKmsSigner({ client: kms(SOUTH), keyId: key.keyId }),
      'ERR_AWS_CONFIG_INVALID',
    );
    expect(notReplicated.details['awsError']).toBe('NotFoundException');
    const wouldBeArn = `arn:aws:kms:${SOUTH}:${aws.emulator.accountId}:key/${key.keyId}`;
    const byArn = await expectRejection(
      createKmsSigner({ client: kms(SOUTH), keyId: wouldBeArn }),
      'ERR_AWS_CONFIG_INVALID',
    );
    expect(byArn.details['awsError']).toBe('NotFoundException');
  });
});

describe('the key ring knows where each key signs', () => {
  it('reports the Region of each signing key, picks a signer per Region, and keeps Regions on rotation', async () => {
    const key = await mrkKey([WEST, SOUTH]);
    const ring = await ringFor(key);
    expect(ring.signingKeys()).toEqual([
      { keyId: key.primaryArn, region: EAST, role: 'home' },
      { keyId: key.replicaArns[WEST], region: WEST, role: 'replica' },
      { keyId: key.replicaArns[SOUTH], region: SOUTH, role: 'replica' },
    ]);
    expect(ring.verificationKeys()).toEqual([
      expect.objectContaining({ keyId: key.primaryArn, status: 'active', regions: [EAST, WEST, SOUTH] }),
    ]);
    expect(ring.signerIn(SOUTH).keyId).toBe(key.replicaArns[SOUTH]);
    expect(ring.signerFor(key.replicaArns[WEST]!).region).toBe(WEST);
    expect(ring.signerFor(key.keyId).region).toBe(EAST); // a bare id: the home Region
    const missing = expectThrow(() => ring.signerIn('sa-east-1'), 'ERR_INVALID_ARGUMENT');
    expect(missing.message).toContain('ReplicateKey');

    const certificate = await dsFor(key.publicKey);
    const counted = signCounter();
    await issueAndVerify(ring.signerIn(SOUTH), certificate);
    expect(counted()).toEqual({ [EAST]: 0, [WEST]: 0, [SOUTH]: 1 });

    const next = await mrkKey([WEST]);
    ring.rotate(await createKmsSigner({ client: kms(EAST), keyId: next.primaryArn }), {
      retiredAt: new Date('2026-01-01T00:00:00Z'),
      replicas: [await createKmsSigner({ client: kms(WEST), keyId: next.replicaArns[WEST]! })],
    });
    expect(ring.signingKeys().map((k) => k.region)).toEqual([EAST, WEST]);
    expect(ring.verificationKeys().map((k) => [k.keyId, k.status, k.regions])).toEqual([
      [next.primaryArn, 'active', [EAST, WEST]],
      [key.primaryArn, 'retired', [EAST, WEST, SOUTH]],
    ]);
    // no signer of the retired key's replicas is handed out either
    expectThrow(() => ring.signerFor(key.replicaArns[SOUTH]!), 'ERR_SIGNER_RETIRED_KEY');
    expectThrow(() => ring.signerIn(SOUTH), 'ERR_INVALID_ARGUMENT');
  });

  it('refuses a replica with another key id, a repeated Region, another public key, or a single-Region key', async () => {
    const key = await mrkKey([WEST]);
    const other = await mrkKey([WEST, SOUTH]);
    const active = await createKmsSigner({ client: kms(EAST), keyId: key.primaryArn });
    const replica = await createKmsSigner({ client: kms(WEST), keyId: key.replicaArns[WEST]! });

    // another multi-Region key's replica: another key id
    const otherReplica = await createKmsSigner({ client: kms(SOUTH), keyId: other.replicaArns[SOUTH]! });
    const wrongId = expectThrow(
      () => new KmsKeyRing({ active, replicas: [otherReplica] }),
      'ERR_INVALID_ARGUMENT',
    );
    expect(wrongId.message).toContain('not a replica');

    // the same Region twice, and the home Region as a "replica"
    expectThrow(() => new KmsKeyRing({ active, replicas: [replica, replica] }), 'ERR_INVALID_ARGUMENT');
    const home = await createKmsSigner({ client: kms(EAST), keyId: key.keyId });
    const again = expectThrow(() => new KmsKeyRing({ active, replicas: [home] }), 'ERR_INVALID_ARGUMENT');
    expect(again.message).toContain(EAST);

    // a preset configuration (no KMS call) naming the replica ARN with another key's public key
    const forged = await createKmsSigner({
      client: kms(WEST),
      keyId: key.replicaArns[WEST]!,
      keySpec: 'ECC_NIST_P256',
      publicKey: other.publicKey,
    });
    expectThrow(() => new KmsKeyRing({ active, replicas: [forged] }), 'ERR_SIGNER_KEY_MISMATCH');

    // a replica in another account (same key id): not this key
    const foreignArn = `arn:aws:kms:${WEST}:444455556666:key/${key.keyId}`;
    const foreign = await createKmsSigner({
      client: kms(WEST),
      keyId: foreignArn,
      keySpec: 'ECC_NIST_P256',
      publicKey: key.publicKey,
    });
    expectThrow(() => new KmsKeyRing({ active, replicas: [foreign] }), 'ERR_INVALID_ARGUMENT');

    // a single-Region active key has no replicas
    const single = await kms(EAST).send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    const singleSigner = await createKmsSigner({ client: kms(EAST), keyId: single.KeyMetadata!.Arn! });
    expectThrow(() => new KmsKeyRing({ active: singleSigner, replicas: [replica] }), 'ERR_INVALID_ARGUMENT');

    // a replica of the active key listed as retired, and a retired key coming back through rotate
    expectThrow(
      () =>
        new KmsKeyRing({
          active,
          retired: [
            {
              keyId: key.replicaArns[WEST]!,
              keySpec: 'ECC_NIST_P256',
              alg: active.alg,
              publicKey: key.publicKey,
            },
          ],
        }),
      'ERR_INVALID_ARGUMENT',
    );
    const ring = new KmsKeyRing({ active, replicas: [replica] });
    ring.rotate(await createKmsSigner({ client: kms(EAST), keyId: other.primaryArn }));
    expectThrow(() => ring.rotate(replica), 'ERR_INVALID_ARGUMENT');

    // and the good one is accepted
    expect(new KmsKeyRing({ active, replicas: [replica] }).signingKeys()).toHaveLength(2);
  });
});

describe('failoverSigner', () => {
  it('moves to the next Region when the primary Region is throttled; the signature verifies with the DS certificate', async () => {
    const key = await mrkKey([WEST, SOUTH]);
    const ring = await ringFor(key);
    const certificate = await dsFor(key.publicKey);
    const events: KmsFailoverEvent[] = [];
    const signer = ring.failoverSigner({ onFailover: (e) => events.push(e) });
    expect(signer.regions).toEqual([EAST, WEST, SOUTH]);

    aws.emulator.faults.throttleNext(1000, { operations: ['Sign'], regions: [EAST] });
    try {
      let counted = signCounter();
      await issueAndVerify(signer, certificate);
      expect(counted()).toEqual({ [EAST]: MAX_ATTEMPTS, [WEST]: 1, [SOUTH]: 0 });
      expect(events.map((e) => [e.from, e.to, e.error.code])).toEqual([[EAST, WEST, 'ERR_SIGNER_THROTTLED']]);

      // both us-east-1 and eu-west-1 throttled: ap-southeast-2 signs
      aws.emulator.faults.throttleNext(1000, { operations: ['Sign'], regions: [WEST] });
      events.length = 0;
      counted = signCounter();
      await issueAndVerify(signer, certificate);
      expect(counted()).toEqual({ [EAST]: MAX_ATTEMPTS, [WEST]: MAX_ATTEMPTS, [SOUTH]: 1 });
      expect(events.map((e) => [e.from, e.to])).toEqual([
        [EAST, WEST],
        [WEST, SOUTH],
      ]);

      // every Region throttled: the last Region's error, after at most maxAttempts × Regions requests
      aws.emulator.faults.throttleNext(1000, { operations: ['Sign'], regions: [SOUTH] });
      counted = signCounter();
      const error = await expectRejection(signWithPort(signer, new Uint8Array([1])), 'ERR_SIGNER_THROTTLED');
      expect(error.details['keyId']).toBe(key.replicaArns[SOUTH]);
      const attempts = counted();
      expect(attempts).toEqual({ [EAST]: MAX_ATTEMPTS, [WEST]: MAX_ATTEMPTS, [SOUTH]: MAX_ATTEMPTS });
      expect(Object.values(attempts).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(
        MAX_ATTEMPTS * signer.regions.length,
      );
    } finally {
      aws.emulator.faults.clear();
    }
  });

  it('a short throttle burst is absorbed by the SDK retries in the same Region (no failover)', async () => {
    const ring = await ringFor(await mrkKey([WEST]));
    const events: KmsFailoverEvent[] = [];
    const signer = ring.failoverSigner({ onFailover: (e) => events.push(e) });
    aws.emulator.faults.throttleNext(MAX_ATTEMPTS - 1, { operations: ['Sign'], regions: [EAST] });
    try {
      const counted = signCounter();
      expect(await signWithPort(signer, new Uint8Array([1]))).toHaveLength(64);
      expect(counted()).toEqual({ [EAST]: MAX_ATTEMPTS, [WEST]: 0, [SOUTH]: 0 });
      expect(events).toEqual([]);
    } finally {
      aws.emulator.faults.clear();
    }
  });

  it('moves on after connection resets in the primary Region (ERR_SIGNER_UNAVAILABLE), in the order asked for', async () => {
    const key = await mrkKey([WEST]);
    const ring = await ringFor(key);
    const events: KmsFailoverEvent[] = [];
    const signer = ring.failoverSigner({ regions: [WEST, EAST], onFailover: (e) => events.push(e) });
    expect(signer.regions).toEqual([WEST, EAST]);
    expect(signer.keyId).toBe(key.replicaArns[WEST]);
    aws.emulator.faults.resetNext(1000, { operations: ['Sign'], regions: [WEST] });
    try {
      const counted = signCounter();
      await issueAndVerify(signer, await dsFor(key.publicKey));
      expect(counted()).toEqual({ [EAST]: 1, [WEST]: MAX_ATTEMPTS, [SOUTH]: 0 });
      expect(events.map((e) => [e.from, e.to, e.error.code])).toEqual([
        [WEST, EAST, 'ERR_SIGNER_UNAVAILABLE'],
      ]);
    } finally {
      aws.emulator.faults.clear();
    }
    expectThrow(() => ring.failoverSigner({ regions: [EAST, SOUTH] }), 'ERR_INVALID_ARGUMENT');
    expectThrow(() => ring.failoverSigner({ regions: [EAST, EAST] }), 'ERR_INVALID_ARGUMENT');
    expectThrow(() => ring.failoverSigner({ regions: [] }), 'ERR_INVALID_ARGUMENT');
  });

  it('moves on after per-attempt timeouts in the primary Region (ERR_SIGNER_TIMEOUT)', async () => {
    const key = await mrkKey([WEST]);
    const fastEast = clientIn(EAST, { requestTimeoutMs: 100 });
    try {
      const active = await createKmsSigner({ client: fastEast, keyId: key.primaryArn });
      const replica = await createKmsSigner({ client: kms(WEST), keyId: key.replicaArns[WEST]! });
      const events: KmsFailoverEvent[] = [];
      const signer = new KmsKeyRing({ active, replicas: [replica] }).failoverSigner({
        onFailover: (e) => events.push(e),
      });
      aws.emulator.faults.holdNext(MAX_ATTEMPTS, { operations: ['Sign'], regions: [EAST], ms: 1000 });
      const counted = signCounter();
      expect(await signWithPort(signer, new Uint8Array([1]))).toHaveLength(64);
      expect(counted()).toEqual({ [EAST]: MAX_ATTEMPTS, [WEST]: 1, [SOUTH]: 0 });
      expect(events.map((e) => e.error.code)).toEqual(['ERR_SIGNER_TIMEOUT']);
    } finally {
      aws.emulator.faults.clear();
      fastEast.destroy();
    }
  });

  it('does not fail over on a refusal about the key: a disabled primary or access denied surfaces with its code', async () => {
    const key = await mrkKey([WEST]);
    const ring = await ringFor(key);
    const events: KmsFailoverEvent[] = [];
    const signer = ring.failoverSigner({ onFailover: (e) => events.push(e) });

    // the primary key disabled in us-east-1 (its replica stays enabled: key state is per Region)
    await kms(EAST).send(new DisableKeyCommand({ KeyId: key.primaryArn }));
    let counted = signCounter();
    const disabled = await expectRejection(
      signWithPort(signer, new Uint8Array([1])),
      'ERR_SIGNER_KEY_DISABLED',
    );
    expect(disabled.details['awsError']).toBe('DisabledException');
    expect(counted()).toEqual({ [EAST]: 1, [WEST]: 0, [SOUTH]: 0 });
    expect(events).toEqual([]);
    // the replica itself would still sign: it is the failover that refused to paper over the state
    expect(await signWithPort(ring.signerIn(WEST), new Uint8Array([1]))).toHaveLength(64);

    // AccessDeniedException in the first Region: no failover either
    const other = await mrkKey([WEST]);
    const otherSigner = (await ringFor(other)).failoverSigner({ onFailover: (e) => events.push(e) });
    aws.emulator.faults.failKey(other.keyId, { fromCall: 1, mode: 'access-denied' });
    try {
      counted = signCounter();
      const denied = await expectRejection(
        signWithPort(otherSigner, new Uint8Array([1])),
        'ERR_SIGNER_ACCESS_DENIED',
      );
      expect(denied.message).toContain('kms:Sign');
      expect(counted()).toEqual({ [EAST]: 1, [WEST]: 0, [SOUTH]: 0 });
      expect(events).toEqual([]);
    } finally {
      aws.emulator.faults.clear();
    }

    // a bad argument is not a Regional failure either: refused before any call
    counted = signCounter();
    if (otherSigner.kind !== 'digest') throw new Error('expected a digest signer');
    await expectRejection(otherSigner.signDigest(new Uint8Array(31)), 'ERR_INVALID_ARGUMENT');
    expect(counted()).toEqual({ [EAST]: 0, [WEST]: 0, [SOUTH]: 0 });
  });
});

describe('one public key in every Region', () => {
  it("the failover signer's public key is what GetPublicKey answers in each Region, and a single-Region key of another Region is no replica", async () => {
    const key = await mrkKey([WEST, SOUTH]);
    const signer = (await ringFor(key)).failoverSigner();
    for (const [region, arn] of [[EAST, key.primaryArn], ...Object.entries(key.replicaArns)] as const) {
      const out = await kms(region).send(new GetPublicKeyCommand({ KeyId: arn }));
      expect(Buffer.from(out.PublicKey!).equals(Buffer.from(signer.publicKey))).toBe(true);
    }
    const single = await kms(WEST).send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    const singleWest = await createKmsSigner({ client: kms(WEST), keyId: single.KeyMetadata!.Arn! });
    const active = await createKmsSigner({ client: kms(EAST), keyId: key.primaryArn });
    expectThrow(() => new KmsKeyRing({ active, replicas: [singleWest] }), 'ERR_INVALID_ARGUMENT');
  });
});
