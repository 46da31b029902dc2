/**
 * Concurrency against SoftHSM: a batch of MSOs issued with many signatures in flight through a
 * token whose session pool is bounded — the bound holds (counted by the pool and, independently,
 * around the real binding), signatures really run side by side, one login serves every session.
 */
import { generateKeyPair, importPublicKey, verifySignature } from '@mdlkit/core/crypto';
import { issueBatch } from '@mdlkit/issuer';
import { createSoftHsm, type SoftHsm, softHsmOrSkip } from '@mdlkit/test-utils/softhsm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPkcs11Csr,
  createPkcs11Signer,
  generatePkcs11Key,
  openPkcs11Token,
  Pkcs11Module,
  type Pkcs11Token,
} from '../src/index.js';
import { countingBinding } from './support/counting-binding.js';
import { createTestIaca, DOCTYPE, dsCertificateFromCsr, mdlElements, NOW } from './support/mdl.js';

const modulePath = softHsmOrSkip('packages/pkcs11/test/concurrency.test.ts');

describe.skipIf(modulePath === undefined)('session pool bound under a concurrent batch', () => {
  const PIN = '135790';
  let hsm: SoftHsm;
  let module: Pkcs11Module;
  let token: Pkcs11Token;
  const { probe, instrument } = countingBinding();

  beforeAll(async () => {
    hsm = createSoftHsm(modulePath!, ['pool'], PIN);
    module = Pkcs11Module.load({ path: hsm.module, instrument });
    token = await openPkcs11Token({ module, tokenLabel: 'pool', pin: PIN, maxSessions: 3 });
  });
  afterAll(async () => {
    await module?.close();
    hsm?.cleanup();
  });

  it('200 MSOs with 32 in flight: never more than 3 sessions, signatures side by side, one login', async () => {
    const iaca = await createTestIaca();
    await generatePkcs11Key({ token, curve: 'P-256', label: 'batch-ds' });
    const signer = await createPkcs11Signer({ token, key: { label: 'batch-ds' } });
    const dsCertificate = await dsCertificateFromCsr(
      iaca,
      await createPkcs11Csr({ signer, subject: { country: 'US', commonName: 'batch DS' } }),
    );
    const deviceKeys = Array.from({ length: 200 }, () => generateKeyPair({ curve: 'P-256' }).publicKey);
    const signsBefore = probe.signs;
    const result = await issueBatch({
      docType: DOCTYPE,
      nameSpaces: mdlElements(),
      deviceKeys,
      validity: { validUntil: new Date(NOW.getTime() + 86_400_000) },
      signer,
      dsCertificate,
      now: NOW,
      concurrency: 32,
    });
    expect(result.summary.succeeded).toBe(200);
    expect(result.summary.failed).toBe(0);
    expect(probe.signs - signsBefore).toBe(200);

    const stats = token.stats();
    expect(stats.maxSessions).toBe(3);
    expect(stats.maxInUse).toBe(3); // 32 wanted a session; the pool held them to 3
    expect(stats.opened).toBeLessThanOrEqual(3);
    expect(stats.inUse).toBe(0);
    expect(stats.waiting).toBe(0);
    expect(stats.logins).toBe(1);
    // counted around the real library, independently of the pool's own bookkeeping
    expect(probe.maxSessionsOpen).toBeLessThanOrEqual(3);
    expect(probe.maxSignsInFlight).toBeLessThanOrEqual(3);
    expect(probe.maxSignsInFlight).toBeGreaterThanOrEqual(2);
    expect(probe.logins).toBe(1);
  });

  it('parallel signDigest calls beyond the bound all complete, each verifying', async () => {
    const signer = await createPkcs11Signer({ token, key: { label: 'batch-ds' } });
    if (signer.kind !== 'digest') throw new Error('expected ECDSA');
    const key = importPublicKey({ format: 'spki', der: signer.publicKey });
    const messages = Array.from({ length: 40 }, (_, i) => new TextEncoder().encode(`message ${i}`));
    const { digest } = await import('@mdlkit/core/crypto');
    const signatures = await Promise.all(messages.map((m) => signer.signDigest(digest('SHA-256', m))));
    for (let i = 0; i < messages.length; i++) {
      expect(await verifySignature({ alg: -7, key, data: messages[i]!, signature: signatures[i]! })).toBe(
        true,
      );
    }
    expect(token.stats().maxInUse).toBe(3);
    expect(probe.maxSessionsOpen).toBeLessThanOrEqual(3);
  });
});
