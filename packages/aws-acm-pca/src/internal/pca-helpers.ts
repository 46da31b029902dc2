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
