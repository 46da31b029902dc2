import type { ExitCode } from '../cli-error.js';
import type { Command } from '../command.js';

const HELP = `Usage:
  mdlkit vical verify FILE --trust PEM|DIR... [--now ISO-8601] [--policy strict|lenient]
                      [--ruleset iso|aamva] [--export-iacas DIR] [--json]
  mdlkit vical create --signer-cert PEM --signer-key KEY --provider NAME --iaca PEM|DIR... --out FILE [--trust PEM]
                      [--doc-type T]... [--issue-id N] [--date ISO-8601] [--next-update ISO-8601] [--json]

verify  checks a VICAL (ISO/IEC 18013-5 Annex C): the signer chain to the provider's trust anchor
        (VICAL signer profile, EKU 1.0.18013.5.1.8), the COSE_Sign1 signature over the payload as
        received, and freshness (nextUpdate); then lists the IACAs it vouches for. --export-iacas
        writes each IACA as PEM, ready for "mdlkit verify --trust DIR" (better: --vical).
create  builds and signs a VICAL listing the given IACAs with the VICAL signer's key.

Options:
  --trust PEM|DIR     verify: the VICAL provider's root(s) (e.g. the AAMVA DTS root); repeatable.
                      create: the root the signer chains to; the new VICAL is verified against it
                      (else against the chain's own root, else the signer pinned) before it is written
  --now T             validation time (default: the current time)
  --policy P          profile policy for the signer certificate: lenient (default) or strict
  --signer-cert PEM   VICAL signer certificate, then any intermediates (one PEM file)
  --signer-key KEY    its private key (PEM, JWK or hex scalar)
  --iaca PEM|DIR      IACA certificates to list (repeatable)
  --doc-type T        docTypes each listed IACA is trusted for (default org.iso.18013.5.1.mDL; repeatable)
  --force             create: overwrite an existing --out file (otherwise mdlkit refuses)
  --json              verify: {"valid","stale","vical":{...},"findings":[{"code","severity","message"}]}

Exit codes: verify 0 valid, 1 not valid (untrusted, bad signature, stale); create 0; 2 usage or malformed input.`;

export const vicalCommand: Command = {
  name: 'vical',
  summary: 'verify a VICAL (and list / export its IACAs), or create one',
  help: HELP,
  options: {
    trust: { type: 'string', multiple: true },
    now: { type: 'string' },
    policy: { type: 'string' },
    ruleset: { type: 'string' },
    'export-iacas': { type: 'string' },
    'signer-cert': { type: 'string' },
    'signer-key': { type: 'string' },
    provider: { type: 'string' },
    iaca: { type: 'string', multiple: true },
    'doc-type': { type: 'string', multiple: true },
    'issue-id': { type: 'string' },
    date: { type: 'string' },
    'next-update': { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
  },
  positionals: true,
  async run(values, positionals, io): Promise<ExitCode> {
    const impl = await import('./vical-run.js');
    return impl.run(values, positionals, io);
  },
};
