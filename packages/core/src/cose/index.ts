/**
 * @module
 * `@mdlkit/core/cose`: COSE_Sign1, COSE_Mac0 and COSE_Key (RFC 9052 / 9053) over the CBOR profile —
 * parse, sign, verify, headers, x5chain — with every signature checked over the bytes as received.
 */
export {
  type CoseKey,
  CoseKeyParam,
  CoseKty,
  coseKeyToJwk,
  coseKeyToPrivateKey,
  coseKeyToPublicKey,
  coseKeyToSpki,
  encodeCoseKey,
  jwkToCoseKey,
  type PublicKeyToCoseKeyOptions,
  privateKeyToCoseKey,
  publicKeyToCoseKey,
  spkiToCoseKey,
} from './cose-key.js';
export {
  type CoseAlgHeader,
  CoseHeader,
  type CoseHeaderLabel,
  type CoseHeaderMap,
  type CoseHeaders,
  getHeader,
  getSignatureAlg,
  getX5Chain,
  type HeaderBucket,
  type X5Chain,
  x5chainValue,
} from './headers.js';
export {
  COSE_MAC0_TAG,
  type CoseMac0,
  type CreateCoseMac0Options,
  createCoseMac0,
  decodeCoseMac0,
  encodeCoseMac0,
  parseCoseMac0,
  type VerifyCoseMac0Options,
  verifyCoseMac0,
} from './mac0.js';
export {
  COSE_SIGN1_TAG,
  type CoseSign1,
  decodeCoseSign1,
  encodeCoseSign1,
  parseCoseSign1,
  type SignCoseSign1Options,
  signCoseSign1,
  type VerifyCoseSign1Options,
  verifyCoseSign1,
} from './sign1.js';
export { buildMacStructure, buildSigStructure, type ToBeSignedInput } from './structures.js';
