import { type AwsClientDefaults, awsClientDefaults } from '@mdlkit/aws-common';
import { MdlError } from '@mdlkit/core/errors';
import { regionOfKmsArn } from '../internal/kms-arn.js';
import { pemToDer } from '../internal/pem.js';
import { KMS_KEY_SPECS, type KmsSigningKeySpec } from '../signer/kms-key-spec.js';

/**
 * What a KMS signer needs besides the client, read from an environment object by {@link fromEnv}.
 * Pass `clientConfig` to `new KMSClient(...)` (credentials come from the SDK's default provider
 * chain), then `{ client, keyId, keySpec, publicKey, certificate }` to `createKmsSigner`.
 */
export interface KmsEnvConfig {
  /** AWS Region of the key. */
  readonly region: string;
  /** Endpoint override (VPC endpoint, FIPS endpoint, local emulator), if set. */
  readonly endpoint?: string;
  /** Key id, key ARN, alias name or alias ARN. */
  readonly keyId: string;
  /** The key spec, if set (saves the `DescribeKey` call). */
  readonly keySpec?: KmsSigningKeySpec;
  /** The public key as DER SubjectPublicKeyInfo, if a PEM was set (saves `GetPublicKey`). */
  readonly publicKey?: Uint8Array;
  /** The DS certificate as DER, if a PEM was set (the signer then checks it is the key's). */
  readonly certificate?: Uint8Array;
  /** Per-attempt request timeout in milliseconds, if set. */
  readonly timeoutMs?: number;
  /**
   * Configuration for `new KMSClient(clientConfig)`: region, endpoint and {@link awsClientDefaults}
   * (the SDK's adaptive retry strategy — the only retry layer — and per-attempt timeouts).
   */
  readonly clientConfig: { readonly region: string; readonly endpoint?: string } & AwsClientDefaults;
}

/** An environment: `process.env` in Node, or any record of strings. */
export type EnvRecord = Readonly<Record<string, string | undefined>>;

const nonEmpty = (value: string | undefined): string | undefined => {
  const t = value?.trim();
  return t === undefined || t.length === 0 ? undefined : t;
};

/**
 * Reads KMS signer configuration from an environment object (never from `process.env` itself):
 *
 * | variable | meaning |
 * |---|---|
 * | `MDLKIT_KMS_REGION` (else the key ARN's Region, `AWS_REGION`, `AWS_DEFAULT_REGION`) | Region — required; must match a key ARN |
 * | `MDLKIT_KMS_ENDPOINT` (else `AWS_ENDPOINT_URL_KMS`) | endpoint override, http(s) URL |
 * | `MDLKIT_KMS_KEY_ID` | key id / key ARN / `alias/…` / alias ARN — required |
 * | `MDLKIT_KMS_KEY_SPEC` | `ECC_NIST_P256` / `ECC_NIST_P384` / `ECC_NIST_P521` / `ECC_NIST_EDWARDS25519` |
 * | `MDLKIT_KMS_PUBLIC_KEY_PEM` | the key's `PUBLIC KEY` PEM (newlines or literal `\n`) |
 * | `MDLKIT_DS_CERTIFICATE_PEM` | the DS certificate `CERTIFICATE` PEM; the signer refuses a key that is not its key |
 * | `MDLKIT_KMS_TIMEOUT_MS` | per-attempt request timeout, 1–600000 ms (default 5000) |
 *
 * @throws {@link MdlError} `ERR_AWS_CONFIG_INVALID` naming the variable that is missing or malformed.
 * @example
 * ```ts
 * const cfg = fromEnv(process.env);
 * const signer = await createKmsSigner({ ...cfg, client: new KMSClient(cfg.clientConfig) });
 * ```
 */
export function fromEnv(env: EnvRecord): KmsEnvConfig {
  const keyIdForRegion = nonEmpty(env['MDLKIT_KMS_KEY_ID']);
  const arnRegion = keyIdForRegion === undefined ? undefined : regionOfKmsArn(keyIdForRegion);
  const explicitRegion = nonEmpty(env['MDLKIT_KMS_REGION']);
  if (arnRegion !== undefined && explicitRegion !== undefined && explicitRegion !== arnRegion) {
    throw new MdlError(
      'ERR_AWS_CONFIG_INVALID',
      `MDLKIT_KMS_REGION is ${explicitRegion} but the key ARN in MDLKIT_KMS_KEY_ID is in ${arnRegion}: a KMS key ` +
        'signs only in its own Region (use the replica ARN of a multi-Region key to sign in another Region).',
      { details: { variable: 'MDLKIT_KMS_REGION' } },
    );
  }
  const region =
    explicitRegion ?? arnRegion ?? nonEmpty(env['AWS_REGION']) ?? nonEmpty(env['AWS_DEFAULT_REGION']);
  if (region === undefined || !/^[a-z]{2}(-[a-z0-9]+)+-\d+$/.test(region)) {
    throw new MdlError(
      'ERR_AWS_CONFIG_INVALID',
      'Set MDLKIT_KMS_REGION (or AWS_REGION) to the Region of the KMS key, e.g. eu-west-1.',
      { details: { variable: 'MDLKIT_KMS_REGION' } },
    );
  }
  const endpoint = nonEmpty(env['MDLKIT_KMS_ENDPOINT']) ?? nonEmpty(env['AWS_ENDPOINT_URL_KMS']);
  if (endpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      throw new MdlError('ERR_AWS_CONFIG_INVALID', 'MDLKIT_KMS_ENDPOINT must be an http(s) URL.', {
        details: { variable: 'MDLKIT_KMS_ENDPOINT' },
      });
    }
  }
  const keyId = nonEmpty(env['MDLKIT_KMS_KEY_ID']);
  if (keyId === undefined || keyId.length > 2048) {
    throw new MdlError(
      'ERR_AWS_CONFIG_INVALID',
      'Set MDLKIT_KMS_KEY_ID to the signing key: key id, key ARN, alias/<name> or alias ARN.',
      { details: { variable: 'MDLKIT_KMS_KEY_ID' } },
    );
  }
  const specText = nonEmpty(env['MDLKIT_KMS_KEY_SPEC']);
  if (specText !== undefined && !Object.hasOwn(KMS_KEY_SPECS, specText)) {
    throw new MdlError(
      'ERR_AWS_CONFIG_INVALID',
      `MDLKIT_KMS_KEY_SPEC must be one of ${Object.keys(KMS_KEY_SPECS).join(', ')}.`,
      { details: { variable: 'MDLKIT_KMS_KEY_SPEC' } },
    );
  }
  const pem = nonEmpty(env['MDLKIT_KMS_PUBLIC_KEY_PEM']);
  const publicKey = pem === undefined ? undefined : pemToDer(pem, 'PUBLIC KEY', 'MDLKIT_KMS_PUBLIC_KEY_PEM');
  const certificatePem = nonEmpty(env['MDLKIT_DS_CERTIFICATE_PEM']);
  const certificate =
    certificatePem === undefined
      ? undefined
      : pemToDer(certificatePem, 'CERTIFICATE', 'MDLKIT_DS_CERTIFICATE_PEM');
  const timeoutText = nonEmpty(env['MDLKIT_KMS_TIMEOUT_MS']);
  let timeoutMs: number | undefined;
  if (timeoutText !== undefined) {
    timeoutMs = /^\d{1,6}$/.test(timeoutText) ? Number(timeoutText) : Number.NaN;
    if (!(timeoutMs >= 1 && timeoutMs <= 600_000)) {
      throw new MdlError(
        'ERR_AWS_CONFIG_INVALID',
        'MDLKIT_KMS_TIMEOUT_MS must be an integer from 1 to 600000.',
        {
          details: { variable: 'MDLKIT_KMS_TIMEOUT_MS' },
        },
      );
    }
  }
  return {
    region,
    keyId,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(specText === undefined ? {} : { keySpec: specText as KmsSigningKeySpec }),
    ...(publicKey === undefined ? {} : { publicKey }),
    ...(certificate === undefined ? {} : { certificate }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    clientConfig: {
      region,
      ...(endpoint === undefined ? {} : { endpoint }),
      ...awsClientDefaults(timeoutMs === undefined ? {} : { requestTimeoutMs: timeoutMs }),
    },
  };
}
