import type { Command } from '../command.js';

/** Every `mdlkit` sub-command, in the order `mdlkit --help` lists them. */
export const commands: Command[] = [];
