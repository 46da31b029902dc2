import type { CoseAlg } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import type { KmsSigner } from '../signer/create-kms-signer.js';
import type { KmsSigningKeySpec } from '../signer/kms-key-spec.js';

/** A key that no longer signs: only its cached public key is kept, for verification. */
export interface RetiredKmsKey {
  /** The key ARN (or id) it signed with. */
  readonly keyId: string;
  /** Its KMS key spec. */
  readonly keySpec: KmsSigningKeySpec;
  /** Its COSE algorithm. */
  readonly alg: CoseAlg;
  /** Its public key, DER SubjectPublicKeyInfo. */
  readonly publicKey: Uint8Array;
  /** When it was retired, if known. */
  readonly retiredAt?: Date;
}

/** A public key the ring can verify with, and whether its key may still sign. */
export interface KmsVerificationKey {
  /** The key ARN (or id). */
  readonly keyId: string;
  /** `active` (the one signing key) or `retired` (verify only). */
  readonly status: 'active' | 'retired';
  /** Its COSE algorithm. */
  readonly alg: CoseAlg;
  /** DER SubjectPublicKeyInfo. */
  readonly publicKey: Uint8Array;
}

/** Options for {@link KmsKeyRing}. */
export interface KmsKeyRingOptions {
  /** The one signing key. */
  readonly active: KmsSigner;
  /** Earlier keys, verify only. */
  readonly retired?: readonly RetiredKmsKey[];
}

/** The bare key id of an ARN (`arn:…:key/<id>` → `<id>`), or the input unchanged. */
function bareKeyId(keyId: string): string {
  const at = keyId.lastIndexOf(':key/');
  return at >= 0 ? keyId.slice(at + 5) : keyId;
}

/**
 * One active KMS signing key plus retired, verify-only keys. Asymmetric KMS keys cannot be rotated
 * in place (KMS answers `UnsupportedOperationException`), so rotation is a new key plus an alias
 * move ({@link rotateKmsKey}); the ring keeps the old key's cached public key so signatures made
 * before the rotation still verify, and refuses to sign with it.
 *
 * @example
 * ```ts
 * const ring = new KmsKeyRing({ active: await createKmsSigner({ client, keyId: 'alias/mdl-ds' }) });
 * const { signer } = await rotateKmsKey({ client, aliasName: 'alias/mdl-ds', keySpec: 'ECC_NIST_P256' });
 * ring.rotate(signer);
 * ring.signerFor(oldKeyArn); // throws ERR_SIGNER_RETIRED_KEY
 * ```
 */
export class KmsKeyRing {
  #active: KmsSigner;
  #retired: RetiredKmsKey[];

  constructor(options: KmsKeyRingOptions) {
    this.#active = options.active;
    this.#retired = [...(options.retired ?? [])].map((k) =>
      Object.freeze({ ...k, publicKey: k.publicKey.slice() }),
    );
    if (this.#retired.some((k) => sameKey(k.keyId, options.active.keyId))) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'The active KMS key cannot also be listed as retired.', {
        details: { keyId: options.active.keyId },
      });
    }
  }

  /** The signer of the active key. */
  get active(): KmsSigner {
    return this.#active;
  }

  /** The retired keys, newest first. */
  get retired(): readonly RetiredKmsKey[] {
    return [...this.#retired];
  }

  /**
   * The signer for `keyId` (ARN or bare key id).
   *
   * @throws {@link MdlError} `ERR_SIGNER_RETIRED_KEY` when the key is retired (it can never sign
   *   again), `ERR_INVALID_ARGUMENT` when the ring does not know it.
   * @example
   * ```ts
   * const signer = ring.signerFor(ring.active.keyId);
   * ```
   */
  signerFor(keyId: string): KmsSigner {
    if (sameKey(keyId, this.#active.keyId)) return this.#active;
    const retired = this.#retired.find((k) => sameKey(k.keyId, keyId));
    if (retired !== undefined) {
      throw new MdlError(
        'ERR_SIGNER_RETIRED_KEY',
        `KMS key ${retired.keyId} is retired: it only verifies. Sign with the active key ${this.#active.keyId}.`,
        { details: { keyId: retired.keyId, activeKeyId: this.#active.keyId } },
      );
    }
    throw new MdlError('ERR_INVALID_ARGUMENT', `KMS key ${keyId} is not in this key ring.`, {
      details: { keyId },
    });
  }

  /**
   * Every public key the ring can verify with: the active key first, then retired keys.
   *
   * @example
   * ```ts
   * for (const k of ring.verificationKeys()) console.log(k.keyId, k.status);
   * ```
   */
  verificationKeys(): readonly KmsVerificationKey[] {
    const active = this.#active;
    return [
      { keyId: active.keyId, status: 'active', alg: active.alg, publicKey: active.publicKey.slice() },
      ...this.#retired.map((k) => ({
        keyId: k.keyId,
        status: 'retired' as const,
        alg: k.alg,
        publicKey: k.publicKey.slice(),
      })),
    ];
  }

  /**
   * Makes `next` the active key and retires the current one (its public key stays for verification).
   *
   * @param retiredAt - recorded on the retired key (inject your clock).
   * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` when `next` is already in the ring.
   * @example
   * ```ts
   * ring.rotate(newSigner, new Date());
   * ```
   */
  rotate(next: KmsSigner, retiredAt?: Date): void {
    if (sameKey(next.keyId, this.#active.keyId) || this.#retired.some((k) => sameKey(k.keyId, next.keyId))) {
      throw new MdlError('ERR_INVALID_ARGUMENT', `KMS key ${next.keyId} is already in this key ring.`, {
        details: { keyId: next.keyId },
      });
    }
    const previous = this.#active;
    const retired: RetiredKmsKey = {
      keyId: previous.keyId,
      keySpec: previous.keySpec,
      alg: previous.alg,
      publicKey: previous.publicKey.slice(),
      ...(retiredAt === undefined ? {} : { retiredAt }),
    };
    this.#retired.unshift(Object.freeze(retired));
    this.#active = next;
  }
}

function sameKey(a: string, b: string): boolean {
  return a === b || bareKeyId(a) === bareKeyId(b);
}
