/** @internal The Region of a KMS key or alias ARN (`arn:aws:kms:<region>:<account>:key/…`), else undefined. */
export function regionOfKmsArn(keyId: string): string | undefined {
  const match = /^arn:[^:]+:kms:([a-z0-9-]+):\d*:(?:key|alias)\//.exec(keyId);
  return match?.[1];
}

/** @internal True for a multi-Region key id (`mrk-…`) or an ARN naming one. */
export function isMultiRegionKeyId(keyId: string): boolean {
  return /(^|key\/)mrk-[0-9a-f]{32}$/.test(keyId);
}
