import { ACMPCAClient } from '@aws-sdk/client-acm-pca';
import { KMSClient } from '@aws-sdk/client-kms';
import type { Emulator } from '../src/index.js';

const credentials = { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' };

/**
 * A real KMS client pointed at the emulator (retries off unless asked), signing for `region` (the
 * emulator's default Region unless given): the emulator serves each Region's KMS by the request's
 * credential scope.
 */
export function kmsClient(emulator: Emulator, maxAttempts = 1, region: string = emulator.region): KMSClient {
  return new KMSClient({ endpoint: emulator.endpoint, region, credentials, maxAttempts });
}

/** A real ACM-PCA client pointed at the emulator. */
export function pcaClient(emulator: Emulator, maxAttempts = 1): ACMPCAClient {
  return new ACMPCAClient({ endpoint: emulator.endpoint, region: emulator.region, credentials, maxAttempts });
}

/** Runs `action` and returns the error it throws (failing when it does not throw). */
export async function errorOf(action: () => Promise<unknown>): Promise<Error & { $metadata?: unknown }> {
  try {
    await action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}
