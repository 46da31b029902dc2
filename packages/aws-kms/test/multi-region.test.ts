/**
 * Multi-Region KMS keys (issue #19): a signer in a replica's Region, the key ring's Regions and the
 * failover signer — through the real `@aws-sdk/client-kms`, one client per Region, against the
 * project's emulator, which serves each request in its SigV4 credential-scope Region as AWS's
 * Regional endpoints do.
 */
import {
  CreateKeyCommand,
  DisableKeyCommand,
  GetPublicKeyCommand,
  KMSClient,
  ReplicateKeyCommand,
} from '@aws-sdk/client-kms';
import { type Emulator, startEmulator } from '@mdlkit/aws-emulator';
import { decodeCbor } from '@mdlkit/core/cbor';
import { parseCoseSign1, verifyCoseSign1 } from '@mdlkit/core/cose';
import {
  createLocalSigner,
  exportPublicKey,
  generateKeyPair,
  importPublicKey,
  randomBytes,
} from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { issueMdoc } from '@mdlkit/issuer';
import { buildDocumentSignerCertificate, buildIacaCertificate, parseCertificate } from '@mdlkit/pki';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  awsClientDefaults,
  createKmsSigner,
  type KmsFailoverEvent,
  KmsKeyRing,
  type KmsSigner,
} from '../src/index.js';

const EAST = 'us-east-1';
const WEST = 'eu-west-1';
const NORTH = 'eu-north-1';
/** The SDK's attempts per call in these tests (the one retry layer; no back-off). */
const MAX_ATTEMPTS = 3;
const credentials = { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' };

let emulator: Emulator;
const clients = new Map<string, KMSClient>();

function clientIn(region: string): KMSClient {
  let client = clients.get(region);
  if (client === undefined) {
    client = new KMSClient({
      endpoint: emulator.endpoint,
      region,
      credentials,
      ...awsClientDefaults({ mode: 'standard', maxAttempts: MAX_ATTEMPTS, backoffMs: () => 0 }),
    });
    clients.set(region, client);
  }
  return client;
}

beforeAll(async () => {
  emulator = await startEmulator({ region: EAST });
});
afterEach(() => {
  emulator.faults.clear();
});
afterAll(async () => {
  for (const client of clients.values()) client.destroy();
  await emulator.close();
});

/** A multi-Region signing key in EAST, replicated into each of `replicaRegions`. */
async function multiRegionKey(
  ...replicaRegions: string[]
): Promise<{ keyId: string; arns: Map<string, string> }> {
  const created = await clientIn(EAST).send(
    new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', MultiRegion: true }),
  );
  const keyId = created.KeyMetadata!.KeyId!;
  const arns = new Map([[EAST, created.KeyMetadata!.Arn!]]);
  for (const region of replicaRegions) {
    const out = await clientIn(EAST).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: region }));
    arns.set(region, out.ReplicaKeyMetadata!.Arn!);
  }
  return { keyId, arns };
}

async function signerFor(arn: string, region: string): Promise<KmsSigner> {
  return createKmsSigner({ client: clientIn(region), keyId: arn });
}

async function expectCode(promise: Promise<unknown> | (() => unknown), code: string): Promise<MdlError> {
  let error: unknown;
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(MdlError);
  expect((error as MdlError).code).toBe(code);
  return error as MdlError;
}

const signs = (region: string): number => emulator.faults.calls.countInRegion(region, 'Sign');

// One IACA and a DS certificate for the primary key's public key: a replica has the same key
// material, so this one certificate must verify what every Region signs.
const iacaKey = generateKeyPair({ curve: 'P-256' });
const iacaSigner = createLocalSigner({ privateKey: iacaKey.privateKey, alg: -7 });
let iacaDer: Uint8Array;
beforeAll(async () => {
  iacaDer = await buildIacaCertificate({
    subject: { country: 'US', commonName: 'Multi-Region IACA' },
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
    subject: { commonName: 'Multi-Region DS', country: 'US' },
    publicKey,
    issuer: { certificate: iacaDer, signer: iacaSigner },
    crlDistributionPoint: 'https://example.com/iaca.crl',
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2026-01-01T00:00:00Z'),
    randomBytes,
  });

/** Issues a small mDL with `signer` under `dsCertificate` and checks its IssuerAuth against the certificate's key. */
async function issueAndVerify(signer: KmsSigner, dsCertificate: Uint8Array): Promise<boolean> {
  const issued = await issueMdoc({
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
    dsCertificate,
    now: new Date('2025-03-01T00:00:00Z'),
  });
  const message = parseCoseSign1(decodeCbor(issued.issuerAuth));
  const key = importPublicKey({ format: 'spki', der: parseCertificate(dsCertificate).publicKeyInfo.spki });
  return verifyCoseSign1({ message, key });
}

describe('a signer in a replica Region', () => {
  it("signs in the replica's Region, and the primary key's DS certificate verifies the MSO", async () => {
    const { keyId, arns } = await multiRegionKey(WEST);
    const primary = await signerFor(arns.get(EAST)!, EAST);
    const ds = await dsFor(primary.publicKey);
    const replica = await createKmsSigner({
      client: clientIn(WEST),
      keyId: arns.get(WEST)!,
      certificate: ds,
    });
    expect(replica).toMatchObject({ keyId: arns.get(WEST), region: WEST, multiRegion: true });
    expect(primary).toMatchObject({ region: EAST, multiRegion: true });
    expect(arns.get(WEST)).toContain(`:${WEST}:`);
    expect(arns.get(WEST)!.endsWith(`key/${keyId}`)).toBe(true);

    const [east, west] = [signs(EAST), signs(WEST)];
    expect(await issueAndVerify(replica, ds)).toBe(true);
    expect(signs(WEST) - west).toBe(1);
    expect(signs(EAST) - east).toBe(0);
  });

  it("a key ARN of another Region than the client's is refused before any call (ERR_AWS_CONFIG_INVALID)", async () => {
    const { arns } = await multiRegionKey();
    const before = emulator.faults.calls.count();
    const error = await expectCode(
      createKmsSigner({ client: clientIn(WEST), keyId: arns.get(EAST)! }),
      'ERR_AWS_CONFIG_INVALID',
    );
    expect(error.message).toContain(EAST);
    expect(error.message).toContain(WEST);
    expect(emulator.faults.calls.count()).toBe(before);
  });

  it("a key that is not in the client's Region (bare id, no replica there) → ERR_AWS_CONFIG_INVALID from KMS's NotFoundException", async () => {
    const single = await clientIn(EAST).send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    const error = await expectCode(
      createKmsSigner({ client: clientIn(WEST), keyId: single.KeyMetadata!.KeyId! }),
      'ERR_AWS_CONFIG_INVALID',
    );
    expect(error.details['awsError']).toBe('NotFoundException');
    const { keyId } = await multiRegionKey(); // not replicated to WEST
    await expectCode(createKmsSigner({ client: clientIn(WEST), keyId }), 'ERR_AWS_CONFIG_INVALID');
  });
});

describe('KmsKeyRing with replicas', () => {
  it('knows which Region each key signs in; signerIn picks the Region', async () => {
    const { arns } = await multiRegionKey(WEST, NORTH);
    const ring = new KmsKeyRing({
      active: await signerFor(arns.get(EAST)!, EAST),
      replicas: [await signerFor(arns.get(WEST)!, WEST), await signerFor(arns.get(NORTH)!, NORTH)],
    });
    expect(ring.signingKeys()).toEqual([
      { keyId: arns.get(EAST), region: EAST, role: 'home' },
      { keyId: arns.get(WEST), region: WEST, role: 'replica' },
      { keyId: arns.get(NORTH), region: NORTH, role: 'replica' },
    ]);
    expect(ring.verificationKeys()).toHaveLength(1);
    expect(ring.verificationKeys()[0]).toMatchObject({ status: 'active', regions: [EAST, WEST, NORTH] });
    expect(ring.signerIn(NORTH).keyId).toBe(arns.get(NORTH));
    expect(ring.signerFor(arns.get(WEST)!).region).toBe(WEST);
    const error = await expectCode(() => ring.signerIn('ap-south-1'), 'ERR_INVALID_ARGUMENT');
    expect(error.message).toContain('ReplicateKey');
  });

  it('refuses a replica that is another key, repeats a Region, or has another public key', async () => {
    const { arns } = await multiRegionKey(WEST);
    const active = await signerFor(arns.get(EAST)!, EAST);
    const replica = await signerFor(arns.get(WEST)!, WEST);

    // a single-Region key of the other Region: another key, with another public key
    const single = await clientIn(WEST).send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    const other = await signerFor(single.KeyMetadata!.Arn!, WEST);
    await expectCode(() => new KmsKeyRing({ active, replicas: [other] }), 'ERR_INVALID_ARGUMENT');
    // another multi-Region key's replica
    const another = await multiRegionKey(WEST);
    const foreign = await signerFor(another.arns.get(WEST)!, WEST);
    await expectCode(() => new KmsKeyRing({ active, replicas: [foreign] }), 'ERR_INVALID_ARGUMENT');
    // the same Region twice, or the active key's own Region
    await expectCode(() => new KmsKeyRing({ active, replicas: [replica, replica] }), 'ERR_INVALID_ARGUMENT');
    await expectCode(
      () => new KmsKeyRing({ active, replicas: [{ ...replica, region: EAST } as KmsSigner] }),
      'ERR_INVALID_ARGUMENT',
    );
    // the replica's key id, but another public key (a signer stated wrongly)
    await expectCode(
      () => new KmsKeyRing({ active, replicas: [{ ...replica, publicKey: other.publicKey } as KmsSigner] }),
      'ERR_SIGNER_KEY_MISMATCH',
    );
    // a single-Region active key has no replicas
    await expectCode(() => new KmsKeyRing({ active: other, replicas: [replica] }), 'ERR_INVALID_ARGUMENT');
    expect(new KmsKeyRing({ active, replicas: [replica] }).replicas).toHaveLength(1);
  });

  it('rotation retires the key with every Region it signed in', async () => {
    const first = await multiRegionKey(WEST);
    const second = await multiRegionKey(WEST);
    const ring = new KmsKeyRing({
      active: await signerFor(first.arns.get(EAST)!, EAST),
      replicas: [await signerFor(first.arns.get(WEST)!, WEST)],
    });
    ring.rotate(await signerFor(second.arns.get(EAST)!, EAST), {
      retiredAt: new Date('2026-01-01T00:00:00Z'),
      replicas: [await signerFor(second.arns.get(WEST)!, WEST)],
    });
    expect(ring.verificationKeys().map((k) => [k.keyId, k.status, k.regions])).toEqual([
      [second.arns.get(EAST), 'active', [EAST, WEST]],
      [first.arns.get(EAST), 'retired', [EAST, WEST]],
    ]);
    await expectCode(() => ring.signerFor(first.arns.get(EAST)!), 'ERR_SIGNER_RETIRED_KEY');
    expect(ring.signerIn(WEST).keyId).toBe(second.arns.get(WEST));
  });
});

describe('failoverSigner', () => {
  async function twoRegionRing() {
    const { arns } = await multiRegionKey(WEST);
    const active = await signerFor(arns.get(EAST)!, EAST);
    const ring = new KmsKeyRing({ active, replicas: [await signerFor(arns.get(WEST)!, WEST)] });
    return { ring, arns, ds: await dsFor(active.publicKey) };
  }

  it('a throttled home Region: the SDK retries there, then the replica signs, and the DS certificate verifies it', async () => {
    const { ring, ds } = await twoRegionRing();
    const events: KmsFailoverEvent[] = [];
    const signer = ring.failoverSigner({ onFailover: (e) => events.push(e) });
    expect(signer.regions).toEqual([EAST, WEST]);
    emulator.faults.throttleRate(1, { operations: ['Sign'], regions: [EAST] });
    const [east, west] = [signs(EAST), signs(WEST)];
    expect(await issueAndVerify(signer, ds)).toBe(true);
    expect(signs(EAST) - east).toBe(MAX_ATTEMPTS);
    expect(signs(WEST) - west).toBe(1);
    expect(events.map((e) => [e.from, e.to, e.error.code])).toEqual([[EAST, WEST, 'ERR_SIGNER_THROTTLED']]);
  });

  it('a home Region that resets every connection: failover with ERR_SIGNER_UNAVAILABLE', async () => {
    const { ring, ds } = await twoRegionRing();
    const events: KmsFailoverEvent[] = [];
    const signer = ring.failoverSigner({ onFailover: (e) => events.push(e) });
    emulator.faults.resetRate(1, { operations: ['Sign'], regions: [EAST] });
    expect(await issueAndVerify(signer, ds)).toBe(true);
    expect(events.map((e) => e.error.code)).toEqual(['ERR_SIGNER_UNAVAILABLE']);
  });

  it('every Region throttled: ERR_SIGNER_THROTTLED after at most maxAttempts × Regions Sign requests', async () => {
    const { ring } = await twoRegionRing();
    const signer = ring.failoverSigner();
    emulator.faults.throttleRate(1, { operations: ['Sign'] });
    const [east, west] = [signs(EAST), signs(WEST)];
    const digest = new Uint8Array(32).fill(3);
    if (signer.kind !== 'digest') throw new Error('expected a digest signer');
    await expectCode(signer.signDigest(digest), 'ERR_SIGNER_THROTTLED');
    expect(signs(EAST) - east).toBe(MAX_ATTEMPTS);
    expect(signs(WEST) - west).toBe(MAX_ATTEMPTS);
  });

  it('a refusal about the key (disabled in its home Region) is not papered over by another Region', async () => {
    const { ring, arns, ds } = await twoRegionRing();
    const events: KmsFailoverEvent[] = [];
    const signer = ring.failoverSigner({ onFailover: (e) => events.push(e) });
    await clientIn(EAST).send(new DisableKeyCommand({ KeyId: arns.get(EAST)! }));
    const west = signs(WEST);
    await expectCode(issueAndVerify(signer, ds), 'ERR_SIGNER_KEY_DISABLED');
    expect(signs(WEST) - west).toBe(0);
    expect(events).toEqual([]);
    // the replica's own key state is its own: signing there directly still works
    expect(await issueAndVerify(ring.signerIn(WEST), ds)).toBe(true);
  });

  it('regions: a chosen order, and only Regions the key signs in', async () => {
    const { ring } = await twoRegionRing();
    const signer = ring.failoverSigner({ regions: [WEST, EAST] });
    expect(signer.regions).toEqual([WEST, EAST]);
    expect(signer.region).toBe(WEST);
    const [east, west] = [signs(EAST), signs(WEST)];
    if (signer.kind !== 'digest') throw new Error('expected a digest signer');
    const signature = await signer.signDigest(new Uint8Array(32).fill(9));
    expect(signature).toHaveLength(64);
    expect([signs(EAST) - east, signs(WEST) - west]).toEqual([0, 1]);
    await expectCode(() => ring.failoverSigner({ regions: [EAST, NORTH] }), 'ERR_INVALID_ARGUMENT');
  });

  it('the public key it states is the key of every Region (GetPublicKey in each Region agrees)', async () => {
    const { ring, arns } = await twoRegionRing();
    const signer = ring.failoverSigner();
    for (const [region, arn] of arns) {
      const out = await clientIn(region).send(new GetPublicKeyCommand({ KeyId: arn }));
      expect(Buffer.from(out.PublicKey!).equals(Buffer.from(signer.publicKey))).toBe(true);
    }
  });
});
