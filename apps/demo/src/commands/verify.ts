import type { ExitCode } from '../cli-error.js';
import type { Command } from '../command.js';

const HELP = `Usage: mdlkit verify --device-response FILE (--session-transcript FILE | --skip-device-auth)
                    [--trust PEM|DIR]...
                    [--vical FILE --vical-trust PEM] [--now ISO-8601] [--e-reader-key FILE]
                    [--policy interop|strict] [--ruleset iso|aamva] [--status-list FILE]... [--crl FILE]...
                    [--revocation-undetermined accept|reject] [--clock-skew SECONDS]
                    [--non-preferred on|off] [--indefinite-length on|off] [--lenient-dates on|off]
                    [--html FILE [--force]] [--json]

Verifies a DeviceResponse as a reader does (ISO/IEC 18013-5 §9.3): the DS certificate path to a
trust anchor (§9.3.3, Annex B), the IssuerAuth signature, every value digest over the bytes as
received, docType, MSO validity, issuing_country / issuing_jurisdiction against the DS
certificate, DeviceSignature or DeviceMac over the session transcript, keyAuthorizations, and
revocation (IACA CRLs, MSO status lists) when given. Prints every check of every document and the
disclosed elements.

Inputs (binary CBOR, hex or base64 / base64url text — auto-detected):
  --device-response FILE     the DeviceResponse (plaintext, as sent inside SessionData)
  --session-transcript FILE  SessionTranscriptBytes (tag 24) or the bare SessionTranscript array,
                             the reader's own: DeviceSignature / DeviceMac are checked over it
  --skip-device-auth         instead of a transcript: check the issuer data only. The holder is then
                             NOT authenticated (a cloned or replayed mDL is not excluded): the
                             headline says so and the JSON has "deviceAuthenticated": false
  --trust PEM|DIR            an IACA certificate, or (a FILE only) a pinned DS certificate trusted
                             as-is; a folder is read for .pem/.crt/.cer/.der files and only its
                             IACA-profile certificates (self-issued CA, keyCertSign, countryName, no
                             EKU) are trusted — the others (reader roots, DS, signers) are skipped
                             with a warning on stderr; repeatable
  --vical FILE               trust the IACAs of a VICAL (for the docTypes it lists) ...
  --vical-trust PEM          ... once it verifies against this VICAL provider root
  --e-reader-key FILE        the reader's ephemeral private key (needed for DeviceMac): hex scalar
                             (curve taken from the transcript's EReaderKey), PEM or JWK
  --status-list FILE         a Token Status List CWT (its "sub" is the URI the MSO names); repeatable
  --crl FILE                 an IACA CRL (DER, PEM or hex); every DS is then checked; repeatable

Options:
  --now T          verification time (default: the current time)
  --clock-skew S   tolerated clock difference for MSO validity, seconds (default 0)
  --policy P       interop (default, the library's default too): the "shall" deviations of 18013-5
                   and Annex B (non-preferred / indefinite CBOR, tdate form, certificate profile, a
                   missing EKU or keyUsage, an attached DeviceSignature payload identical to the one
                   built) are warnings with their own codes; strict: they fail. Security rules hold
                   under both. lenient is accepted as the earlier name of interop.
  --non-preferred on|off, --indefinite-length on|off, --lenient-dates on|off
                   each decoding leniency of the library's "decoding" option; default: as the policy
  --revocation-undetermined accept|reject
                   when a CRL / status list cannot give an answer (default accept: reported)
  --ruleset R      iso (default) or aamva (stateOrProvinceName required)
  --html FILE      also write a self-contained HTML report: the verdict in colour, every check,
                   the elements with the portrait, the certificate chain (--force to overwrite)
  --json           the reader's report: {"verified","version","responseStatus","documents":[{"docType",
                   "verified","checks":[{"id","status","code"?,"message"}],"elements":[{"nameSpace",
                   "identifier","value","source","verified"}],"errors","validity","dsSubject",
                   "deviceAuthMethod","deviceAuthenticated","findings":[{"code","severity","source","message"}]}],
                   "documentErrors","deviceAuthenticated","policy","findings","sessionTranscript"}; byte values as hex.
                   Warnings (what the policy tolerated) are also printed without --json.

Exit codes: 0 verified (with --skip-device-auth: the issuer data verified, the holder was not
authenticated), 1 not verified (the failed checks are named), 2 usage error (no transcript and no
--skip-device-auth, no usable --trust) or unreadable / malformed input.`;

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'verify a DeviceResponse (chain, signatures, digests, validity, device auth)',
  help: HELP,
  options: {
    'device-response': { type: 'string' },
    'session-transcript': { type: 'string' },
    'skip-device-auth': { type: 'boolean' },
    trust: { type: 'string', multiple: true },
    vical: { type: 'string' },
    'vical-trust': { type: 'string', multiple: true },
    now: { type: 'string' },
    'e-reader-key': { type: 'string' },
    policy: { type: 'string' },
    ruleset: { type: 'string' },
    'status-list': { type: 'string', multiple: true },
    crl: { type: 'string', multiple: true },
    'clock-skew': { type: 'string' },
    html: { type: 'string' },
    force: { type: 'boolean' },
    'non-preferred': { type: 'string' },
    'indefinite-length': { type: 'string' },
    'lenient-dates': { type: 'string' },
    'revocation-undetermined': { type: 'string' },
  },
  async run(values, _positionals, io): Promise<ExitCode> {
    const impl = await import('./verify-run.js');
    return impl.run(values, _positionals, io);
  },
};
