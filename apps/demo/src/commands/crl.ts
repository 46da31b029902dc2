import type { ExitCode } from '../cli-error.js';
import type { Command } from '../command.js';

const HELP = `Usage:
  mdlkit crl check  --cert FILE --crl FILE --issuer PEM [--now ISO-8601] [--json]
  mdlkit crl create --issuer PEM --issuer-key KEY --out FILE [--revoke SERIAL|CERT]... [--crl-number N]
                    [--this-update ISO-8601] [--next-update ISO-8601 | --days N] [--pem] [--json]

check   looks a certificate up in an IACA CRL (ISO/IEC 18013-5 Annex B.3.2, RFC 5280 6.3): the CRL
        must be signed by the IACA, name it as issuer, be current at --now and be a full CRL.
        Result: good, revoked, or undetermined (with the reason).
create  builds and signs an IACA CRL to the Annex B.2 profile (v2, AKI + cRLNumber, no entry
        extensions) with the IACA's private key.

Options:
  --cert FILE         certificate to look up (PEM / DER)
  --crl FILE          CRL (DER, PEM "X509 CRL", hex or base64)
  --issuer PEM        the IACA certificate
  --issuer-key KEY    the IACA private key (PEM, JWK or hex scalar)
  --revoke X          serial number in hex, or a certificate file whose serial is revoked (repeatable)
  --crl-number N      cRLNumber (default 1)
  --this-update T     default now; --next-update default this-update + --days (default 7)
  --pem               write PEM instead of DER
  --force             create: overwrite an existing --out file (otherwise mdlkit refuses)
  --now T             validation time for check (default: the current time)
  --json              check: {"status","code"?,"reason"?,"revocationDate"?,"nextUpdate"?}; create: {"file","revoked","crlNumber","thisUpdate","nextUpdate"}

Exit codes: check 0 good, 1 revoked or undetermined; create 0 written; 2 usage or unreadable input.`;

export const crlCommand: Command = {
  name: 'crl',
  summary: 'check a certificate against an IACA CRL, or create a CRL',
  help: HELP,
  options: {
    cert: { type: 'string' },
    crl: { type: 'string' },
    issuer: { type: 'string' },
    'issuer-key': { type: 'string' },
    revoke: { type: 'string', multiple: true },
    'crl-number': { type: 'string' },
    'this-update': { type: 'string' },
    'next-update': { type: 'string' },
    days: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
    pem: { type: 'boolean' },
    now: { type: 'string' },
  },
  positionals: true,
  async run(values, positionals, io): Promise<ExitCode> {
    const impl = await import('./crl-run.js');
    return impl.run(values, positionals, io);
  },
};
