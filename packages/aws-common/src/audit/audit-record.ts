/** The AWS service an audited call went to. */
export type AwsServiceName = 'kms' | 'acm-pca' | 's3';

/**
 * One structured record per AWS call attempt. Binary fields (messages, digests, signatures,
 * plaintexts, ciphertexts, public keys) and long text never appear: they are replaced by
 * `{ redacted: 'bytes' | 'text', length }` (see {@link redactForAudit}).
 */
export interface AwsAuditRecord {
  /** When the attempt started (ISO 8601, from the injected clock). */
  readonly timestamp: string;
  /** `kms` or `acm-pca`. */
  readonly service: AwsServiceName;
  /** The API operation (`Sign`, `GetPublicKey`, `IssueCertificate` …). */
  readonly operation: string;
  /** KMS: the key id, key ARN or alias the request named; ACM-PCA: the CA or certificate ARN. */
  readonly resourceId: string | undefined;
  /** The AWS request id (`x-amzn-RequestId`), when the service answered. */
  readonly requestId: string | undefined;
  /** Wall time of this attempt in milliseconds. */
  readonly latencyMs: number;
  /** `success`, or `error` (then `errorName` says which). */
  readonly outcome: 'success' | 'error';
  /**
   * The SDK's invocation id (`amz-sdk-invocation-id`): the same for every attempt of one call, so
   * the attempts of one signature can be grouped.
   */
  readonly invocationId: string | undefined;
  /** 1-based attempt number within the SDK's retry loop (from the `amz-sdk-request` header). */
  readonly attempt: number;
  /** The AWS error type name (`ThrottlingException` …, `TimeoutError`, `Error`) when `outcome` is `error`. */
  readonly errorName?: string;
  /** The Node network error code (`ECONNRESET`, `ENOTFOUND` …) when the attempt failed on the network. */
  readonly networkError?: string;
  /** The request with every binary value and long text redacted. */
  readonly request: RedactedValue;
  /** The response with every binary value and long text redacted (`success` only). */
  readonly response?: RedactedValue;
}

/** Receives audit records. Exceptions it throws propagate (fail closed: no unaudited signature). */
export type AuditSink = (record: AwsAuditRecord) => void;

/** A JSON-safe value with bytes and long text replaced by their length. */
export type RedactedValue =
  | string
  | number
  | boolean
  | null
  | { readonly redacted: 'bytes' | 'text'; readonly length: number }
  | readonly RedactedValue[]
  | { readonly [key: string]: RedactedValue };

/** Text longer than this is summarised by its length (certificates, CSRs, policies). */
const MAX_AUDIT_TEXT = 256;
const MAX_AUDIT_DEPTH = 6;
/** Field names whose string values are secret or signed content, whatever their length. */
const SENSITIVE_FIELDS: ReadonlySet<string> = new Set([
  'Message',
  'Digest',
  'Signature',
  'Plaintext',
  'CiphertextBlob',
  'PrivateKeyPlaintext',
  'PrivateKeyCiphertextBlob',
  'Mac',
  'SharedSecret',
]);

/**
 * Copies `value` into a JSON-safe audit form: every `Uint8Array` / `ArrayBuffer` becomes
 * `{ redacted: 'bytes', length }`, text over 256 characters or under a sensitive field name
 * becomes `{ redacted: 'text', length }`, and SDK `$metadata` is dropped.
 *
 * @example
 * ```ts
 * redactForAudit({ KeyId: 'alias/ds', Message: new Uint8Array(32) });
 * // { KeyId: 'alias/ds', Message: { redacted: 'bytes', length: 32 } }
 * ```
 */
export function redactForAudit(value: unknown): RedactedValue {
  return redact(value, 0, undefined);
}

function redact(value: unknown, depth: number, field: string | undefined): RedactedValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) {
    return { redacted: 'bytes', length: value.byteLength };
  }
  if (ArrayBuffer.isView(value)) return { redacted: 'bytes', length: value.byteLength };
  if (typeof value === 'string') {
    if ((field !== undefined && SENSITIVE_FIELDS.has(field)) || value.length > MAX_AUDIT_TEXT) {
      return { redacted: 'text', length: value.length };
    }
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (depth >= MAX_AUDIT_DEPTH) return { redacted: 'text', length: 0 };
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, field));
  if (typeof value === 'object') {
    const out: Record<string, RedactedValue> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === '$metadata' || item === undefined || typeof item === 'function') continue;
      out[key] = redact(item, depth + 1, key);
    }
    return out;
  }
  return null;
}
