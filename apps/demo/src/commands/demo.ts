import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ExitCode, UsageError } from '../cli-error.js';
import { type Command, choiceOption, stringOption } from '../command.js';
import { openDemoAws } from '../demo/aws.js';
import { runDemoStory } from '../demo/story.js';
import { findRepoRoot, resolveVectorsDir } from '../util/paths.js';

/** `mdlkit demo`: the end-to-end story on the embedded AWS emulator (or real AWS). */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'run the end-to-end story: AWS IACA + KMS DS, issue, present, verify, revoke, vectors',
  help: `Usage: mdlkit demo [--out DIR] [--aws emulator|real] [--batch N] [--json]
                  [--region R --ca-arn ARN --kms-key-id ID] [--vectors DIR]

Runs the whole mdlkit story and prints a readable report:
   1. IACA root created in AWS Private CA (ACM-PCA, PathLen0 + API passthrough), linted (Annex B)
   2. DS key in KMS, CSR signed by KMS, DS certificate issued by ACM-PCA (EKU 1.0.18013.5.1.2), linted
   3. an mDL with a portrait issued, MSO signed by KMS in DIGEST mode
   4. a batch of MSOs (fresh device keys, salts, digest IDs) with a progress bar; a status list
   5. reader root + reader-auth certificates
   6-8. QR engagement; DeviceRequest with reader auth over an encrypted session; the holder
        answers with only the requested elements and a device signature
   9. full verification (chain, IssuerAuth, digests, validity, device auth, status)
  10. one batch member revoked in the status list, shown failing (the others still verify)
  11. ISO Annex D vectors and the negative-case catalogue

Artifacts written to DIR (default ./mdlkit-demo-out): iaca.pem, ds.pem, reader-root.pem,
reader.pem, device-request.cbor, session-transcript.cbor (SessionTranscriptBytes, tag 24),
device-response.cbor (the plaintext DeviceResponse as sent), status-list.cwt, report.json.
Check them again with:
  mdlkit verify --device-response DIR/device-response.cbor --session-transcript DIR/session-transcript.cbor --trust DIR/iaca.pem --status-list DIR/status-list.cwt

Options:
  --out DIR        artifact folder (created if needed)
  --aws MODE       emulator (default): the real AWS SDK clients against the project's loopback
                   emulator, offline. real: AWS itself, standard credential chain (AWS_PROFILE,
                   environment, SSO, instance role); needs --ca-arn and --kms-key-id, creates
                   nothing billable. IAM: acm-pca:DescribeCertificateAuthority,
                   GetCertificateAuthorityCertificate, IssueCertificate, GetCertificate on the CA;
                   kms:GetPublicKey, kms:Sign on the key.
  --region R       AWS region (real mode; default from the credential chain)
  --ca-arn ARN     ACTIVE IACA in AWS Private CA (real mode)
  --kms-key-id ID  ECC_NIST_P256 SIGN_VERIFY key id, ARN or alias (real mode)
  --batch N        batch size (default 50, at most 10000)
  --vectors DIR    shared vectors folder (default MDLKIT_VECTORS, else ../shared/vectors)
  --json           print report.json instead of the readable report

Exit codes: 0 every step passed, 1 a step failed, 2 usage error.`,
  options: {
    out: { type: 'string' },
    aws: { type: 'string' },
    region: { type: 'string' },
    'ca-arn': { type: 'string' },
    'kms-key-id': { type: 'string' },
    batch: { type: 'string' },
    vectors: { type: 'string' },
  },
  async run(values, _positionals, io) {
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
      throw new UsageError(`${outDir} is not a folder`);
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
          `\nVerify the artifacts yourself:\n  mdlkit verify --device-response ${rel}/device-response.cbor ` +
            `--session-transcript ${rel}/session-transcript.cbor --trust ${rel}/iaca.pem --status-list ${rel}/status-list.cwt\n`,
        );
      }
    }
    return result.ok ? ExitCode.OK : ExitCode.FAILED;
  },
};
