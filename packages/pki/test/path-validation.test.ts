import { createLocalSigner, exportPrivateKey, importPrivateKey } from '@mdlkit/core/crypto';
import { describe, expect, it } from 'vitest';
import {
  assertCertificatePathValid,
  buildCsr,
  buildDocumentSignerCertificate,
  derToPem,
  parseCertificate,
  TrustStore,
  validateCertificatePath,
} from '../src/index.js';
import { DAY, openssl, seededRandom, testKey, vectorHex, vectorPem } from './helpers.js';

const S = 'pki-profile-samples';
const D = 'iso-18013-5-annex-d';
const at2024 = new Date('2024-06-01T00:00:00Z');
const at2021 = new Date('2021-01-01T00:00:00Z');

function codes(r: { findings: readonly { code: string; severity: string }[] }): string[] {
  return r.findings.filter((f) => f.severity === 'error').map((f) => f.code);
}
function rules(r: { findings: readonly { rule?: string }[] }): string[] {
  return r.findings.flatMap((f) => (f.rule === undefined ? [] : [f.rule]));
}

describe('pki-profile-samples', () => {
  const store = new TrustStore([vectorPem(`${S}/isomdl-iaca-root.pem`)]);

  it('the isomdl DS validates under its root at 2024-06-01 (strict)', async () => {
    const r = await validateCertificatePath({
      chain: [vectorPem(`${S}/isomdl-ds.pem`)],
      trustStore: store,
      now: at2024,
      profile: 'ds',
      policy: 'strict',
    });
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.subject).toEqual({
      country: 'US',
      stateOrProvince: 'NY',
      commonName: 'ISO18013-5 Test Certificate Signer',
    });
    expect(r.anchor?.certificate.subject.commonName).toBe('ISO18013-5 Test Certificate Root');
    expect(r.publicKey?.curve).toBe('P-256');
    expect(() => assertCertificatePathValid(r)).not.toThrow();
  });

  it('the same DS fails after the root expired', async () => {
    const r = await validateCertificatePath({
      chain: [vectorPem(`${S}/isomdl-ds.pem`)],
      trustStore: store,
      now: new Date('2024-11-01T00:00:00Z'),
      profile: 'ds',
    });
    expect(codes(r)).toContain('ERR_X509_ISSUER_VALIDITY');
    expect(() => assertCertificatePathValid(r)).toThrow(
      expect.objectContaining({ code: 'ERR_X509_ISSUER_VALIDITY' }),
    );
  });

  it('the CA:TRUE DS is flagged bc.ca-in-end-entity (error when strict, warning when lenient)', async () => {
    const chain = [vectorPem(`${S}/isomdl-ds-ca-true.pem`)];
    const strict = await validateCertificatePath({ chain, trustStore: store, now: at2024, profile: 'ds' });
    expect(strict.valid).toBe(false);
    expect(rules(strict)).toContain('bc.ca-in-end-entity');
    const lenient = await validateCertificatePath({
      chain,
      trustStore: store,
      now: at2024,
      profile: 'ds',
      policy: 'lenient',
    });
    expect(lenient.findings.find((f) => f.rule === 'bc.ca-in-end-entity')?.severity).toBe('warning');
  });

  it('the chain through an intermediate is rejected (no intermediates; missing keyCertSign)', async () => {
    const r = await validateCertificatePath({
      chain: [
        vectorPem(`${S}/isomdl-leaf-under-intermediate.pem`),
        vectorPem(`${S}/isomdl-intermediate.pem`),
      ],
      trustStore: store,
      now: at2024,
      profile: 'ds',
      policy: 'lenient',
    });
    expect(r.valid).toBe(false);
    expect(codes(r)).toEqual(expect.arrayContaining(['ERR_X509_CHAIN_UNTRUSTED', 'ERR_X509_KEY_USAGE']));
    const leafOnly = await validateCertificatePath({
      chain: [vectorPem(`${S}/isomdl-leaf-under-intermediate.pem`)],
      trustStore: store,
      now: at2024,
      profile: 'ds',
    });
    expect(codes(leafOnly)).toContain('ERR_X509_CHAIN_UNTRUSTED');
  });

  it('the multipaz mixed-curve DS verifies cryptographically but its negative serial is flagged', async () => {
    const mp = new TrustStore([vectorPem(`${S}/multipaz-iaca-p384.pem`)]);
    const chain = [vectorPem(`${S}/multipaz-ds-p256-by-p384.pem`)];
    const now = new Date('2026-06-01T00:00:00Z');
    const strict = await validateCertificatePath({ chain, trustStore: mp, now, profile: 'ds' });
    expect(strict.valid).toBe(false);
    expect(rules(strict)).toContain('serial.negative');
    expect(codes(strict)).not.toContain('ERR_X509_SIGNATURE_INVALID');
    expect(codes(strict)).not.toContain('ERR_X509_CHAIN_UNTRUSTED');
    const lenient = await validateCertificatePath({
      chain,
      trustStore: mp,
      now,
      profile: 'ds',
      policy: 'lenient',
    });
    expect(lenient.valid).toBe(true);
  });

  it('a DS under the wrong anchor is untrusted', async () => {
    const other = new TrustStore([vectorPem(`${D}/iaca-cert.pem`)]);
    const r = await validateCertificatePath({
      chain: [vectorPem(`${S}/isomdl-ds.pem`)],
      trustStore: other,
      now: at2024,
      profile: 'ds',
    });
    expect(codes(r)).toContain('ERR_X509_CHAIN_UNTRUSTED');
  });
});

describe('Annex D', () => {
  const iaca = vectorPem(`${D}/iaca-cert.pem`);
  const ds = vectorPem(`${D}/ds-cert.pem`);

  it('DS → IACA validates at 2021-01-01 under lenient, reporting the dNSName CRL DP', async () => {
    const store = new TrustStore([iaca]);
    const r = await validateCertificatePath({
      chain: [ds],
      trustStore: store,
      now: at2021,
      profile: 'ds',
      policy: 'lenient',
    });
    expect(r.valid).toBe(true);
    expect(r.findings.some((f) => f.rule === 'crldp.form' && f.severity === 'warning')).toBe(true);
    const strict = await validateCertificatePath({
      chain: [ds],
      trustStore: store,
      now: at2021,
      profile: 'ds',
      policy: 'strict',
    });
    expect(strict.valid).toBe(false);
    expect(new Set(rules(strict))).toEqual(new Set(['crldp.form']));
    const late = await validateCertificatePath({
      chain: [ds],
      trustStore: store,
      now: new Date('2022-01-01T00:00:00Z'),
      profile: 'ds',
      policy: 'lenient',
    });
    expect(codes(late)).toEqual(['ERR_X509_EXPIRED']);
  });

  it('reader → reader root validates at 2021-01-01 (lenient); wrong profile gives ERR_X509_EKU', async () => {
    const store = new TrustStore([vectorPem(`${D}/reader-root-cert.pem`)]);
    const chain = [vectorPem(`${D}/reader-cert.pem`)];
    const r = await validateCertificatePath({
      chain,
      trustStore: store,
      now: at2021,
      profile: 'reader-auth',
      policy: 'lenient',
    });
    expect(r.valid).toBe(true);
    expect(r.subject.commonName).toBe('reader');
    const wrong = await validateCertificatePath({
      chain,
      trustStore: store,
      now: at2021,
      profile: 'ds',
      policy: 'lenient',
    });
    expect(codes(wrong)).toContain('ERR_X509_EKU');
  });

  it('the IACA sent inside x5chain is ignored and reported', async () => {
    const store = new TrustStore([iaca]);
    const r = await validateCertificatePath({
      chain: [ds, iaca],
      trustStore: store,
      now: at2021,
      profile: 'ds',
      policy: 'lenient',
    });
    expect(r.valid).toBe(true);
    expect(r.findings.some((f) => f.code === 'ERR_X509_CHAIN_UNTRUSTED' && f.severity === 'warning')).toBe(
      true,
    );
  });

  it('a pinned DS is trusted without its IACA', async () => {
    const store = new TrustStore();
    store.addPinned(ds);
    const r = await validateCertificatePath({
      chain: [ds],
      trustStore: store,
      now: at2021,
      profile: 'ds',
      policy: 'lenient',
    });
    expect(r.valid).toBe(true);
    expect(r.anchor?.kind).toBe('pinned');
  });

  it('caches validated pairs: the second call is served from the cache with fresh time checks', async () => {
    const store = new TrustStore([iaca]);
    const opts = { chain: [ds.slice()], trustStore: store, profile: 'ds', policy: 'lenient' } as const;
    const first = await validateCertificatePath({ ...opts, now: at2021 });
    const second = await validateCertificatePath({ ...opts, chain: [ds.slice()], now: at2021 });
    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(second.leaf).toBe(first.leaf);
    expect(second.publicKey).toBe(first.publicKey);
    const expired = await validateCertificatePath({ ...opts, now: new Date('2030-01-01T00:00:00Z') });
    expect(expired.cached).toBe(true);
    expect(codes(expired)).toEqual(expect.arrayContaining(['ERR_X509_EXPIRED', 'ERR_X509_ISSUER_VALIDITY']));
  });

  it('the recent-chain shortcut only serves byte-identical chains under the same options', async () => {
    const store = new TrustStore([iaca]);
    const opts = { trustStore: store, profile: 'ds', now: at2021 } as const;
    const lenient = await validateCertificatePath({ ...opts, chain: [ds.slice()], policy: 'lenient' });
    const again = await validateCertificatePath({ ...opts, chain: [ds.slice()], policy: 'lenient' });
    expect(again.cached).toBe(true);
    expect(again.valid).toBe(lenient.valid);
    // Same bytes, other policy: its own result, not the lenient one.
    const strict = await validateCertificatePath({ ...opts, chain: [ds.slice()], policy: 'strict' });
    expect(strict.cached).toBe(false);
    // One byte changed in the middle (the hash only looks at the tail): never the cached result.
    const tampered = ds.slice();
    tampered[Math.floor(tampered.length / 2)]! ^= 0x01;
    let outcome: { valid: boolean } | { code: unknown };
    try {
      outcome = await validateCertificatePath({ ...opts, chain: [tampered], policy: 'lenient' });
    } catch (error) {
      outcome = { code: (error as { code?: unknown }).code };
    }
    expect(outcome).not.toEqual(expect.objectContaining({ valid: true }));
    // A store change drops remembered chains.
    store.add(iaca);
    const afterAdd = await validateCertificatePath({ ...opts, chain: [ds.slice()], policy: 'lenient' });
    expect(afterAdd.cached).toBe(false);
  });

  it('a DS issued under the Annex D IACA with its published key validates', async () => {
    const privateKey = importPrivateKey({
      format: 'raw',
      curve: 'P-256',
      d: vectorHex(`${D}/iaca-private-key-d.hex`),
    });
    const signer = createLocalSigner({ privateKey, alg: -7 });
    const good = await buildDocumentSignerCertificate({
      subject: { commonName: 'utopia ds 2' },
      publicKey: testKey().spki,
      issuer: { certificate: iaca, signer },
      crlDistributionPoint: 'https://utopia.example/iaca.crl',
      notBefore: new Date('2020-12-01T00:00:00Z'),
      notAfter: new Date(Date.parse('2020-12-01T00:00:00Z') + 100 * DAY),
      randomBytes: seededRandom('annex-d-ds'),
    });
    const store = new TrustStore([iaca]);
    const r = await validateCertificatePath({
      chain: [good],
      trustStore: store,
      now: at2021,
      profile: 'ds',
      policy: 'lenient',
    });
    expect(r.valid).toBe(true);
    expect(r.subject.country).toBe('US');
  });

  it('a DS whose countryName differs from the IACA (issued by openssl) fails even when lenient', async () => {
    const privateKey = importPrivateKey({
      format: 'raw',
      curve: 'P-256',
      d: vectorHex(`${D}/iaca-private-key-d.hex`),
    });
    const keyPem = derToPem(exportPrivateKey(privateKey, 'pkcs8') as Uint8Array, 'PRIVATE KEY');
    const dsKey = testKey();
    const csr = await buildCsr({
      subject: { country: 'CA', commonName: 'foreign ds' },
      publicKey: dsKey.spki,
      signer: dsKey.signer,
    });
    const ext = [
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=critical,1.0.18013.5.1.2',
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid',
      'issuerAltName=email:example@example.com',
      'crlDistributionPoints=URI:https://utopia.example/iaca.crl',
    ].join('\n');
    // OpenSSL as an independent issuer: it happily issues a DS whose countryName is not the IACA's.
    const issued = openssl(
      [
        'x509',
        '-req',
        '-in',
        'csr.pem',
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-set_serial',
        '0x1234567890abcdef1234',
        '-days',
        '30',
        '-extfile',
        'ext.cnf',
        '-outform',
        'DER',
        '-out',
        'out.der',
      ],
      {
        'csr.pem': derToPem(csr, 'CERTIFICATE REQUEST'),
        'ca.pem': derToPem(iaca),
        'ca.key': keyPem,
        'ext.cnf': ext,
      },
      'out.der',
    );
    expect(issued.ok, issued.out).toBe(true);
    const foreign = issued.file!;
    const store = new TrustStore([iaca]);
    const r = await validateCertificatePath({
      chain: [foreign],
      trustStore: store,
      now: new Date(parseCertificate(foreign).notBefore.getTime() + 1000),
      profile: 'ds',
      policy: 'lenient',
    });
    expect(codes(r)).toContain('ERR_X509_COUNTRY_MISMATCH');
    expect(codes(r)).not.toContain('ERR_X509_SIGNATURE_INVALID');
  });
});
