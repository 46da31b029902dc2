import {
  aesGcmDecrypt,
  aesGcmEncrypt,
  randomBytes as defaultRandomBytes,
  type EncryptionContext,
  type KeyEncryptionKey,
} from '@mdlkit/core/crypto';
import { isMdlError, MdlError } from '@mdlkit/core/errors';
import type { RandomBytes } from '../items/digest-ids.js';

/**
 * A holder record sealed by envelope encryption: the record under a per-holder AES-256-GCM data
 * key, the data key wrapped by a key-encryption key (KMS or local) and stored beside the record.
 * Both layers are bound to the holder id and the purpose (KMS encryption context and GCM AAD), so a
 * record cannot be opened as another holder's, or for another purpose. Destroying `wrappedKey`
 * ({@link shredHolderRecord}) crypto-shreds the record.
 */
export interface SealedHolderRecord {
  /** Format version of this structure (1). */
  readonly version: 1;
  /** An opaque holder id (it travels in the KMS encryption context, which KMS logs: no personal data). */
  readonly holderId: string;
  /** What the record is for (`holder-record`, `portrait` …), also bound to both layers. */
  readonly purpose: string;
  /** The key-encryption key that wrapped the data key (the key ARN for KMS). */
  readonly keyId: string;
  /** The wrapped data key; `null` once shredded. */
  readonly wrappedKey: Uint8Array | null;
  /** The 12-byte AES-GCM IV of the record. */
  readonly iv: Uint8Array;
  /** AES-256-GCM ciphertext of the record with the 16-byte tag appended. */
  readonly ciphertext: Uint8Array;
}

/** Options of {@link sealHolderRecord}. */
export interface SealHolderRecordOptions {
  /** The key-encryption key (`createKmsKeyEncryptionKey`, `createLocalKeyEncryptionKey`). */
  readonly kek: KeyEncryptionKey;
  readonly holderId: string;
  /** Default `holder-record`. */
  readonly purpose?: string;
  /** The record's bytes (for example the CBOR of the holder's issuer data). */
  readonly plaintext: Uint8Array;
  /** Source of the record's IV. Default: the platform CSPRNG. */
  readonly randomBytes?: RandomBytes;
}

/** Options of {@link openHolderRecord}. */
export interface OpenHolderRecordOptions {
  readonly kek: KeyEncryptionKey;
  readonly record: SealedHolderRecord;
}

/** Options of {@link rewrapHolderRecord}. */
export interface RewrapHolderRecordOptions {
  readonly kek: KeyEncryptionKey;
  readonly record: SealedHolderRecord;
  /** The key-encryption key to wrap under from now on; default the KEK's own (current) key. */
  readonly destinationKeyId?: string;
}

const DEFAULT_PURPOSE = 'holder-record';
const MAX_ID_LENGTH = 256;

function checkId(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH) {
    throw new MdlError('ERR_INVALID_ARGUMENT', `${name} must be a string of 1..${MAX_ID_LENGTH} characters`, {
      details: { name },
    });
  }
  return value;
}

/**
 * The encryption context that binds a holder record's data key: holder id and purpose.
 *
 * @example
 * ```ts
 * holderRecordContext('holder-0001', 'holder-record');
 * // { 'mdlkit:holder-id': 'holder-0001', 'mdlkit:purpose': 'holder-record' }
 * ```
 */
export function holderRecordContext(holderId: string, purpose: string): EncryptionContext {
  return { 'mdlkit:holder-id': holderId, 'mdlkit:purpose': purpose };
}

/** The record layer's AAD: version, holder id and purpose, length-prefixed (unambiguous). */
function recordAad(holderId: string, purpose: string): Uint8Array {
  const text = new TextEncoder();
  const parts = [text.encode('mdlkit holder record v1'), text.encode(holderId), text.encode(purpose)];
  const out = new Uint8Array(parts.reduce((n, p) => n + 4 + p.length, 0));
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const part of parts) {
    view.setUint32(offset, part.length);
    out.set(part, offset + 4);
    offset += 4 + part.length;
  }
  return out;
}

/**
 * Seals a holder record: a fresh data key from the KEK (`GenerateDataKey` for KMS) bound to the
 * holder id and purpose, the record encrypted with it (AES-256-GCM, the same binding as AAD), and
 * the plaintext data key overwritten with zeros before this returns — also when it fails.
 *
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` (ids), the KEK's errors (`ERR_KEK_*`).
 * @example
 * ```ts
 * const kek = createKmsKeyEncryptionKey({ client: kms, keyId: 'alias/mdl-holder-records' });
 * const sealed = await sealHolderRecord({ kek, holderId: 'holder-0001', plaintext: encodeCbor(data) });
 * ```
 */
export async function sealHolderRecord(options: SealHolderRecordOptions): Promise<SealedHolderRecord> {
  const holderId = checkId(options.holderId, 'holderId');
  const purpose = checkId(options.purpose ?? DEFAULT_PURPOSE, 'purpose');
  if (!(options.plaintext instanceof Uint8Array)) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'plaintext must be a Uint8Array', {
      details: { name: 'plaintext' },
    });
  }
  const dataKey = await options.kek.generateDataKey({ context: holderRecordContext(holderId, purpose) });
  try {
    if (dataKey.plaintext.length !== 32) {
      throw new MdlError(
        'ERR_KEK_FAILED',
        'the key-encryption key returned a data key that is not 32 bytes',
        {
          details: { length: dataKey.plaintext.length },
        },
      );
    }
    const iv = new Uint8Array((options.randomBytes ?? defaultRandomBytes)(12));
    const ciphertext = await aesGcmEncrypt({
      key: dataKey.plaintext,
      iv,
      plaintext: options.plaintext,
      aad: recordAad(holderId, purpose),
    });
    return {
      version: 1,
      holderId,
      purpose,
      keyId: dataKey.keyId,
      wrappedKey: new Uint8Array(dataKey.wrapped),
      iv,
      ciphertext,
    };
  } finally {
    dataKey.plaintext.fill(0);
  }
}

/**
 * Opens a sealed holder record: unwraps the data key (KMS `Decrypt` with the holder's encryption
 * context and the recorded key id), decrypts the record and zeroes the data key.
 *
 * @throws {@link MdlError} `ERR_HOLDER_RECORD_SHREDDED` (the wrapped key was destroyed),
 *   `ERR_HOLDER_RECORD_INVALID` (tampered record or wrapped key, another holder's or purpose's
 *   record), the KEK's errors (`ERR_KEK_DISABLED` for a disabled key or one pending deletion …).
 */
export async function openHolderRecord(options: OpenHolderRecordOptions): Promise<Uint8Array> {
  const { record } = options;
  if (record.wrappedKey === null) {
    throw new MdlError(
      'ERR_HOLDER_RECORD_SHREDDED',
      `the record of holder ${record.holderId} (${record.purpose}) was crypto-shredded: its data key is gone and the record can never be opened`,
      { details: { holderId: record.holderId, purpose: record.purpose } },
    );
  }
  const holderId = checkId(record.holderId, 'record.holderId');
  const purpose = checkId(record.purpose, 'record.purpose');
  if (record.version !== 1) {
    throw new MdlError('ERR_HOLDER_RECORD_INVALID', 'unknown holder record version', {
      details: { version: String(record.version) },
    });
  }
  const dataKey = await options.kek.decryptDataKey({
    wrapped: record.wrappedKey,
    context: holderRecordContext(holderId, purpose),
    keyId: record.keyId,
  });
  try {
    return await aesGcmDecrypt({
      key: dataKey,
      iv: record.iv,
      ciphertext: record.ciphertext,
      aad: recordAad(holderId, purpose),
    });
  } catch (error) {
    if (isMdlError(error, 'ERR_CRYPTO_DECRYPT_FAILED') || isMdlError(error, 'ERR_INVALID_ARGUMENT')) {
      throw new MdlError(
        'ERR_HOLDER_RECORD_INVALID',
        `the record of holder ${holderId} (${purpose}) does not decrypt: it was altered or belongs to another holder or purpose`,
        { cause: error, details: { holderId, purpose } },
      );
    }
    throw error;
  } finally {
    dataKey.fill(0);
  }
}

/**
 * Crypto-shreds a record: overwrites its wrapped data key with zeros and returns the record without
 * it. Nothing can open the result — not even with the KEK. Shred every stored copy (replicas,
 * backups) the same way; the KEK itself stays in use for every other holder.
 *
 * @example
 * ```ts
 * await store.put(holderId, shredHolderRecord(await store.get(holderId)));
 * ```
 */
export function shredHolderRecord(record: SealedHolderRecord): SealedHolderRecord {
  record.wrappedKey?.fill(0);
  return {
    ...record,
    wrappedKey: null,
    iv: new Uint8Array(record.iv),
    ciphertext: new Uint8Array(record.ciphertext),
  };
}

/**
 * Re-wraps a record's data key (KEK rotation, KMS `ReEncrypt`): the record's ciphertext is unchanged
 * and, with KMS, the plaintext data key never leaves the service.
 *
 * @throws {@link MdlError} `ERR_HOLDER_RECORD_SHREDDED`, `ERR_HOLDER_RECORD_INVALID`, `ERR_KEK_*`.
 */
export async function rewrapHolderRecord(options: RewrapHolderRecordOptions): Promise<SealedHolderRecord> {
  const { record } = options;
  if (record.wrappedKey === null) {
    throw new MdlError(
      'ERR_HOLDER_RECORD_SHREDDED',
      `the record of holder ${record.holderId} was crypto-shredded`,
      {
        details: { holderId: record.holderId, purpose: record.purpose },
      },
    );
  }
  const rewrapped = await options.kek.rewrapDataKey({
    wrapped: record.wrappedKey,
    context: holderRecordContext(record.holderId, record.purpose),
    ...(options.destinationKeyId === undefined ? {} : { destinationKeyId: options.destinationKeyId }),
  });
  return {
    ...record,
    keyId: rewrapped.keyId,
    wrappedKey: new Uint8Array(rewrapped.wrapped),
    iv: new Uint8Array(record.iv),
    ciphertext: new Uint8Array(record.ciphertext),
  };
}
