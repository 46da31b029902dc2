import type { ExitCode } from '../cli-error.js';
import type { Command } from '../command.js';

const HELP = `Usage: mdlkit online request --protocol oid4vp|annex-c --origin URL --element [NS/]ID...
                            [--retain [NS/]ID]... [--doctype T] [--response-mode M] [--response-uri URL]
                            [--reader-key FILE --reader-cert PEM [--client-id-prefix x509_san_dns|x509_hash]]
                            --state FILE --out FILE [--force]
       mdlkit online verify --state FILE --response FILE --trust PEM|DIR... [--origin URL]
                            [--now ISO-8601] [--json]

Online presentation (see docs/online.md).

request  builds the request a relying party hands to navigator.credentials.get (OpenID4VP 1.0 with
         DCQL, or ISO/IEC 18013-7 Annex C org-iso-mdoc) and writes it to --out as JSON; writes the
         state the verifier must keep to --state (mode 0600: it holds the ephemeral decryption key
         under "secret").
verify   checks a response file (the DC API credential "data" object as JSON, or direct_post form
         fields as JSON) against a saved state: decryption, state, origin, presentations, session
         binding over the transcript built from the state, DCQL satisfaction, then every document.

Options (request):
  --protocol P        oid4vp (default) or annex-c
  --origin URL        the origin of the verifier page (DC API flows)
  --response-mode M   dc_api.jwt (default), dc_api, direct_post, direct_post.jwt (oid4vp)
  --response-uri URL  where the wallet posts (direct_post*)
  --element, --retain, --doctype   as in "mdlkit request"
  --reader-key FILE, --reader-cert PEM   sign the request (oid4vp: a JAR with x5c; annex-c: ReaderAuth)
  --client-id-prefix  x509_hash (default) or x509_san_dns (needs a dNSName in the certificate)
Options (verify):
  --origin URL        the origin the response came from, as your server saw it
  --now T             verification time (default now)
  --json              the report as JSON

Exit codes: 0 verified / written, 1 not verified, 2 usage error or unusable input.`;

export const onlineCommand: Command = {
  name: 'online',
  summary: 'build an OpenID4VP / Annex C request, verify a response against its saved state',
  help: HELP,
  positionals: true,
  options: {
    protocol: { type: 'string' },
    origin: { type: 'string' },
    'response-mode': { type: 'string' },
    'response-uri': { type: 'string' },
    element: { type: 'string', multiple: true },
    retain: { type: 'string', multiple: true },
    doctype: { type: 'string' },
    'reader-key': { type: 'string' },
    'reader-cert': { type: 'string' },
    'client-id-prefix': { type: 'string' },
    state: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
    response: { type: 'string' },
    trust: { type: 'string', multiple: true },
    now: { type: 'string' },
  },
  async run(values, positionals, io): Promise<ExitCode> {
    const impl = await import('./online-run.js');
    return impl.run(values, positionals, io);
  },
};
