/** The verifier web app's server parts, for embedding and tests. */
export { CONTENT_SECURITY_POLICY, createVerifierApp, type VerifierAppOptions } from './app.js';
export {
  APP_ROOT,
  type BrowserAssets,
  type BundleBrowserOptions,
  buildBrowserAssets,
  bundleBrowser,
  findNodeImport,
} from './assets.js';
export {
  ConfigError,
  DEFAULT_PORT,
  loadTrust,
  readCertificateFiles,
  readConfig,
  USAGE,
  type VerifierConfig,
} from './config.js';
export type { DigitalCredentialRequest, OnlineRequest, OnlineVerifier } from './online.js';
export {
  type CreateOnlineVerifierOptions,
  createOnlineVerifier,
  OFFERED_PROTOCOLS,
} from './online-verifier.js';
export {
  type CreatedRequestState,
  RequestStateStore,
  type RequestStateStoreOptions,
} from './request-store.js';
