import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { decodeCbor, EncodedCbor } from '@mdlkit/core/cbor';
import { publicKeyToCoseKey } from '@mdlkit/core/cose';
import { createLocalSigner, exportPrivateKey, generateKeyPair } from '@mdlkit/core/crypto';
import { deviceEngagementToUri, MDL_DOCTYPE } from '@mdlkit/core/mdoc';
import { buildSessionTranscript, parseSessionTranscript, type SessionTranscript } from '@mdlkit/core/session';
import { createQrEngagement } from '@mdlkit/holder';
import { derToPem, parseCertificate } from '@mdlkit/pki';
import { buildDeviceRequest } from '@mdlkit/reader';
import { ExitCode, UsageError } from '../cli-error.js';
import { type CliIo, type CommandValues, listOption, stringOption } from '../command.js';
import { readBinaryFile } from '../input.js';
import { warnUnknownElements } from '../util/element-names.js';
import { parseElementRef } from '../util/elements.js';
import { toJson } from '../util/format.js';
import { assertKeyMatchesCertificate } from '../util/key-pair.js';
import { algForKey, readCertificateFile, readPrivateKeyFile } from '../util/keys.js';
import { checkWritable, forceOption, writeOutputFile } from '../util/output-file.js';

/** Runs `mdlkit request` (loaded on demand, so `--help` stays fast). */
export async function run(values: CommandValues, _positionals: string[], io: CliIo): Promise<ExitCode> {
  const abs = (p: string): string => path.resolve(io.cwd, p);
  const json = values['json'] === true;
  const docType = stringOption(values, 'doctype') ?? MDL_DOCTYPE;
  const asked = [
    ...listOption(values, 'element').map((e) => ({
      ...parseElementRef(e, 'element'),
      intentToRetain: false,
    })),
    ...listOption(values, 'retain').map((e) => ({ ...parseElementRef(e, 'retain'), intentToRetain: true })),
  ];
  if (asked.length === 0) throw new UsageError('give at least one --element or --retain');
  if (docType === MDL_DOCTYPE) warnUnknownElements(asked, 'element', io);
  const force = forceOption(values);
  const out = abs(stringOption(values, 'out') ?? 'device-request.cbor');
  checkWritable(out, { force, option: '--out' });
  const certFile = stringOption(values, 'reader-cert');
  const keyFile = stringOption(values, 'reader-key');
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new UsageError('--reader-cert and --reader-key go together');
  }
  const transcriptFile = stringOption(values, 'session-transcript');
  const sessionDir = stringOption(values, 'new-session');
  if (transcriptFile !== undefined && sessionDir !== undefined) {
    throw new UsageError('give either --session-transcript or --new-session, not both');
  }
  if (certFile !== undefined && transcriptFile === undefined && sessionDir === undefined) {
    throw new UsageError(
      'reader authentication covers the session: give --session-transcript or --new-session',
    );
  }

  const readerCert = certFile === undefined ? undefined : readCertificateFile(abs(certFile))[0]!;
  if (readerCert !== undefined) {
    try {
      parseCertificate(readerCert);
    } catch {
      throw new UsageError(`${certFile}: not a DER X.509 certificate`);
    }
  }
  const readerKey = keyFile === undefined ? undefined : readPrivateKeyFile(abs(keyFile));
  if (readerKey !== undefined && readerCert !== undefined) {
    assertKeyMatchesCertificate(readerKey, readerCert, {
      keyOption: '--reader-key',
      keyFile: abs(keyFile!),
      certOption: '--reader-cert',
      certFile: abs(certFile!),
    });
  }

  let transcript: SessionTranscript | undefined;
  let written:
    | { sessionTranscriptFile: string; eReaderKeyFile: string; engagementFiles: string[] }
    | undefined;
  if (transcriptFile !== undefined) {
    const bytes = readBinaryFile(abs(transcriptFile), '--session-transcript', [
      'SessionTranscript',
      'SessionTranscriptBytes',
    ]);
    const decoded = decodeCbor(bytes);
    transcript = parseSessionTranscript(decoded instanceof EncodedCbor ? decoded : bytes);
  } else if (sessionDir !== undefined) {
    const dir = abs(sessionDir);
    checkWritable(path.join(dir, 'session-transcript.cbor'), { force, option: '--new-session' });
    checkWritable(path.join(dir, 'e-reader-key.pem'), { force, option: '--new-session' });
    for (const f of ['engagement.txt', 'engagement.png', 'engagement.svg']) {
      checkWritable(path.join(dir, f), { force, option: '--new-session' });
    }
    mkdirSync(dir, { recursive: true });
    const qr = createQrEngagement();
    const eReader = generateKeyPair({ curve: 'P-256' });
    transcript = buildSessionTranscript({
      deviceEngagementBytes: qr.deviceEngagementBytes,
      eReaderKeyBytes: EncodedCbor.fromValue(publicKeyToCoseKey(eReader.publicKey)),
      handover: { kind: 'qr' },
    });
    written = {
      sessionTranscriptFile: path.join(dir, 'session-transcript.cbor'),
      eReaderKeyFile: path.join(dir, 'e-reader-key.pem'),
      engagementFiles: ['engagement.txt', 'engagement.png', 'engagement.svg'].map((f) => path.join(dir, f)),
    };
    // The holder's QR engagement (§8.2.2.3): what a wallet would show for the reader to scan.
    const uri = deviceEngagementToUri(qr.deviceEngagementBytes);
    const { qrPng, qrSvg, qrTerminal } = await import('../util/qr.js');
    writeOutputFile(path.join(dir, 'engagement.txt'), `${uri}\n`, { force });
    writeOutputFile(path.join(dir, 'engagement.png'), await qrPng(uri), { force });
    writeOutputFile(path.join(dir, 'engagement.svg'), await qrSvg(uri), { force });
    if (values['qr'] === true && !json) io.out(`${await qrTerminal(uri)}${uri}\n`);
    writeOutputFile(written.sessionTranscriptFile, transcript.encoded.tagged(), { force });
    writeOutputFile(
      written.eReaderKeyFile,
      derToPem(exportPrivateKey(eReader.privateKey, 'pkcs8'), 'PRIVATE KEY'),
      { force, mode: 0o600 },
    );
  }

  const nameSpaces = new Map<string, Map<string, boolean>>();
  for (const a of asked) {
    let ns = nameSpaces.get(a.nameSpace);
    if (ns === undefined) {
      ns = new Map();
      nameSpaces.set(a.nameSpace, ns);
    }
    ns.set(a.identifier, (ns.get(a.identifier) ?? false) || a.intentToRetain);
  }
  const request = await buildDeviceRequest({
    docRequests: [{ docType, nameSpaces }],
    ...(readerCert !== undefined && readerKey !== undefined && transcript !== undefined
      ? {
          readerAuth: {
            signer: createLocalSigner({ privateKey: readerKey, alg: algForKey(readerKey) }),
            certificateChain: [readerCert],
            sessionTranscript: transcript.encoded,
          },
        }
      : {}),
  });
  writeOutputFile(out, request.bytes, { force, option: '--out' });
  const elements = [...nameSpaces].flatMap(([nameSpace, ids]) =>
    [...ids].map(([identifier, intentToRetain]) => ({ nameSpace, identifier, intentToRetain })),
  );
  if (json) {
    io.out(
      toJson({ file: out, docType, elements, readerAuth: readerCert !== undefined, ...(written ?? {}) }),
    );
  } else {
    io.out(
      `DeviceRequest for ${docType}: ${elements.map((e) => `${e.identifier}${e.intentToRetain ? ' (retain)' : ''}`).join(', ')}\n`,
    );
    io.out(
      readerCert === undefined ? 'no reader authentication\n' : 'signed with the reader key (ReaderAuth)\n',
    );
    if (written !== undefined) {
      io.out(`wrote ${written.sessionTranscriptFile} (SessionTranscriptBytes of a new QR session)\n`);
      io.out(`wrote ${written.eReaderKeyFile} (reader ephemeral private key)\n`);
      io.out(
        `wrote ${written.engagementFiles.join(', ')} (the holder's QR engagement: mdoc: URI, PNG, SVG)\n`,
      );
    }
    io.out(`wrote ${out} (${request.bytes.length} bytes)\n`);
  }
  return ExitCode.OK;
}
