import path from 'node:path';
import { bytesEqual, decodeCbor, EncodedCbor } from '@mdlkit/core/cbor';
import { createLocalSigner, exportPublicKey, type PublicKey } from '@mdlkit/core/crypto';
import { parseSessionTranscript } from '@mdlkit/core/session';
import {
  answerDeviceRequest,
  type DeviceKeyReference,
  type DisclosureDecision,
  MdocStore,
  parseDeviceRequest,
  parseIssuedMdoc,
} from '@mdlkit/holder';
import { TrustStore } from '@mdlkit/pki';
import { ExitCode, UsageError } from '../cli-error.js';
import { type CliIo, type CommandValues, choiceOption, listOption, stringOption } from '../command.js';
import { readBinaryFile } from '../input.js';
import { type ElementRef, parseElementRef } from '../util/elements.js';
import { parseInstant, table, toJson } from '../util/format.js';
import { algForKey, readCertificates, readPrivateKeyFile } from '../util/keys.js';
import { checkWritable, forceOption, writeOutputFile } from '../util/output-file.js';
import { readPublicKeyFile } from '../util/public-key.js';

/** Runs `mdlkit present` (loaded on demand, so `--help` stays fast). */
export async function run(values: CommandValues, _positionals: string[], io: CliIo): Promise<ExitCode> {
  const abs = (p: string): string => path.resolve(io.cwd, p);
  const json = values['json'] === true;
  const consent = choiceOption(values, 'consent', ['all', 'none'] as const, 'all');
  const mac = values['mac'] === true;
  const now =
    values['now'] === undefined ? new Date() : parseInstant(stringOption(values, 'now', true), 'now');
  const withheld: ElementRef[] = listOption(values, 'withhold').map((w) => parseElementRef(w, 'withhold'));
  const eReaderKeyFile = stringOption(values, 'e-reader-key');
  if (eReaderKeyFile !== undefined && !mac) throw new UsageError('--e-reader-key is only used with --mac');

  // Read every input first.
  const issuerSigned = readBinaryFile(abs(stringOption(values, 'issuer-signed', true)), '--issuer-signed', [
    'IssuerSigned',
  ]);
  const deviceKeyFile = abs(stringOption(values, 'device-key', true));
  const deviceKey = readPrivateKeyFile(deviceKeyFile);
  const requestBytes = readBinaryFile(abs(stringOption(values, 'request', true)), '--request', [
    'DeviceRequest',
  ]);
  const transcriptBytes = readBinaryFile(
    abs(stringOption(values, 'session-transcript', true)),
    '--session-transcript',
    ['SessionTranscript', 'SessionTranscriptBytes'],
  );
  const out = abs(stringOption(values, 'out') ?? 'device-response.cbor');
  checkWritable(out, { force: forceOption(values), option: '--out' });
  const readerRoots = readCertificates(listOption(values, 'reader-trust').map(abs));
  const explicitReaderKey: PublicKey | undefined =
    eReaderKeyFile === undefined ? undefined : readPublicKeyFile(abs(eReaderKeyFile));

  const decoded = decodeCbor(transcriptBytes);
  const transcript = parseSessionTranscript(decoded instanceof EncodedCbor ? decoded : transcriptBytes);
  const eReaderKey = explicitReaderKey ?? transcript.eReaderKeyBytes ?? undefined;
  if (mac && eReaderKey === undefined) {
    throw new UsageError('--mac needs the reader key: the transcript has no EReaderKey, give --e-reader-key');
  }

  const reference: DeviceKeyReference = mac
    ? { kind: 'mac', devicePrivateKey: deviceKey }
    : { kind: 'signature', signer: createLocalSigner({ privateKey: deviceKey, alg: algForKey(deviceKey) }) };
  const stored = parseIssuedMdoc({ id: 'cli', issuerSigned, deviceKeyReference: reference });
  if (!bytesEqual(exportPublicKey(stored.deviceKey, 'spki'), exportPublicKey(deviceKey.publicKey, 'spki'))) {
    throw new UsageError(`${deviceKeyFile}: not the device key named in the MSO`);
  }
  const store = new MdocStore();
  store.add({ id: 'cli', issuerSigned, deviceKeyReference: reference });

  const requireReaderAuth = values['require-reader-auth'] === true;
  if (requireReaderAuth && readerRoots.length === 0) {
    throw new UsageError('--require-reader-auth needs --reader-trust (the reader root certificates)');
  }
  let request: Awaited<ReturnType<typeof parseDeviceRequest>>;
  try {
    request = await parseDeviceRequest(requestBytes, {
      sessionTranscript: transcript.encoded,
      ...(readerRoots.length === 0 ? {} : { trustStore: new TrustStore(readerRoots.map((r) => r.der)) }),
      now,
      requireReaderAuth,
    });
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'ERR_READER_AUTH_INVALID') throw e;
    if (json) io.out(toJson({ presented: false, code: 'ERR_READER_AUTH_INVALID' }));
    else
      io.out(
        'NOT PRESENTED: reader authentication is required and did not verify (ERR_READER_AUTH_INVALID)\n',
      );
    return ExitCode.FAILED;
  }

  const withheldSeen: ElementRef[] = [];
  const answer = await answerDeviceRequest({
    request,
    documents: store.list(),
    sessionTranscript: transcript.encoded,
    ...(mac && eReaderKey !== undefined ? { eReaderKey } : {}),
    consent: (proposal): DisclosureDecision => {
      if (consent === 'none') return false;
      return proposal.elements.filter((el) => {
        const hold = withheld.some((w) => w.nameSpace === el.nameSpace && w.identifier === el.identifier);
        if (hold) withheldSeen.push({ nameSpace: el.nameSpace, identifier: el.identifier });
        return !hold;
      });
    },
  });
  // What was requested but is not in the document (for the report only).
  const unavailable: ElementRef[] = [];
  for (const doc of request.docRequests) {
    if (doc.docType !== stored.docType) continue;
    for (const [ns, ids] of doc.nameSpaces) {
      for (const id of ids.keys()) {
        if (!stored.items.get(ns)?.has(id) && !/^age_over_\d\d$/.test(id)) {
          unavailable.push({ nameSpace: ns, identifier: id });
        }
      }
    }
  }

  writeOutputFile(out, answer.bytes, { force: forceOption(values), option: '--out' });
  const readerAuth = request.docRequests.map((d) => ({
    docRequest: d.index,
    docType: d.docType,
    status: d.readerAuth.status,
    ...(d.readerAuth.status === 'verified' && d.readerAuth.readerName !== undefined
      ? { readerName: d.readerAuth.readerName }
      : {}),
    ...(d.readerAuth.status === 'failed' ? { code: d.readerAuth.code } : {}),
  }));
  const disclosed = answer.disclosed.map((d) => ({
    docType: d.docType,
    elements: d.elements.map((e) => ({
      nameSpace: e.nameSpace,
      identifier: e.identifier,
      intentToRetain: e.intentToRetain,
    })),
  }));
  if (json) {
    io.out(
      toJson({
        file: out,
        deviceAuth: mac ? 'mac' : 'signature',
        disclosed,
        unavailable,
        withheld: withheldSeen,
        documentErrors: answer.documentErrors,
        readerAuth,
      }),
    );
    return ExitCode.OK;
  }
  for (const r of readerAuth) {
    const who =
      r.status === 'verified' ? ` as "${r.readerName ?? '?'}"` : r.status === 'failed' ? ` (${r.code})` : '';
    io.out(`reader authentication for ${r.docType}: ${r.status}${who}\n`);
  }
  for (const d of disclosed) {
    io.out(`\nreleasing ${d.elements.length} element(s) of ${d.docType}:\n`);
    io.out(
      table(
        d.elements.map((e) => [e.nameSpace, e.identifier, e.intentToRetain ? 'yes' : 'no']),
        ['namespace', 'element', 'reader intends to retain'],
        '  ',
      ),
    );
  }
  for (const u of unavailable) io.out(`requested but not held: ${u.nameSpace}/${u.identifier}\n`);
  for (const w of withheldSeen) io.out(`withheld: ${w.nameSpace}/${w.identifier}\n`);
  for (const d of answer.documentErrors) io.out(`not presented: ${d} (DocumentError)\n`);
  io.out(
    `\nwrote ${out} (${answer.bytes.length} bytes, ${mac ? 'DeviceMac' : 'DeviceSignature'} over the session transcript)\n`,
  );
  return ExitCode.OK;
}
