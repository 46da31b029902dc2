/**
 * @module
 * The online presentation building blocks: HPKE, JOSE, DCQL and the Annex C messages.
 */

export {
  ANNEX_C_PROTOCOL,
  type EncryptedResponse,
  type EncryptionInfo,
  encodeEncryptedResponse,
  encodeEncryptionInfo,
  parseEncryptedResponse,
  parseEncryptionInfo,
} from './annex-c-messages.js';
export {
  checkDcqlPresentations,
  claimPath,
  type DcqlMatch,
  type DcqlMdocView,
  type DcqlQueryModel,
  type DcqlSatisfaction,
  type DcqlSelectedClaim,
  matchDcqlQuery,
  parseDcqlQuery,
} from './dcql.js';
export {
  type HpkeOpenOptions,
  type HpkeSealed,
  type HpkeSealOptions,
  HpkeSuite,
  hpkeOpen,
  hpkeSeal,
} from './hpke.js';
export {
  type DecryptedJwe,
  type DecryptJweOptions,
  decryptJwe,
  type EncryptJweOptions,
  encryptJwe,
  JweEnc,
  jwsAlgForCose,
  peekJwsCompact,
  type SignJwsCompactOptions,
  signJwsCompact,
  type VerifiedJws,
  type VerifyJwsCompactOptions,
  verifyJwsCompact,
} from './jose.js';
