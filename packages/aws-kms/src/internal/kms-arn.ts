/** @internal The Region of a KMS key or alias ARN (`arn:aws:kms:<region>:<account>:key/…`), else undefined. */
export function regionOfKmsArn(keyId: string): string | undefined {
  const match = /^arn:[^:]+:kms:([a-z0-9-]+):\d*:(?:key|alias)\//.exec(keyId);
  return match?.[1];
}

/** @internal The account of a KMS key or alias ARN, else undefined. */
export function accountOfKmsArn(keyId: string): string | undefined {
  const match = /^arn:[^:]+:kms:[a-z0-9-]*:(\d{12}):(?:key|alias)\//.exec(keyId);
  return match?.[1];
}

/** @internal True for a multi-Region key id (`mrk-…`) or an ARN naming one. */
export function isMultiRegionKeyId(keyId: string): boolean {
  return /(^|key\/)mrk-[0-9a-f]{32}$/.test(keyId);
}

/** @internal The bare key id of a key ARN (`arn:…:key/<id>` → `<id>`), or the input unchanged. */
export function bareKeyId(keyId: string): string {
  const at = keyId.lastIndexOf(':key/');
  return at >= 0 ? keyId.slice(at + 5) : keyId;
}

/**
 * @internal The Region an SDK v3 client signs for (`client.config.region()`), when the client exposes
 * it (every `KMSClient` does); `undefined` for a port that does not.
 */
export async function clientRegion(client: object): Promise<string | undefined> {
  const region = (client as { config?: { region?: unknown } }).config?.region;
  try {
    const value = typeof region === 'function' ? await (region as () => unknown)() : region;
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}
