import { CoseAlg, type Curve, type PublicKey } from '@mdlkit/core/crypto';
import { ErrorCode, MdlError } from '@mdlkit/core/errors';

/**
 * The algorithm / curve pairs of ISO/IEC 18013-5 §9.1.5.2 (cipher suite 1): ES256 with P-256 or
 * brainpoolP256r1, ES384 with P-384, brainpoolP320r1 or brainpoolP384r1, ES512 with P-521 or
 * brainpoolP512r1, EdDSA with Ed25519 or Ed448. COSE itself is looser (RFC 9053 only says
 * "SHOULD"), which is how alg-confusion slips through other verifiers.
 */
const PAIRS: Readonly<Record<number, readonly Curve[]>> = {
  [CoseAlg.ES256]: ['P-256', 'brainpoolP256r1'],
  [CoseAlg.ES384]: ['P-384', 'brainpoolP320r1', 'brainpoolP384r1'],
  [CoseAlg.ES512]: ['P-521', 'brainpoolP512r1'],
  [CoseAlg.EdDSA]: ['Ed25519', 'Ed448'],
};

/** @throws {@link MdlError} `ERR_COSE_ALG_KEY_MISMATCH` when `alg` is not paired with the key's curve. */
export function assertIsoAlgCurvePair(alg: CoseAlg, key: PublicKey): void {
  if (!(PAIRS[alg] ?? []).includes(key.curve)) {
    throw new MdlError(
      ErrorCode.ERR_COSE_ALG_KEY_MISMATCH,
      'the algorithm is not paired with this curve in 18013-5',
      {
        details: { alg, curve: key.curve },
      },
    );
  }
}
