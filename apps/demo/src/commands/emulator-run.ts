import process from 'node:process';
import { startEmulator } from '@mdlkit/aws-emulator';
import { ExitCode, UsageError } from '../cli-error.js';
import { type CliIo, type CommandValues, stringOption } from '../command.js';

function port(text: string | undefined): number {
  if (text === undefined) return 4599;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new UsageError('--port must be an integer 0..65535');
  return n;
}

/** `mdlkit emulator`: runs the loopback AWS KMS + ACM-PCA emulator until interrupted. */
/** Runs `mdlkit emulator` (loaded on demand, so `--help` stays fast). */
export async function run(values: CommandValues, _positionals: string[], io: CliIo): Promise<ExitCode> {
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
}
