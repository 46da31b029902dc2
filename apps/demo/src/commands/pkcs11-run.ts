import path from 'node:path';
import { createLocalSigner, randomBytes } from '@mdlkit/core/crypto';
import {
  createPkcs11DsCertificate,
  generatePkcs11Key,
  openPkcs11Token,
  type Pkcs11Curve,
  Pkcs11Module,
} from '@mdlkit/pkcs11';
import { derToPem, parseCertificate } from '@mdlkit/pki';
import { ExitCode, UsageError } from '../cli-error.js';
import { type CliIo, type CommandValues, choiceOption, stringOption } from '../command.js';
import { parseInstant, toJson } from '../util/format.js';
import { assertKeyMatchesCertificate } from '../util/key-pair.js';
import { algForKey, readCertificateFile, readPrivateKeyFile } from '../util/keys.js';
import { checkWritable, forceOption, writeOutputFile } from '../util/output-file.js';
import { openPkcs11SignerFor, pkcs11Selection } from '../util/pkcs11.js';

const DAY_MS = 86_400_000;

/** Runs `mdlkit pkcs11 tokens|keygen|ds-cert` (loaded on demand). */
export async function run(values: CommandValues, positionals: string[], io: CliIo): Promise<ExitCode> {
  const [action, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  const json = values['json'] === true;
  const abs = (p: string): string => path.resolve(io.cwd, p);
  const force = forceOption(values);

  if (action === 'tokens') {
    const modulePath = stringOption(values, 'pkcs11-module') ?? io.env['MDLKIT_PKCS11_MODULE'];
    if (modulePath === undefined) throw new UsageError('tokens needs --pkcs11-module');
    const module = Pkcs11Module.load({ path: modulePath });
    try {
      const tokens = module.listTokens().map((t) => ({ ...t, slot: t.slot.toString() }));
      if (json) io.out(toJson({ module: modulePath, tokens }));
      else {
        for (const t of tokens) io.out(`slot ${t.slot}: ${t.label} (${t.model}, serial ${t.serialNumber})\n`);
        if (tokens.length === 0) io.out('no slot holds a token\n');
      }
    } finally {
      await module.close();
    }
    return ExitCode.OK;
  }

  if (action === 'keygen') {
    const selection = pkcs11Selection(values, io);
    if (selection === undefined) throw new UsageError('keygen needs --pkcs11-module');
    if (selection.key.label === undefined)
      throw new UsageError('keygen names the new key by label: --pkcs11-key LABEL');
    const curve: Pkcs11Curve = choiceOption(
      values,
      'curve',
      ['P-256', 'P-384', 'P-521', 'Ed25519'] as const,
      'P-256',
    );
    const outText = stringOption(values, 'out');
    const out = outText === undefined ? undefined : abs(outText);
    if (out !== undefined) checkWritable(out, { force, option: '--out' });
    const token = await openPkcs11Token({
      module: selection.module,
      ...(selection.slot === undefined ? {} : { slot: selection.slot }),
      ...(selection.tokenLabel === undefined ? {} : { tokenLabel: selection.tokenLabel }),
      pin: selection.pin,
    });
    try {
      const key = await generatePkcs11Key({ token, curve, label: selection.key.label });
      if (out !== undefined)
        writeOutputFile(out, derToPem(key.publicKey, 'PUBLIC KEY'), { force, option: '--out' });
      if (json)
        io.out(toJson({ token: token.label, label: key.label, id: key.id, curve, publicKeyFile: out }));
      else {
        io.out(
          `generated ${curve} key ${key.label} (id ${key.id}) on token ${token.label}: sensitive, not extractable\n`,
        );
        if (out !== undefined) io.out(`wrote ${out} (public key)\n`);
      }
    } finally {
      await token.close();
    }
    return ExitCode.OK;
  }

  if (action === 'ds-cert') {
    const selection = pkcs11Selection(values, io);
    if (selection === undefined) throw new UsageError('ds-cert needs --pkcs11-module');
    const iacaFile = abs(stringOption(values, 'iaca-cert', true));
    const [iaca] = readCertificateFile(iacaFile);
    const iacaKeyFile = abs(stringOption(values, 'iaca-key', true));
    const iacaKey = readPrivateKeyFile(iacaKeyFile);
    assertKeyMatchesCertificate(iacaKey, iaca!, {
      keyOption: '--iaca-key',
      keyFile: iacaKeyFile,
      certOption: '--iaca-cert',
      certFile: iacaFile,
    });
    const out = abs(stringOption(values, 'out', true));
    checkWritable(out, { force, option: '--out' });
    const csrText = stringOption(values, 'csr-out');
    const csrOut = csrText === undefined ? undefined : abs(csrText);
    if (csrOut !== undefined) checkWritable(csrOut, { force, option: '--csr-out' });
    const now =
      values['now'] === undefined ? new Date() : parseInstant(stringOption(values, 'now', true), 'now');
    const daysText = stringOption(values, 'days') ?? '365';
    const days = Number(daysText);
    if (!/^\d+$/.test(daysText) || days < 1) throw new UsageError('--days must be an integer ≥ 1');
    const state = stringOption(values, 'state');
    const subject = {
      country: stringOption(values, 'country', true),
      ...(state === undefined ? {} : { stateOrProvince: state }),
      commonName: stringOption(values, 'common-name', true),
    };
    const opened = await openPkcs11SignerFor(selection);
    try {
      const { csr, certificate } = await createPkcs11DsCertificate({
        signer: opened.signer,
        subject,
        issuer: {
          certificate: iaca!,
          signer: createLocalSigner({ privateKey: iacaKey, alg: algForKey(iacaKey) }),
        },
        crlDistributionPoint: stringOption(values, 'crl-uri', true),
        notBefore: now,
        notAfter: new Date(
          Math.min(now.getTime() + days * DAY_MS, parseCertificate(iaca!).notAfter.getTime()),
        ),
        randomBytes,
      });
      writeOutputFile(out, derToPem(certificate), { force, option: '--out' });
      if (csrOut !== undefined)
        writeOutputFile(csrOut, derToPem(csr, 'CERTIFICATE REQUEST'), { force, option: '--csr-out' });
      const ds = parseCertificate(certificate);
      if (json) {
        io.out(
          toJson({
            file: out,
            csrFile: csrOut,
            subject: ds.subject.text,
            notBefore: ds.notBefore,
            notAfter: ds.notAfter,
            token: opened.token.label,
            key: opened.signer.keyLabel,
          }),
        );
      } else {
        io.out(
          `issued DS certificate ${ds.subject.text} for token key ${opened.signer.keyLabel} (CSR signed on the token)\n`,
        );
        io.out(`wrote ${out}\n`);
        if (csrOut !== undefined) io.out(`wrote ${csrOut}\n`);
      }
    } finally {
      await opened.close();
    }
    return ExitCode.OK;
  }

  throw new UsageError(
    action === undefined ? 'give an action: tokens, keygen or ds-cert' : `unknown action '${action}'`,
  );
}
