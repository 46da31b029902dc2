import type { TrustStore } from '@mdlkit/pki';
import type { RequestIntent } from '../shared/presets.js';
import type { ViewReport } from '../shared/view-model.js';

/** One entry of `navigator.credentials.get({ digital: { requests } })`. */
export interface DigitalCredentialRequest {
  /** `openid4vp-v1-unsigned`, `openid4vp-v1-signed` or `org-iso-mdoc`. */
  readonly protocol: string;
  /** The protocol's request object, as JSON. */
  readonly data: unknown;
}

/** What {@link OnlineVerifier.createRequests} returns. */
export interface OnlineRequest {
  /** Every protocol's request, offered together so the browser (and wallet) picks one. */
  readonly requests: readonly DigitalCredentialRequest[];
  /** Everything needed to check the answer later (nonces, ephemeral keys, origin); kept server-side only. */
  readonly state: unknown;
}

/** The online protocols the request flow uses (OpenID4VP 1.0 + DCQL, ISO/IEC 18013-7 Annex C). */
export interface OnlineVerifier {
  /** The protocol identifiers this verifier offers, in order of preference. */
  readonly protocols: readonly string[];
  /** Builds the requests for an intent, bound to the page's origin. */
  createRequests(options: {
    readonly intent: RequestIntent;
    readonly origin: string;
    readonly now: Date;
  }): Promise<OnlineRequest>;
  /**
   * Opens and verifies an answer against the state kept for its request: protocol checks
   * (decryption, nonce, origin, query satisfaction) first, then the documents.
   */
  verifyResponse(options: {
    readonly protocol: string;
    readonly data: unknown;
    readonly state: OnlineRequest['state'];
    readonly trust: TrustStore;
    readonly policy: 'strict' | 'lenient';
    readonly ruleset: 'iso' | 'aamva';
    readonly now: Date;
    /** The origin the answer was posted from, as the server saw it (compared with the request's). */
    readonly origin: string;
  }): Promise<ViewReport>;
}
