import { cacheStats, clearCaches, setCacheLimits } from '@mdlkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCertificate, TrustStore, validateCertificatePath } from '../src/index.js';
import { vectorPem } from './helpers.js';

const S = 'pki-profile-samples';
const stat = (name: string) => cacheStats().find((c) => c.name === name)!;

describe("pki's caches in core's registry", () => {
  afterEach(() => {
    setCacheLimits('pki.parsed-certificates', { maxEntries: 2048 });
    clearCaches();
  });

  it('parsed certificates, keys and verified pairs are counted, bounded in bytes and cleared', async () => {
    clearCaches();
    const root = vectorPem(`${S}/isomdl-iaca-root.pem`);
    const ds = vectorPem(`${S}/isomdl-ds.pem`);
    const r = await validateCertificatePath({
      chain: [ds],
      trustStore: new TrustStore([root]),
      now: new Date('2024-06-01T00:00:00Z'),
      profile: 'ds',
    });
    expect(r.valid).toBe(true);
    for (const name of ['pki.parsed-certificates', 'pki.certificate-keys', 'pki.certificate-signatures']) {
      const s = stat(name);
      expect(s.entries, name).toBeGreaterThan(0);
      expect(s.bytes!, name).toBeLessThanOrEqual(s.limits!.maxBytes);
    }
    expect(parseCertificate(ds)).toBe(parseCertificate(ds));
    clearCaches();
    for (const name of ['pki.parsed-certificates', 'pki.certificate-keys', 'pki.certificate-signatures']) {
      expect(stat(name)).toMatchObject({ entries: 0, bytes: 0 });
    }
  });

  it('with the certificate cache off, parsing still works and keeps nothing', () => {
    clearCaches();
    setCacheLimits('pki.parsed-certificates', { maxEntries: 0 });
    const ds = vectorPem(`${S}/isomdl-ds.pem`);
    const a = parseCertificate(ds);
    const b = parseCertificate(ds);
    expect(a).not.toBe(b);
    expect(a.serialHex).toBe(b.serialHex);
    expect(stat('pki.parsed-certificates').entries).toBe(0);
  });
});
