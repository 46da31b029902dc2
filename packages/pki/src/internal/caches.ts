/**
 * @module
 * pki's caches, in core's cache registry (`cacheStats`, `setCacheLimits` and `clearCaches` of
 * `@mdlkit/core` see and clear them). Each holds public values derived from certificate bytes.
 */
import { BoundedCache, stringBytes } from '@mdlkit/core';
import type { PublicKey } from '@mdlkit/core/crypto';
import type { ParsedCertificate } from '../certificate/parse-certificate.js';

/**
 * Parsed certificates by content (their DER as one-byte text): parsing the same certificate again —
 * the DS certificate in every IssuerAuth — costs one map lookup. An entry is estimated at four times
 * its DER (the key text, the copied DER and the parsed fields) plus 2 KiB.
 */
export const parsedCertificates: BoundedCache<string, ParsedCertificate> = new BoundedCache({
  name: 'pki.parsed-certificates',
  maxEntries: 2048,
  maxBytes: 16 * 1024 * 1024,
  sizeOf: (key) => 4 * key.length + 2048,
});

/** Public key handles imported from a certificate's SPKI, by the certificate's content. */
export const certificateKeys: BoundedCache<string, PublicKey> = new BoundedCache({
  name: 'pki.certificate-keys',
  maxEntries: 4096,
  maxBytes: 8 * 1024 * 1024,
  // The key text is the certificate's (shared with parsedCertificates); the handle is small.
  sizeOf: () => 512,
});

/**
 * Whether a parent certificate's key verifies a child's signature, per pair of certificate contents
 * (the key is both DERs as text, so the entry holds them).
 */
export const certificateSignatures: BoundedCache<string, boolean> = new BoundedCache({
  name: 'pki.certificate-signatures',
  maxEntries: 8192,
  maxBytes: 16 * 1024 * 1024,
  sizeOf: (key) => stringBytes(key),
});
