import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  type AnyCoseSigner,
  createLocalSigner,
  exportPrivateKey,
  generateKeyPair,
  type HashAlgorithm,
  type PrivateKey,
  type PublicKey,
} from '@mdlkit/core/crypto';
import { MDL_DOCTYPE, MDL_NAMESPACE } from '@mdlkit/core/mdoc';
import { issueBatch, issueMdoc, type MsoStatusInput } from '@mdlkit/issuer';
import { derToPem, parseCertificate, TrustStore, validateCertificatePath } from '@mdlkit/pki';
import { ExitCode, UsageError } from '../cli-error.js';
import { type CliIo, type CommandValues, choiceOption, stringOption } from '../command.js';
import { readInputFile } from '../input.js';
import { parseInstant, progressBar, toJson } from '../util/format.js';
import { parseIssuerData } from '../util/issuer-data.js';
import { assertKeyMatchesCertificate } from '../util/key-pair.js';
import { algForKey, readCertificateFile, readPrivateKeyFile } from '../util/keys.js';
import { checkWritable, forceOption, writeOutputFile } from '../util/output-file.js';
import { openPkcs11SignerFor, pkcs11Selection } from '../util/pkcs11.js';
import { readPublicKeyFile } from '../util/public-key.js';

const DAY_MS = 86_400_000;

function certificate(file: string): Uint8Array {
  const [der] = readCertificateFile(file);
  try {
    parseCertificate(der!);
  } catch {
    throw new UsageError(`${file}: not a DER X.509 certificate`);
  }
  return der!;
}

function positiveInt(values: CommandValues, name: string, min: number): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`--${name} must be an integer ≥ ${min}`);
  }
  return n;
}

/** Writes a private key as PKCS#8 PEM, readable by its owner only. */
function writePrivateKey(file: string, pkcs8: Uint8Array, force: boolean, option?: string): void {
  writeOutputFile(file, derToPem(pkcs8, 'PRIVATE KEY'), {
    force,
    mode: 0o600,
    ...(option === undefined ? {} : { option }),
  });
}

/** Runs `mdlkit issue` (loaded on demand, so `--help` stays fast). */
export async function run(values: CommandValues, _positionals: string[], io: CliIo): Promise<ExitCode> {
  const abs = (p: string): string => path.resolve(io.cwd, p);
  const json = values['json'] === true;
  const docType = stringOption(values, 'doctype') ?? MDL_DOCTYPE;
  const digestAlgorithm: HashAlgorithm = choiceOption(
    values,
    'digest-alg',
    ['SHA-256', 'SHA-384', 'SHA-512'] as const,
    'SHA-256',
  );
  const batch = positiveInt(values, 'batch', 1);
  const concurrency = positiveInt(values, 'concurrency', 1) ?? 8;
  const deviceKeyFile = stringOption(values, 'device-key');
  const newKeyFile = stringOption(values, 'new-device-key');
  if (batch === undefined) {
    if ((deviceKeyFile === undefined) === (newKeyFile === undefined)) {
      throw new UsageError('give exactly one of --device-key (public) or --new-device-key OUT');
    }
  } else {
    if (deviceKeyFile !== undefined || newKeyFile !== undefined) {
      throw new UsageError(
        '--batch generates a device key per document; drop --device-key / --new-device-key',
      );
    }
    if (values['out-dir'] === undefined) throw new UsageError('--batch needs --out-dir');
    if (batch > 100_000) throw new UsageError('--batch is limited to 100000 documents');
  }
  const statusIndex = positiveInt(values, 'status-list-index', 0);
  const statusUri = stringOption(values, 'status-uri');
  if ((statusIndex === undefined) !== (statusUri === undefined)) {
    throw new UsageError('--status-list-index and --status-uri go together');
  }
  const now =
    values['now'] === undefined ? new Date() : parseInstant(stringOption(values, 'now', true), 'now');

  // Read every input first, so an unreadable file fails before anything is signed.
  const iaca = certificate(abs(stringOption(values, 'iaca-cert', true)));
  const dsCert = certificate(abs(stringOption(values, 'ds-cert', true)));
  // The DS key: a local key file, or a key on a PKCS#11 token (--pkcs11-*), never both.
  const hsm = pkcs11Selection(values, io);
  if (hsm !== undefined && values['ds-key'] !== undefined) {
    throw new UsageError('give --ds-key or the --pkcs11-* options for the DS key, not both');
  }
  let dsKey: PrivateKey | undefined;
  if (hsm === undefined) {
    const dsKeyFile = abs(stringOption(values, 'ds-key', true));
    dsKey = readPrivateKeyFile(dsKeyFile);
    assertKeyMatchesCertificate(dsKey, dsCert, {
      keyOption: '--ds-key',
      keyFile: dsKeyFile,
      certOption: '--ds-cert',
      certFile: abs(stringOption(values, 'ds-cert', true)),
    });
  }
  const force = forceOption(values);
  const singleOut = abs(stringOption(values, 'out') ?? 'issuer-signed.cbor');
  if (batch === undefined) {
    checkWritable(singleOut, { force, option: '--out' });
    if (newKeyFile !== undefined) checkWritable(abs(newKeyFile), { force, option: '--new-device-key' });
  }
  const dataFile = abs(stringOption(values, 'data', true));
  const nameSpaces = parseIssuerData(new TextDecoder().decode(readInputFile(dataFile, '--data')), dataFile);
  const portraitFile = stringOption(values, 'portrait');
  if (portraitFile !== undefined) {
    const ns = nameSpaces.get(MDL_NAMESPACE) ?? new Map<string, unknown>();
    ns.set('portrait', readInputFile(abs(portraitFile), '--portrait'));
    nameSpaces.set(MDL_NAMESPACE, ns);
  }
  const deviceKey: PublicKey | undefined =
    deviceKeyFile === undefined ? undefined : readPublicKeyFile(abs(deviceKeyFile));
  const statusCertFile = stringOption(values, 'status-cert');
  const statusCert = statusCertFile === undefined ? undefined : certificate(abs(statusCertFile));

  // The DS must chain to the IACA (Annex B, lenient: profile deviations are not fatal here) and
  // the key must be the certificate's.
  const ds = parseCertificate(dsCert);
  const dsPath = await validateCertificatePath({
    chain: [dsCert],
    trustStore: new TrustStore([iaca]),
    now,
    profile: 'ds',
    policy: 'lenient',
  });
  if (!dsPath.valid) {
    const first = dsPath.findings.find((f) => f.severity === 'error');
    throw new UsageError(
      `the DS certificate is not valid under the IACA at ${now.toISOString()}` +
        (first === undefined ? '' : ` (${first.code}: ${first.message})`),
    );
  }

  const validFrom =
    values['valid-from'] === undefined
      ? now
      : parseInstant(stringOption(values, 'valid-from', true), 'valid-from');
  const validUntil =
    values['valid-until'] === undefined
      ? new Date(Math.min(validFrom.getTime() + 30 * DAY_MS, ds.notAfter.getTime()))
      : parseInstant(stringOption(values, 'valid-until', true), 'valid-until');
  const statusFor = (i: number): MsoStatusInput | undefined =>
    statusIndex === undefined || statusUri === undefined
      ? undefined
      : {
          statusList: {
            idx: statusIndex + i,
            uri: statusUri,
            ...(statusCert === undefined ? {} : { certificate: statusCert }),
          },
        };
  // The token key must be the DS certificate's key (checked by a test signature too) before any MSO.
  const opened = hsm === undefined ? undefined : await openPkcs11SignerFor(hsm, dsCert);
  const signer: AnyCoseSigner =
    opened?.signer ?? createLocalSigner({ privateKey: dsKey!, alg: algForKey(dsKey!) });
  try {
    return await issueWith(signer);
  } finally {
    await opened?.close();
  }

  async function issueWith(signer: AnyCoseSigner): Promise<ExitCode> {
    const common = {
      docType,
      nameSpaces,
      validity: { signed: now, validFrom, validUntil },
      signer,
      dsCertificate: dsCert,
      digestAlgorithm,
      now,
    };
    const elementIds = Object.fromEntries([...nameSpaces].map(([ns, items]) => [ns, [...items.keys()]]));

    if (batch !== undefined) {
      const outDir = abs(stringOption(values, 'out-dir', true));
      const width0 = String(batch - 1).length;
      for (let i = 0; i < batch; i++) {
        const name = String(i).padStart(width0, '0');
        checkWritable(path.join(outDir, `mdoc-${name}.cbor`), { force, option: '--out-dir' });
        checkWritable(path.join(outDir, `device-key-${name}.pem`), { force, option: '--out-dir' });
      }
      mkdirSync(outDir, { recursive: true });
      const keys = Array.from({ length: batch }, () => generateKeyPair({ curve: 'P-256' }));
      const statuses = keys.map((_, i) => statusFor(i));
      let shown = -1;
      const result = await issueBatch({
        ...common,
        deviceKeys: keys.map((k) => k.publicKey),
        ...(statusIndex === undefined ? {} : { statuses: statuses as MsoStatusInput[] }),
        concurrency,
        onProgress: (p) => {
          if (json) return;
          const quarter = Math.floor((p.completed * 4) / p.total);
          if (io.tty) io.err(`\r${progressBar(p.completed, p.total)}`);
          else if (quarter !== shown) {
            shown = quarter;
            io.err(`${progressBar(p.completed, p.total)}\n`);
          }
        },
      });
      if (io.tty && !json) io.err('\n');
      const failed = result.documents.find((d) => !d.ok);
      if (failed !== undefined && !failed.ok) throw failed.error;
      const width = String(batch - 1).length;
      const documents = result.documents.map((d, i) => {
        if (!d.ok) throw d.error;
        const name = String(i).padStart(width, '0');
        const file = path.join(outDir, `mdoc-${name}.cbor`);
        const keyFile = path.join(outDir, `device-key-${name}.pem`);
        writeOutputFile(file, d.mdoc.issuerSigned, { force, option: '--out-dir' });
        writePrivateKey(keyFile, exportPrivateKey(keys[i]!.privateKey, 'pkcs8'), force, '--out-dir');
        return {
          file,
          deviceKeyFile: keyFile,
          ...(statusIndex === undefined ? {} : { statusIndex: statusIndex + i }),
        };
      });
      if (json)
        io.out(toJson({ outDir, docType, nameSpaces: elementIds, documents, summary: result.summary }));
      else {
        io.out(
          `issued ${documents.length} ${docType} documents into ${outDir} ` +
            `(${result.summary.attempts} signatures, ${result.summary.throttled} throttled)\n`,
        );
      }
      return ExitCode.OK;
    }

    let holderKey = deviceKey;
    let newPrivate: Uint8Array | undefined;
    if (holderKey === undefined) {
      const pair = generateKeyPair({ curve: 'P-256' });
      holderKey = pair.publicKey;
      newPrivate = exportPrivateKey(pair.privateKey, 'pkcs8');
    }
    const status = statusFor(0);
    const issued = await issueMdoc({
      ...common,
      deviceKey: holderKey,
      ...(status === undefined ? {} : { status }),
    });
    const out = singleOut;
    writeOutputFile(out, issued.issuerSigned, { force, option: '--out' });
    const keyOut = newKeyFile === undefined ? undefined : abs(newKeyFile);
    if (keyOut !== undefined && newPrivate !== undefined)
      writePrivateKey(keyOut, newPrivate, force, '--new-device-key');
    const summary = {
      file: out,
      docType,
      ...(keyOut === undefined ? {} : { deviceKeyFile: keyOut }),
      nameSpaces: elementIds,
      digestAlgorithm,
      validity: { signed: now, validFrom, validUntil },
      issuerSignedBytes: issued.issuerSigned.length,
      ...(status === undefined ? {} : { status: { idx: statusIndex, uri: statusUri } }),
    };
    if (json) io.out(toJson(summary));
    else {
      const count = Object.values(elementIds).reduce((n, ids) => n + ids.length, 0);
      io.out(`issued ${docType}: ${count} elements, signed by ${ds.subject.text}\n`);
      for (const [ns, ids] of Object.entries(elementIds)) io.out(`  ${ns}: ${ids.join(', ')}\n`);
      io.out(
        `  MSO valid ${validFrom.toISOString()} .. ${validUntil.toISOString()}, digests ${digestAlgorithm}\n`,
      );
      if (status !== undefined) io.out(`  status list index ${statusIndex} at ${statusUri}\n`);
      io.out(`wrote ${out} (${issued.issuerSigned.length} bytes)\n`);
      if (keyOut !== undefined) io.out(`wrote ${keyOut} (device private key, PKCS#8 PEM — keep it secret)\n`);
    }
    return ExitCode.OK;
  }
}
