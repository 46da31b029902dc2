import { ACMPCAClient } from '@aws-sdk/client-acm-pca';
import { KMSClient } from '@aws-sdk/client-kms';
import { type Emulator, startEmulator } from '@mdlkit/aws-emulator';
import { awsClientDefaults } from '@mdlkit/aws-kms';

/** The AWS clients the demo uses, and how to release them. */
export interface DemoAws {
  readonly mode: 'emulator' | 'real';
  readonly kms: KMSClient;
  readonly pca: ACMPCAClient;
  /** Where the clients point (the emulator URL, or the region for real AWS). */
  readonly where: string;
  close(): Promise<void>;
}

/**
 * Real `@aws-sdk/client-kms` and `@aws-sdk/client-acm-pca` clients: against the embedded emulator
 * on a free loopback port (default), or against AWS with the SDK's standard credential chain
 * (environment, shared config / SSO profile, container or instance role).
 */
export async function openDemoAws(
  mode: 'emulator' | 'real',
  region: string | undefined,
  endpoint?: string,
): Promise<DemoAws> {
  if (mode === 'real') {
    // one retry layer: the SDK's adaptive strategy, shared by both clients (one budget, one rate limiter)
    const defaults = awsClientDefaults();
    const config = {
      ...defaults,
      ...(region === undefined ? {} : { region }),
      ...(endpoint === undefined ? {} : { endpoint }),
    };
    const kms = new KMSClient(config);
    const pca = new ACMPCAClient(config);
    const resolved = await kms.config.region();
    return {
      mode,
      kms,
      pca,
      where: `AWS ${resolved}${endpoint === undefined ? '' : ` via ${endpoint}`}`,
      close: async () => {
        kms.destroy();
        pca.destroy();
      },
    };
  }
  const emulator: Emulator = await startEmulator({ port: 0 });
  // The emulator accepts any credentials; fixed ones keep the SDK away from the real chain.
  const config = {
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials: { accessKeyId: 'AKIDMDLKITDEMO', secretAccessKey: 'emulator' },
    ...awsClientDefaults(),
  };
  const kms = new KMSClient(config);
  const pca = new ACMPCAClient(config);
  return {
    mode,
    kms,
    pca,
    where: `embedded emulator ${emulator.endpoint}`,
    close: async () => {
      kms.destroy();
      pca.destroy();
      await emulator.close();
    },
  };
}
