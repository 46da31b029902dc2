import { digest } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';

/** @internal ACM-PCA EC key algorithms and the ECDSA signing algorithm that goes with each. */
export const EC_SIGNING_ALGORITHM = {
  EC_prime256v1: 'SHA256WITHECDSA',
  EC_secp384r1: 'SHA384WITHECDSA',
  EC_secp521r1: 'SHA512WITHECDSA',
} as const;

/** @internal Base64 (standard alphabet, padded) of bytes, as ACM-PCA `CustomExtension.Value` wants it. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** @internal The partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`). */
function partitionOf(arn: string): string {
  const partition = arn.split(':')[1];
  return partition !== undefined && /^aws(-[a-z-]+)?$/.test(partition) ? partition : 'aws';
}

/** @internal An AWS Private CA template ARN in the CA's partition. */
export function templateArn(caArn: string, template: string): string {
  return `arn:${partitionOf(caArn)}:acm-pca:::template/${template}`;
}

/** @internal `{ region, id }` of a CA ARN `arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<id>`. */
export function parseCaArn(caArn: string): { readonly region: string; readonly id: string } {
  const match = /^arn:aws[a-z-]*:acm-pca:([a-z0-9-]+):\d{12}:certificate-authority\/([0-9a-f-]{36})$/.exec(
    caArn,
  );
  if (match === null) {
    throw new MdlError(
      'ERR_AWS_CONFIG_INVALID',
      'Not an AWS Private CA ARN (…:certificate-authority/<uuid>).',
      {
        details: { caArn },
      },
    );
  }
  return { region: match[1]!, id: match[2]! };
}

/** @internal Whole seconds since the epoch, as ACM-PCA's ABSOLUTE validity wants. */
export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** @internal Checks an integer option within bounds. */
export function checkDays(value: number, min: number, max: number, name: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new MdlError(
      'ERR_INVALID_ARGUMENT',
      `${name} must be a whole number of days from ${min} to ${max}.`,
      {
        details: { [name]: value, min, max },
      },
    );
  }
}

/** AWS Private CA's limit on `IdempotencyToken` (CreateCertificateAuthority, IssueCertificate): 1..36 characters. */
export const MAX_IDEMPOTENCY_TOKEN_LENGTH = 36;

/**
 * @internal Checks an idempotency token against AWS's limits before anything is created: 1..36
 * characters of `[\w!,.?()-]` (AWS would reject a longer one only after earlier calls succeeded).
 *
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT`.
 */
export function checkIdempotencyToken(token: string | undefined, name = 'idempotencyToken'): void {
  if (token === undefined) return;
  if (
    typeof token !== 'string' ||
    token.length < 1 ||
    token.length > MAX_IDEMPOTENCY_TOKEN_LENGTH ||
    !/^[\w!,.?()-]+$/.test(token)
  ) {
    throw new MdlError(
      'ERR_INVALID_ARGUMENT',
      `${name} must be 1 to ${MAX_IDEMPOTENCY_TOKEN_LENGTH} characters of letters, digits and _ ! , . ? ( ) - ` +
        '(AWS Private CA rejects longer tokens).',
      { details: { option: name, length: typeof token === 'string' ? token.length : undefined } },
    );
  }
}

/**
 * @internal A second token derived from a caller's token (for the root certificate request of
 * `createIaca`): deterministic, so a retry with the same token gets the same certificate, and
 * within AWS's 36 characters whatever the caller's token length.
 */
export function derivedIdempotencyToken(token: string, purpose: string): string {
  const bytes = digest('SHA-256', new TextEncoder().encode(`mdlkit:${purpose}:${token}`));
  return Array.from(bytes.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
}
