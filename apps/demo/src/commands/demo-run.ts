import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ExitCode, InputError, UsageError } from '../cli-error.js';
import { type CliIo, type CommandValues, choiceOption, invocation, stringOption } from '../command.js';
import { openDemoAws } from '../demo/aws.js';
import { runDemoStory } from '../demo/story.js';
import { findRepoRoot, resolveVectorsDir } from '../util/paths.js';

/** Marks a folder as the demo's own, so a re-run may overwrite it. */
const DEMO_MARKER = '.mdlkit-demo';

/** `mdlkit demo`: the end-to-end story on the embedded AWS emulator (or real AWS). */
/** Runs `mdlkit demo` (loaded on demand, so `--help` stays fast). */
export async function run(values: CommandValues, _positionals: string[], io: CliIo): Promise<ExitCode> {
  const mode = choiceOption(values, 'aws', ['emulator', 'real'] as const, 'emulator');
  const caArn = stringOption(values, 'ca-arn');
  const kmsKeyId = stringOption(values, 'kms-key-id');
  if (mode === 'real' && (caArn === undefined || kmsKeyId === undefined)) {
    throw new UsageError('--aws real needs --ca-arn and --kms-key-id (see --help)');
  }
  const batchSize = Number(stringOption(values, 'batch') ?? '50');
  if (!Number.isInteger(batchSize) || batchSize < 2 || batchSize > 10_000) {
    throw new UsageError('--batch must be an integer 2..10000');
  }
  const outDir = path.resolve(io.cwd, stringOption(values, 'out') ?? 'mdlkit-demo-out');
  if (existsSync(outDir) && !statSync(outDir).isDirectory())
    throw new InputError('is not a folder', { option: '--out', file: outDir });
  // The demo rewrites its own folder on every run, but never a folder of someone else's files.
  const marker = path.join(outDir, DEMO_MARKER);
  if (
    existsSync(outDir) &&
    readdirSync(outDir).length > 0 &&
    !existsSync(marker) &&
    values['force'] !== true
  ) {
    throw new InputError('holds files mdlkit demo did not write (give --force to write into it anyway)', {
      option: '--out',
      file: outDir,
      looksLike: 'exists',
    });
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(marker, 'written by mdlkit demo; the demo may overwrite the files in this folder\n');
  let vectorsDir: string | undefined;
  try {
    vectorsDir = resolveVectorsDir(io, stringOption(values, 'vectors'));
  } catch {
    vectorsDir = undefined;
  }
  const json = values['json'] === true;
  const out = json ? () => {} : io.out;
  const started = performance.now();
  out(`mdlkit demo — ISO/IEC 18013-5 mDL, issuer to verifier\n`);
  const aws = await openDemoAws(mode, stringOption(values, 'region'));
  out(`AWS: ${aws.where} (real @aws-sdk/client-kms and @aws-sdk/client-acm-pca clients)\n`);
  let result: Awaited<ReturnType<typeof runDemoStory>>;
  try {
    result = await runDemoStory({
      aws,
      outDir,
      batchSize,
      ...(caArn === undefined ? {} : { caArn }),
      ...(kmsKeyId === undefined ? {} : { kmsKeyId }),
      ...(vectorsDir === undefined ? {} : { vectorsDir }),
      ...(findRepoRoot(io.cwd) === undefined ? {} : { repoRoot: findRepoRoot(io.cwd)! }),
      out,
      tty: io.tty && !json,
      invokedAs: invocation(io),
    });
  } finally {
    await aws.close();
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (json) {
    io.out(`${readFileSync(path.join(outDir, 'report.json'), 'utf8')}\n`);
  } else {
    const calls = Object.entries(result.awsCalls)
      .sort(([, a], [, b]) => b - a)
      .map(([op, n]) => `${op.replace(/^.*:/, '')} ×${n}`)
      .join(', ');
    out(`\nAWS calls: ${calls || 'none'}\n`);
    out(`Artifacts in ${outDir}: ${result.artifacts.join(', ')}\n`);
    const passed = result.steps.filter((s) => s.status === 'passed').length;
    out(
      `\n${result.ok ? 'PASS' : 'FAIL'}  ${passed}/${result.steps.length} steps passed in ${seconds} s` +
        `${result.ok ? '' : ` — failed: ${result.steps.find((s) => s.status === 'failed')?.id ?? '?'}`}\n`,
    );
    if (result.ok) {
      const relative = path.relative(io.cwd, outDir);
      const rel = relative === '' ? '.' : relative.startsWith('..') ? outDir : relative;
      out(
        `\nVerify the artifacts yourself:\n  ${invocation(io)} verify --device-response ${rel}/device-response.cbor ` +
          `--session-transcript ${rel}/session-transcript.cbor --trust ${rel}/iaca.pem --status-list ${rel}/status-list.cwt\n`,
      );
    }
  }
  return result.ok ? ExitCode.OK : ExitCode.FAILED;
}
