import path from 'node:path';
import { createLocalSigner } from '@mdlkit/core/crypto';
import { buildCrl, checkCrl, derToPem, parseCertificate, type RevokedEntry } from '@mdlkit/pki';
import { ExitCode, UsageError } from '../cli-error.js';
import { type CliIo, type CommandValues, listOption, stringOption } from '../command.js';
import { readDerFile } from '../input.js';
import { parseInstant, toJson } from '../util/format.js';
import { assertKeyMatchesCertificate } from '../util/key-pair.js';
import { algForKey, readCertificateFile, readPrivateKeyFile } from '../util/keys.js';
import { checkWritable, forceOption, writeOutputFile } from '../util/output-file.js';

const DAY_MS = 86_400_000;

function firstCertificate(file: string): Uint8Array {
  const [der] = readCertificateFile(file);
  try {
    parseCertificate(der!);
  } catch {
    throw new UsageError(`${file}: not a DER X.509 certificate`);
  }
  return der!;
}

function readCrlFile(file: string): Uint8Array {
  return readDerFile(file, 'X509 CRL', '--crl');
}

/** A serial number given as hex (optionally `0x`, colons allowed) or as a certificate file. */
function serialOf(value: string, cwd: string): Uint8Array {
  const hex = value.replace(/^0x/i, '').replace(/:/g, '');
  if (/^[0-9a-fA-F]+$/.test(hex)) {
    const even = hex.length % 2 === 1 ? `0${hex}` : hex;
    return Uint8Array.from(Buffer.from(even, 'hex'));
  }
  return parseCertificate(firstCertificate(path.resolve(cwd, value))).serialNumber;
}

/** `mdlkit crl`: check a certificate against an IACA CRL, or create one. */
/** Runs `mdlkit crl` (loaded on demand, so `--help` stays fast). */
export async function run(values: CommandValues, positionals: string[], io: CliIo): Promise<ExitCode> {
  const [action, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  const file = (name: string): string => path.resolve(io.cwd, stringOption(values, name, true));
  if (action === 'check') {
    const now =
      values['now'] === undefined ? new Date() : parseInstant(stringOption(values, 'now', true), 'now');
    const result = await checkCrl({
      certificate: firstCertificate(file('cert')),
      crl: readCrlFile(file('crl')),
      issuer: firstCertificate(file('issuer')),
      now,
    });
    if (values['json'] === true) io.out(toJson(result));
    else if (result.status === 'good') {
      io.out(`good: not revoked (CRL valid until ${result.nextUpdate.toISOString()})\n`);
    } else if (result.status === 'revoked') {
      io.out(`revoked: ${result.code}, revocation date ${result.revocationDate.toISOString()}\n`);
    } else {
      io.out(`undetermined: ${result.code}: ${result.reason}\n`);
    }
    return result.status === 'good' ? ExitCode.OK : ExitCode.FAILED;
  }
  if (action === 'create') {
    const issuer = firstCertificate(file('issuer'));
    const key = readPrivateKeyFile(file('issuer-key'));
    assertKeyMatchesCertificate(key, issuer, {
      keyOption: '--issuer-key',
      keyFile: file('issuer-key'),
      certOption: '--issuer',
      certFile: file('issuer'),
    });
    const out = file('out');
    checkWritable(out, { force: forceOption(values), option: '--out' });
    const thisUpdate =
      values['this-update'] === undefined
        ? new Date(Math.floor(Date.now() / 1000) * 1000)
        : parseInstant(stringOption(values, 'this-update', true), 'this-update');
    const days = Number(stringOption(values, 'days') ?? '7');
    if (!Number.isInteger(days) || days < 1) throw new UsageError('--days must be a positive integer');
    const nextUpdate =
      values['next-update'] === undefined
        ? new Date(thisUpdate.getTime() + days * DAY_MS)
        : parseInstant(stringOption(values, 'next-update', true), 'next-update');
    const crlNumber = Number(stringOption(values, 'crl-number') ?? '1');
    if (!Number.isSafeInteger(crlNumber) || crlNumber < 0)
      throw new UsageError('--crl-number must be a non-negative integer');
    const revoked: RevokedEntry[] = listOption(values, 'revoke').map((v) => ({
      serialNumber: serialOf(v, io.cwd),
      revocationDate: thisUpdate,
    }));
    const der = await buildCrl({
      issuer: { certificate: issuer, signer: createLocalSigner({ privateKey: key, alg: algForKey(key) }) },
      thisUpdate,
      nextUpdate,
      crlNumber,
      revoked,
    });
    writeOutputFile(out, values['pem'] === true ? derToPem(der, 'X509 CRL') : der, {
      force: forceOption(values),
      option: '--out',
    });
    const summary = {
      file: out,
      revoked: revoked.map((r) => Buffer.from(r.serialNumber).toString('hex')),
      crlNumber,
      thisUpdate: thisUpdate.toISOString(),
      nextUpdate: nextUpdate.toISOString(),
    };
    if (values['json'] === true) io.out(toJson(summary));
    else {
      io.out(
        `wrote ${out}: CRL #${crlNumber}, ${revoked.length} revoked, valid ${summary.thisUpdate} .. ${summary.nextUpdate}\n`,
      );
    }
    return ExitCode.OK;
  }
  throw new UsageError(
    action === undefined ? 'give an action: check or create' : `unknown action '${action}'`,
  );
}
