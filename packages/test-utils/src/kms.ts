/**
 * @module
 * `withKms()`: the project's AWS emulator on loopback and real `@aws-sdk/client-kms` clients
 * pointed at it, started before a test file (or `describe` block) and torn down after it.
 */
import {
  CreateKeyCommand,
  type CreateKeyCommandInput,
  type KeyMetadata,
  KMSClient,
  type KMSClientConfig,
} from '@aws-sdk/client-kms';
import { type AwsClientDefaultsOptions, awsClientDefaults } from '@mdlkit/aws-common';
import { type Emulator, type EmulatorOptions, startEmulator } from '@mdlkit/aws-emulator';
import { afterAll, beforeAll } from 'vitest';

/** The SigV4 credentials the tests sign with (the emulator accepts any signature). */
export const EMULATOR_CREDENTIALS = {
  accessKeyId: 'AKIDEMULATOR',
  secretAccessKey: 'emulator-secret',
} as const;

/** How {@link KmsFixture.newClient} configures a client. */
export interface TestClientOptions {
  /** The client's Region (the emulator serves each request in the Region of its credential scope); default the emulator's. */
  readonly region?: string;
  /**
   * mdlkit's client defaults (`awsClientDefaults`), spread over `{ mode: 'standard', backoffMs: () => 0 }`
   * (no back-off waits in tests); `false` leaves the SDK's own retry strategy and handler in place.
   */
  readonly retry?: AwsClientDefaultsOptions | false;
  /** Further SDK configuration, spread last (for example `{ maxAttempts: 1 }` with `retry: false`). */
  readonly config?: Partial<KMSClientConfig>;
}

/** Options of {@link withKms}. */
export interface WithKmsOptions {
  /** Passed to `startEmulator` (clock, Region, ACM-PCA timing, …). */
  readonly emulator?: EmulatorOptions;
  /** How the fixture's {@link KmsFixture.client} is configured. */
  readonly client?: TestClientOptions;
}

/** A KMS key the fixture created. */
export interface TestKmsKey {
  /** The key ARN (what a signer's `keyId` takes). */
  readonly arn: string;
  /** The bare key id. */
  readonly keyId: string;
  /** Everything CreateKey returned about the key. */
  readonly metadata: KeyMetadata;
}

/** What {@link withKms} returns; its members are usable from `beforeAll` on and until `afterAll`. */
export interface KmsFixture {
  /** The running emulator (its `faults`, `state`, `endpoint`, …). */
  readonly emulator: Emulator;
  /** A real KMS client for the emulator, configured by {@link WithKmsOptions.client}. */
  readonly client: KMSClient;
  /** Another real client for the emulator; it is destroyed with the fixture. */
  newClient(options?: TestClientOptions): KMSClient;
  /**
   * Creates a key through `client` (default the fixture's) with exactly `input` (default a P-256
   * signing key: `{ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }`).
   */
  createKey(input?: CreateKeyCommandInput, client?: KMSClient): Promise<TestKmsKey>;
}

/** A real KMS client for `emulator`, as {@link KmsFixture.newClient} configures it. */
export function emulatorKmsClient(emulator: Emulator, options: TestClientOptions = {}): KMSClient {
  return new KMSClient({
    endpoint: emulator.endpoint,
    region: options.region ?? emulator.region,
    credentials: EMULATOR_CREDENTIALS,
    ...(options.retry === false
      ? {}
      : awsClientDefaults({ mode: 'standard', backoffMs: () => 0, ...options.retry })),
    ...options.config,
  });
}

/**
 * Registers `beforeAll` / `afterAll` hooks in the calling scope (a test file or a `describe`
 * block) that start the AWS emulator on loopback (port 0), make a real `@aws-sdk/client-kms`
 * client for it, and at the end destroy every client the fixture made and close the emulator.
 *
 * @example
 * ```ts
 * const kms = withKms({ client: { retry: { maxAttempts: 4 } } });
 * it('signs', async () => {
 *   const key = await kms.createKey();
 *   const signer = await createKmsSigner({ client: kms.client, keyId: key.arn });
 * });
 * ```
 */
export function withKms(options: WithKmsOptions = {}): KmsFixture {
  let emulator: Emulator | undefined;
  let client: KMSClient | undefined;
  const clients: KMSClient[] = [];
  const running = (): Emulator => {
    if (emulator === undefined) throw new Error('withKms: the emulator runs from beforeAll to afterAll only');
    return emulator;
  };
  const newClient = (clientOptions?: TestClientOptions): KMSClient => {
    const made = emulatorKmsClient(running(), clientOptions);
    clients.push(made);
    return made;
  };
  beforeAll(async () => {
    emulator = await startEmulator(options.emulator);
    client = newClient(options.client);
  });
  afterAll(async () => {
    for (const made of clients.splice(0)) made.destroy();
    client = undefined;
    await emulator?.close();
    emulator = undefined;
  });
  return {
    get emulator() {
      return running();
    },
    get client() {
      running();
      return client!;
    },
    newClient,
    async createKey(input = { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }, via) {
      running();
      const out = await (via ?? client!).send(new CreateKeyCommand(input));
      const metadata = out.KeyMetadata!;
      return { arn: metadata.Arn!, keyId: metadata.KeyId!, metadata };
    },
  };
}
