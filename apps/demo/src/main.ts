import { ExitCode, InputError, UsageError } from './cli-error.js';
import { type CliIo, type Command, parseCommandArgs } from './command.js';
import { commands } from './commands/index.js';
import { cliVersion } from './util/version.js';

function overview(io: CliIo): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `mdlkit ${cliVersion()} — ISO/IEC 18013-5 mDL toolkit`,
    '',
    'Usage: mdlkit <command> [options]     (mdlkit <command> --help for details)',
    `       run here as: ${io.invokedAs ?? 'mdlkit'} <command> …`,
    '       (in the repository: pnpm mdlkit …, or npx --yes pnpm@VERSION mdlkit … without pnpm',
    '       installed; linked or installed: mdlkit …; see docs/cli.md)',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --json for machine-readable output (errors too: {"error":{…}} on stdout).',
    'Exit codes: 0 ok / verified, 1 checked and failed, 2 usage error or unreadable input.',
    'mdlkit --version prints the version.',
  ].join('\n');
}

/** The JSON body of an error, written to stdout under `--json`. */
export interface JsonError {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly command?: string;
    readonly option?: string;
    readonly file?: string;
    readonly looksLike?: string;
  };
  readonly exitCode: ExitCode;
}

function jsonError(e: unknown, command: string | undefined): JsonError {
  const base = command === undefined ? {} : { command };
  if (e instanceof InputError) {
    return {
      error: {
        code: e.code ?? 'ERR_USAGE',
        message: e.message,
        ...base,
        ...(e.option === undefined ? {} : { option: e.option }),
        ...(e.file === undefined ? {} : { file: e.file }),
        ...(e.looksLike === undefined ? {} : { looksLike: e.looksLike }),
      },
      exitCode: ExitCode.USAGE,
    };
  }
  if (e instanceof UsageError)
    return { error: { code: 'ERR_USAGE', message: e.message, ...base }, exitCode: ExitCode.USAGE };
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('ERR_')) {
    return { error: { code, message: (e as Error).message, ...base }, exitCode: ExitCode.USAGE };
  }
  return {
    error: {
      code: 'ERR_INTERNAL',
      message: `unexpected error: ${(e as Error)?.message ?? String(e)}`,
      ...base,
    },
    exitCode: ExitCode.USAGE,
  };
}

function report(e: unknown, command: string | undefined, io: CliIo, json: boolean): ExitCode {
  const body = jsonError(e, command);
  const prefix = command === undefined ? 'mdlkit' : `mdlkit ${command}`;
  if (json) io.out(`${JSON.stringify(body, null, 2)}\n`);
  const code = body.error.code;
  const text = e instanceof UsageError ? body.error.message : `${code}: ${body.error.message}`;
  io.err(`${prefix}: ${text}\n`);
  if (code === 'ERR_INTERNAL' && io.env['MDLKIT_DEBUG'] !== undefined)
    io.err(`${(e as Error)?.stack ?? ''}\n`);
  else if (code === 'ERR_INTERNAL') io.err('(a bug in mdlkit: set MDLKIT_DEBUG=1 for the stack trace)\n');
  if (e instanceof UsageError && !(e instanceof InputError) && command !== undefined) {
    io.err(`see: ${io.invokedAs ?? 'mdlkit'} ${command} --help\n`);
  }
  return body.exitCode;
}

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit code. Never throws:
 * usage errors and malformed input map to exit 2 with a one-line message (and, under `--json`, a
 * JSON error object on stdout).
 */
export async function main(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [name, ...rest] = argv;
  const json = argv.includes('--json');
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out(json ? `${JSON.stringify({ version: cliVersion() })}\n` : `mdlkit ${cliVersion()}\n`);
    return ExitCode.OK;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(`${overview(io)}\n`);
    return name === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (command === undefined) {
    const code = report(new UsageError(`unknown command '${name}'`), undefined, io, json);
    if (!json) io.err(`\n${overview(io)}\n`);
    return code;
  }
  try {
    const { values, positionals } = parseCommandArgs(command, [...rest]);
    if (values['help'] === true) {
      io.out(`${command.help}\n`);
      return ExitCode.OK;
    }
    return await command.run(values, positionals, io);
  } catch (e) {
    return report(e, command.name, io, json);
  }
}
