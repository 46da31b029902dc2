import {
  type AnnexCState,
  createAnnexCRequest,
  type OnlineVerificationReport,
  verifyAnnexCResponse,
} from '@mdlkit/reader/annex-c';
import { createOpenId4VpRequest, type OpenId4VpState, verifyOpenId4VpResponse } from '@mdlkit/reader/oid4vp';
import type { RequestIntent } from '../shared/presets.js';
import { failureReport, toViewReport, type ViewReport, viewCheck } from '../shared/view-model.js';
import type { OnlineVerifier } from './online.js';

/** The DC API protocol identifiers the verifier offers, in order of preference. */
export const OFFERED_PROTOCOLS = ['openid4vp-v1-unsigned', 'org-iso-mdoc'] as const;

/** What the server keeps per request: the state of both protocols (the wallet answers one). */
interface BothStates {
  readonly oid4vp: OpenId4VpState;
  readonly annexC: AnnexCState;
}

/** Options for {@link createOnlineVerifier}. */
export interface CreateOnlineVerifierOptions {
  /** How long a request may be answered, in seconds (default 300; the server's state store should match). */
  readonly lifetimeSeconds?: number;
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
  return {
    protocols: OFFERED_PROTOCOLS,
    async createRequests({ intent, origin, now }) {
      const presentation = toIntent(intent);
      const oid4vp = await createOpenId4VpRequest({
        intent: presentation,
        responseMode: 'dc_api.jwt',
        origin,
        lifetimeSeconds,
        now,
        clientMetadata: { client_name: 'mdlkit verifier' },
      });
      const annexC = await createAnnexCRequest({ intent: presentation, origin, lifetimeSeconds, now });
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
      if (protocol === 'openid4vp-v1-unsigned' || protocol === 'openid4vp') {
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
