import { ExitCode, UsageError } from './cli-error.js';
import { type CliIo, type Command, parseCommandArgs } from './command.js';
import { commands } from './commands/index.js';

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'mdlkit — ISO/IEC 18013-5 mDL toolkit',
    '',
    'Usage: mdlkit <command> [options]     (mdlkit <command> --help for details)',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --json for machine-readable output.',
    'Exit codes: 0 ok / verified, 1 checked and failed, 2 usage error or unreadable input.',
  ].join('\n');
}

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit code. Never throws:
 * usage errors and malformed input map to exit 2 with a one-line message.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(`${overview()}\n`);
    return name === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (command === undefined) {
    io.err(`mdlkit: unknown command '${name}'\n\n${overview()}\n`);
    return ExitCode.USAGE;
  }
  try {
    const { values, positionals } = parseCommandArgs(command, [...rest]);
    if (values['help'] === true) {
      io.out(`${command.help}\n`);
      return ExitCode.OK;
    }
    return await command.run(values, positionals, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`mdlkit ${command.name}: ${e.message}\n`);
      return ExitCode.USAGE;
    }
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_')) {
      io.err(`mdlkit ${command.name}: ${code}: ${(e as Error).message}\n`);
      return ExitCode.USAGE;
    }
    io.err(`mdlkit ${command.name}: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
    return ExitCode.USAGE;
  }
}
