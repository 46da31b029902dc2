import {
  CertificateProfileId,
  type LintFinding,
  type LintResult,
  lintCertificate,
  type ParsedCertificate,
  parseCertificate,
} from '@mdlkit/pki';
import { ExitCode, UsageError } from '../cli-error.js';
import { type CliIo, type CommandValues, choiceOption, stringOption } from '../command.js';
import { Mark, table, toJson } from '../util/format.js';
import { readCertificateFile, readCertificates } from '../util/keys.js';

const PROFILES = ['auto', ...Object.values(CertificateProfileId)] as const;

/** One linted certificate, as printed by `--json`. */
interface LintedCertificate {
  readonly file: string;
  readonly index: number;
  readonly subject: string;
  readonly profile: string | null;
  readonly ok: boolean;
  readonly findings: readonly LintFinding[];
}

function parse(der: Uint8Array, file: string): ParsedCertificate {
  try {
    return parseCertificate(der);
  } catch {
    throw new UsageError(`${file}: not a DER X.509 certificate`);
  }
}

/** `mdlkit lint-cert`: Annex B profile findings for certificates. */
/** Runs `mdlkit lint-cert` (loaded on demand, so `--help` stays fast). */
export async function run(values: CommandValues, positionals: string[], io: CliIo): Promise<ExitCode> {
  if (positionals.length === 0) throw new UsageError('give at least one certificate FILE');
  const profile = choiceOption(values, 'profile', PROFILES, 'auto');
  const ruleset = choiceOption(values, 'ruleset', ['iso', 'aamva'] as const, 'iso');
  const edition = choiceOption(values, 'edition', ['2021', 'ed2'] as const, '2021');
  const issuerFile = stringOption(values, 'issuer');
  let issuer: ParsedCertificate | undefined;
  if (issuerFile !== undefined) {
    const [first] = readCertificateFile(issuerFile);
    issuer = parse(first!, issuerFile);
  }
  const certs = readCertificates(positionals);
  const results: LintedCertificate[] = [];
  certs.forEach(({ file, der }, i) => {
    const cert = parse(der, file);
    const next = certs[i + 1];
    const chainIssuer =
      issuer ?? (next !== undefined && next.file === file ? parse(next.der, file) : undefined);
    const result: LintResult = lintCertificate(cert, {
      ...(profile === 'auto' ? {} : { profile }),
      ...(chainIssuer === undefined ? {} : { issuer: chainIssuer }),
      ruleset,
      edition,
    });
    const index = certs.slice(0, i).filter((c) => c.file === file).length;
    results.push({
      file,
      index,
      subject: cert.subject.text,
      profile: result.profile ?? null,
      ok: result.ok,
      findings: result.findings,
    });
  });
  const ok = results.every((r) => r.ok);
  if (values['json'] === true) {
    io.out(toJson({ ok, certificates: results }));
  } else {
    for (const r of results) {
      const errors = r.findings.filter((f) => f.severity === 'error').length;
      const warnings = r.findings.filter((f) => f.severity === 'warning').length;
      io.out(
        `${r.ok ? Mark.passed : Mark.failed}  ${r.file}${r.index > 0 ? `#${r.index}` : ''}  ` +
          `[${r.profile ?? 'unknown profile'}]  ${r.subject}\n` +
          `      ${errors} error(s), ${warnings} warning(s), ${r.findings.length - errors - warnings} note(s)\n`,
      );
      if (r.findings.length > 0) {
        io.out(
          table(
            r.findings.map((f) => [f.severity, f.rule, f.clause, f.message]),
            ['severity', 'rule', 'clause', 'message'],
            '      ',
          ),
        );
      }
      if (!r.ok && profile === 'auto' && r.profile === 'iaca') {
        io.out(
          '      (profile from the certificate: a self-signed CA reads as an IACA; for a reader root give --profile reader-root)\n',
        );
      }
      io.out('\n');
    }
    io.out(
      `${results.filter((r) => r.ok).length}/${results.length} certificate(s) pass ${edition} Annex B (${ruleset})\n`,
    );
  }
  return ok ? ExitCode.OK : ExitCode.FAILED;
}
