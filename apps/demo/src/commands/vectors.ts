import type { ExitCode } from '../cli-error.js';
import type { Command } from '../command.js';

/** The vector suites `mdlkit vectors --suite` accepts. */
export const SUITES: readonly string[] = ['annex-d', 'aamva-vical', 'pki-samples', 'negative'];

export const vectorsCommand: Command = {
  name: 'vectors',
  summary: 'run the ISO Annex D suite and the project vectors; print a pass table',
  help: `Usage: mdlkit vectors [--dir DIR] [--suite ${SUITES.join('|')}] [--json]

Runs every published-vector check the libraries support and prints one row per check:
  annex-d      ISO/IEC 18013-5 Annex D: QR engagement and mdoc: URI, SessionTranscript, session
               keys, SessionEstablishment / SessionData, ReaderAuthenticationBytes and reader auth,
               IssuerSignedItems and MSO rebuilt byte-for-byte, IssuerAuth Sig_structure,
               DeviceAuthentication / EMacKey / MAC, DS and reader certificate paths, the strict
               linter's finding on the Annex D DS, the DeviceResponse accepted at 2021-01-01 and
               rejected today for exactly the expired DS certificate and MSO
  aamva-vical  the AAMVA VICAL of 2025-11-18: accepted, stale, rejected after the signer expires
  pki-samples  Annex B samples: a valid IACA/DS pair, a CA:TRUE DS and an intermediate rejected
  negative     the project's negative catalogue (test-vectors/negative/*.json), each case naming
               the error code it must produce

Options:
  --dir DIR    the shared vectors folder (default: MDLKIT_VECTORS, else ../shared/vectors from
               the repository root)
  --suite S    run one suite only
  --json       {"ok","dir","suites":{name:{"passed","failed"}},"results":[{"suite","id","clause","title","status","message"?}]}

Exit codes: 0 every check passed, 1 at least one failed, 2 the vectors folder is missing.`,
  options: { dir: { type: 'string' }, suite: { type: 'string' } },
  async run(values, _positionals, io): Promise<ExitCode> {
    const impl = await import('./vectors-run.js');
    return impl.run(values, _positionals, io);
  },
};
