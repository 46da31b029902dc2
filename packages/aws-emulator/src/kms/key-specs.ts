/**
 * The KMS key specs, usages and algorithms the emulator implements, and which algorithms belong to
 * which key spec (AWS KMS Developer Guide, "Key spec reference").
 */
export const SUPPORTED_KEY_SPECS = [
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_NIST_EDWARDS25519',
  'ML_DSA_44',
  'ML_DSA_65',
  'ML_DSA_87',
  'SYMMETRIC_DEFAULT',
] as const;

/** A key spec the emulator can create. */
export type SupportedKeySpec = (typeof SUPPORTED_KEY_SPECS)[number];

/** Every `KeySpec` value in the KMS model (some are not implemented by the emulator). */
export const ALL_KEY_SPECS: readonly string[] = [
  'ECC_NIST_EDWARDS25519',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
  'ML_DSA_44',
  'ML_DSA_65',
  'ML_DSA_87',
  'ML_KEM_1024',
  'ML_KEM_512',
  'ML_KEM_768',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'SM2',
  'SYMMETRIC_DEFAULT',
];

/** Every `KeyUsageType` value in the KMS model. */
export const ALL_KEY_USAGES = [
  'ENCAPSULATE_DECAPSULATE',
  'ENCRYPT_DECRYPT',
  'GENERATE_VERIFY_MAC',
  'KEY_AGREEMENT',
  'SIGN_VERIFY',
] as const;

/** A KMS key usage. */
export type KeyUsage = (typeof ALL_KEY_USAGES)[number];

/** Every `SigningAlgorithmSpec` value in the KMS model. */
export const ALL_SIGNING_ALGORITHMS = [
  'ECDSA_SHA_256',
  'ECDSA_SHA_384',
  'ECDSA_SHA_512',
  'ED25519_PH_SHA_512',
  'ED25519_SHA_512',
  'ML_DSA_SHAKE_256',
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
  'SM2DSA',
] as const;

/** A KMS signing algorithm. */
export type SigningAlgorithm = (typeof ALL_SIGNING_ALGORITHMS)[number];

/** `MessageType` values. */
export const MESSAGE_TYPES = ['DIGEST', 'EXTERNAL_MU', 'RAW'] as const;

/** A KMS Sign/Verify message type. */
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** `EncryptionAlgorithmSpec` values. */
export const ENCRYPTION_ALGORITHMS = [
  'RSAES_OAEP_SHA_1',
  'RSAES_OAEP_SHA_256',
  'SM2PKE',
  'SYMMETRIC_DEFAULT',
] as const;

/** Signing algorithms per key spec, in the order AWS lists them. */
export const SIGNING_ALGORITHMS_BY_SPEC: Readonly<Record<SupportedKeySpec, readonly SigningAlgorithm[]>> = {
  ECC_NIST_P256: ['ECDSA_SHA_256'],
  ECC_NIST_P384: ['ECDSA_SHA_384'],
  ECC_NIST_P521: ['ECDSA_SHA_512'],
  ECC_NIST_EDWARDS25519: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'],
  ML_DSA_44: ['ML_DSA_SHAKE_256'],
  ML_DSA_65: ['ML_DSA_SHAKE_256'],
  ML_DSA_87: ['ML_DSA_SHAKE_256'],
  SYMMETRIC_DEFAULT: [],
};

/** The key usage each implemented key spec allows. */
export const USAGE_BY_SPEC: Readonly<Record<SupportedKeySpec, KeyUsage>> = {
  ECC_NIST_P256: 'SIGN_VERIFY',
  ECC_NIST_P384: 'SIGN_VERIFY',
  ECC_NIST_P521: 'SIGN_VERIFY',
  ECC_NIST_EDWARDS25519: 'SIGN_VERIFY',
  ML_DSA_44: 'SIGN_VERIFY',
  ML_DSA_65: 'SIGN_VERIFY',
  ML_DSA_87: 'SIGN_VERIFY',
  SYMMETRIC_DEFAULT: 'ENCRYPT_DECRYPT',
};

/** Digest length in bytes that `DIGEST` messages must have, per hash-based algorithm. */
export const DIGEST_LENGTH: Readonly<Partial<Record<SigningAlgorithm, number>>> = {
  ECDSA_SHA_256: 32,
  ECDSA_SHA_384: 48,
  ECDSA_SHA_512: 64,
  ED25519_PH_SHA_512: 64,
};
