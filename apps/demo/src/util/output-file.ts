import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../cli-error.js';
import type { CommandValues } from '../command.js';

/** Whether `--force` was given. */
export function forceOption(values: CommandValues): boolean {
  return values['force'] === true;
}

/**
 * Refuses to overwrite `file` unless `force` (so a typo never destroys a key): throws an
 * {@link InputError} naming the option. Call it for every output before anything is signed or written.
 */
export function checkWritable(
  file: string,
  options: { readonly force: boolean; readonly option?: string },
): void {
  const info = { file, ...(options.option === undefined ? {} : { option: options.option }) };
  if (!existsSync(file)) {
    const dir = path.dirname(file);
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw new InputError(`${dir} is not a folder`, info);
    return;
  }
  if (statSync(file).isDirectory()) throw new InputError('is a folder, not a file', info);
  if (!options.force)
    throw new InputError('already exists (give --force to overwrite it)', { ...info, looksLike: 'exists' });
}

/**
 * Writes an output file after {@link checkWritable}; the folder is created when missing. Private
 * keys pass `mode: 0o600`.
 */
export function writeOutputFile(
  file: string,
  data: Uint8Array | string,
  options: { readonly force: boolean; readonly option?: string; readonly mode?: number },
): void {
  checkWritable(file, options);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, data, options.mode === undefined ? {} : { mode: options.mode });
}
