/** What to do when revocation status cannot be determined (no list, stale list, fetch failed). */
export type UndeterminedPolicy = 'accept' | 'reject';

/**
 * Revocation inputs. DS certificates are checked against IACA CRLs; MSOs against the status list
 * or identifier list their `status` entry names (ISO/IEC 18013-5 ed2 §12.3.6).
 */
export interface RevocationOptions {
  /** DER CRLs issued by the IACAs (Annex B.2). When given, every DS is checked. */
  readonly crls?: readonly Uint8Array[];
  /**
   * Status list / identifier list tokens (COSE_Sign1 CWT bytes) keyed by the `uri` the MSO names.
   * When an MSO has a `status` entry, its list is looked up here (then through `fetch`).
   */
  readonly statusLists?: ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array>>;
  /** Optional fetcher for list tokens not in `statusLists` (e.g. a cached HTTP client). */
  readonly fetch?: (uri: string) => Promise<Uint8Array>;
  /** Check MSO status entries (default true when `statusLists` or `fetch` is given). */
  readonly checkMsoStatus?: boolean;
  /**
   * OIDs accepted as the status-signing purpose when a status-list signer certificate carries an
   * extendedKeyUsage (ed2 B.1.7 Table B.9: `id-kp-oauthStatusSigning`, which the Token Status List
   * draft still defines as `{ id-kp TBD }`). Default none: a signer certificate without an EKU is
   * accepted, one with an EKU is rejected unless it names an OID given here — so a DS certificate
   * (mdlDS-only EKU) or an OCSP signer never signs a status list.
   */
  readonly statusSignerEkus?: readonly string[];
  /** Policy for `undetermined` outcomes: `accept` (report, do not fail — default) or `reject`. */
  readonly undeterminedPolicy?: UndeterminedPolicy;
}
