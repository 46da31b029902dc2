import { describe, expect, it } from 'vitest';
import * as entry from '../src/crypto/index.js';

// One entry for every runtime: the backend comes from `#crypto-backend` in core's package.json
// `imports`. The browser side (web/backend.ts bundled, nothing of crypto/node/) is held by
// apps/verifier/test/browser-entries.test.ts and, in Chromium, by browser-webcrypto.test.ts.
describe('@mdlkit/core/crypto under the node condition', () => {
  it('binds the node:crypto backend', () => {
    expect(entry.cryptoProvider).toBe('node');
    expect(entry.verifySignatureSync).toBeTypeOf('function');
  });
});
