import type { ExitCode } from '../cli-error.js';
import type { Command } from '../command.js';
import { PKCS11_HELP, PKCS11_OPTIONS } from '../util/pkcs11.js';

const HELP = `Usage: mdlkit issue --iaca-cert PEM --ds-cert PEM (--ds-key FILE | --pkcs11-…) --data JSON
                   (--device-key FILE | --new-device-key OUT) [--out FILE]
                   [--doctype T] [--valid-from ISO] [--valid-until ISO] [--now ISO]
                   [--digest-alg SHA-256|SHA-384|SHA-512] [--portrait FILE]
                   [--status-list-index N --status-uri URI [--status-cert PEM]] [--json]
       mdlkit issue ... --batch N --out-dir DIR [--concurrency C]

Issues an mdoc as an issuing authority does (ISO/IEC 18013-5 §9.1.2): checks the DS certificate
against the IACA (Annex B) and the DS key against the certificate, validates the data elements
against the mDL schema (§7.2.1 Table 5) and issuing_country / issuing_jurisdiction against the DS
subject, builds the IssuerSignedItems (fresh salts, random digestIDs) and the Mobile Security
Object, signs IssuerAuth (COSE_Sign1, x5chain = the DS certificate) and writes IssuerSigned:

  IssuerSigned = { "nameSpaces" : IssuerNameSpaces, "issuerAuth" : IssuerAuth }

Inputs:
  --iaca-cert PEM        the IACA certificate the DS certificate must chain to
  --ds-cert PEM          the document signer certificate (goes into the x5chain)
  --ds-key FILE          the DS private key: PEM (PKCS#8 or SEC1), JWK, or hex scalar
  instead, a DS key in an HSM (PKCS#11; see mdlkit pkcs11 for key generation and its DS certificate):
${PKCS11_HELP}
  --data JSON            the data elements per namespace; a complete mDL (with --portrait FILE):
                           { "org.iso.18013.5.1": { "family_name": "Doe", "given_name": "Jane",
                             "birth_date": {"full-date": "1990-01-01"},
                             "issue_date": {"full-date": "2025-01-01"},
                             "expiry_date": {"full-date": "2030-01-01"},
                             "issuing_country": "US", "issuing_authority": "Test DMV",
                             "document_number": "D1234567", "un_distinguishing_sign": "USA",
                             "age_over_18": true,
                             "driving_privileges": [ {"vehicle_category_code": "B"} ] } }
                         (issuing_country must be the DS certificate's C=)
                         JSON encoding of CBOR values:
                           text, true/false, integers, null, arrays  as themselves
                           {"full-date": "YYYY-MM-DD"}               full-date (tag 1004)
                           {"tdate": "YYYY-MM-DDTHH:MM:SSZ"}         tdate (tag 0)
                           {"hex": "…"} or {"base64": "…"}           byte string (base64url ok)
                           any other object                          map with text keys
                         Errors name the element (namespace/identifier), never its value.
  --device-key FILE      the holder's device public key: PEM SPKI, JWK or COSE_Key (CBOR/hex)
  --new-device-key OUT   instead: generate a P-256 device key and write its private key (PKCS#8 PEM)
  --portrait FILE        sets org.iso.18013.5.1 portrait to this JPEG / JPEG 2000 file

Options:
  --out FILE             where to write IssuerSigned (CBOR; default issuer-signed.cbor)
  --force                overwrite output files that already exist (otherwise mdlkit refuses)
  --doctype T            default org.iso.18013.5.1.mDL (only the mDL namespace is schema-checked)
  --now T                signing time (default: the current time)
  --valid-from T         MSO validFrom (default: --now); --valid-until default validFrom + 30 days,
                         capped at the DS certificate's notAfter
  --digest-alg A         value digest algorithm (default SHA-256)
  --status-list-index N  MSO status: index in the Token Status List at --status-uri ...
  --status-uri URI       ... (ed2 §12.3.6); --status-cert pins the list signer certificate
  --batch N              issue N documents, each with a fresh P-256 device key, into --out-dir as
                         mdoc-<i>.cbor + device-key-<i>.pem (status indices N, N+1, ... when given);
                         --concurrency bounds the signatures in flight (default 8)
  --json                 {"file","docType","deviceKeyFile"?,"nameSpaces":{ns:[identifiers]},
                         "digestAlgorithm","validity":{"signed","validFrom","validUntil"},
                         "issuerSignedBytes","status"?}; batch: {"outDir","documents":[{"file",
                         "deviceKeyFile","statusIndex"?}],"summary"}

Exit codes: 0 issued, 2 usage error, unreadable input, invalid data or a DS that does not fit.`;

export const issueCommand: Command = {
  name: 'issue',
  summary: 'issue an mdoc (IssuerSigned) from JSON data with a DS key and certificate',
  help: HELP,
  options: {
    'iaca-cert': { type: 'string' },
    'ds-cert': { type: 'string' },
    'ds-key': { type: 'string' },
    ...PKCS11_OPTIONS,
    data: { type: 'string' },
    doctype: { type: 'string' },
    'device-key': { type: 'string' },
    'new-device-key': { type: 'string' },
    'valid-from': { type: 'string' },
    'valid-until': { type: 'string' },
    now: { type: 'string' },
    'digest-alg': { type: 'string' },
    portrait: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
    'status-list-index': { type: 'string' },
    'status-uri': { type: 'string' },
    'status-cert': { type: 'string' },
    batch: { type: 'string' },
    'out-dir': { type: 'string' },
    concurrency: { type: 'string' },
  },
  async run(values, positionals, io): Promise<ExitCode> {
    const impl = await import('./issue-run.js');
    return impl.run(values, positionals, io);
  },
};
