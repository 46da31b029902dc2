/**
 * @module
 * Issue mdocs: IssuerSignedItems, Mobile Security Objects, IssuerAuth, batches, status lists.
 */
export const packageName = '@mdlkit/issuer' as const;

// The status list model, token parsing and verification live in @mdlkit/core/status (readers use
// them without the issuer); they stay exported here for issuers that build and check their tokens.
export {
  DEFAULT_MAX_STATUS_LIST_BYTES,
  type ParsedIdentifierListToken,
  type ParsedStatusListToken,
  type ParsedStatusTokenBase,
  parseIdentifierListToken,
  parseStatusListToken,
  type StatusBits,
  StatusClaim,
  StatusList,
  StatusTokenType,
  StatusValue,
  type VerifyStatusTokenOptions,
  verifyStatusToken,
} from '@mdlkit/core/status';
export {
  type BatchDocumentResult,
  type BatchProgress,
  type BatchResult,
  type BatchSummary,
  type IssueBatchOptions,
  issueBatch,
} from './batch/issue-batch.js';
export {
  createLocalKeyEncryptionKey,
  type LocalKeyEncryptionKey,
  type LocalKeyEncryptionKeyOptions,
} from './holder-record/local-key-encryption-key.js';
export {
  holderRecordContext,
  type OpenHolderRecordOptions,
  openHolderRecord,
  type RewrapHolderRecordOptions,
  rewrapHolderRecord,
  type SealedHolderRecord,
  type SealHolderRecordOptions,
  sealHolderRecord,
  shredHolderRecord,
} from './holder-record/seal-holder-record.js';
export {
  type IssuedMdoc,
  type IssueMdocOptions,
  type IssueValidity,
  issueMdoc,
} from './issue/issue-mdoc.js';
export { validateIssuerData } from './issue/validate-issuer-data.js';
export {
  type SignedIssuerAuth,
  type SignIssuerAuthOptions,
  signIssuerAuth,
} from './issuer-auth/sign-issuer-auth.js';
export {
  type CreateIssuerSignedItemsOptions,
  createIssuerSignedItems,
  type IssuedItem,
  type IssuedNameSpaces,
  type KeyOrder,
  type NameSpacesInput,
} from './items/create-issuer-signed-items.js';
export {
  assignDigestIds,
  DIGEST_ID_LIMIT,
  type DigestIdStrategy,
  type RandomBytes,
  randomBelow,
} from './items/digest-ids.js';
export {
  type BuildMsoOptions,
  type BuiltMso,
  buildMso,
  type KeyAuthorizationsInput,
  type MsoStatusInput,
} from './mso/build-mso.js';
export { type CheckedValidity, checkValidity, type ValidityInput } from './mso/check-validity.js';
export { allocateIdentifier, StatusIndexAllocator } from './status/allocate-status-index.js';
export {
  buildIdentifierListToken,
  buildStatusListToken,
  type StatusTokenCommonOptions,
} from './status/status-token.js';
