/**
 * @module
 * `withAcmPca()`: {@link withKms} plus a real `@aws-sdk/client-acm-pca` client for the same
 * emulator — the set-up of the tests that put the IACA in ACM-PCA and the DS key in KMS.
 */
import { ACMPCAClient } from '@aws-sdk/client-acm-pca';
import { awsClientDefaults } from '@mdlkit/aws-common';
import { afterAll, beforeAll } from 'vitest';
import {
  EMULATOR_CREDENTIALS,
  type KmsFixture,
  type TestClientOptions,
  type WithKmsOptions,
  withKms,
} from './kms.js';

/** Options of {@link withAcmPca}. */
export interface WithAcmPcaOptions extends WithKmsOptions {
  /** How the ACM-PCA client is configured (`region`, `retry`; `config` is not used). */
  readonly pca?: Omit<TestClientOptions, 'config'>;
}

/** What {@link withAcmPca} returns: the KMS fixture and an ACM-PCA client for the same emulator. */
export interface AcmPcaFixture extends KmsFixture {
  /** A real ACM-PCA client for the emulator, destroyed with the fixture. */
  readonly pca: ACMPCAClient;
}

/**
 * Registers the hooks of {@link withKms} and, after them, hooks that make an ACM-PCA client for
 * the same emulator (mdlkit's client defaults, no back-off waits) and destroy it before the
 * emulator closes.
 */
export function withAcmPca(options: WithAcmPcaOptions = {}): AcmPcaFixture {
  const kms = withKms(options);
  let pca: ACMPCAClient | undefined;
  beforeAll(() => {
    const { emulator } = kms;
    const retry = options.pca?.retry;
    pca = new ACMPCAClient({
      endpoint: emulator.endpoint,
      region: options.pca?.region ?? emulator.region,
      credentials: EMULATOR_CREDENTIALS,
      ...(retry === false ? {} : awsClientDefaults({ mode: 'standard', backoffMs: () => 0, ...retry })),
    });
  });
  afterAll(() => {
    pca?.destroy();
    pca = undefined;
  });
  return {
    get emulator() {
      return kms.emulator;
    },
    get client() {
      return kms.client;
    },
    newClient: (clientOptions) => kms.newClient(clientOptions),
    createKey: (input, client) => kms.createKey(input, client),
    get pca() {
      if (pca === undefined) throw new Error('withAcmPca: the client exists from beforeAll to afterAll only');
      return pca;
    },
  };
}
