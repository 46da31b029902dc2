/**
 * One structured record per PKCS#11 operation attempt, in the shape of the KMS signer's
 * `AwsAuditRecord` (same field names; `service` is `pkcs11`, `requestId` / `sdkAttempts` are
 * absent), so one audit pipeline takes both. Digests, signatures and public keys appear only as
 * `{ redacted: 'bytes', length }`; the PIN never appears at all.
 */
export interface Pkcs11AuditRecord {
  /** When the attempt started (ISO 8601, from the injected clock). */
  readonly timestamp: string;
  /** Always `pkcs11`. */
  readonly service: 'pkcs11';
  /** `OpenToken`, `Login`, `FindKey`, `GetPublicKey`, `Sign`, `GenerateKeyPair`, `Reconnect`, `Close`. */
  readonly operation: Pkcs11Operation;
  /** `token/<label>` or `token/<label>/key/<label or id>`. */
  readonly resourceId: string;
  /** Wall time of this attempt in milliseconds. */
  readonly latencyMs: number;
  /** `success`, or `error` (then `errorName` and, on the final attempt, `errorCode` say which). */
  readonly outcome: 'success' | 'error';
  /** 1-based attempt number (2 after a reconnect). */
  readonly attempt: number;
  /** The PKCS#11 return value (`CKR_PIN_INCORRECT` …) or the error's name when `outcome` is `error`. */
  readonly errorName?: string;
  /** The error code thrown to the caller, on the final failed attempt. */
  readonly errorCode?: string;
  /** Whether the operation is tried again (after a reconnect). */
  readonly retryDelayMs?: number;
  /** The request, every binary value redacted. */
  readonly request: RedactedValue;
  /** The response, every binary value redacted (`success` only). */
  readonly response?: RedactedValue;
}

/** The operations the audit log names. */
export type Pkcs11Operation =
  | 'OpenToken'
  | 'Login'
  | 'FindKey'
  | 'GetPublicKey'
  | 'Sign'
  | 'GenerateKeyPair'
  | 'Reconnect'
  | 'Close';

/** Receives audit records. Exceptions it throws propagate (fail closed: no unaudited signature). */
export type Pkcs11AuditSink = (record: Pkcs11AuditRecord) => void;

/** A JSON-safe value with bytes replaced by their length. */
export type RedactedValue =
  | string
  | number
  | boolean
  | null
  | { readonly redacted: 'bytes'; readonly length: number }
  | readonly RedactedValue[]
  | { readonly [key: string]: RedactedValue };

/**
 * Copies `value` into audit form: every `Uint8Array` / `ArrayBuffer` becomes
 * `{ redacted: 'bytes', length }`; a field named `pin` is dropped whatever its value.
 *
 * @example
 * ```ts
 * redactPkcs11Audit({ mechanism: 'CKM_ECDSA', digest: new Uint8Array(32) });
 * // { mechanism: 'CKM_ECDSA', digest: { redacted: 'bytes', length: 32 } }
 * ```
 */
export function redactPkcs11Audit(value: unknown): RedactedValue {
  return redact(value, 0);
}

function redact(value: unknown, depth: number): RedactedValue {
  if (value === null || value === undefined) return null;
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    return { redacted: 'bytes', length: value.byteLength };
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (depth >= 4) return null;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, RedactedValue> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key.toLowerCase() === 'pin' || item === undefined || typeof item === 'function') continue;
      out[key] = redact(item, depth + 1);
    }
    return out;
  }
  return null;
}
