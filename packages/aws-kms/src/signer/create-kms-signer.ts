import { type AwsCallOptions, type AwsClientLike, pickAwsCallOptions } from '@mdlkit/aws-common';
import type { CoseDigestSigner, CoseSigner, HashAlgorithm } from '@mdlkit/core/crypto';
import { ecdsaDerToRaw, importPublicKey } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { clientRegion, isMultiRegionKeyId, regionOfKmsArn } from '../internal/kms-arn.js';
import { kmsDescribeKey, kmsGetPublicKey, kmsSign } from '../internal/kms-commands.js';
import { certificateSpki, sameSpkiKey } from '../internal/spki.js';
import {
  KMS_KEY_SPECS,
  KMS_MAX_RAW_MESSAGE_BYTES,
  type KmsKeySpecProfile,
  type KmsSigningKeySpec,
  toSigningKeySpec,
} from './kms-key-spec.js';

/** Options for {@link createKmsSigner}. */
export interface KmsSignerOptions extends AwsCallOptions {
  /**
   * An injected KMS client for the key's Region (`new KMSClient({ region, ...awsClientDefaults() })`);
   * its retry strategy is the only retry layer.
   */
  readonly client: AwsClientLike;
  /** Key id, key ARN, alias name (`alias/…`) or alias ARN. */
  readonly keyId: string;
  /** The key's spec; when given, no `DescribeKey` call is made. */
  readonly keySpec?: KmsSigningKeySpec;
  /**
   * The key's public key as DER SubjectPublicKeyInfo (what `GetPublicKey` returns); when given, no
   * `GetPublicKey` call is made. With both `keySpec` and `publicKey` given the signer makes no
   * call until it signs, and `keyId` must then name the key itself, not an alias. Otherwise the
   * signer fetches the key's public key and refuses a `publicKey` that is not it.
   */
  readonly publicKey?: Uint8Array;
  /**
   * The DS certificate (DER) this key signs for. When given, the signer refuses to exist unless the
   * certificate's SubjectPublicKeyInfo is the KMS key's public key — checked locally, with no KMS
   * call when `keySpec` and `publicKey` are preset.
   */
  readonly certificate?: Uint8Array;
}

/** What every KMS signer exposes besides the port. */
export interface KmsSignerInfo {
  /** The key the signer signs with: the key ARN resolved at creation (never an alias). */
  readonly keyId: string;
  /** The KMS key spec. */
  readonly keySpec: KmsSigningKeySpec;
  /** The KMS signing algorithm sent with every `Sign`. */
  readonly signingAlgorithm: KmsKeySpecProfile['signingAlgorithm'];
  /** The key's public key, DER SubjectPublicKeyInfo (cached; signing never fetches it). */
  readonly publicKey: Uint8Array;
  /**
   * The Region the key signs in: from its ARN (a multi-Region replica signs in the replica's Region),
   * else the client's Region; `undefined` only when neither is known (a bare key id, never described,
   * through a client port that does not expose its Region).
   */
  readonly region: string | undefined;
  /** True for a multi-Region key (`mrk-…`): a primary or a replica, usable in a `KmsKeyRing` with its replicas. */
  readonly multiRegion: boolean;
}

/** An ECDSA KMS key as a {@link CoseDigestSigner}: KMS `Sign` with `MessageType: DIGEST`. */
export interface KmsDigestSigner extends CoseDigestSigner, KmsSignerInfo {
  /** The key's public key, DER SubjectPublicKeyInfo. */
  readonly publicKey: Uint8Array;
  /** The hash the caller must digest the to-be-signed bytes with. */
  readonly hash: HashAlgorithm;
}

/** An Ed25519 KMS key as a {@link CoseSigner}: KMS `Sign` with `MessageType: RAW`, ≤ 4096 bytes. */
export interface KmsMessageSigner extends CoseSigner, KmsSignerInfo {
  /** The key's public key, DER SubjectPublicKeyInfo. */
  readonly publicKey: Uint8Array;
  /** Largest message KMS signs in RAW mode (4096). */
  readonly maxMessageBytes: number;
}

/** A KMS-backed signer: digest signer for ECDSA keys, message signer for Ed25519 keys. */
export type KmsSigner = KmsDigestSigner | KmsMessageSigner;

const HASH_BYTES: Readonly<Record<HashAlgorithm, number>> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

const isAliasName = (keyId: string): boolean =>
  keyId.startsWith('alias/') || /^arn:[^:]+:kms:[^:]*:[^:]*:alias\//.test(keyId);

/**
 * Creates a signer for a KMS asymmetric key. The COSE algorithm comes from the key spec
 * (ECC_NIST_P256 → ES256, P384 → ES384, P521 → ES512, ECC_NIST_EDWARDS25519 → EdDSA, RFC 9053); an
 * alias is resolved once to the key ARN so a later alias move never makes the cached public key
 * disagree with the signing key.
 *
 * ECDSA keys return a {@link KmsDigestSigner}: the caller hashes the COSE `Sig_structure` with the
 * algorithm's hash (ISO/IEC 18013-5 §9.1.2.4 IssuerAuth; RFC 9052 §4.4), KMS signs the digest
 * (`MessageType: DIGEST`: a fixed-size request whatever the Sig_structure's size, with no 4096-byte limit), and the DER
 * signature is converted to fixed-width `r‖s` (RFC 9053 §2.1; P-521 long-form DER included).
 * Ed25519 keys return a {@link KmsMessageSigner} using `ED25519_SHA_512` in `RAW` mode (PureEdDSA).
 *
 * Calls (each through the client's SDK retry strategy, audited per attempt): `DescribeKey` unless
 * `keySpec` is given (checks SIGN_VERIFY, Enabled and the spec), `GetPublicKey` unless both
 * `keySpec` and `publicKey` are given.
 *
 * @throws {@link MdlError} `ERR_SIGNER_KEY_USAGE` (not a SIGN_VERIFY key of a supported spec),
 *   `ERR_SIGNER_KEY_DISABLED`, `ERR_SIGNER_ACCESS_DENIED` (names the IAM action), `ERR_SIGNER_THROTTLED`,
 *   `ERR_SIGNER_TIMEOUT`, `ERR_SIGNER_UNAVAILABLE`, `ERR_AWS_CONFIG_INVALID` (unknown key, alias with a
 *   preset public key), `ERR_SIGNER_KEY_MISMATCH` (the given public key or certificate is not the KMS key's).
 * @example
 * ```ts
 * const client = new KMSClient({ region, ...awsClientDefaults() });
 * const signer = await createKmsSigner({ client, keyId: 'alias/mdl-ds', certificate: dsCertificateDer });
 * if (signer.kind === 'digest') await signer.signDigest(sha256(sigStructure));
 * ```
 */
export async function createKmsSigner(options: KmsSignerOptions): Promise<KmsSigner> {
  const { client, keyId } = options;
  if (typeof keyId !== 'string' || keyId.length === 0 || keyId.length > 2048) {
    throw new MdlError(
      'ERR_AWS_CONFIG_INVALID',
      'KMS signer needs a key id, key ARN, alias name or alias ARN.',
    );
  }
  // A KMS key is used through its own Region's endpoint: a key ARN of another Region than the
  // client's can only fail (NotFoundException), so say so before any call.
  const signsIn = await clientRegion(client);
  const arnRegion = regionOfKmsArn(keyId);
  if (arnRegion !== undefined && signsIn !== undefined && arnRegion !== signsIn) {
    throw new MdlError(
      'ERR_AWS_CONFIG_INVALID',
      `KMS key ${keyId} is in ${arnRegion} but the client signs for ${signsIn}: a KMS key is used through its own ` +
        "Region's endpoint. Use a client for " +
        `${arnRegion}, or the replica ARN of a multi-Region key with a client for the replica's Region.`,
      { details: { keyId, keyRegion: arnRegion, clientRegion: signsIn } },
    );
  }
  let resolvedKeyId = keyId;
  let keySpec = options.keySpec;
  if (keySpec !== undefined) keySpec = toSigningKeySpec(keySpec, keyId);
  else {
    const described = await kmsDescribeKey(client, keyId, options);
    const meta = described.KeyMetadata;
    if (meta === undefined) {
      throw new MdlError('ERR_SIGNER_FAILED', `KMS DescribeKey on ${keyId} returned no key metadata.`);
    }
    resolvedKeyId = meta.Arn ?? meta.KeyId ?? keyId;
    if (meta.KeyUsage !== 'SIGN_VERIFY') {
      throw new MdlError(
        'ERR_SIGNER_KEY_USAGE',
        `KMS key ${keyId} has key usage ${meta.KeyUsage ?? '(none)'}; create the signing key with KeyUsage SIGN_VERIFY.`,
        { details: { keyId, keyUsage: meta.KeyUsage } },
      );
    }
    if (meta.Enabled === false || (meta.KeyState !== undefined && meta.KeyState !== 'Enabled')) {
      throw new MdlError(
        'ERR_SIGNER_KEY_DISABLED',
        `KMS key ${keyId} is ${meta.KeyState ?? 'disabled'}: enable it (kms:EnableKey) or cancel its deletion.`,
        { details: { keyId, keyState: meta.KeyState } },
      );
    }
    keySpec = toSigningKeySpec(meta.KeySpec, keyId);
    const algorithms = meta.SigningAlgorithms;
    if (algorithms !== undefined && !algorithms.includes(KMS_KEY_SPECS[keySpec].signingAlgorithm)) {
      throw new MdlError(
        'ERR_SIGNER_KEY_USAGE',
        `KMS key ${keyId} does not offer ${KMS_KEY_SPECS[keySpec].signingAlgorithm}.`,
        { details: { keyId, keySpec } },
      );
    }
  }

  let publicKey = options.publicKey;
  const presetPublicKey = publicKey;
  // A given public key is trusted as is only with a preset key spec and a key ARN (no call at all);
  // otherwise the signer asks KMS and refuses a given key that is not the KMS key.
  if (publicKey === undefined || options.keySpec === undefined) {
    const got = await kmsGetPublicKey(client, resolvedKeyId, options);
    if (!(got.PublicKey instanceof Uint8Array) || got.PublicKey.length === 0) {
      throw new MdlError('ERR_SIGNER_FAILED', `KMS GetPublicKey on ${keyId} returned no public key.`);
    }
    if (got.KeySpec !== keySpec) {
      throw new MdlError(
        'ERR_SIGNER_KEY_USAGE',
        `KMS key ${keyId} reports key spec ${got.KeySpec ?? '(none)'} but ${keySpec} was expected.`,
        { details: { keyId, keySpec: got.KeySpec } },
      );
    }
    publicKey = got.PublicKey.slice();
    if (got.KeyId !== undefined) resolvedKeyId = got.KeyId;
    if (presetPublicKey !== undefined && !sameSpkiKey(presetPublicKey, publicKey)) {
      throw new MdlError(
        'ERR_SIGNER_KEY_MISMATCH',
        `The public key configured for KMS key ${keyId} is not the key's public key in KMS (${resolvedKeyId}): ` +
          'an alias may have moved, or the PEM belongs to another key. Use the public key GetPublicKey returns.',
        { details: { keyId, resolvedKeyId } },
      );
    }
  } else {
    if (!(publicKey instanceof Uint8Array) || publicKey.length === 0) {
      throw new MdlError(
        'ERR_AWS_CONFIG_INVALID',
        'KMS signer publicKey must be DER SubjectPublicKeyInfo bytes.',
      );
    }
    publicKey = publicKey.slice();
    if (options.keySpec !== undefined && isAliasName(keyId)) {
      throw new MdlError(
        'ERR_AWS_CONFIG_INVALID',
        `KMS signer for ${keyId}: with a preset key spec and public key, give the key ARN, not an alias — an alias ` +
          'can move to another key (rotation) and the cached public key would no longer match.',
        { details: { keyId } },
      );
    }
  }
  checkPublicKey(publicKey, keySpec, keyId);
  if (options.certificate !== undefined) {
    const spki = certificateSpki(options.certificate);
    if (!sameSpkiKey(spki, publicKey)) {
      throw new MdlError(
        'ERR_SIGNER_KEY_MISMATCH',
        `KMS key ${resolvedKeyId} is not the key of the given DS certificate: every MSO it signed would fail in ` +
          "every reader. Issue the certificate for this key's CSR, or point the signer at the certificate's key.",
        { details: { keyId: resolvedKeyId } },
      );
    }
  }
  return buildSigner(
    client,
    resolvedKeyId,
    keySpec,
    publicKey,
    regionOfKmsArn(resolvedKeyId) ?? signsIn,
    options,
  );
}

/** The SPKI must parse (core's strict SPKI reader, point on the curve) and be of the key spec's curve. */
function checkPublicKey(publicKey: Uint8Array, keySpec: KmsSigningKeySpec, keyId: string): void {
  const expected = KMS_KEY_SPECS[keySpec].webCryptoCurve;
  const { curve } = importPublicKey({ format: 'spki', der: publicKey });
  if (curve !== expected) {
    throw new MdlError(
      'ERR_AWS_CONFIG_INVALID',
      `The public key given for KMS key ${keyId} is a ${curve} key, but the key spec ${keySpec} needs ${expected}.`,
      { details: { keyId, keySpec, curve } },
    );
  }
}

function buildSigner(
  client: AwsClientLike,
  keyId: string,
  keySpec: KmsSigningKeySpec,
  publicKey: Uint8Array,
  region: string | undefined,
  options: AwsCallOptions,
): KmsSigner {
  const profile = KMS_KEY_SPECS[keySpec];
  const callOptions = pickAwsCallOptions(options);
  const info = {
    keyId,
    keySpec,
    signingAlgorithm: profile.signingAlgorithm,
    publicKey,
    region,
    multiRegion: isMultiRegionKeyId(keyId),
  };

  const signature = async (message: Uint8Array, messageType: 'DIGEST' | 'RAW'): Promise<Uint8Array> => {
    const out = await kmsSign(
      client,
      {
        KeyId: keyId,
        Message: message,
        MessageType: messageType,
        SigningAlgorithm: profile.signingAlgorithm,
      },
      callOptions,
    );
    if (!(out.Signature instanceof Uint8Array) || out.Signature.length === 0) {
      throw new MdlError('ERR_SIGNER_FAILED', `KMS Sign on ${keyId} returned no signature.`, {
        details: { keyId },
      });
    }
    return out.Signature;
  };

  if (profile.hash === undefined) {
    const signer: KmsMessageSigner = {
      kind: 'message',
      alg: profile.alg,
      ...info,
      maxMessageBytes: KMS_MAX_RAW_MESSAGE_BYTES,
      async sign(toBeSigned: Uint8Array): Promise<Uint8Array> {
        if (!(toBeSigned instanceof Uint8Array) || toBeSigned.length === 0) {
          throw new MdlError(
            'ERR_INVALID_ARGUMENT',
            'Ed25519 KMS signer needs a non-empty Uint8Array to sign.',
          );
        }
        if (toBeSigned.length > KMS_MAX_RAW_MESSAGE_BYTES) {
          throw new MdlError(
            'ERR_SIGNER_MESSAGE_TOO_LARGE',
            `KMS signs Ed25519 (PureEdDSA) messages of at most ${KMS_MAX_RAW_MESSAGE_BYTES} bytes in RAW mode and ` +
              `cannot digest-sign them; this message is ${toBeSigned.length} bytes. Use an ECDSA key ` +
              '(ECC_NIST_P256/P384/P521, DIGEST mode) for large structures such as MSOs with many elements or decoys.',
            { details: { keyId, length: toBeSigned.length, limit: KMS_MAX_RAW_MESSAGE_BYTES } },
          );
        }
        const sig = await signature(toBeSigned, 'RAW');
        if (sig.length !== 64) {
          throw new MdlError(
            'ERR_CRYPTO_INVALID_SIGNATURE_ENCODING',
            'KMS returned an Ed25519 signature that is not 64 bytes.',
            {
              details: { keyId, length: sig.length },
            },
          );
        }
        return sig.slice();
      },
    };
    return Object.freeze(signer);
  }

  const hash = profile.hash;
  const signer: KmsDigestSigner = {
    kind: 'digest',
    alg: profile.alg,
    ...info,
    hash,
    async signDigest(digest: Uint8Array): Promise<Uint8Array> {
      if (!(digest instanceof Uint8Array) || digest.length !== HASH_BYTES[hash]) {
        throw new MdlError(
          'ERR_INVALID_ARGUMENT',
          `KMS ${profile.signingAlgorithm} DIGEST signing needs a ${HASH_BYTES[hash]}-byte ${hash} digest.`,
          {
            details: {
              keyId,
              expected: HASH_BYTES[hash],
              length: digest instanceof Uint8Array ? digest.length : undefined,
            },
          },
        );
      }
      return ecdsaDerToRaw(await signature(digest, 'DIGEST'), profile.coordinateBytes);
    },
  };
  return Object.freeze(signer);
}
