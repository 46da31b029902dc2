/**
 * `mdlkit demo --aws real`: its safeguards, driven against the project's emulator through
 * `--aws-endpoint` (the real-mode code path: credential chain, no embedded emulator).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { type Emulator, startEmulator } from '@mdlkit/aws-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mdlkit } from './run-cli.js';

let emulator: Emulator;
let work: string;
let keyArn: string;
const env = {
  AWS_ACCESS_KEY_ID: 'AKIDDEMOREAL',
  AWS_SECRET_ACCESS_KEY: 'emulator',
  AWS_REGION: 'eu-west-1',
  AWS_PROFILE: '',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
};

beforeAll(async () => {
  emulator = await startEmulator({ region: 'us-east-1' });
  work = mkdtempSync(path.join(tmpdir(), 'mdlkit-demo-real-'));
  const kms = new KMSClient({
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials: { accessKeyId: 'AKIDSETUP', secretAccessKey: 'x' },
  });
  const key = await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
  keyArn = key.KeyMetadata!.Arn!;
  kms.destroy();
});
afterAll(async () => {
  await emulator.close();
  rmSync(work, { recursive: true, force: true });
});

describe('demo --aws real', () => {
  it('refuses to run without --confirm-real-aws, with a production --ca-arn, or a Region that is not the key’s', async () => {
    const base = [
      'demo',
      '--aws',
      'real',
      '--out',
      path.join(work, 'refused'),
      '--aws-endpoint',
      emulator.endpoint,
    ];
    const [unconfirmed, withCa, region] = await Promise.all([
      mdlkit([...base, '--kms-key-id', keyArn], { env }),
      mdlkit(
        [
          ...base,
          '--confirm-real-aws',
          '--kms-key-id',
          keyArn,
          '--ca-arn',
          'arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/00000000-0000-0000-0000-000000000000',
        ],
        { env },
      ),
      mdlkit([...base, '--confirm-real-aws', '--kms-key-id', keyArn, '--region', 'eu-west-1'], { env }),
    ]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/--confirm-real-aws/);
    expect(withCa.code).toBe(2);
    expect(withCa.stderr).toMatch(/does not issue from an existing CA/);
    expect(region.code).toBe(2);
    expect(region.stderr).toMatch(/key ARN in --kms-key-id is in us-east-1/);
    expect(emulator.state.pca.authorities.size).toBe(0);
    const help = await mdlkit(['demo', '--help']);
    expect(help.stdout).toMatch(/kms:DescribeKey/);
    expect(help.stdout).toMatch(/USD 400 per month/);
    expect(help.stdout).not.toMatch(/creates nothing billable/);
  });

  it('creates a tagged test CA, takes the Region from the key ARN, and revokes and deletes what it made', async () => {
    const run = await mdlkit(
      [
        'demo',
        '--aws',
        'real',
        '--confirm-real-aws',
        '--kms-key-id',
        keyArn,
        '--aws-endpoint',
        emulator.endpoint,
        '--out',
        path.join(work, 'real'),
        '--batch',
        '2',
      ],
      { env },
    );
    expect(run.stderr).toBe('');
    if (run.code !== 0) console.log(run.stdout.slice(-3000));
    expect(run.code).toBe(0);
    // the Region came from the ARN (the environment says eu-west-1)
    expect(run.stdout).toMatch(/AWS: AWS us-east-1 via http:\/\/127\.0\.0\.1/);
    const authorities = [...emulator.state.pca.authorities.values()];
    expect(authorities).toHaveLength(1);
    const ca = authorities[0]!;
    expect(ca.tags).toEqual(
      expect.arrayContaining([
        { Key: 'mdlkit:demo', Value: 'true' },
        expect.objectContaining({ Key: 'mdlkit:delete-after' }),
      ]),
    );
    expect(ca.status).toBe('DELETED');
    const issued = [...ca.certificates.values()].filter((c) => !c.selfSigned);
    expect(issued).toHaveLength(2); // the DS and the status-list signer
    for (const certificate of issued) expect(certificate.revoked?.reason).toBe('CESSATION_OF_OPERATION');
    expect(run.stdout).toMatch(/Cleanup \(real AWS\)/);
    expect(run.stdout).toMatch(/deleted arn:aws:acm-pca:us-east-1:/);
    // no KMS key was created (the holder record uses a local key-encryption key)
    expect(emulator.state.kms.keys.size).toBe(1);
    expect(emulator.faults.calls.count('CreateKey')).toBe(1); // the test's own
  });
});
