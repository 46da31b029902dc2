import path from 'node:path';
import { isMdlError } from '@mdlkit/core/errors';
import { InspectKind, inspectionToJson, inspectMdoc, renderInspectionText } from '@mdlkit/reader/inspect';
import { ExitCode, InputError, UsageError } from '../cli-error.js';
import { type CliIo, type CommandValues, stringOption } from '../command.js';
import { readInputFile } from '../input.js';
import { parseInstant, toJson } from '../util/format.js';

const KINDS = Object.values(InspectKind) as readonly string[];

/** Runs `mdlkit inspect` (loaded on demand, so `--help` stays fast). */
export async function run(values: CommandValues, positionals: string[], io: CliIo): Promise<ExitCode> {
  if (positionals.length !== 1) throw new UsageError('give exactly one FILE (or - for standard input)');
  const given = positionals[0]!;
  const file = given === '-' ? '-' : path.resolve(io.cwd, given);
  const kind = stringOption(values, 'as');
  if (kind !== undefined && !KINDS.includes(kind)) {
    throw new UsageError(`--as must be one of ${KINDS.join(', ')}`);
  }
  const now =
    values['now'] === undefined ? new Date() : parseInstant(stringOption(values, 'now', true), 'now');
  const bytesText = stringOption(values, 'bytes');
  const maxBytes = bytesText === undefined ? 24 : Number(bytesText);
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0)
    throw new UsageError('--bytes must be a non-negative integer');
  const raw = readInputFile(file, 'argument');
  const name = given === '-' ? 'stdin' : given;
  let inspection: ReturnType<typeof inspectMdoc>;
  try {
    inspection = inspectMdoc(raw, {
      name,
      now,
      ...(kind === undefined ? {} : { kind: kind as InspectKind }),
    });
  } catch (e) {
    if (!isMdlError(e)) throw e;
    const prefix = `${name}: `;
    const message = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
    const looksLike = e.details['looksLike'];
    throw new InputError(message, {
      file: name,
      code: e.code,
      looksLike: typeof looksLike === 'string' ? looksLike : 'not-cbor',
    });
  }
  if (values['json'] === true) io.out(toJson(inspectionToJson(inspection)));
  else io.out(renderInspectionText(inspection, { maxBytes }));
  return ExitCode.OK;
}
