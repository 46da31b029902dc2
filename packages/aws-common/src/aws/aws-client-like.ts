/**
 * The one method mdlkit calls on an AWS SDK v3 client. `KMSClient` from `@aws-sdk/client-kms` and
 * `ACMPCAClient` from `@aws-sdk/client-acm-pca` satisfy it structurally, so the public API names
 * no SDK type and a caller's client from a neighbouring SDK version still fits.
 *
 * Construct the client yourself (credentials, region, endpoint) with {@link awsClientDefaults}
 * spread into its configuration: that gives it the one retry layer mdlkit relies on (the SDK's own
 * adaptive retry strategy with a retry budget and client-side rate limiting) and a per-attempt
 * request timeout. mdlkit never retries on top of the SDK.
 *
 * @example
 * ```ts
 * import { KMSClient } from '@aws-sdk/client-kms';
 * const client: AwsClientLike = new KMSClient({ region: 'eu-west-1', ...awsClientDefaults() });
 * ```
 */
export interface AwsClientLike {
  /** Send one command; `abortSignal` cancels it (including the SDK's pending retries). */
  send(command: AwsCommandLike, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** One middleware registration as the SDK's `middlewareStack.add` takes it. */
export interface AwsMiddlewareOptions {
  readonly step: 'finalizeRequest';
  readonly priority: 'low';
  readonly name: string;
  readonly override: boolean;
}

/** The shape of an SDK command object as far as mdlkit needs it. */
export interface AwsCommandLike {
  /** The operation's input structure. */
  readonly input: object;
  /** The command's own middleware stack (mdlkit adds its per-attempt audit here, never on the client). */
  readonly middlewareStack?: {
    // biome-ignore lint/suspicious/noExplicitAny: the SDK's middleware types differ between SDK versions
    add(middleware: any, options: AwsMiddlewareOptions): void;
  };
}
