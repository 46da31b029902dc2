/** Exit codes of the `mdlkit` CLI. */
export const ExitCode = {
  /** ok / verified */
  OK: 0,
  /** checked and failed: not verified, lint errors, vector failures */
  FAILED: 1,
  /** usage error, or unreadable / malformed input */
  USAGE: 2,
} as const;
/** One of {@link ExitCode}. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A problem with how the CLI was called or with the files it was given (exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** What an {@link InputError} says about the input it refers to. */
export interface InputErrorInfo {
  /** The option that named the input (`--device-response`), or `argument` for a positional. */
  readonly option?: string;
  /** The file as the user wrote it (`-` for stdin). */
  readonly file?: string;
  /** What the input looked like (`json`, `pem`, `hex-stray-character`, a structure kind …). */
  readonly looksLike?: string;
  /** The mdlkit error code behind it, when there is one. */
  readonly code?: string;
}

/**
 * Input that cannot be used (exit code 2). The message names the option and the file; the fields
 * repeat them for `--json` error output.
 */
export class InputError extends UsageError {
  readonly option: string | undefined;
  readonly file: string | undefined;
  readonly looksLike: string | undefined;
  readonly code: string | undefined;

  constructor(message: string, info: InputErrorInfo = {}) {
    const where = [info.option, info.file].filter((s) => s !== undefined).join(' ');
    super(where === '' ? message : `${where}: ${message}`);
    this.name = 'InputError';
    this.option = info.option;
    this.file = info.file;
    this.looksLike = info.looksLike;
    this.code = info.code;
  }
}
