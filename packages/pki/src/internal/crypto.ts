/**
 * The only place pki touches signing and signature verification. Everything goes through
 * `@mdlkit/core/crypto` (the signer ports, the DER ↔ r‖s converter, key handles and verify), so
 * certificates, CSRs and CRLs can be signed by a local key, an AWS KMS key or an HSM alike.
 */

import {
  type AnyCoseSigner,
  CoseAlg,
  ecdsaDerToRaw,
  ecdsaRawToDer,
  importPublicKey,
  type PublicKey,
  signWithPort,
  verifySignature,
} from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { SignatureAlgorithmOid } from '../oids.js';
import { certificateKeys } from './caches.js';

/** The X.509 signature algorithm OID for a signer (Annex B: ECDSA with SHA-256/384/512 only). */
export function signatureOidForSigner(signer: AnyCoseSigner): SignatureAlgorithmOid {
  switch (signer.alg) {
    case CoseAlg.ES256:
      return SignatureAlgorithmOid.ecdsaWithSha256;
    case CoseAlg.ES384:
      return SignatureAlgorithmOid.ecdsaWithSha384;
    case CoseAlg.ES512:
      return SignatureAlgorithmOid.ecdsaWithSha512;
    default:
      throw new MdlError(
        'ERR_NOT_SUPPORTED',
        'Annex B certificates, CSRs and CRLs are signed with ECDSA (ES256/ES384/ES512) only',
      );
  }
}

/** Sign to-be-signed DER through the port and return the DER ECDSA-Sig-Value. */
export async function signDer(signer: AnyCoseSigner, tbs: Uint8Array): Promise<Uint8Array> {
  signatureOidForSigner(signer);
  const raw = await signWithPort(signer, tbs);
  return ecdsaRawToDer(raw);
}

/**
 * X.509 names the hash in the signature algorithm, independent of the key's curve; core's verify
 * takes the COSE alg, whose hash is what matters for ECDSA (ES256 → SHA-256 …), so a P-256 key
 * signing with ecdsa-with-SHA384 verifies as ES384 over that key.
 */
const ALG_BY_OID: Readonly<Record<string, CoseAlg>> = {
  [SignatureAlgorithmOid.ecdsaWithSha256]: CoseAlg.ES256,
  [SignatureAlgorithmOid.ecdsaWithSha384]: CoseAlg.ES384,
  [SignatureAlgorithmOid.ecdsaWithSha512]: CoseAlg.ES512,
};

/** Import (once) and cache a public key handle from SPKI DER. */
export function publicKeyFromSpki(spki: Uint8Array, cacheKey: string): PublicKey {
  const hit = certificateKeys.get(cacheKey);
  if (hit !== undefined) return hit;
  const key = importPublicKey({ format: 'spki', der: spki });
  certificateKeys.set(cacheKey, key);
  return key;
}

/**
 * Verify an X.509-style ECDSA signature (DER ECDSA-Sig-Value, hash named by the signature
 * algorithm OID) over `tbs` with the issuer's key. Returns false for a wrong signature, an
 * unsupported algorithm or a malformed signature encoding.
 */
export async function verifyDerSignature(
  key: PublicKey,
  signatureAlgorithmOid: string,
  tbs: Uint8Array,
  signatureDer: Uint8Array,
): Promise<boolean> {
  const alg = ALG_BY_OID[signatureAlgorithmOid];
  if (alg === undefined || key.kty !== 'EC2') return false;
  let raw: Uint8Array;
  try {
    raw = ecdsaDerToRaw(signatureDer, key.x.length);
  } catch {
    return false;
  }
  try {
    return await verifySignature({ alg, key, data: tbs, signature: raw });
  } catch {
    return false;
  }
}
