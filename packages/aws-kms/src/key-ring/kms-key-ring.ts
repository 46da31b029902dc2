import type { CoseAlg } from '@mdlkit/core/crypto';
import { isMdlError, MdlError } from '@mdlkit/core/errors';
import { accountOfKmsArn, bareKeyId, isMultiRegionKeyId, regionOfKmsArn } from '../internal/kms-arn.js';
import { sameSpkiKey } from '../internal/spki.js';
import type { KmsDigestSigner, KmsMessageSigner, KmsSigner } from '../signer/create-kms-signer.js';
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
  /**
   * The Regions it signed in (its own, and its replicas' for a multi-Region key); default: the
   * Region of its ARN.
   */
  readonly regions?: readonly string[];
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
  /**
   * The Regions the key signs in (active) or signed in (retired): the key's own Region first, then
   * its multi-Region replicas' Regions. Empty when no Region is known.
   */
  readonly regions: readonly string[];
}

/** One Region the active key signs in. */
export interface KmsSigningKey {
  /** The key ARN in that Region (a replica's ARN for a replica). */
  readonly keyId: string;
  /** The Region. */
  readonly region: string | undefined;
  /** `home`: the ring's active signer; `replica`: a multi-Region replica of it in another Region. */
  readonly role: 'home' | 'replica';
}

/** Options for {@link KmsKeyRing}. */
export interface KmsKeyRingOptions {
  /** The one signing key (its signer's client is for the key's Region). */
  readonly active: KmsSigner;
  /**
   * Signers for the active key's multi-Region replicas in other Regions (`mrk-…` key ids, each
   * created with the replica's ARN and a client for the replica's Region). Each must be the same
   * key: same key id, same key spec and public key, another Region.
   */
  readonly replicas?: readonly KmsSigner[];
  /** Earlier keys, verify only. */
  readonly retired?: readonly RetiredKmsKey[];
}

/** Options for {@link KmsKeyRing.rotate}. */
export interface KmsKeyRingRotateOptions {
  /** Recorded on the retired key (inject your clock). */
  readonly retiredAt?: Date;
  /** Signers for the new key's multi-Region replicas (as {@link KmsKeyRingOptions.replicas}). */
  readonly replicas?: readonly KmsSigner[];
}

/** What {@link KmsFailoverOptions.onFailover} is told. */
export interface KmsFailoverEvent {
  /** The Region that failed. */
  readonly from: string | undefined;
  /** The Region tried next. */
  readonly to: string | undefined;
  /** Why: `ERR_SIGNER_THROTTLED`, `ERR_SIGNER_UNAVAILABLE`, `ERR_SIGNER_TIMEOUT` or a KMS internal error. */
  readonly error: MdlError;
}

/** Options for {@link KmsKeyRing.failoverSigner}. */
export interface KmsFailoverOptions {
  /** The Regions to sign in, in order; default: the active key's Region, then its replicas' in the order given. */
  readonly regions?: readonly string[];
  /** Called each time a signature moves on to the next Region (log it; it must not throw). */
  readonly onFailover?: (event: KmsFailoverEvent) => void;
}

/** A signer that tries the active key's Regions in order; see {@link KmsKeyRing.failoverSigner}. */
export type KmsFailoverSigner = KmsSigner & {
  /** The Regions it signs in, in the order it tries them. */
  readonly regions: readonly string[];
};

/**
 * A failure that says the Region's endpoint did not answer (throttled after the SDK's attempts,
 * network failure, timeout, KMS internal error) — never a refusal about the key itself (disabled,
 * access denied, wrong usage), which another Region must not paper over.
 */
function isRegionalFailure(error: unknown): error is MdlError {
  if (!isMdlError(error)) return false;
  if (
    error.code === 'ERR_SIGNER_THROTTLED' ||
    error.code === 'ERR_SIGNER_UNAVAILABLE' ||
    error.code === 'ERR_SIGNER_TIMEOUT'
  ) {
    return true;
  }
  const awsError = error.details['awsError'];
  return (
    error.code === 'ERR_SIGNER_FAILED' &&
    (awsError === 'KMSInternalException' || awsError === 'InternalFailure')
  );
}

/**
 * One active KMS signing key plus retired, verify-only keys. Asymmetric KMS keys cannot be rotated
 * in place (KMS answers `UnsupportedOperationException`), so rotation is a new key plus an alias
 * move ({@link rotateKmsKey}); the ring keeps the old key's cached public key so signatures made
 * before the rotation still verify, and refuses to sign with it.
 *
 * The ring knows which Region each key signs in: the active key's signer signs in its ARN's Region,
 * and a multi-Region active key (`mrk-…`) may bring signers for its replicas in other Regions
 * ({@link KmsKeyRingOptions.replicas}) — the same key material, so one DS certificate covers every
 * Region. {@link KmsKeyRing.signerIn} picks a Region; {@link KmsKeyRing.failoverSigner} moves to the
 * next Region when one does not answer.
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
  #replicas: KmsSigner[];
  #retired: RetiredKmsKey[];

  /**
   * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` (a retired key that is the active key; a replica
   *   that is not a multi-Region replica of the active key, or repeats a Region),
   *   `ERR_SIGNER_KEY_MISMATCH` (a replica whose public key or key spec is not the active key's).
   */
  constructor(options: KmsKeyRingOptions) {
    this.#active = options.active;
    this.#replicas = checkReplicas(options.active, options.replicas ?? []);
    this.#retired = [...(options.retired ?? [])].map((k) =>
      Object.freeze({
        ...k,
        publicKey: k.publicKey.slice(),
        ...(k.regions === undefined ? {} : { regions: Object.freeze([...k.regions]) }),
      }),
    );
    if (this.#retired.some((k) => sameKeyMaterial(k.keyId, options.active.keyId))) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'The active KMS key cannot also be listed as retired.', {
        details: { keyId: options.active.keyId },
      });
    }
  }

  /** The signer of the active key (in its home Region). */
  get active(): KmsSigner {
    return this.#active;
  }

  /** Signers of the active key's multi-Region replicas, in other Regions. */
  get replicas(): readonly KmsSigner[] {
    return [...this.#replicas];
  }

  /** The retired keys, newest first. */
  get retired(): readonly RetiredKmsKey[] {
    return [...this.#retired];
  }

  /**
   * Where the active key signs: its home Region first, then each replica's.
   *
   * @example
   * ```ts
   * ring.signingKeys(); // [{ keyId: 'arn:aws:kms:us-east-1:…:key/mrk-…', region: 'us-east-1', role: 'home' }, …]
   * ```
   */
  signingKeys(): readonly KmsSigningKey[] {
    return [
      { keyId: this.#active.keyId, region: this.#active.region, role: 'home' },
      ...this.#replicas.map((r) => ({ keyId: r.keyId, region: r.region, role: 'replica' as const })),
    ];
  }

  /**
   * The active key's signer in `region` (its home Region or a replica's).
   *
   * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` when the active key does not sign in `region`.
   * @example
   * ```ts
   * const west = ring.signerIn('eu-west-1');
   * ```
   */
  signerIn(region: string): KmsSigner {
    const found = [this.#active, ...this.#replicas].find((s) => s.region === region);
    if (found === undefined) {
      throw new MdlError(
        'ERR_INVALID_ARGUMENT',
        `The active KMS key ${this.#active.keyId} does not sign in ${region}: it signs in ${this.#regions().join(', ') || '(unknown Region)'}. ` +
          'Replicate it there (kms:ReplicateKey) and add a signer for the replica to the key ring.',
        { details: { region, keyId: this.#active.keyId } },
      );
    }
    return found;
  }

  /**
   * The signer for `keyId`: a key ARN names one Region's key (the active key's, or a replica's); a
   * bare key id names the active key in its home Region.
   *
   * @throws {@link MdlError} `ERR_SIGNER_RETIRED_KEY` when the key is retired (it can never sign
   *   again), `ERR_INVALID_ARGUMENT` when the ring does not know it.
   * @example
   * ```ts
   * const signer = ring.signerFor(ring.active.keyId);
   * ```
   */
  signerFor(keyId: string): KmsSigner {
    const signing = [this.#active, ...this.#replicas].find((s) => sameKey(keyId, s.keyId));
    if (signing !== undefined) return signing;
    // a retired multi-Region key is retired in every Region: its replicas' ARNs name it too
    const retired = this.#retired.find((k) => sameKeyMaterial(k.keyId, keyId));
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
   * Every public key the ring can verify with: the active key first, then retired keys, each with
   * the Regions it signs (signed) in.
   *
   * @example
   * ```ts
   * for (const k of ring.verificationKeys()) console.log(k.keyId, k.status, k.regions);
   * ```
   */
  verificationKeys(): readonly KmsVerificationKey[] {
    const active = this.#active;
    return [
      {
        keyId: active.keyId,
        status: 'active',
        alg: active.alg,
        publicKey: active.publicKey.slice(),
        regions: this.#regions(),
      },
      ...this.#retired.map((k) => ({
        keyId: k.keyId,
        status: 'retired' as const,
        alg: k.alg,
        publicKey: k.publicKey.slice(),
        regions: [...(k.regions ?? regionsOf([k.keyId]))],
      })),
    ];
  }

  /**
   * A signer for the active key that signs in the first Region and, when that Region's endpoint does
   * not answer — `ERR_SIGNER_THROTTLED`, `ERR_SIGNER_UNAVAILABLE`, `ERR_SIGNER_TIMEOUT` after the
   * SDK's own retries, or a KMS internal error — signs the same digest with the next Region's replica
   * (same key material: the same DS certificate verifies it). A refusal about the key (disabled,
   * pending deletion, access denied, wrong usage) is thrown at once: another Region must not
   * override it. Stateless: every signature starts with the first Region. The attempts per
   * signature are bounded by the SDK's `maxAttempts` × the number of Regions.
   *
   * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` when `regions` names a Region the key does not sign in.
   * @example
   * ```ts
   * const signer = ring.failoverSigner({ onFailover: (e) => log.warn(`KMS ${e.from} → ${e.to}: ${e.error.code}`) });
   * await issueBatch({ ..., signer, dsCertificate });
   * ```
   */
  failoverSigner(options: KmsFailoverOptions = {}): KmsFailoverSigner {
    const asked = options.regions ?? this.#regions();
    if (options.regions !== undefined && (asked.length === 0 || new Set(asked).size !== asked.length)) {
      throw new MdlError(
        'ERR_INVALID_ARGUMENT',
        `A failover signer needs one or more distinct Regions; got [${asked.join(', ')}].`,
        { details: { regions: asked.join(',') } },
      );
    }
    const chain = asked.map((region) => this.signerIn(region));
    if (chain.length === 0) chain.push(this.#active);
    const first = chain[0]!;
    const regions = Object.freeze(chain.map((s) => s.region).filter((r): r is string => r !== undefined));
    const attempt = async <T>(call: (signer: KmsSigner) => Promise<T>): Promise<T> => {
      for (let i = 0; ; i++) {
        const signer = chain[i]!;
        try {
          return await call(signer);
        } catch (error) {
          const next = chain[i + 1];
          if (next === undefined || !isRegionalFailure(error)) throw error;
          options.onFailover?.({ from: signer.region, to: next.region, error });
        }
      }
    };
    const info = {
      alg: first.alg,
      keyId: first.keyId,
      keySpec: first.keySpec,
      signingAlgorithm: first.signingAlgorithm,
      publicKey: first.publicKey.slice(),
      region: first.region,
      multiRegion: first.multiRegion,
      regions,
    };
    if (first.kind === 'digest') {
      const signer: KmsDigestSigner & { regions: readonly string[] } = {
        kind: 'digest',
        ...info,
        hash: first.hash,
        signDigest: (digest) => attempt((s) => (s as KmsDigestSigner).signDigest(digest)),
      };
      return Object.freeze(signer);
    }
    const signer: KmsMessageSigner & { regions: readonly string[] } = {
      kind: 'message',
      ...info,
      maxMessageBytes: first.maxMessageBytes,
      sign: (message) => attempt((s) => (s as KmsMessageSigner).sign(message)),
    };
    return Object.freeze(signer);
  }

  /**
   * Makes `next` the active key and retires the current one with its replicas (its public key stays
   * for verification, with the Regions it signed in).
   *
   * @param options - `{ retiredAt, replicas }`, or the `retiredAt` date alone.
   * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` when `next` is already in the ring, or a replica
   *   is not `next`'s (see the constructor).
   * @example
   * ```ts
   * ring.rotate(newSigner, { retiredAt: new Date(), replicas: [newReplicaSigner] });
   * ```
   */
  rotate(next: KmsSigner, options?: Date | KmsKeyRingRotateOptions): void {
    const { retiredAt, replicas } =
      options instanceof Date ? { retiredAt: options, replicas: undefined } : (options ?? {});
    if (
      sameKeyMaterial(next.keyId, this.#active.keyId) ||
      this.#retired.some((k) => sameKeyMaterial(k.keyId, next.keyId))
    ) {
      throw new MdlError('ERR_INVALID_ARGUMENT', `KMS key ${next.keyId} is already in this key ring.`, {
        details: { keyId: next.keyId },
      });
    }
    const nextReplicas = checkReplicas(next, replicas ?? []);
    const previous = this.#active;
    const retired: RetiredKmsKey = {
      keyId: previous.keyId,
      keySpec: previous.keySpec,
      alg: previous.alg,
      publicKey: previous.publicKey.slice(),
      regions: Object.freeze(this.#regions()),
      ...(retiredAt === undefined ? {} : { retiredAt }),
    };
    this.#retired.unshift(Object.freeze(retired));
    this.#active = next;
    this.#replicas = nextReplicas;
  }

  #regions(): string[] {
    return [this.#active, ...this.#replicas].map((s) => s.region).filter((r): r is string => r !== undefined);
  }
}

/** The replicas must be the active key in other Regions: same mrk- id, spec and public key. */
function checkReplicas(active: KmsSigner, replicas: readonly KmsSigner[]): KmsSigner[] {
  if (replicas.length === 0) return [];
  const id = bareKeyId(active.keyId);
  if (!isMultiRegionKeyId(id)) {
    throw new MdlError(
      'ERR_INVALID_ARGUMENT',
      `KMS key ${active.keyId} is not a multi-Region key (mrk-…): it has no replicas, and a key of another Region ` +
        'is another key with another public key. Create the signing key with MultiRegion: true to sign in several Regions.',
      { details: { keyId: active.keyId } },
    );
  }
  const seen = new Set<string | undefined>([active.region]);
  if (active.region === undefined) {
    throw new MdlError(
      'ERR_INVALID_ARGUMENT',
      `The Region of KMS key ${active.keyId} is unknown: give the key ARN so the key ring knows where each key signs.`,
      { details: { keyId: active.keyId } },
    );
  }
  const account = accountOfKmsArn(active.keyId);
  for (const replica of replicas) {
    const replicaAccount = accountOfKmsArn(replica.keyId);
    if (
      bareKeyId(replica.keyId) !== id ||
      (account !== undefined && replicaAccount !== undefined && replicaAccount !== account)
    ) {
      throw new MdlError(
        'ERR_INVALID_ARGUMENT',
        `KMS key ${replica.keyId} is not a replica of ${active.keyId}: a replica has the same key id (${id}) in the ` +
          'same account, in another Region.',
        { details: { keyId: replica.keyId, activeKeyId: active.keyId } },
      );
    }
    if (replica.region === undefined || seen.has(replica.region)) {
      throw new MdlError(
        'ERR_INVALID_ARGUMENT',
        `KMS key ${replica.keyId}: ${replica.region === undefined ? 'its Region is unknown (give the replica ARN)' : `the key ring already signs in ${replica.region}`}.`,
        { details: { keyId: replica.keyId, region: replica.region } },
      );
    }
    if (replica.keySpec !== active.keySpec || !sameSpkiKey(replica.publicKey, active.publicKey)) {
      throw new MdlError(
        'ERR_SIGNER_KEY_MISMATCH',
        `KMS key ${replica.keyId} does not have the public key of ${active.keyId}: a multi-Region replica has the ` +
          "primary's key material, so its DS certificate would not verify signatures made here.",
        { details: { keyId: replica.keyId, activeKeyId: active.keyId } },
      );
    }
    seen.add(replica.region);
  }
  return [...replicas];
}

function regionsOf(keyIds: readonly string[]): string[] {
  return keyIds.map(regionOfKmsArn).filter((r): r is string => r !== undefined);
}

/**
 * Two key references name the same key: equal strings, or a bare key id and an ARN ending in it.
 * Two ARNs must be equal — a multi-Region key has one ARN per Region, and those are different
 * signing keys for the ring (different Regions), though the same key material.
 */
function sameKey(a: string, b: string): boolean {
  if (a === b) return true;
  const aArn = a.startsWith('arn:');
  const bArn = b.startsWith('arn:');
  if (aArn && bArn) return false;
  return bareKeyId(a) === bareKeyId(b);
}

/**
 * Two key references name the same key material: the same key id (a multi-Region key's replicas
 * share it) in the same account when both accounts are known.
 */
function sameKeyMaterial(a: string, b: string): boolean {
  if (bareKeyId(a) !== bareKeyId(b)) return false;
  const aAccount = accountOfKmsArn(a);
  const bAccount = accountOfKmsArn(b);
  return aAccount === undefined || bAccount === undefined || aAccount === bAccount;
}
