import path from 'node:path';
import { DEFAULT_VERIFICATION_POLICY, type Finding, type VerificationReport } from '@mdlkit/reader';
import { ExitCode, UsageError } from '../cli-error.js';
import { type CliIo, type CommandValues, choiceOption, listOption, stringOption } from '../command.js';
import { readBinaryFile } from '../input.js';
import { parseInstant, toJson } from '../util/format.js';
import { readCertificates } from '../util/keys.js';

/** `mdlkit verify`: verify a DeviceResponse and print the reader's report. */
/** Runs `mdlkit verify` (loaded on demand, so `--help` stays fast). */
export async function run(values: CommandValues, _positionals: string[], io: CliIo): Promise<ExitCode> {
  const abs = (p: string): string => path.resolve(io.cwd, p);
  // The same default as the library (DEFAULT_VERIFICATION_POLICY); `lenient` is the earlier name of `interop`.
  const policyChoice = choiceOption(
    values,
    'policy',
    ['interop', 'strict', 'lenient'] as const,
    DEFAULT_VERIFICATION_POLICY,
  );
  const policy = policyChoice === 'lenient' ? 'interop' : policyChoice;
  // Each decoding leniency: on/off overrides the policy's choice; absent follows the policy.
  const decoding = {
    ...decodingFlag(values, 'non-preferred', 'allowNonPreferred'),
    ...decodingFlag(values, 'indefinite-length', 'allowIndefinite'),
    ...decodingFlag(values, 'lenient-dates', 'lenientDates'),
  };
  const undetermined = choiceOption(
    values,
    'revocation-undetermined',
    ['accept', 'reject'] as const,
    'accept',
  );
  const ruleset = choiceOption(values, 'ruleset', ['iso', 'aamva'] as const, 'iso');
  const now =
    values['now'] === undefined ? new Date() : parseInstant(stringOption(values, 'now', true), 'now');
  const skewText = stringOption(values, 'clock-skew');
  const clockSkewSeconds = skewText === undefined ? 0 : Number(skewText);
  if (!Number.isFinite(clockSkewSeconds) || clockSkewSeconds < 0) {
    throw new UsageError('--clock-skew must be a non-negative number of seconds');
  }
  const responseFile = abs(stringOption(values, 'device-response', true));
  const transcriptFile = stringOption(values, 'session-transcript');
  const trustPaths = listOption(values, 'trust').map(abs);
  const vicalFile = stringOption(values, 'vical');
  const vicalTrust = listOption(values, 'vical-trust').map(abs);
  if (trustPaths.length === 0 && vicalFile === undefined) {
    throw new UsageError('give at least one --trust (IACA or pinned DS certificate) or a --vical');
  }
  if (vicalFile !== undefined && vicalTrust.length === 0) {
    throw new UsageError('--vical needs --vical-trust (the VICAL provider root)');
  }
  const keyFile = stringOption(values, 'e-reader-key');
  // Read every input before loading the verifier, so unreadable files fail fast with exit 2.
  const response = readBinaryFile(responseFile, '--device-response', ['DeviceResponse']);
  const transcript =
    transcriptFile === undefined
      ? null
      : readBinaryFile(abs(transcriptFile), '--session-transcript', [
          'SessionTranscript',
          'SessionTranscriptBytes',
        ]);
  const anchors = readCertificates(trustPaths);
  const statusFiles = listOption(values, 'status-list').map((f) => readBinaryFile(abs(f), '--status-list'));
  const crlFiles = listOption(values, 'crl').map(abs);
  // Without the reader's own transcript the holder is not authenticated: a cloned or replayed mDL
  // would pass. The library insists on an explicit `sessionTranscript: null`; so does the CLI.
  const skipDeviceAuth = values['skip-device-auth'] === true;
  if (transcriptFile === undefined && !skipDeviceAuth) {
    throw new UsageError(
      '--session-transcript is required: without it the holder is not authenticated and a cloned or ' +
        'replayed mDL would pass; give --skip-device-auth to check the issuer data only',
    );
  }
  if (transcriptFile !== undefined && skipDeviceAuth) {
    throw new UsageError('--skip-device-auth and --session-transcript exclude each other');
  }
  if (keyFile !== undefined && skipDeviceAuth) {
    throw new UsageError('--e-reader-key checks a DeviceMac, which --skip-device-auth skips');
  }

  const [{ TrustStore, parseCertificate, verifyVical }, { verifyDeviceResponse }, { parseStatusListToken }] =
    await Promise.all([import('@mdlkit/pki'), import('@mdlkit/reader'), import('@mdlkit/core/status')]);
  const { readCrl, readSessionKey } = await import('../util/verify-inputs.js');
  const { loadReaderTrust } = await import('../util/reader-trust.js');

  // Only IACA-profile certificates are anchors; a FILE may pin an end-entity (DS) certificate.
  const trust = new TrustStore();
  const skippedTrust = loadReaderTrust(anchors, trust, parseCertificate, vicalFile === undefined);
  for (const line of skippedTrust) io.err(`warning: ${line}\n`);
  if (vicalFile !== undefined) {
    const providers = new TrustStore();
    for (const { der } of readCertificates(vicalTrust)) providers.add(der);
    const vical = await verifyVical({
      vical: readBinaryFile(abs(vicalFile), '--vical', ['VICAL']),
      trustStore: providers,
      now,
      ruleset,
    });
    if (!vical.valid) {
      const why = vical.findings.filter((f) => f.severity === 'error').map((f) => `${f.code}: ${f.message}`);
      if (values['json'] === true)
        io.out(toJson({ verified: false, vical: { valid: false, findings: vical.findings } }));
      else
        io.out(
          `NOT VERIFIED: the VICAL is not valid, so no IACA from it is trusted\n  ${why.join('\n  ')}\n`,
        );
      return ExitCode.FAILED;
    }
    trust.addVical(vical.vical);
  }
  const statusLists = new Map<string, Uint8Array>();
  for (const bytes of statusFiles) {
    const token = await parseStatusListToken(bytes);
    statusLists.set(token.subject, bytes);
  }
  const crls = crlFiles.map(readCrl);
  const eReaderKey = keyFile === undefined ? undefined : readSessionKey(abs(keyFile), transcript);

  const report = await verifyDeviceResponse(response, {
    trust,
    sessionTranscript: transcript,
    now,
    clockSkewSeconds,
    policy,
    ruleset,
    ...(Object.keys(decoding).length === 0 ? {} : { decoding }),
    ...(eReaderKey === undefined ? {} : { eReaderKey }),
    ...(statusLists.size === 0 && crls.length === 0
      ? {}
      : {
          revocation: {
            ...(statusLists.size === 0 ? {} : { statusLists }),
            ...(crls.length === 0 ? {} : { crls }),
            undeterminedPolicy: undetermined,
          },
        }),
  });

  const htmlFile = stringOption(values, 'html');
  if (htmlFile !== undefined) {
    const { writeHtmlReport } = await import('../util/write-html-report.js');
    await writeHtmlReport({
      file: abs(htmlFile),
      force: values['force'] === true,
      report,
      response,
      anchors,
      now,
      policy,
      responseFile,
    });
  }
  if (values['json'] === true) {
    io.out(toJson(report));
  } else {
    const { reportLines } = await import('../demo/report-text.js');
    io.out(`${reportLines(report).join('\n')}\n`);
    const failed = report.documents.flatMap((d) =>
      d.checks.filter((c) => c.status === 'failed').map((c) => `${c.id} (${c.code ?? 'failed'})`),
    );
    for (const line of findingLines(report)) io.out(`${line}\n`);
    io.out(`\nverified at ${now.toISOString()} with the ${policy} policy (${ruleset} rules)\n`);
    if (!report.verified) {
      io.out(
        failed.length > 0
          ? `NOT VERIFIED — failed checks: ${failed.join(', ')}\n`
          : 'NOT VERIFIED — the response carries no verifiable document\n',
      );
    }
  }
  return report.verified ? ExitCode.OK : ExitCode.FAILED;
}

function decodingFlag(
  values: CommandValues,
  flag: string,
  key: 'allowNonPreferred' | 'allowIndefinite' | 'lenientDates',
): Partial<Record<typeof key, boolean>> {
  const v = choiceOption(values, flag, ['on', 'off', 'policy'] as const, 'policy');
  return v === 'policy' ? {} : { [key]: v === 'on' };
}

/** Every warning and note of the report (errors are named by the failed checks already). */
function findingLines(report: VerificationReport): string[] {
  const out: string[] = [];
  const line = (where: string, f: Finding) => `${f.severity}: ${where}${f.code}: ${f.message}`;
  for (const f of report.findings) if (f.severity !== 'error') out.push(line('', f));
  for (const [i, d] of report.documents.entries()) {
    for (const f of d.findings) if (f.severity !== 'error') out.push(line(`document ${i} `, f));
  }
  if (report.sessionTranscript !== undefined) out.push(`transcript: ${report.sessionTranscript.message}`);
  return out.length === 0 ? out : ['', ...out];
}
