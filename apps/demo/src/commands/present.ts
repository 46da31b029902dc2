import type { ExitCode } from '../cli-error.js';
import type { Command } from '../command.js';

const HELP = `Usage: mdlkit present --issuer-signed FILE --device-key FILE --request FILE --session-transcript FILE
                     [--mac [--e-reader-key FILE]] [--reader-trust PEM]... [--require-reader-auth]
                     [--consent all|none] [--withhold [NS/]ID]... [--now ISO] [--out FILE] [--json]

Answers a DeviceRequest as the holder's wallet does (ISO/IEC 18013-5 §8.3.2.1.2.2, §9.1.3): releases
only the requested elements the document holds (age_over_NN by the §7.2.5 rules), re-sends the
IssuerSignedItemBytes and IssuerAuth exactly as issued, and authenticates with the device key over
DeviceAuthenticationBytes built from the session transcript:

  DeviceResponse = { "version" : tstr, ? "documents" : [+ Document], ? "documentErrors" : [+ DocumentError], "status" : uint }
  DeviceAuth = { "deviceSignature" : DeviceSignature // "deviceMac" : DeviceMac }

Prints what was disclosed, the reader's IntentToRetain flags, what was requested but not held,
and the reader-authentication outcome. Writes the DeviceResponse (plaintext, as put into SessionData).

Inputs (binary CBOR, hex or base64 / base64url text — auto-detected):
  --issuer-signed FILE      IssuerSigned as written by mdlkit issue
  --device-key FILE         the holder's device private key (PEM, JWK or hex scalar); it must be
                            the key the MSO names
  --request FILE            the DeviceRequest (mdlkit request writes one)
  --session-transcript FILE SessionTranscriptBytes (tag 24) or the bare SessionTranscript array
  --e-reader-key FILE       with --mac: the reader's ephemeral public key (PEM SPKI, JWK, COSE_Key);
                            default: EReaderKey from the session transcript
  --reader-trust PEM        reader root certificate(s): ReaderAuth is verified against them

Options:
  --mac                     authenticate with DeviceMac (ECDH with EReaderKey, HMAC-SHA-256) instead
                            of a DeviceSignature (the default)
  --require-reader-auth     refuse (exit 1) unless every DocRequest's ReaderAuth verifies
  --consent C               all (default): release everything requested and held; none: decline
                            every document (answered with DocumentErrors)
  --withhold [NS/]ID        do not release this element even if requested (repeatable; the
                            namespace defaults to org.iso.18013.5.1)
  --now T                   time for the reader certificate check (default: now)
  --out FILE                where to write the DeviceResponse (default device-response.cbor)
  --force                   overwrite an existing --out file (otherwise mdlkit refuses)
  --json                    {"file","deviceAuth","disclosed":[{"docType","elements":[{"nameSpace",
                            "identifier","intentToRetain"}]}],"unavailable":[{"nameSpace",
                            "identifier"}],"withheld":[…],"documentErrors":[docType],
                            "readerAuth":[{"docRequest","status","readerName"?,"code"?}]}

Exit codes: 0 response written, 1 reader authentication required and not verified, 2 usage error
or unreadable / malformed input (including a device key that is not the MSO's).`;

export const presentCommand: Command = {
  name: 'present',
  summary: 'answer a DeviceRequest with selective disclosure and device authentication',
  help: HELP,
  options: {
    'issuer-signed': { type: 'string' },
    'device-key': { type: 'string' },
    request: { type: 'string' },
    'session-transcript': { type: 'string' },
    mac: { type: 'boolean' },
    'e-reader-key': { type: 'string' },
    'reader-trust': { type: 'string', multiple: true },
    'require-reader-auth': { type: 'boolean' },
    consent: { type: 'string' },
    withhold: { type: 'string', multiple: true },
    now: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
  },
  async run(values, positionals, io): Promise<ExitCode> {
    const impl = await import('./present-run.js');
    return impl.run(values, positionals, io);
  },
};
