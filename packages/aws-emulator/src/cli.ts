#!/usr/bin/env node
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { KeyFaultMode } from './faults.js';
import { type Emulator, type EmulatorOptions, startEmulator } from './server.js';

/** Faults the CLI applies once the emulator is up. */
export interface CliFaults {
  readonly throttleNext?: number;
  readonly throttleRate?: number;
  /** A fraction of calls whose connection is dropped unanswered. */
  readonly resetRate?: number;
  readonly seed?: number;
  readonly latencyMs?: number;
  readonly jitterMs?: number;
  readonly holdNext?: number;
  readonly operations?: readonly string[];
  /** Limits the faults to requests signed for these Regions. */
  readonly regions?: readonly string[];
  readonly failKeys: readonly { keyId: string; fromCall: number; mode: KeyFaultMode }[];
}

/** Parsed command line. */
export interface CliConfig {
  readonly options: EmulatorOptions;
  readonly faults: CliFaults;
  readonly help: boolean;
}

/** Usage text of the CLI. */
export const USAGE: string = `Usage: node packages/aws-emulator/dist/cli.js [options]

Local AWS KMS + AWS Private CA emulator (AWS JSON 1.1). Prints one JSON line with the endpoint
when ready; stops on SIGINT / SIGTERM.

  --port <n>                     TCP port (default 4599; 0 = any free port)
  --host <addr>                  interface (default 127.0.0.1)
  --region <name>                region in ARNs (default us-east-1)
  --account-id <12 digits>       account in ARNs (default 111122223333)
  --csr-pending-polls <n>        CSR polls answered RequestInProgressException (default 0)
  --certificate-pending-polls <n> GetCertificate polls answered RequestInProgressException (default 0)
  --throttle-next <n>            throttle the next n calls
  --throttle-rate <p>            throttle a fraction p of calls (seeded)
  --reset-rate <p>               drop the connection of a fraction p of calls unanswered (seeded; ECONNRESET)
  --seed <n>                     seed for --throttle-rate and --jitter (default 1)
  --latency <ms>                 add a fixed latency to every call
  --jitter <ms>                  add a random latency in [0, ms)
  --hold-next <n>                never answer the next n calls (client time-out tests)
  --operations <A,B>             limit the faults above to these operations (e.g. Sign,IssueCertificate)
  --regions <r1,r2>              limit the faults above to requests signed for these Regions (KMS)
  --fail-key <keyId:k:mode>      key fails from its k-th call; mode disabled | access-denied (repeatable)
  --log                          print one line per request to stderr
  --help                         this text
`;

function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
  return n;
}

/**
 * Parses the CLI arguments.
 * @throws {Error} on an unknown flag or a bad value.
 */
export function parseCliArgs(argv: readonly string[]): CliConfig {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      region: { type: 'string' },
      'account-id': { type: 'string' },
      'csr-pending-polls': { type: 'string' },
      'certificate-pending-polls': { type: 'string' },
      'throttle-next': { type: 'string' },
      'throttle-rate': { type: 'string' },
      'reset-rate': { type: 'string' },
      regions: { type: 'string' },
      seed: { type: 'string' },
      latency: { type: 'string' },
      jitter: { type: 'string' },
      'hold-next': { type: 'string' },
      operations: { type: 'string' },
      'fail-key': { type: 'string', multiple: true },
      log: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  const rate = values['throttle-rate'] === undefined ? undefined : Number(values['throttle-rate']);
  if (rate !== undefined && !(rate >= 0 && rate <= 1)) throw new Error('--throttle-rate must be in [0, 1]');
  const resetRate = values['reset-rate'] === undefined ? undefined : Number(values['reset-rate']);
  if (resetRate !== undefined && !(resetRate >= 0 && resetRate <= 1))
    throw new Error('--reset-rate must be in [0, 1]');
  const accountId = values['account-id'];
  if (accountId !== undefined && !/^\d{12}$/.test(accountId))
    throw new Error('--account-id must be 12 digits');
  const failKeys = (values['fail-key'] ?? []).map((spec) => {
    const match = /^(.+):(\d+):(disabled|access-denied)$/.exec(spec);
    if (match === null) throw new Error('--fail-key must be <keyId>:<fromCall>:<disabled|access-denied>');
    return { keyId: match[1]!, fromCall: Number(match[2]), mode: match[3] as KeyFaultMode };
  });
  const pca = {
    ...(values['csr-pending-polls'] === undefined
      ? {}
      : { csrPendingPolls: integer(values['csr-pending-polls'], 'csr-pending-polls')! }),
    ...(values['certificate-pending-polls'] === undefined
      ? {}
      : {
          certificatePendingPolls: integer(values['certificate-pending-polls'], 'certificate-pending-polls')!,
        }),
  };
  const options: EmulatorOptions = {
    port: integer(values.port, 'port') ?? 4599,
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(values.region === undefined ? {} : { region: values.region }),
    ...(accountId === undefined ? {} : { accountId }),
    pca,
    ...(values.log === true ? { log: (line: string) => process.stderr.write(`${line}\n`) } : {}),
  };
  const optional = <K extends string, V>(key: K, value: V | undefined) =>
    (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;
  const faults: CliFaults = {
    failKeys,
    ...optional('throttleNext', integer(values['throttle-next'], 'throttle-next')),
    ...optional('throttleRate', rate),
    ...optional('resetRate', resetRate),
    ...optional('seed', integer(values.seed, 'seed')),
    ...optional('latencyMs', integer(values.latency, 'latency')),
    ...optional('jitterMs', integer(values.jitter, 'jitter')),
    ...optional('holdNext', integer(values['hold-next'], 'hold-next')),
    ...optional(
      'operations',
      values.operations?.split(',').filter((name) => name.length > 0),
    ),
    ...optional(
      'regions',
      values.regions?.split(',').filter((name) => name.length > 0),
    ),
  };
  return { options, faults, help: values.help === true };
}

/** Applies CLI faults to a running emulator. */
export function applyCliFaults(emulator: Emulator, faults: CliFaults): void {
  const filter = {
    ...(faults.operations === undefined ? {} : { operations: faults.operations }),
    ...(faults.regions === undefined ? {} : { regions: faults.regions }),
  };
  const seed = faults.seed ?? 1;
  if (faults.throttleNext !== undefined) emulator.faults.throttleNext(faults.throttleNext, filter);
  if (faults.throttleRate !== undefined)
    emulator.faults.throttleRate(faults.throttleRate, { ...filter, seed });
  if (faults.resetRate !== undefined) emulator.faults.resetRate(faults.resetRate, { ...filter, seed });
  if (faults.latencyMs !== undefined || faults.jitterMs !== undefined) {
    emulator.faults.setLatency({
      ...filter,
      fixedMs: faults.latencyMs ?? 0,
      jitterMs: faults.jitterMs ?? 0,
      seed,
    });
  }
  if (faults.holdNext !== undefined) emulator.faults.holdNext(faults.holdNext, filter);
  for (const fault of faults.failKeys) {
    emulator.faults.failKey(fault.keyId, { fromCall: fault.fromCall, mode: fault.mode });
  }
}

async function main(argv: readonly string[]): Promise<void> {
  let config: CliConfig;
  try {
    config = parseCliArgs(argv);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (config.help) {
    process.stdout.write(USAGE);
    return;
  }
  const emulator = await startEmulator(config.options);
  applyCliFaults(emulator, config.faults);
  process.stdout.write(
    `${JSON.stringify({ endpoint: emulator.endpoint, region: emulator.region, accountId: emulator.accountId })}\n`,
  );
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
