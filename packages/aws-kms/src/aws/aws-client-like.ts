/**
 * The one method mdlkit calls on an AWS SDK v3 client. `KMSClient` from `@aws-sdk/client-kms` and
 * `ACMPCAClient` from `@aws-sdk/client-acm-pca` satisfy it structurally, so the public API names
 * no SDK type and a caller's client from a neighbouring SDK version still fits.
 *
 * Construct the client yourself (credentials, region, endpoint) and inject it; mdlkit never builds
 * one. Give it `maxAttempts: 1` so that mdlkit's own retry loop — and the audit log — sees every
 * attempt (see {@link RetryPolicy}).
 *
 * @example
 * ```ts
 * import { KMSClient } from '@aws-sdk/client-kms';
 * const client: AwsClientLike = new KMSClient({ region: 'eu-west-1', maxAttempts: 1 });
 * ```
 */
export interface AwsClientLike {
  /** Send one command; `abortSignal` cancels the HTTP request. */
  send(command: AwsCommandLike, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** The shape of an SDK command object as far as mdlkit needs it. */
export interface AwsCommandLike {
  /** The operation's input structure. */
  readonly input: object;
}
