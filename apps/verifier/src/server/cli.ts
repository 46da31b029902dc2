#!/usr/bin/env node
/** `pnpm verifier`: serve the verifier page on a local port until interrupted. */
import { serve } from '@hono/node-server';
import { createVerifierApp } from './app.js';
import { buildBrowserAssets } from './assets.js';
import {
  ConfigError,
  loadReaderSigning,
  loadTrust,
  type ReaderSigning,
  readConfig,
  USAGE,
} from './config.js';
import { createOnlineVerifier } from './online-verifier.js';
import { RequestStateStore } from './request-store.js';

async function main(argv: readonly string[]): Promise<number> {
  let config: ReturnType<typeof readConfig>;
  try {
    config = readConfig(argv, process.cwd());
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (config === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  let trust: Awaited<ReturnType<typeof loadTrust>>;
  let signing: ReaderSigning | undefined;
  try {
    trust = await loadTrust(config);
    signing = loadReaderSigning(config);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 2;
  }
  const assets = await buildBrowserAssets();
  const online = createOnlineVerifier({
    lifetimeSeconds: config.stateTtlSeconds,
    ...(signing === undefined ? {} : { signing }),
  });
  const app = createVerifierApp({
    assets,
    trust,
    origin: config.origin,
    policy: config.policy,
    ruleset: config.ruleset,
    store: new RequestStateStore({ ttlSeconds: config.stateTtlSeconds }),
    online,
  });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    process.stdout.write(
      `mdlkit verifier on ${config.origin} (listening on ${info.address}:${info.port}); ` +
        `${trust.size} trust anchor(s), ${config.policy} policy, ` +
        `${signing === undefined ? 'unsigned requests' : `requests signed (${config.clientIdPrefix})`}. Ctrl-C stops it.\n`,
    );
  });
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
