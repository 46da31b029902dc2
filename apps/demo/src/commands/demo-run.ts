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
  const endpoint = stringOption(values, 'aws-endpoint');
  let region = stringOption(values, 'region');
  if (mode === 'real') {
    if (caArn !== undefined) {
      throw new UsageError(
        '--aws real does not issue from an existing CA (--ca-arn): it creates, revokes and deletes a test CA of its own, so a production IACA never issues demo certificates',
      );
    }
    if (kmsKeyId === undefined) {
      throw new UsageError(
        '--aws real needs --kms-key-id (an ECC_NIST_P256 SIGN_VERIFY key ARN; see --help)',
      );
    }
    if (values['confirm-real-aws'] !== true) {
      throw new UsageError(
        '--aws real creates billable AWS resources (a private CA while the demo runs, two certificates, KMS requests; see --help for the cost): add --confirm-real-aws to go ahead',
      );
    }
    const arnRegion = /^arn:[^:]+:kms:([a-z0-9-]+):/.exec(kmsKeyId)?.[1];
    if (arnRegion !== undefined && region !== undefined && region !== arnRegion) {
      throw new UsageError(`--region is ${region} but the key ARN in --kms-key-id is in ${arnRegion}`);
    }
    region ??= arnRegion;
  } else if (caArn !== undefined || kmsKeyId !== undefined || endpoint !== undefined) {
    throw new UsageError('--ca-arn, --kms-key-id and --aws-endpoint belong to --aws real');
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
  const aws = await openDemoAws(mode, region, endpoint);
  out(`AWS: ${aws.where} (real @aws-sdk/client-kms and @aws-sdk/client-acm-pca clients)\n`);
  if (mode === 'real') {
    out(
      `Cost: a general-purpose private CA billed pro rata at USD 400/month while it exists (about USD 0.55/hour;\n` +
        `  deleted at the end of this run), 2 certificates at about USD 0.75 each, ${batchSize + 3} KMS Sign requests\n` +
        `  (USD 0.03 per 10,000) — AWS list prices at the time of writing; see mdlkit demo --help\n`,
    );
  }
  let result: Awaited<ReturnType<typeof runDemoStory>>;
  try {
    result = await runDemoStory({
      aws,
      outDir,
      batchSize,
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
  if (result.ok) await writeDemoExtras(outDir, io);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (json) {
    io.out(`${readFileSync(path.join(outDir, 'report.json'), 'utf8')}\n`);
  } else {
    const calls = Object.entries(result.awsCalls)
      .sort(([, a], [, b]) => b - a)
      .map(([op, n]) => `${op.replace(/^.*:/, '')} ×${n}`)
      .join(', ');
    out(`\nAWS calls: ${calls || 'none'}\n`);
    const extras = ['report.html', 'README.md'].filter((name) => existsSync(path.join(outDir, name)));
    out(`Artifacts in ${outDir}: ${[...result.artifacts, ...extras].join(', ')}\n`);
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

/** What each file of the demo's output folder is, for its README. */
const FOLDER_README: readonly [string, string][] = [
  [
    'iaca.pem',
    'the IACA root certificate (ACM-PCA, Annex B Table B.1) — the trust anchor for verify --trust',
  ],
  ['status-list-signer.pem', 'the certificate that signs the Token Status List'],
  ['reader-root.pem', 'the reader root CA certificate'],
  ['reader.pem', 'the reader authentication certificate (EKU 1.0.18013.5.1.6)'],
  ['device-request.cbor', 'the DeviceRequest the reader sent (with ReaderAuth)'],
  ['session-transcript.cbor', 'SessionTranscriptBytes of the session (QR engagement)'],
  ['device-response.cbor', 'the DeviceResponse the holder answered with (decrypted)'],
  ['status-list.cwt', 'the Token Status List (CWT) the MSOs point to'],
  ['report.json', 'every step of the demo with its checks (mdlkit demo --json prints it)'],
  ['report.html', 'the verification of device-response.cbor as a page: verdict, checks, elements, chain'],
];

/** report.html (the verify --html page of the demo's response) and a README.md of the folder. */
async function writeDemoExtras(outDir: string, io: CliIo): Promise<void> {
  const f = (name: string): string => path.join(outDir, name);
  const { main } = await import('../main.js');
  const quiet = { ...io, out: () => {}, err: () => {} };
  await main(
    [
      'verify',
      '--device-response',
      f('device-response.cbor'),
      '--session-transcript',
      f('session-transcript.cbor'),
      '--trust',
      f('iaca.pem'),
      '--status-list',
      f('status-list.cwt'),
      '--html',
      f('report.html'),
      // The story's clock is whole seconds (MSO tdates carry no fraction); tolerate a verifying
      // clock a few seconds off it, as a reader at a gate would.
      '--clock-skew',
      '5',
      '--force',
      '--json',
    ],
    quiet,
  );
  const run = invocation(io);
  const rows = FOLDER_README.filter(([name]) => existsSync(f(name)))
    .map(([name, what]) => `| \`${name}\` | ${what} |`)
    .join('\n');
  const readme = `# mdlkit demo output

Written by \`${run} demo\`. Every file is an artifact of the end-to-end story (issue → engage →
request → respond → verify); run the demo again and it rewrites this folder.

| file | what it is |
| --- | --- |
${rows}

Look inside any of them: \`${run} inspect device-response.cbor\` (or \`--json\`).
Verify the response yourself:

    ${run} verify --device-response device-response.cbor --session-transcript session-transcript.cbor \\
      --trust iaca.pem --status-list status-list.cwt

Open \`report.html\` in a browser for the same verification as a page.
`;
  writeFileSync(f('README.md'), readme);
}
