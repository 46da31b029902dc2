/**
 * Both crypto providers in one process. `@mdlkit/core/crypto` binds the one backend its runtime
 * resolves through `#crypto-backend` (node:crypto under vitest's `node` condition, WebCrypto +
 * @noble in a browser bundle), so tests that hold the two providers to the same answers bind each
 * backend themselves: with the `bindCrypto` the entry uses, beside the entry's backend-free exports.
 */
import { bindCrypto } from '../src/crypto/bind.js';
import * as entry from '../src/crypto/index.js';
import { backend as nodeBackend } from '../src/crypto/node/backend.js';
import { backend as webBackend } from '../src/crypto/web/backend.js';

/** What `@mdlkit/core/crypto` exports (its values). */
export type CryptoApi = typeof entry;

/** `@mdlkit/core/crypto` over node:crypto (OpenSSL). */
export const node: CryptoApi = { ...entry, ...bindCrypto(nodeBackend) };
/** `@mdlkit/core/crypto` over WebCrypto + @noble, as a browser gets it. */
export const web: CryptoApi = { ...entry, ...bindCrypto(webBackend) };
