/**
 * @module
 * Small issuance fixtures: an mDL with two elements, issued by a given signer, for tests whose
 * subject is the signer or the signature rather than the document's content.
 */
import type { AnyCoseSigner } from '@mdlkit/core/crypto';
import { generateKeyPair } from '@mdlkit/core/crypto';
import { type IssuedMdoc, issueMdoc } from '@mdlkit/issuer';

/** Options of {@link issueTwoElementMdl}. */
export interface TwoElementMdlOptions {
  /** Signs the MSO (a local, KMS or PKCS#11 signer). */
  readonly signer: AnyCoseSigner;
  /** The DS certificate of `signer`'s key (DER). */
  readonly dsCertificate: Uint8Array;
}

/**
 * Issues an `org.iso.18013.5.1.mDL` with `family_name: 'Doe'` and `issuing_country: 'US'` only
 * (`requireMandatory: false`), a fresh P-256 device key, signed 2025-03-01 and valid until
 * 2025-06-01.
 */
export function issueTwoElementMdl(options: TwoElementMdlOptions): Promise<IssuedMdoc> {
  return issueMdoc({
    docType: 'org.iso.18013.5.1.mDL',
    nameSpaces: {
      'org.iso.18013.5.1': new Map<string, unknown>([
        ['family_name', 'Doe'],
        ['issuing_country', 'US'],
      ]),
    },
    requireMandatory: false,
    deviceKey: generateKeyPair({ curve: 'P-256' }).publicKey,
    validity: { validUntil: new Date('2025-06-01T00:00:00Z') },
    signer: options.signer,
    dsCertificate: options.dsCertificate,
    now: new Date('2025-03-01T00:00:00Z'),
  });
}
