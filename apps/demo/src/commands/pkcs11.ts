import type { ExitCode } from '../cli-error.js';
import type { Command } from '../command.js';
import { PKCS11_HELP, PKCS11_OPTIONS } from '../util/pkcs11.js';

const HELP = `Usage:
  mdlkit pkcs11 tokens  --pkcs11-module LIB [--json]
  mdlkit pkcs11 keygen  --pkcs11-module LIB (--pkcs11-slot N | --pkcs11-token LABEL) --pkcs11-key LABEL
                        [--curve P-256|P-384|P-521|Ed25519] [--out SPKI.pem] [--json]
  mdlkit pkcs11 ds-cert --pkcs11-module LIB (--pkcs11-slot N | --pkcs11-token LABEL) --pkcs11-key LABEL
                        --iaca-cert PEM --iaca-key KEY --country CC [--state SS] --common-name CN
                        --crl-uri URI [--days N] [--now ISO] --out DS.pem [--csr-out CSR.pem] [--json]

The DS key in an HSM (PKCS#11), without the private key ever leaving it:

tokens   lists the slots of the library that hold a token
keygen   generates a key pair on the token: CKA_TOKEN, CKA_PRIVATE, CKA_SENSITIVE, not CKA_EXTRACTABLE,
         sign only; writes the public key (SPKI PEM) to --out when given
ds-cert  has the token key sign a CSR (PKCS#10), checks it, and issues the DS certificate for the CSR's
         key (ISO/IEC 18013-5 Table B.3: KeyUsage digitalSignature, EKU 1.0.18013.5.1.2) signed by
         the IACA key; the certificate is then checked against the token key
Then: mdlkit issue ... --ds-cert DS.pem --pkcs11-module LIB --pkcs11-token LABEL --pkcs11-key LABEL

Options:
${PKCS11_HELP}
  --curve C              keygen: the key's curve (default P-256)
  --iaca-cert PEM        ds-cert: the IACA certificate
  --iaca-key KEY         ds-cert: the IACA private key (PEM, JWK or hex scalar)
  --country CC           ds-cert: DS subject countryName (the IACA's country)
  --state SS             ds-cert: DS subject stateOrProvinceName (ISO 3166-2, e.g. US-NY)
  --common-name CN       ds-cert: DS subject commonName
  --crl-uri URI          ds-cert: the IACA's CRL distribution point
  --days N               ds-cert: validity from --now (default 365)
  --out FILE             keygen: public key PEM; ds-cert: the certificate PEM
  --csr-out FILE         ds-cert: also write the CSR (PEM)
  --force                overwrite existing output files

The PIN is read from MDLKIT_PKCS11_PIN (or --pkcs11-pin-env VAR), never from the command line.
Exit codes: 0 done; 2 usage error, unreadable input, or a token error (code ERR_PKCS11_*).`;

export const pkcs11Command: Command = {
  name: 'pkcs11',
  summary: 'DS keys in an HSM: list tokens, generate a key on the token, create its DS certificate',
  help: HELP,
  options: {
    ...PKCS11_OPTIONS,
    curve: { type: 'string' },
    'iaca-cert': { type: 'string' },
    'iaca-key': { type: 'string' },
    country: { type: 'string' },
    state: { type: 'string' },
    'common-name': { type: 'string' },
    'crl-uri': { type: 'string' },
    days: { type: 'string' },
    now: { type: 'string' },
    out: { type: 'string' },
    'csr-out': { type: 'string' },
    force: { type: 'boolean' },
  },
  positionals: true,
  async run(values, positionals, io): Promise<ExitCode> {
    const impl = await import('./pkcs11-run.js');
    return impl.run(values, positionals, io);
  },
};
