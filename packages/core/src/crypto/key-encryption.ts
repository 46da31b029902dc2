/**
 * The key-encryption-key port: envelope encryption of stored data (holder records) under a key that
 * never leaves its service — AWS KMS, an HSM, or a local key for tests and the offline demo.
 * Implementations: `createKmsKeyEncryptionKey` (`@mdlkit/aws-kms`) and
 * `createLocalKeyEncryptionKey` (`@mdlkit/issuer`).
 */

/**
 * Non-secret key/value pairs bound to a wrapped data key (KMS `EncryptionContext`): unwrapping with
 * any other context fails. Not secret — KMS logs it (CloudTrail) — so it names ids, never personal data.
 */
export type EncryptionContext = Readonly<Record<string, string>>;

/** A fresh data key from {@link KeyEncryptionKey.generateDataKey}. */
export interface GeneratedDataKey {
  /**
   * The 32-byte AES-256 data key. It owns its buffer (no pool, no shared memory); the caller
   * uses it once and overwrites it with zeros (`plaintext.fill(0)`).
   */
  readonly plaintext: Uint8Array;
  /** The data key encrypted under the key-encryption key (opaque; stored beside the data). */
  readonly wrapped: Uint8Array;
  /** The key-encryption key that wrapped it (the key ARN for KMS). */
  readonly keyId: string;
}

/** Options of {@link KeyEncryptionKey.generateDataKey}. */
export interface GenerateDataKeyOptions {
  readonly context: EncryptionContext;
}

/** Options of {@link KeyEncryptionKey.decryptDataKey}. */
export interface DecryptDataKeyOptions {
  readonly wrapped: Uint8Array;
  /** Must equal the context the key was wrapped with. */
  readonly context: EncryptionContext;
  /** The key-encryption key expected to have wrapped it (refused when it is another). */
  readonly keyId?: string;
}

/** Options of {@link KeyEncryptionKey.rewrapDataKey}. */
export interface RewrapDataKeyOptions {
  readonly wrapped: Uint8Array;
  readonly context: EncryptionContext;
  /** The key-encryption key to wrap under from now on; default: this one (its current key material). */
  readonly destinationKeyId?: string;
}

/** A key-encryption key (KEK): wraps and unwraps data keys, never hands out its own key. */
export interface KeyEncryptionKey {
  /** The configured key id (key id, ARN or alias for KMS). */
  readonly keyId: string;
  /** A fresh AES-256 data key, in plaintext and wrapped, bound to `context`. */
  generateDataKey(options: GenerateDataKeyOptions): Promise<GeneratedDataKey>;
  /** The plaintext data key (an owned buffer the caller zeroes after use). */
  decryptDataKey(options: DecryptDataKeyOptions): Promise<Uint8Array>;
  /**
   * Wraps the data key again — under another key-encryption key (rotation) — without the plaintext
   * data key leaving the key service where it can avoid it (KMS `ReEncrypt`).
   */
  rewrapDataKey(
    options: RewrapDataKeyOptions,
  ): Promise<{ readonly wrapped: Uint8Array; readonly keyId: string }>;
}
