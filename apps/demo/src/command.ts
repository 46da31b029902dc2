import { parseArgs } from 'node:util';
import { type ExitCode, UsageError } from './cli-error.js';

/** Where a command writes. Tests pass buffers; the binary passes process streams. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Working directory used to resolve relative paths. */
  readonly cwd: string;
  /** Environment (for `MDLKIT_VECTORS` and the AWS credential chain). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** True when stdout is a terminal (progress bars, colour). */
  readonly tty: boolean;
  /**
   * How the user ran the CLI (`pnpm mdlkit`, `mdlkit`, `node apps/demo/dist/cli.js`), used in hints so
   * every command the CLI suggests can be pasted as is. Default `mdlkit`.
   */
  readonly invokedAs?: string;
}

/** The prefix hints use to name a command the user can paste (see {@link CliIo.invokedAs}). */
export function invocation(io: CliIo): string {
  return io.invokedAs ?? 'mdlkit';
}

/** Option definitions in `node:util` parseArgs form. */
export type OptionSpec = Record<
  string,
  { type: 'string' | 'boolean'; multiple?: boolean; short?: string; default?: string | boolean }
>;

/** Parsed option values of a command, keyed by option name. */
export type CommandValues = Record<string, string | boolean | string[] | undefined>;

/** One CLI sub-command. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Full `--help` text. */
  readonly help: string;
  readonly options: OptionSpec;
  /** Whether positional arguments are accepted. */
  readonly positionals?: boolean;
  /** Runs the command; implementations load their libraries on demand so `--help` stays fast. */
  run(values: CommandValues, positionals: string[], io: CliIo): Promise<ExitCode>;
}

/** Parses argv for a command; unknown options and missing values are usage errors. */
export function parseCommandArgs(
  command: Command,
  argv: string[],
): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...command.options, help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' } },
      allowPositionals: command.positionals ?? false,
      strict: true,
    });
    return { values: values as Record<string, string | boolean | string[] | undefined>, positionals };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Reads a string option, throwing a usage error when it is required and missing. */
export function stringOption(
  values: Record<string, string | boolean | string[] | undefined>,
  name: string,
  required: true,
): string;
export function stringOption(
  values: Record<string, string | boolean | string[] | undefined>,
  name: string,
  required?: false,
): string | undefined;
export function stringOption(
  values: Record<string, string | boolean | string[] | undefined>,
  name: string,
  required = false,
): string | undefined {
  const v = values[name];
  if (v === undefined) {
    if (required) throw new UsageError(`--${name} is required`);
    return undefined;
  }
  if (typeof v !== 'string') throw new UsageError(`--${name} takes a value`);
  return v;
}

/** Reads a repeatable string option as a list. */
export function listOption(
  values: Record<string, string | boolean | string[] | undefined>,
  name: string,
): string[] {
  const v = values[name];
  if (v === undefined) return [];
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [v];
  throw new UsageError(`--${name} takes a value`);
}

/** Reads one of a fixed set of values. */
export function choiceOption<T extends string>(
  values: Record<string, string | boolean | string[] | undefined>,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const v = stringOption(values, name);
  if (v === undefined) return fallback;
  if (!(choices as readonly string[]).includes(v)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}`);
  }
  return v as T;
}
