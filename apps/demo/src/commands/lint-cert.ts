import type { ExitCode } from '../cli-error.js';
import type { Command } from '../command.js';

export const lintCertCommand: Command = {
  name: 'lint-cert',
  summary: 'check certificates against the ISO/IEC 18013-5 Annex B profiles',
  help: `Usage: mdlkit lint-cert FILE... [--issuer PEM] [--profile P] [--ruleset iso|aamva] [--edition 2021|ed2] [--json]

Checks each certificate against its ISO/IEC 18013-5 Annex B profile and prints every finding with
its rule id, severity, clause and message. FILE may be PEM (several blocks allowed), DER, hex or
base64, or a folder of .pem/.crt/.cer/.der files.

Options:
  --issuer PEM    the issuing certificate, enabling issuer-relative rules (AKI, names, validity).
                  Without it, a certificate followed by another in the same PEM file is linted
                  against that next certificate (a chain file: leaf first).
  --profile P     auto (default: from EKU / basicConstraints), iaca, iaca-link, ds, reader-auth, reader-root,
                  ocsp-signer, status-list-signer, vical-signer
  --ruleset R     iso (default) or aamva (adds the AAMVA rules, e.g. stateOrProvinceName)
  --edition E     2021 (default) or ed2 (the second-edition draft)
  --json          {"ok", "certificates":[{"file","index","subject","profile","ok","findings":[{"rule","severity","clause","message"}]}]}

Exit codes: 0 no error findings (warnings allowed), 1 at least one error finding, 2 unreadable input.`,
  options: {
    issuer: { type: 'string' },
    profile: { type: 'string' },
    ruleset: { type: 'string' },
    edition: { type: 'string' },
  },
  positionals: true,
  async run(values, positionals, io): Promise<ExitCode> {
    const impl = await import('./lint-cert-run.js');
    return impl.run(values, positionals, io);
  },
};
