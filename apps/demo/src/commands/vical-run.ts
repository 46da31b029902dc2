import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createLocalSigner } from '@mdlkit/core/crypto';
import { buildVical, derToPem, parseCertificate, TrustStore, verifyVical } from '@mdlkit/pki';
import { ExitCode, InputError, UsageError } from '../cli-error.js';
import { type CliIo, type CommandValues, choiceOption, listOption, stringOption } from '../command.js';
import { readBinaryFile } from '../input.js';
import { Mark, parseInstant, table, toJson } from '../util/format.js';
import { assertKeyMatchesCertificate } from '../util/key-pair.js';
import { algForKey, readCertificates, readPrivateKeyFile } from '../util/keys.js';
import { checkWritable, forceOption, writeOutputFile } from '../util/output-file.js';

const MDL = 'org.iso.18013.5.1.mDL';

/** `mdlkit vical`: verify or create a Verified Issuer Certificate Authority List. */
/** Runs `mdlkit vical` (loaded on demand, so `--help` stays fast). */
export async function run(values: CommandValues, positionals: string[], io: CliIo): Promise<ExitCode> {
  const [action, ...rest] = positionals;
  const abs = (p: string): string => path.resolve(io.cwd, p);
  if (action === 'verify') {
    if (rest.length !== 1) throw new UsageError('give exactly one VICAL FILE');
    const trustPaths = listOption(values, 'trust').map(abs);
    if (trustPaths.length === 0) throw new UsageError('--trust is required (the VICAL provider root)');
    const trustStore = new TrustStore();
    for (const { der } of readCertificates(trustPaths)) trustStore.add(der);
    const now =
      values['now'] === undefined ? new Date() : parseInstant(stringOption(values, 'now', true), 'now');
    const result = await verifyVical({
      vical: readBinaryFile(abs(rest[0]!), 'argument', ['VICAL']),
      trustStore,
      now,
      policy: choiceOption(values, 'policy', ['strict', 'lenient'] as const, 'lenient'),
      ruleset: choiceOption(values, 'ruleset', ['iso', 'aamva'] as const, 'iso'),
    });
    const v = result.vical;
    const entries = v.certificateInfos.map((info) => {
      const cert = parseCertificate(info.certificate);
      return {
        subject: cert.subject.text,
        docTypes: info.docTypes,
        notBefore: cert.notBefore.toISOString(),
        notAfter: cert.notAfter.toISOString(),
        serial: cert.serialHex,
        der: info.certificate,
      };
    });
    const exportDir = stringOption(values, 'export-iacas');
    if (exportDir !== undefined) {
      const files = entries.map((_, i) =>
        path.join(abs(exportDir), `iaca-${String(i + 1).padStart(2, '0')}.pem`),
      );
      for (const f of files) checkWritable(f, { force: forceOption(values), option: '--export-iacas' });
      mkdirSync(abs(exportDir), { recursive: true });
      entries.forEach((e, i) => {
        writeOutputFile(files[i]!, derToPem(e.der), { force: forceOption(values), option: '--export-iacas' });
      });
    }
    if (values['json'] === true) {
      io.out(
        toJson({
          valid: result.valid,
          stale: result.stale,
          vical: {
            version: v.version,
            vicalProvider: v.vicalProvider,
            date: v.date,
            vicalIssueID: v.vicalIssueID,
            nextUpdate: v.nextUpdate,
            certificateInfos: entries.map(({ der: _der, ...rest }) => rest),
          },
          findings: result.findings,
        }),
      );
    } else {
      io.out(
        `VICAL from ${v.vicalProvider}, issued ${v.date.toISOString()}` +
          `${v.vicalIssueID === undefined ? '' : ` (#${v.vicalIssueID})`}` +
          `${v.nextUpdate === undefined ? '' : `, next update ${v.nextUpdate.toISOString()}`}\n\n`,
      );
      io.out(
        table(
          entries.map((e, i) => [String(i + 1), e.notAfter.slice(0, 10), e.docTypes.join(','), e.subject]),
          ['#', 'notAfter', 'docTypes', 'IACA subject'],
        ),
      );
      io.out('\n');
      for (const f of result.findings) {
        io.out(`${f.severity === 'error' ? Mark.failed : Mark.warning}  ${f.code}: ${f.message}\n`);
      }
      io.out(
        `${result.valid ? Mark.passed : Mark.failed}  VICAL ${result.valid ? 'is valid' : 'is NOT valid'} at ${now.toISOString()}` +
          `${result.stale ? ' (stale)' : ''}; ${entries.length} IACA(s)\n`,
      );
      if (exportDir !== undefined) io.out(`wrote ${entries.length} IACA PEM file(s) to ${abs(exportDir)}\n`);
    }
    return result.valid ? ExitCode.OK : ExitCode.FAILED;
  }
  if (action === 'create') {
    if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
    const signerCertFile = abs(stringOption(values, 'signer-cert', true));
    const chain = readCertificates([signerCertFile]).map((c) => c.der);
    const signerKeyFile = abs(stringOption(values, 'signer-key', true));
    const key = readPrivateKeyFile(signerKeyFile);
    assertKeyMatchesCertificate(key, chain[0]!, {
      keyOption: '--signer-key',
      keyFile: signerKeyFile,
      certOption: '--signer-cert',
      certFile: signerCertFile,
    });
    const iacas = readCertificates(listOption(values, 'iaca').map(abs));
    if (iacas.length === 0) throw new UsageError('--iaca is required (the IACAs to list)');
    const docTypes = listOption(values, 'doc-type');
    const date =
      values['date'] === undefined
        ? new Date(Math.floor(Date.now() / 1000) * 1000)
        : parseInstant(stringOption(values, 'date', true), 'date');
    const nextUpdate = stringOption(values, 'next-update');
    const issueId = stringOption(values, 'issue-id');
    if (issueId !== undefined && !/^\d+$/.test(issueId))
      throw new UsageError('--issue-id must be a non-negative integer');
    const out = abs(stringOption(values, 'out', true));
    const force = forceOption(values);
    checkWritable(out, { force, option: '--out' });
    const bytes = await buildVical({
      vicalProvider: stringOption(values, 'provider', true),
      date,
      ...(issueId === undefined ? {} : { vicalIssueID: Number(issueId) }),
      ...(nextUpdate === undefined ? {} : { nextUpdate: parseInstant(nextUpdate, 'next-update') }),
      entries: iacas.map((c) => ({ certificate: c.der, docTypes: docTypes.length > 0 ? docTypes : [MDL] })),
      signer: createLocalSigner({ privateKey: key, alg: algForKey(key) }),
      x5chain: chain,
    });
    // Refuse to write a VICAL that `mdlkit vical verify` would reject: check it the same way, against
    // --trust when given, else the chain's own root (a self-issued CA at its end), else the signer
    // certificate pinned (profile, EKU, validity and signature are still checked).
    const trustPaths = listOption(values, 'trust').map(abs);
    const anchors = new TrustStore();
    const top = chain.length > 1 ? parseCertificate(chain[chain.length - 1]!) : undefined;
    if (trustPaths.length > 0) for (const { der } of readCertificates(trustPaths)) anchors.add(der);
    else if (top?.selfIssued === true && top.basicConstraints?.ca === true) anchors.add(top.der);
    else anchors.addPinned(chain[0]!);
    const check = await verifyVical({ vical: bytes, trustStore: anchors, now: date });
    if (!check.valid) {
      const why = check.findings.filter((f) => f.severity === 'error').map((f) => `${f.code}: ${f.message}`);
      throw new InputError(
        `this signer certificate makes a VICAL that vical verify rejects: ${why.join('; ')}`,
        {
          option: '--signer-cert',
          file: signerCertFile,
          looksLike: 'invalid-vical-signer',
          code: check.findings.find((f) => f.severity === 'error')?.code ?? 'ERR_VICAL_UNTRUSTED',
        },
      );
    }
    writeOutputFile(out, bytes, { force, option: '--out' });
    if (values['json'] === true) io.out(toJson({ file: out, bytes: bytes.length, entries: iacas.length }));
    else io.out(`wrote ${out}: VICAL with ${iacas.length} IACA(s), ${bytes.length} bytes\n`);
    return ExitCode.OK;
  }
  throw new UsageError(
    action === undefined ? 'give an action: verify or create' : `unknown action '${action}'`,
  );
}
