import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { CreateKeyCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { applyCliFaults, parseCliArgs } from '../src/cli.js';
import { startEmulator } from '../src/index.js';
import { errorOf, kmsClient } from './helpers.js';

describe('CLI arguments', () => {
  it('parses ports, polls and faults', () => {
    const config = parseCliArgs([
      '--port',
      '0',
      '--csr-pending-polls',
      '2',
      '--throttle-next',
      '3',
      '--operations',
      'Sign,IssueCertificate',
      '--fail-key',
      'abc:5:disabled',
    ]);
    expect(config.options.port).toBe(0);
    expect(config.options.pca).toEqual({ csrPendingPolls: 2 });
    expect(config.faults.throttleNext).toBe(3);
    expect(config.faults.operations).toEqual(['Sign', 'IssueCertificate']);
    expect(config.faults.failKeys).toEqual([{ keyId: 'abc', fromCall: 5, mode: 'disabled' }]);
    expect(parseCliArgs([]).options.port).toBe(4599);
  });

  it('rejects bad values', () => {
    expect(() => parseCliArgs(['--throttle-rate', '2'])).toThrow(/throttle-rate/);
    expect(() => parseCliArgs(['--fail-key', 'abc:x:disabled'])).toThrow(/fail-key/);
    expect(() => parseCliArgs(['--port', '-1'])).toThrow(/port/);
    expect(() => parseCliArgs(['--nope'])).toThrow();
    expect(() => parseCliArgs(['--reset-rate', '1.5'])).toThrow(/reset-rate/);
  });

  it('--reset-rate and --regions: connections dropped, only for requests signed for the named Regions', async () => {
    const config = parseCliArgs(['--reset-rate', '1', '--regions', 'eu-west-1', '--operations', 'ListKeys']);
    expect(config.faults).toMatchObject({ resetRate: 1, regions: ['eu-west-1'], operations: ['ListKeys'] });
    const emulator = await startEmulator({ region: 'us-east-1' });
    const east = kmsClient(emulator, 1, 'us-east-1');
    const west = kmsClient(emulator, 1, 'eu-west-1');
    try {
      applyCliFaults(emulator, config.faults);
      expect((await east.send(new ListKeysCommand({}))).Keys).toBeDefined();
      const error = await errorOf(() => west.send(new ListKeysCommand({})));
      expect((error as { code?: string }).code ?? error.name).toMatch(/ECONNRESET|socket hang up/i);
      // both reached their Regional endpoint; the west one was dropped unanswered
      expect(emulator.faults.calls.countInRegion('eu-west-1', 'ListKeys')).toBe(1);
      expect(emulator.faults.calls.countInRegion('us-east-1', 'ListKeys')).toBe(1);
    } finally {
      east.destroy();
      west.destroy();
      await emulator.close();
    }
  });

  it('starts a server process the real SDK can use', async () => {
    const require = createRequire(import.meta.url);
    const tsx = require.resolve('tsx');
    const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', tsx, cli, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
      const ready = JSON.parse(chunk.toString('utf8').split('\n')[0]!) as {
        endpoint: string;
        region: string;
      };
      expect(ready.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const kms = new KMSClient({
        endpoint: ready.endpoint,
        region: ready.region,
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      });
      const created = await kms.send(
        new CreateKeyCommand({ KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY' }),
      );
      expect(created.KeyMetadata?.KeySpec).toBe('ECC_NIST_P384');
      kms.destroy();
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
