import type { ExitCode } from '../cli-error.js';
import type { Command } from '../command.js';
import { PKCS11_OPTIONS } from '../util/pkcs11.js';

const HELP = `Usage: mdlkit cert create iaca|ds|reader-root|reader|vical-signer|status-signer
                        --subject "C=US, ST=US-NY, O=Org, CN=Name" --out PEM
                        [--key FILE | --public-key FILE | --kms-key ID | --pkcs11-key LABEL
                         | --new-key FILE] [--curve C]
                        [--issuer-cert PEM (--issuer-key FILE | --issuer-kms-key ID
                                            | --issuer-pkcs11-key LABEL)]
                        [--issuer-alt-name email:ADDR|uri:URI]... [--crl-uri URI]
                        [--days N] [--not-before ISO-8601] [--ruleset iso|aamva]
                        [--region R] [--kms-endpoint URL] [--force] [--json]

Creates a certificate to its ISO/IEC 18013-5 Annex B profile (Table B.1 IACA, B.3 DS, B.5 reader
authentication, C.1.7 VICAL signer; reader-root mirrors the IACA profile, status-signer the DS
one with EKU for status lists). Every certificate is built with the profile's extensions and
linted against it before anything is written: a certificate that breaks its profile is never
written (exit 2, the failed rules named).

iaca and reader-root are self-signed; the others are signed by --issuer-cert with its key
(checked to belong to it first: an IACA for ds / vical-signer / status-signer, a reader root for
reader).

The subject's key:
  --key FILE          an existing private key (PEM, JWK or hex scalar)
  --public-key FILE   only the public key (PEM SPKI, JWK or COSE_Key; not for self-signed roots)
  --kms-key ID        an AWS KMS key (key id, ARN or alias; SIGN_VERIFY, ECC_NIST_P256/384/521):
                      the public key comes from KMS, and a self-signed root is signed by KMS
  --pkcs11-key LABEL  a key on a PKCS#11 token (CKA_LABEL, or id:<hex> for its CKA_ID; made with
                      mdlkit pkcs11 keygen): a self-signed root is signed on the token, and for a
                      ds the token first signs a CSR that is checked before the DS is issued
  --new-key FILE      (default: the --out name with .key.pem) a fresh key, written as PKCS#8 PEM
                      readable only by you
  --curve C           for a fresh key: P-256 (default), P-384, P-521

The issuer:
  --issuer-cert PEM   the issuing CA certificate
  --issuer-key FILE   its private key, or
  --issuer-kms-key ID its KMS key, or
  --issuer-pkcs11-key LABEL  its key on the PKCS#11 token (refused unless it is the certificate's)

Profile fields:
  --subject DN        C (country, required for iaca / ds), ST, L, O, OU, CN (required), serialNumber
  --issuer-alt-name   iaca: required (an e-mail or URI contact of the issuing authority); repeatable
  --crl-uri URI       CRL distribution point: required for ds and vical-signer, optional elsewhere
  --days N            validity (default 1825 for iaca / reader-root, 365 otherwise; the profile's
                      limit applies: a DS at most 457 days, an IACA 20 years)
  --not-before T      start of validity (default: now)
  --ruleset R         iso (default) or aamva (stateOrProvinceName required)

PKCS#11 (for --pkcs11-key / --issuer-pkcs11-key; one token holds both): --pkcs11-module LIB
(MDLKIT_PKCS11_MODULE), --pkcs11-slot N or --pkcs11-token LABEL (MDLKIT_PKCS11_SLOT /
MDLKIT_PKCS11_TOKEN); the user PIN from the environment variable MDLKIT_PKCS11_PIN (or the one
--pkcs11-pin-env VAR names), never from the command line.

AWS (for --kms-key / --issuer-kms-key): the SDK's usual configuration (AWS_REGION, credentials,
AWS_ENDPOINT_URL_KMS); --region and --kms-endpoint override it (the endpoint of mdlkit emulator,
for example).

  --out PEM           where to write the certificate (PEM)
  --force             overwrite --out / --new-key if they exist (otherwise mdlkit refuses)
  --json              {"file","profile","subject","issuer","serialNumber","notBefore","notAfter",
                      "keyFile"?,"kmsKeyId"?,"pkcs11"?:{"token","key","id"},
                      "lint":{"ok","findings":[…]}}

Exit codes: 0 written (and lint-clean), 2 usage error, unreadable input, mismatched key or a
certificate that would break its profile.`;

export const certCommand: Command = {
  name: 'cert',
  summary: 'create IACA, DS, reader, VICAL / status signer certificates to the Annex B profiles',
  help: HELP,
  positionals: true,
  options: {
    subject: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
    key: { type: 'string' },
    'public-key': { type: 'string' },
    'kms-key': { type: 'string' },
    'new-key': { type: 'string' },
    curve: { type: 'string' },
    'issuer-cert': { type: 'string' },
    'issuer-key': { type: 'string' },
    'issuer-kms-key': { type: 'string' },
    ...PKCS11_OPTIONS,
    'issuer-pkcs11-key': { type: 'string' },
    'issuer-alt-name': { type: 'string', multiple: true },
    'crl-uri': { type: 'string' },
    days: { type: 'string' },
    'not-before': { type: 'string' },
    ruleset: { type: 'string' },
    region: { type: 'string' },
    'kms-endpoint': { type: 'string' },
  },
  async run(values, positionals, io): Promise<ExitCode> {
    const impl = await import('./cert-run.js');
    return impl.run(values, positionals, io);
  },
};
