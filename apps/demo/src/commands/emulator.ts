import type { ExitCode } from '../cli-error.js';
import type { Command } from '../command.js';

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
  async run(values, _positionals, io): Promise<ExitCode> {
    const impl = await import('./emulator-run.js');
    return impl.run(values, _positionals, io);
  },
};
