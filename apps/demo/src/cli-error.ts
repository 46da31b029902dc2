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
