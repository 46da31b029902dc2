import { describe, expect, it } from 'vitest';
import {
  buildVical,
  buildVicalSignerCertificate,
  parseVical,
  TrustStore,
  validateCertificatePath,
  verifyVical,
} from '../src/index.js';
import { buildHelperIaca, DAY, seededRandom, testKey, vectorHex, vectorPem } from './helpers.js';

const A = 'aamva-vical';
const vicalBytes = vectorHex(`${A}/aamva-vical-2025-11-18.hex`);
const errorCodes = (r: { findings: readonly { code: string; severity: string }[] }): string[] =>
  r.findings.filter((f) => f.severity === 'error').map((f) => f.code);
const providerStore = (): TrustStore => new TrustStore([vectorPem(`${A}/aamva-dts-root-ca.pem`)]);

describe('AAMVA VICAL 2025-11-18', () => {
  it('parses: provider, dates and 14 CertificateInfos with docTypes', () => {
    const { vical, x5chain } = parseVical(vicalBytes);
    expect(vical.version).toBe('1.0');
    expect(vical.vicalProvider).toBe('AAMVA');
    expect(vical.vicalIssueID).toBe(227602);
    expect(vical.date.toISOString()).toBe('2025-11-18T18:38:12.000Z');
    expect(vical.nextUpdate?.toISOString()).toBe('2025-11-19T18:38:12.000Z');
    expect(vical.certificateInfos).toHaveLength(14);
    expect(vical.certificateInfos.every((c) => c.docTypes.includes('org.iso.18013.5.1.mDL'))).toBe(true);
    expect(x5chain).toHaveLength(3);
  });

  it('verifies at 2025-11-18T20:00:00Z', async () => {
    const r = await verifyVical({
      vical: vicalBytes,
      trustStore: providerStore(),
      now: new Date('2025-11-18T20:00:00Z'),
    });
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.stale).toBe(false);
    expect(r.signer?.leaf.subject.commonName).toBe('AAMVA Prod Vical-Signer-01');
  });

  it('is stale after nextUpdate, and rejected after the signer certificate expired', async () => {
    const stale = await verifyVical({
      vical: vicalBytes,
      trustStore: providerStore(),
      now: new Date('2025-11-20T00:00:00Z'),
    });
    expect(stale.stale).toBe(true);
    expect(stale.valid).toBe(false);
    expect(errorCodes(stale)).toEqual(['ERR_VICAL_STALE']);
    const warnOnly = await verifyVical({
      vical: vicalBytes,
      trustStore: providerStore(),
      now: new Date('2025-11-20T00:00:00Z'),
      staleSeverity: 'warning',
    });
    expect(warnOnly.valid).toBe(true);
    const expired = await verifyVical({
      vical: vicalBytes,
      trustStore: providerStore(),
      now: new Date('2026-04-19T00:00:00Z'),
    });
    expect(expired.valid).toBe(false);
    expect(expired.findings.map((f) => f.code)).toEqual(
      expect.arrayContaining(['ERR_VICAL_UNTRUSTED', 'ERR_X509_EXPIRED']),
    );
  });

  it('is untrusted without the AAMVA root, and a flipped signature byte fails', async () => {
    const none = await verifyVical({
      vical: vicalBytes,
      trustStore: new TrustStore(),
      now: new Date('2025-11-18T20:00:00Z'),
    });
    expect(none.findings.map((f) => f.code)).toContain('ERR_VICAL_UNTRUSTED');
    const tampered = vicalBytes.slice();
    tampered[tampered.length - 3]! ^= 0x40;
    const bad = await verifyVical({
      vical: tampered,
      trustStore: providerStore(),
      now: new Date('2025-11-18T20:00:00Z'),
    });
    expect(errorCodes(bad)).toEqual(['ERR_VICAL_SIGNATURE_INVALID']);
  });

  it('its 14 IACAs load as anchors restricted to their docTypes', async () => {
    const r = await verifyVical({
      vical: vicalBytes,
      trustStore: providerStore(),
      now: new Date('2025-11-18T20:00:00Z'),
    });
    const iacas = new TrustStore();
    expect(iacas.addVical(r.vical)).toBe(14);
    expect(iacas.size).toBe(14);
    expect(
      iacas.anchors().every((a) => a.source === 'vical' && a.docTypes?.[0] === 'org.iso.18013.5.1.mDL'),
    ).toBe(true);
  });

  it('rejects malformed input with ERR_VICAL_INVALID', () => {
    expect(() => parseVical(vicalBytes.subarray(0, 100))).toThrow(
      expect.objectContaining({ code: 'ERR_VICAL_INVALID' }),
    );
    expect(() => parseVical(new Uint8Array([0x84, 0x40, 0xa0, 0x41, 0xa0, 0x40]))).toThrow(
      expect.objectContaining({ code: 'ERR_VICAL_INVALID' }),
    );
  });
});

describe('buildVical round trip and docType restriction', () => {
  it('builds a VICAL we verify; its IACA vouches only for the listed docType', async () => {
    const t0 = new Date('2025-01-01T00:00:00Z');
    const randomBytes = seededRandom('vical');
    const rootKey = testKey();
    const root = await buildHelperIaca({
      key: rootKey,
      subject: { country: 'US', organization: 'Example provider', commonName: 'Example VICAL root' },
      issuerAltName: [{ uri: 'https://vical.example' }],
      crlDistributionPoint: 'https://vical.example/root.crl',
      notBefore: t0,
      randomBytes,
    });
    const signerKey = testKey();
    const signerCert = await buildVicalSignerCertificate({
      subject: { country: 'US', organization: 'Example provider', commonName: 'VICAL signer' },
      publicKey: signerKey.spki,
      issuer: { certificate: root, signer: rootKey.signer },
      crlDistributionPoint: 'https://vical.example/root.crl',
      notBefore: t0,
      notAfter: new Date(t0.getTime() + 1000 * DAY),
      randomBytes,
    });
    const iacaKey = testKey();
    const iaca = await buildHelperIaca({
      key: iacaKey,
      subject: { country: 'US', stateOrProvince: 'US-NY', commonName: 'NY IACA' },
      notBefore: t0,
      randomBytes,
    });
    const bytes = await buildVical({
      vicalProvider: 'Example',
      date: t0,
      vicalIssueID: 1,
      nextUpdate: new Date(t0.getTime() + 30 * DAY),
      entries: [{ certificate: iaca, docTypes: ['org.iso.18013.5.1.mDL'], issuingAuthority: 'NY DMV' }],
      signer: signerKey.signer,
      x5chain: [signerCert],
    });
    const r = await verifyVical({
      vical: bytes,
      trustStore: new TrustStore([root]),
      now: new Date(t0.getTime() + DAY),
      policy: 'strict',
    });
    expect(r.findings).toEqual([]);
    const info = r.vical.certificateInfos[0]!;
    expect(info.stateOrProvinceName).toBe('US-NY');
    expect(info.issuingAuthority).toBe('NY DMV');

    const store = new TrustStore();
    store.addVical(r.vical);
    const dsKey = testKey();
    const { buildDocumentSignerCertificate } = await import('../src/index.js');
    const ds = await buildDocumentSignerCertificate({
      subject: { commonName: 'NY DS' },
      publicKey: dsKey.spki,
      issuer: { certificate: iaca, signer: iacaKey.signer },
      crlDistributionPoint: 'https://dmv.example/iaca.crl',
      notBefore: t0,
      notAfter: new Date(t0.getTime() + 90 * DAY),
      randomBytes,
    });
    const now = new Date(t0.getTime() + DAY);
    const ok = await validateCertificatePath({
      chain: [ds],
      trustStore: store,
      now,
      profile: 'ds',
      docType: 'org.iso.18013.5.1.mDL',
    });
    expect(ok.valid).toBe(true);
    const other = await validateCertificatePath({
      chain: [ds],
      trustStore: store,
      now,
      profile: 'ds',
      docType: 'org.iso.23220.photoID',
    });
    expect(other.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual([
      'ERR_X509_DOCTYPE_NOT_ALLOWED',
    ]);
  });
});
