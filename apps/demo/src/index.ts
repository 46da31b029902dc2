export { ExitCode, UsageError } from './cli-error.js';
export type { CliIo, Command } from './command.js';
export { main } from './main.js';
