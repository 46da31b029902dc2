import type { CoseSign1 } from '@mdlkit/core/cose';
import { getSignatureAlg, verifyCoseSign1 } from '@mdlkit/core/cose';
import { assertIsoAlgCurvePair, CoseAlg, type PublicKey } from '@mdlkit/core/crypto';
import { ErrorCode, isMdlError, MdlError } from '@mdlkit/core/errors';

/**
 * The algorithms 18013-5 allows for IssuerAuth (§9.1.2.4, cipher suite 1): ES256, ES384, ES512, EdDSA.
 *
 * @example
 * ```ts
 * verifyDeviceResponse(bytes, { ...options, allowedAlgorithms: ISSUER_AUTH_ALGORITHMS.filter((a) => a !== CoseAlg.EdDSA) });
 * ```
 */
export const ISSUER_AUTH_ALGORITHMS: readonly CoseAlg[] = Object.freeze([
  CoseAlg.ES256,
  CoseAlg.ES384,
  CoseAlg.ES512,
  CoseAlg.EdDSA,
]);

/** Options for {@link verifyIssuerAuthSignature}. */
export interface VerifyIssuerAuthSignatureOptions {
  /** IssuerAuth as parsed by `@mdlkit/core/cose` (tagged or untagged). */
  readonly issuerAuth: CoseSign1;
  /** The DS public key (from the validated DS certificate). */
  readonly dsPublicKey: PublicKey;
  /** Algorithms to accept (default {@link ISSUER_AUTH_ALGORITHMS}). */
  readonly allowedAlgorithms?: readonly CoseAlg[];
}

/**
 * Verifies the IssuerAuth COSE_Sign1 signature with the DS key: the alg must be in the protected
 * header (ISO/IEC 18013-5 §9.1.2.4) and be one the reader allows; the signature is checked over
 * the `Sig_structure` built from the protected header bytes and payload exactly as received.
 *
 * ```cddl
 * IssuerAuth = COSE_Sign1 ; payload = MobileSecurityObjectBytes
 * ```
 *
 * @example
 * ```ts
 * await verifyIssuerAuthSignature({ issuerAuth, dsPublicKey }); // throws on failure
 * ```
 * The alg must also be paired with the DS key's curve as cipher suite 1 pairs them (§9.1.5.2).
 *
 * @throws {@link MdlError} `ERR_COSE_ALG_NOT_PROTECTED`, `ERR_COSE_ALG_MISSING`,
 *   `ERR_COSE_ALG_UNSUPPORTED`, `ERR_COSE_ALG_KEY_MISMATCH`, `ERR_ISSUER_AUTH_SIGNATURE_INVALID`.
 */
export async function verifyIssuerAuthSignature(options: VerifyIssuerAuthSignatureOptions): Promise<void> {
  const { issuerAuth, dsPublicKey } = options;
  const { alg, isProtected } = getSignatureAlg(issuerAuth);
  if (!isProtected) {
    throw new MdlError(
      ErrorCode.ERR_COSE_ALG_NOT_PROTECTED,
      'the IssuerAuth alg is not in the protected header',
    );
  }
  const allowed = options.allowedAlgorithms ?? ISSUER_AUTH_ALGORITHMS;
  if (!allowed.includes(alg)) {
    throw new MdlError(ErrorCode.ERR_COSE_ALG_UNSUPPORTED, 'the IssuerAuth alg is not allowed', {
      details: { alg },
    });
  }
  assertIsoAlgCurvePair(alg, dsPublicKey);
  let ok: boolean;
  try {
    ok = await verifyCoseSign1({ message: issuerAuth, key: dsPublicKey });
  } catch (error) {
    if (isMdlError(error)) throw error;
    throw new MdlError(
      ErrorCode.ERR_ISSUER_AUTH_SIGNATURE_INVALID,
      'the IssuerAuth signature could not be checked',
      {
        cause: error,
      },
    );
  }
  if (!ok) {
    throw new MdlError(
      ErrorCode.ERR_ISSUER_AUTH_SIGNATURE_INVALID,
      'the IssuerAuth signature does not verify',
      {
        details: { alg },
      },
    );
  }
}
