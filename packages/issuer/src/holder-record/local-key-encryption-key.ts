import {
  aesGcmDecrypt,
  aesGcmEncrypt,
  type DecryptDataKeyOptions,
  randomBytes as defaultRandomBytes,
  type EncryptionContext,
  type GenerateDataKeyOptions,
  type GeneratedDataKey,
  type KeyEncryptionKey,
  type RewrapDataKeyOptions,
} from '@mdlkit/core/crypto';
import { isMdlError, MdlError } from '@mdlkit/core/errors';
import type { RandomBytes } from '../items/digest-ids.js';

/** Options of {@link createLocalKeyEncryptionKey}. */
export interface LocalKeyEncryptionKeyOptions {
  /** Default `local-kek`. */
  readonly keyId?: string;
  /** Source of key material and IVs. Default: the platform CSPRNG. */
  readonly randomBytes?: RandomBytes;
}

/** A key-encryption key held in this process (tests, the offline demo) — same interface as KMS. */
export interface LocalKeyEncryptionKey extends KeyEncryptionKey {
  /** Adds new key material; data keys are wrapped under it from now on, older wraps still open. */
  rotate(): void;
  /** Overwrites every key version with zeros: every data key it wrapped is gone (shreds all records). */
  destroy(): void;
  /** Whether {@link LocalKeyEncryptionKey.destroy} ran. */
  readonly destroyed: boolean;
}

// Wrapped data key: 0x01 ‖ version (u16) ‖ IV (12) ‖ AES-256-GCM(data key) ‖ tag (16).
const FORMAT = 1;
const HEADER = 1 + 2 + 12;

function contextAad(keyId: string, version: number, context: EncryptionContext): Uint8Array {
  const entries = Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new TextEncoder().encode(JSON.stringify(['mdlkit local kek', keyId, version, entries]));
}

function invalid(cause?: unknown): MdlError {
  return new MdlError(
    'ERR_HOLDER_RECORD_INVALID',
    'the wrapped data key does not open with this key-encryption key and encryption context',
    cause === undefined ? {} : { cause },
  );
}

/**
 * A local key-encryption key: AES-256-GCM over the data key with the encryption context as AAD, in
 * this process's memory (key material in buffers of its own, zeroed by `destroy()`). For tests and
 * the offline demo; production uses `createKmsKeyEncryptionKey` (the key never leaves KMS).
 *
 * @example
 * ```ts
 * const kek = createLocalKeyEncryptionKey();
 * const sealed = await sealHolderRecord({ kek, holderId: 'holder-0001', plaintext });
 * kek.destroy(); // every record it sealed is now unreadable
 * ```
 */
export function createLocalKeyEncryptionKey(
  options: LocalKeyEncryptionKeyOptions = {},
): LocalKeyEncryptionKey {
  const keyId = options.keyId ?? 'local-kek';
  const random = options.randomBytes ?? defaultRandomBytes;
  const versions: Uint8Array[] = [new Uint8Array(random(32))];
  let destroyed = false;

  const usable = (): void => {
    if (destroyed) {
      throw new MdlError('ERR_KEK_DISABLED', `the local key-encryption key ${keyId} was destroyed`, {
        details: { keyId },
      });
    }
  };

  async function wrap(dataKey: Uint8Array, context: EncryptionContext): Promise<Uint8Array> {
    const version = versions.length - 1;
    const iv = new Uint8Array(random(12));
    const body = await aesGcmEncrypt({
      key: versions[version]!,
      iv,
      plaintext: dataKey,
      aad: contextAad(keyId, version, context),
    });
    const out = new Uint8Array(HEADER + body.length);
    out[0] = FORMAT;
    out[1] = version >> 8;
    out[2] = version & 0xff;
    out.set(iv, 3);
    out.set(body, HEADER);
    return out;
  }

  async function unwrap(wrapped: Uint8Array, context: EncryptionContext): Promise<Uint8Array> {
    if (!(wrapped instanceof Uint8Array) || wrapped.length < HEADER + 16 || wrapped[0] !== FORMAT)
      throw invalid();
    const version = (wrapped[1]! << 8) | wrapped[2]!;
    const material = versions[version];
    if (material === undefined) throw invalid();
    try {
      return await aesGcmDecrypt({
        key: material,
        iv: wrapped.subarray(3, HEADER),
        ciphertext: wrapped.subarray(HEADER),
        aad: contextAad(keyId, version, context),
      });
    } catch (error) {
      if (isMdlError(error, 'ERR_CRYPTO_DECRYPT_FAILED')) throw invalid(error);
      throw error;
    }
  }

  const checkKeyId = (requested: string | undefined): void => {
    if (requested !== undefined && requested !== keyId) {
      throw new MdlError(
        'ERR_HOLDER_RECORD_INVALID',
        `the data key was wrapped by ${requested}, not by the local key-encryption key ${keyId}`,
        { details: { keyId, requested } },
      );
    }
  };

  return {
    keyId,
    get destroyed() {
      return destroyed;
    },
    async generateDataKey(o: GenerateDataKeyOptions): Promise<GeneratedDataKey> {
      usable();
      const plaintext = new Uint8Array(random(32));
      try {
        return { plaintext, wrapped: await wrap(plaintext, o.context), keyId };
      } catch (error) {
        plaintext.fill(0);
        throw error;
      }
    },
    async decryptDataKey(o: DecryptDataKeyOptions): Promise<Uint8Array> {
      usable();
      checkKeyId(o.keyId);
      return unwrap(o.wrapped, o.context);
    },
    async rewrapDataKey(o: RewrapDataKeyOptions): Promise<{ wrapped: Uint8Array; keyId: string }> {
      usable();
      if (o.destinationKeyId !== undefined && o.destinationKeyId !== keyId) {
        throw new MdlError(
          'ERR_NOT_SUPPORTED',
          'a local key-encryption key re-wraps only under its own current key version',
          { details: { keyId, destinationKeyId: o.destinationKeyId } },
        );
      }
      const dataKey = await unwrap(o.wrapped, o.context);
      try {
        return { wrapped: await wrap(dataKey, o.context), keyId };
      } finally {
        dataKey.fill(0);
      }
    },
    rotate(): void {
      usable();
      versions.push(new Uint8Array(random(32)));
    },
    destroy(): void {
      for (const material of versions) material.fill(0);
      destroyed = true;
    },
  };
}
