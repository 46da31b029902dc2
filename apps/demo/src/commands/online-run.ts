import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ExitCode, InputError, UsageError } from '../cli-error.js';
import { type CliIo, type CommandValues, choiceOption, listOption, stringOption } from '../command.js';
import { parseElementRef } from '../util/elements.js';
import { parseInstant, toJson } from '../util/format.js';
import { algForKey, readCertificateFile, readCertificates, readPrivateKeyFile } from '../util/keys.js';
import { forceOption, writeOutputFile } from '../util/output-file.js';

/** Runs `mdlkit online request|verify`. */
export async function run(values: CommandValues, positionals: string[], io: CliIo): Promise<ExitCode> {
  const action = positionals[0];
  if (positionals.length !== 1 || (action !== 'request' && action !== 'verify')) {
    throw new UsageError('mdlkit online takes "request" or "verify" (see --help)');
  }
  return action === 'request' ? request(values, io) : verify(values, io);
}

async function request(values: CommandValues, io: CliIo): Promise<ExitCode> {
  const protocol = choiceOption(values, 'protocol', ['oid4vp', 'annex-c'] as const, 'oid4vp');
  const statePath = path.resolve(io.cwd, stringOption(values, 'state', true));
  const outPath = path.resolve(io.cwd, stringOption(values, 'out', true));
  const elements = listOption(values, 'element').map((e) => parseElementRef(e, 'element'));
  if (elements.length === 0) throw new UsageError('give at least one --element');
  const retain = new Set(
    listOption(values, 'retain').map((e) => {
      const r = parseElementRef(e, 'retain');
      return `${r.nameSpace}/${r.identifier}`;
    }),
  );
  const byNs: Record<string, Record<string, boolean>> = {};
  for (const e of elements) {
    byNs[e.nameSpace] ??= {};
    byNs[e.nameSpace]![e.identifier] = retain.has(`${e.nameSpace}/${e.identifier}`);
  }
  const intent = { docType: stringOption(values, 'doctype') ?? 'org.iso.18013.5.1.mDL', elements: byNs };
  const keyFile = stringOption(values, 'reader-key');
  const certFile = stringOption(values, 'reader-cert');
  if ((keyFile === undefined) !== (certFile === undefined))
    throw new UsageError('--reader-key and --reader-cert go together');
  const { createLocalSigner } = await import('@mdlkit/core/crypto');
  const signer =
    keyFile === undefined
      ? undefined
      : (() => {
          const key = readPrivateKeyFile(path.resolve(io.cwd, keyFile));
          return {
            signer: createLocalSigner({ privateKey: key, alg: algForKey(key) }),
            certificateChain: readCertificateFile(path.resolve(io.cwd, certFile!)),
          };
        })();
  const origin = stringOption(values, 'origin');
  const force = forceOption(values);
  let out: unknown;
  let state: unknown;
  try {
    if (protocol === 'annex-c') {
      if (origin === undefined) throw new UsageError('annex-c needs --origin');
      const { createAnnexCRequest } = await import('@mdlkit/reader/annex-c');
      const created = await createAnnexCRequest({
        intent,
        origin,
        ...(signer === undefined ? {} : { readerAuth: signer }),
      });
      out = created.dcApi;
      state = created.state;
    } else {
      const mode = choiceOption(
        values,
        'response-mode',
        ['dc_api.jwt', 'dc_api', 'direct_post', 'direct_post.jwt'] as const,
        'dc_api.jwt',
      );
      const prefix = choiceOption(
        values,
        'client-id-prefix',
        ['x509_hash', 'x509_san_dns'] as const,
        'x509_hash',
      );
      const responseUri = stringOption(values, 'response-uri');
      const { createOpenId4VpRequest } = await import('@mdlkit/reader/oid4vp');
      const created = await createOpenId4VpRequest({
        intent,
        responseMode: mode,
        ...(origin === undefined ? {} : { origin }),
        ...(responseUri === undefined ? {} : { responseUri }),
        ...(signer === undefined ? {} : { signing: { ...signer, clientIdPrefix: prefix } }),
      });
      out = created.dcApi ?? created.authorizationRequest;
      state = created.state;
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_ONLINE_REQUEST_INVALID') throw new UsageError((error as Error).message);
    throw error;
  }
  writeOutputFile(statePath, `${JSON.stringify(state, null, 2)}\n`, {
    force,
    option: '--state',
    mode: 0o600,
  });
  writeOutputFile(outPath, `${JSON.stringify(out, null, 2)}\n`, { force, option: '--out' });
  io.out(`request written to ${outPath}; state (with its secret) to ${statePath}\n`);
  return ExitCode.OK;
}

async function verify(values: CommandValues, io: CliIo): Promise<ExitCode> {
  const statePath = path.resolve(io.cwd, stringOption(values, 'state', true));
  const responsePath = path.resolve(io.cwd, stringOption(values, 'response', true));
  const trustPaths = listOption(values, 'trust').map((t) => path.resolve(io.cwd, t));
  if (trustPaths.length === 0) throw new UsageError('give at least one --trust');
  const readJson = (file: string, option: string): unknown => {
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      throw new InputError('is not a JSON file', { option, file, looksLike: 'not JSON' });
    }
  };
  const { parseOnlineState, verifyOpenId4VpResponse } = await import('@mdlkit/reader/oid4vp');
  const { verifyAnnexCResponse } = await import('@mdlkit/reader/annex-c');
  const { TrustStore, parseCertificate } = await import('@mdlkit/pki');
  const { loadReaderTrust } = await import('../util/reader-trust.js');
  let state: ReturnType<typeof parseOnlineState>;
  try {
    state = parseOnlineState(readJson(statePath, '--state'));
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_ONLINE_STATE_INVALID') {
      throw new InputError('is not an mdlkit online state', { option: '--state', file: statePath });
    }
    throw error;
  }
  const response = readJson(responsePath, '--response') as Record<string, unknown>;
  // Only IACA-profile certificates are anchors; a FILE may pin an end-entity (DS) certificate.
  const trust = new TrustStore();
  for (const line of loadReaderTrust(readCertificates(trustPaths), trust, parseCertificate, true)) {
    io.err(`warning: ${line}\n`);
  }
  const origin = stringOption(values, 'origin');
  const nowText = stringOption(values, 'now');
  const options = {
    trust,
    ...(origin === undefined ? {} : { origin }),
    ...(nowText === undefined ? {} : { now: parseInstant(nowText, 'now') }),
  };
  const report =
    state.protocol === 'openid4vp'
      ? await verifyOpenId4VpResponse(response, state, options)
      : await verifyAnnexCResponse(response, state, options);
  if (values['json'] === true) io.out(`${toJson(report)}\n`);
  else {
    io.out(
      `${report.protocol === 'openid4vp' ? 'OpenID4VP 1.0' : 'ISO 18013-7 Annex C'} response: ${report.verified ? 'VERIFIED' : 'NOT VERIFIED'}\n`,
    );
    for (const c of report.checks)
      io.out(`  ${c.status.padEnd(8)} ${c.id}${c.code === undefined ? '' : `  ${c.code}`}  ${c.message}\n`);
    for (const p of report.presentations) {
      for (const d of p.report.documents) {
        io.out(`  document ${d.docType}: ${d.verified ? 'verified' : 'NOT verified'}\n`);
        for (const c of d.checks.filter((x) => x.status === 'failed'))
          io.out(`    failed ${c.id} ${c.code ?? ''}\n`);
        for (const e of d.elements) io.out(`    ${e.verified ? '✓' : '✗'} ${e.nameSpace}/${e.identifier}\n`);
      }
    }
  }
  return report.verified ? ExitCode.OK : ExitCode.FAILED;
}
