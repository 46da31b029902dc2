import {
  type AnnexCState,
  createAnnexCRequest,
  type OnlineVerificationReport,
  verifyAnnexCResponse,
} from '@mdlkit/reader/annex-c';
import { createOpenId4VpRequest, type OpenId4VpState, verifyOpenId4VpResponse } from '@mdlkit/reader/oid4vp';
import type { RequestIntent } from '../shared/presets.js';
import { failureReport, toViewReport, type ViewReport, viewCheck } from '../shared/view-model.js';
import type { ReaderSigning } from './config.js';
import type { OnlineVerifier } from './online.js';

/** The DC API protocol identifiers the verifier offers unsigned, in order of preference. */
export const OFFERED_PROTOCOLS = ['openid4vp-v1-unsigned', 'org-iso-mdoc'] as const;
/** The protocol identifiers offered when the server signs its requests. */
export const SIGNED_PROTOCOLS = ['openid4vp-v1-signed', 'org-iso-mdoc'] as const;

/** What the server keeps per request: the state of both protocols (the wallet answers one). */
interface BothStates {
  readonly oid4vp: OpenId4VpState;
  readonly annexC: AnnexCState;
}

/** Options for {@link createOnlineVerifier}. */
export interface CreateOnlineVerifierOptions {
  /** How long a request may be answered, in seconds (default 300; the server's state store should match). */
  readonly lifetimeSeconds?: number;
  /**
   * Sign the requests with this reader key and chain: OpenID4VP as a signed request object (JAR,
   * `openid4vp-v1-signed`, client id `x509_hash:` / `x509_san_dns:` of the leaf, `expected_origins`
   * the page's origin) and Annex C with ReaderAuth on every DocRequest (ISO/IEC 18013-5 §9.1.4, over
   * the dcapi SessionTranscript). Without it both go unsigned.
   */
  readonly signing?: ReaderSigning;
}

function toIntent(intent: RequestIntent) {
  const elements: Record<string, Record<string, boolean>> = {};
  for (const [ns, ids] of Object.entries(intent.nameSpaces)) {
    elements[ns] = Object.fromEntries(ids.map((id) => [id, intent.intentToRetain]));
  }
  return { docType: intent.docType, elements };
}

/** The online report as the page shows it: protocol checks first, then every presented document. */
function toView(report: OnlineVerificationReport, protocol: string): ViewReport {
  const documents = report.presentations.flatMap((p) => toViewReport(p.report).documents);
  const documentErrors = report.presentations.flatMap((p) => toViewReport(p.report).documentErrors);
  return {
    verified: report.verified,
    protocol,
    protocolChecks: report.checks.map(viewCheck),
    documents,
    documentErrors,
  };
}

/**
 * The request flow's protocols on the reader's online entries: OpenID4VP 1.0 with a DCQL query,
 * unsigned, response mode `dc_api.jwt` (the answer encrypted to a fresh key), and ISO/IEC 18013-7
 * Annex C (HPKE), both bound to the page's origin and offered together.
 *
 * @example
 * ```ts
 * const app = createVerifierApp({ assets, trust, origin, online: createOnlineVerifier() });
 * ```
 */
export function createOnlineVerifier(options: CreateOnlineVerifierOptions = {}): OnlineVerifier {
  const lifetimeSeconds = options.lifetimeSeconds ?? 300;
  const signing = options.signing;
  const protocols = signing === undefined ? OFFERED_PROTOCOLS : SIGNED_PROTOCOLS;
  return {
    protocols,
    async createRequests({ intent, origin, now }) {
      const presentation = toIntent(intent);
      const oid4vp = await createOpenId4VpRequest({
        intent: presentation,
        responseMode: 'dc_api.jwt',
        origin,
        lifetimeSeconds,
        now,
        clientMetadata: { client_name: 'mdlkit verifier' },
        ...(signing === undefined
          ? {}
          : {
              signing: {
                signer: signing.signer,
                certificateChain: signing.certificateChain,
                clientIdPrefix: signing.clientIdPrefix,
              },
            }),
      });
      const annexC = await createAnnexCRequest({
        intent: presentation,
        origin,
        lifetimeSeconds,
        now,
        ...(signing === undefined
          ? {}
          : { readerAuth: { signer: signing.signer, certificateChain: signing.certificateChain } }),
      });
      if (oid4vp.dcApi === undefined) throw new Error('OpenID4VP request without a DC API form');
      const state: BothStates = { oid4vp: oid4vp.state, annexC: annexC.state };
      return { requests: [oid4vp.dcApi, annexC.dcApi], state };
    },
    async verifyResponse({ protocol, data, state, trust, policy, ruleset, now, origin }) {
      const both = state as BothStates;
      const common = { trust, policy, ruleset, now, origin };
      if (typeof data !== 'object' || data === null) {
        return failureReport(
          {
            id: 'online-presentations',
            status: 'failed',
            code: 'ERR_ONLINE_RESPONSE_INVALID',
            message: 'the answer carries no data object',
          },
          protocol,
        );
      }
      // Only the OpenID4VP form that was offered: an unsigned answer to a signed request is refused.
      if (protocol === protocols[0]) {
        return toView(
          await verifyOpenId4VpResponse(data as Record<string, unknown>, both.oid4vp, common),
          protocol,
        );
      }
      if (protocol === 'org-iso-mdoc') {
        return toView(
          await verifyAnnexCResponse(data as Record<string, unknown>, both.annexC, common),
          protocol,
        );
      }
      return failureReport(
        {
          id: 'online-presentations',
          status: 'failed',
          code: 'ERR_ONLINE_RESPONSE_INVALID',
          message: `the answer names a protocol that was not offered (${protocol.slice(0, 40)})`,
        },
        protocol,
      );
    },
  };
}
