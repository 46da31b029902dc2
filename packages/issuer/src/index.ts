/** Issue mdocs: IssuerSignedItems, Mobile Security Objects, IssuerAuth, batches, status lists. */
export const packageName = '@mdlkit/issuer' as const;

export {
  DEFAULT_RETRY_POLICY,
  isThrottlingError,
  type RetryDependencies,
  type RetryPolicy,
  type RetryStats,
  withRetry,
} from './batch/retry.js';
export {
  assignDigestIds,
  DIGEST_ID_LIMIT,
  type DigestIdStrategy,
  type RandomBytes,
  randomBelow,
} from './items/digest-ids.js';
export { allocateIdentifier, StatusIndexAllocator } from './status/allocate-status-index.js';
export {
  DEFAULT_MAX_STATUS_LIST_BYTES,
  type StatusBits,
  StatusList,
  StatusValue,
} from './status/status-list.js';
