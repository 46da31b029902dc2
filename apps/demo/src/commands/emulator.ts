import process from 'node:process';
import { startEmulator } from '@mdlkit/aws-emulator';
import { ExitCode, UsageError } from '../cli-error.js';
import { type Command, stringOption } from '../command.js';

function port(text: string | undefined): number {
  if (text === undefined) return 4599;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new UsageError('--port must be an integer 0..65535');
  return n;
}

/** `mdlkit emulator`: runs the loopback AWS KMS + ACM-PCA emulator until interrupted. */
export const emulatorCommand: Command = {
  name: 'emulator',
  summary: 'run the local AWS KMS + AWS Private CA emulator for other tools',
  help: `Usage: mdlkit emulator [--port N] [--host ADDR] [--region NAME] [--account-id ID] [--log] [--json]

Starts the project's AWS emulator (KMS and ACM-PCA over AWS JSON 1.1, loopback HTTP) and keeps it
running until SIGINT / SIGTERM (Ctrl-C). Point any AWS SDK or the AWS CLI at it with
--endpoint-url (any access key works). Fault injection flags live in the emulator package's own
CLI (packages/aws-emulator, dist/cli.js --help).

Options:
  --port N          TCP port (default 4599; 0 picks a free port)
  --host ADDR       interface to bind (default 127.0.0.1)
  --region NAME     region used in ARNs (default us-east-1)
  --account-id ID   12-digit account id used in ARNs (default 111122223333)
  --log             one line per request on stderr
  --json            print one JSON line {"endpoint","region","accountId","port"} when ready

Exit codes: 0 stopped by a signal, 2 bad options or the port is taken.`,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    region: { type: 'string' },
    'account-id': { type: 'string' },
    log: { type: 'boolean' },
  },
  async run(values, _positionals, io) {
    const accountId = stringOption(values, 'account-id');
    if (accountId !== undefined && !/^\d{12}$/.test(accountId)) {
      throw new UsageError('--account-id must be 12 digits');
    }
    const host = stringOption(values, 'host');
    const region = stringOption(values, 'region');
    let emulator: Awaited<ReturnType<typeof startEmulator>>;
    try {
      emulator = await startEmulator({
        port: port(stringOption(values, 'port')),
        ...(host === undefined ? {} : { host }),
        ...(region === undefined ? {} : { region }),
        ...(accountId === undefined ? {} : { accountId }),
        ...(values['log'] === true ? { log: (line: string) => io.err(`${line}\n`) } : {}),
      });
    } catch (e) {
      throw new UsageError(`cannot start the emulator: ${(e as Error).message}`);
    }
    const info = {
      endpoint: emulator.endpoint,
      region: emulator.region,
      accountId: emulator.accountId,
      port: emulator.port,
    };
    if (values['json'] === true) {
      io.out(`${JSON.stringify(info)}\n`);
    } else {
      io.out(
        [
          `AWS emulator (KMS + ACM-PCA) listening on ${emulator.endpoint}`,
          '',
          `  export AWS_ENDPOINT_URL=${emulator.endpoint}`,
          `  export AWS_REGION=${emulator.region}`,
          '  export AWS_ACCESS_KEY_ID=emulator AWS_SECRET_ACCESS_KEY=emulator',
          '',
          'Press Ctrl-C to stop.',
          '',
        ].join('\n'),
      );
    }
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await emulator.close();
    return ExitCode.OK;
  },
};
