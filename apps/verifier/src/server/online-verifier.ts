import type { OnlineVerifier } from './online.js';

/**
 * The request flow's protocols, built on the reader's online entry (OpenID4VP 1.0 + DCQL over the
 * DC API, ISO/IEC 18013-7 Annex C). Returns `undefined` while that entry is not available, and the
 * page then says the request flow is off.
 */
export function createOnlineVerifier(): OnlineVerifier | undefined {
  return undefined;
}
