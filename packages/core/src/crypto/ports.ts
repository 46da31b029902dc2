/**
 * The signer ports. Everything in mdlkit that signs (IssuerAuth, DeviceAuth, ReaderAuth,
 * certificates, CSRs, CRLs, status lists, VICALs) goes through one of these two shapes, so the
 * same code works with a local key, an AWS KMS key or an HSM.
 */

/** COSE algorithm identifiers mdlkit signs and verifies with (RFC 9053, IANA COSE registry). */
export const CoseAlg = {
  ES256: -7,
  ES384: -35,
  ES512: -36,
  EdDSA: -8,
} as const;
/** A COSE signature algorithm identifier mdlkit supports. */
export type CoseAlg = (typeof CoseAlg)[keyof typeof CoseAlg];

/** COSE MAC algorithm identifiers (RFC 9053). 18013-5 DeviceMac uses HMAC 256/256. */
export const CoseMacAlg = {
  HS256: 5,
  HS384: 6,
  HS512: 7,
} as const;
/** A COSE MAC algorithm identifier mdlkit supports. */
export type CoseMacAlg = (typeof CoseMacAlg)[keyof typeof CoseMacAlg];

/** Hash algorithm names used throughout mdlkit (the names 18013-5 uses in the MSO). */
export type HashAlgorithm = 'SHA-256' | 'SHA-384' | 'SHA-512';

/**
 * A signer that receives the full to-be-signed bytes (a COSE `Sig_structure`, a certificate's
 * TBSCertificate …) and returns the COSE signature: for ECDSA the fixed-width `r‖s`, for EdDSA
 * the 64/114-byte signature.
 */
export interface CoseSigner {
  readonly kind: 'message';
  /** The COSE algorithm this signer produces. */
  readonly alg: CoseAlg;
  /**
   * Sign `toBeSigned`; the signer hashes it with the algorithm's hash (ECDSA) itself.
   * `toBeSigned` may be a view into a buffer its caller writes on once the promise settles (the
   * issuer builds the Sig_structure where IssuerSigned will go): read it before settling, or copy it.
   */
  sign(toBeSigned: Uint8Array): Promise<Uint8Array>;
  /**
   * Optional: the same signature without a promise, offered by signers that never wait (a local
   * key under node:crypto — see `createLocalSigner`). Callers that sign many small messages in a row
   * (the issuer, one MSO per document) use it when present and skip two microtask turns per
   * signature; everyone else can ignore it. Throws where `sign` would reject.
   */
  signSync?(toBeSigned: Uint8Array): Uint8Array;
  /**
   * Optional: the signer's public key as DER SubjectPublicKeyInfo, when the signer knows it (KMS, HSM).
   * The issuer then refuses to sign with a DS certificate whose key is another one.
   */
  readonly publicKey?: Uint8Array;
}

/**
 * A signer that only receives the hash of the to-be-signed bytes — the AWS KMS `MessageType:
 * DIGEST` / HSM path. The caller hashes with {@link hashForAlg} of `alg`. EdDSA cannot be used
 * this way (PureEdDSA signs the message, not a digest).
 */
export interface CoseDigestSigner {
  readonly kind: 'digest';
  /** The COSE algorithm this signer produces (ECDSA only). */
  readonly alg: CoseAlg;
  /** Sign a digest of exactly the algorithm's hash length; returns fixed-width `r‖s`. */
  signDigest(digest: Uint8Array): Promise<Uint8Array>;
  /** Optional: the signer's public key as DER SubjectPublicKeyInfo (see {@link CoseSigner.publicKey}). */
  readonly publicKey?: Uint8Array;
}

/** Either signer port. Use `signWithPort` (crypto) to sign bytes with whichever is given. */
export type AnyCoseSigner = CoseSigner | CoseDigestSigner;
