import { buildCsr, type NameInput } from '@mdlkit/pki';
import type { Pkcs11Signer } from '../signer/create-pkcs11-signer.js';

/** Options for {@link createPkcs11Csr}. */
export interface CreatePkcs11CsrOptions {
  /** The signer of the token key the certificate is for (ECDSA: Annex B certificates are ECDSA-signed). */
  readonly signer: Pkcs11Signer;
  /** The subject, as `@mdlkit/pki`'s `encodeName` takes it, or DER. */
  readonly subject: NameInput | Uint8Array;
}

/**
 * A PKCS#10 certificate signing request (RFC 2986) for a token key, signed on the token through
 * `@mdlkit/pki`'s `buildCsr` — the IACA operator issues the DS certificate from it, and the private
 * key never leaves the HSM at any step of the DS life cycle.
 *
 * @throws {@link MdlError} `ERR_NOT_SUPPORTED` for an Ed25519 key, `ERR_INVALID_ARGUMENT` for a bad
 *   subject, and the signer's errors.
 * @example
 * ```ts
 * const csr = await createPkcs11Csr({ signer, subject: { country: 'US', stateOrProvince: 'US-NY', commonName: 'NY DS 1' } });
 * ```
 */
export function createPkcs11Csr(options: CreatePkcs11CsrOptions): Promise<Uint8Array> {
  return buildCsr({ subject: options.subject, publicKey: options.signer.publicKey, signer: options.signer });
}
