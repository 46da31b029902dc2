import type { ExitCode } from '../cli-error.js';
import type { Command } from '../command.js';

const HELP = `Usage: mdlkit inspect FILE|- [--as KIND] [--now ISO-8601] [--bytes N] [--json]

Decodes an ISO/IEC 18013-5 structure for a person to read: a tree of every field with its CDDL
name, CBOR type, tag and size, element values (the portrait as an image of N bytes), COSE
algorithm and curve names, and every X.509 certificate with its Annex B lint findings. Nothing is
verified cryptographically — use mdlkit verify for that.

Recognised: DeviceResponse, IssuerSigned, IssuerAuth, MobileSecurityObject(Bytes),
IssuerSignedItem(Bytes), DeviceRequest, ItemsRequest(Bytes), DeviceEngagement (also as an mdoc: URI),
SessionTranscript(Bytes), SessionEstablishment, SessionData, DeviceAuth,
Device/ReaderAuthentication(Bytes), COSE_Sign1, COSE_Mac0, COSE_Key(Bytes), Sig_structure,
MAC_structure, VICAL, X.509 certificate; anything else is shown as plain CBOR.

Input (detected): binary CBOR or DER, hex (0x and white space allowed), base64, base64url, PEM, or an
mdoc: URI. Input in none of these forms (JSON, text, hex with a stray character …) is refused with
what it looked like. FILE - reads standard input.

Options:
  --as KIND        read the input as this structure instead of detecting it (e.g. DeviceResponse)
  --now T          judge certificate validity at T (default: the current time)
  --bytes N        bytes of each byte string shown in the tree (default 24; 0 hides them)
  --json           {"kind","format","byteLength","sizesExact","truncated","findings":[{"severity",
                   "code","message","path","clause"?}],"certificates":[…],"root":{"label",
                   "structure"?,"type","major","tag"?,"size","length"?,"value"?,"hex"?,"media"?,
                   "element"?,"note"?,"children"?}}

Exit codes: 0 decoded (findings do not change it), 2 usage error or input that is no mdoc structure.`;

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'show what is inside a DeviceResponse, MSO, request, engagement, certificate, VICAL …',
  help: HELP,
  positionals: true,
  options: {
    as: { type: 'string' },
    now: { type: 'string' },
    bytes: { type: 'string' },
  },
  async run(values, positionals, io): Promise<ExitCode> {
    const impl = await import('./inspect-run.js');
    return impl.run(values, positionals, io);
  },
};
