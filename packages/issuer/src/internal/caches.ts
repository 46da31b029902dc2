/**
 * @module
 * The issuer's caches, in core's cache registry (`cacheStats`, `setCacheLimits` and `clearCaches` of
 * `@mdlkit/core` see and clear them). A batch signs thousands of MSOs with one DS certificate and the
 * same few instants; none of these holds a secret (public keys and certificates only).
 */
import { BoundedCache, HandleMemo } from '@mdlkit/core';
import type { TDate } from '@mdlkit/core/cbor';
import type { AnyCoseSigner, CoseAlg } from '@mdlkit/core/crypto';
import type { ParsedCertificate } from '@mdlkit/pki';
import type { DsSigning } from '../issuer-auth/sign-issuer-auth.js';
import type { DsCertificateInfo } from './ds-certificate.js';

/** The DS certificate parsed once per DER array (by identity). */
export const dsByArray: HandleMemo<Uint8Array, DsCertificateInfo> = new HandleMemo('issuer.ds-by-array');

/**
 * The DS certificate's issuer view per parsed certificate: pki's content cache hands out the same
 * parsed certificate for the same bytes, so a caller that loads the DER afresh for every document
 * hits too.
 */
export const dsByCertificate: HandleMemo<ParsedCertificate, DsCertificateInfo> = new HandleMemo(
  'issuer.ds-by-certificate',
);

/** The DS certificate each signer was last checked against (public keys only). */
export const signerChecked: HandleMemo<AnyCoseSigner, DsCertificateInfo> = new HandleMemo(
  'issuer.signer-checked',
);

/** Per DS certificate and alg: the alg/curve check passed and the encoded headers. */
export const dsSigningByAlg: HandleMemo<DsCertificateInfo, Map<CoseAlg, DsSigning>> = new HandleMemo(
  'issuer.ds-signing-by-alg',
);

/**
 * The last instants stamped into MSOs (TDates are immutable, the shared ones frozen): a batch's
 * signed / validFrom / validUntil, or `now` within one second, formatted once.
 */
export const recentInstants: BoundedCache<number, TDate> = new BoundedCache({
  name: 'issuer.recent-instants',
  maxEntries: 16,
  maxBytes: 16 * 256,
  sizeOf: () => 256,
});
