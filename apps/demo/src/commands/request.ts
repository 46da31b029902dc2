import type { ExitCode } from '../cli-error.js';
import type { Command } from '../command.js';

const HELP = `Usage: mdlkit request --element [NS/]ID... [--retain [NS/]ID]... [--doctype T]
                     [--reader-cert PEM --reader-key FILE]
                     [--session-transcript FILE | --new-session DIR [--qr]] [--out FILE] [--json]

Builds a DeviceRequest as a reader does (ISO/IEC 18013-5 §8.3.2.1.2.1), optionally with
ReaderAuth (§9.1.4: COSE_Sign1 over ReaderAuthenticationBytes, detached, x5chain = the reader
certificate):

  DeviceRequest = { "version" : tstr, "docRequests" : [+ DocRequest] }
  DocRequest = { "itemsRequest" : ItemsRequestBytes, ? "readerAuth" : ReaderAuth }
  ItemsRequest = { "docType" : DocType, "nameSpaces" : NameSpaces }

ReaderAuth covers the session transcript, so the request belongs to one session. Either give the
session's transcript, or let --new-session DIR simulate a QR engagement (§8.2.2.1): a fresh
DeviceEngagement and EReaderKey, written as DIR/session-transcript.cbor (SessionTranscriptBytes)
DIR/engagement.txt / .png / .svg (the holder's QR engagement: the mdoc: URI and its QR code) and
DIR/e-reader-key.pem (the reader's ephemeral private key — mdlkit verify --e-reader-key needs
it for DeviceMac). Chain: mdlkit issue → request → present → verify.

Options:
  --element [NS/]ID      an element to request (repeatable; namespace default org.iso.18013.5.1)
  --retain [NS/]ID       an element to request with IntentToRetain = true (repeatable)
  --doctype T            default org.iso.18013.5.1.mDL
  --reader-cert PEM      the reader authentication certificate (EKU 1.0.18013.5.1.6) ...
  --reader-key FILE      ... and its private key (PEM, JWK or hex scalar)
  --session-transcript F SessionTranscriptBytes of the session (binary, hex or base64)
  --new-session DIR      create a QR-engagement session instead (see above)
  --qr                   with --new-session: also print the engagement QR code in the terminal
  --out FILE             where to write the DeviceRequest (default device-request.cbor)
  --force                overwrite output files that already exist (otherwise mdlkit refuses)
  --json                 {"file","docType","elements":[{"nameSpace","identifier","intentToRetain"}],
                         "readerAuth","sessionTranscriptFile"?,"eReaderKeyFile"?,
                         "engagementFiles"?}

Exit codes: 0 written, 2 usage error or unreadable input.`;

export const requestCommand: Command = {
  name: 'request',
  summary: 'build a DeviceRequest (optionally reader-authenticated) for chosen elements',
  help: HELP,
  options: {
    element: { type: 'string', multiple: true },
    retain: { type: 'string', multiple: true },
    doctype: { type: 'string' },
    'reader-cert': { type: 'string' },
    'reader-key': { type: 'string' },
    'session-transcript': { type: 'string' },
    'new-session': { type: 'string' },
    out: { type: 'string' },
    qr: { type: 'boolean' },
    force: { type: 'boolean' },
  },
  async run(values, positionals, io): Promise<ExitCode> {
    const impl = await import('./request-run.js');
    return impl.run(values, positionals, io);
  },
};
