import { createLocalDigestSigner } from '@mdlkit/core/crypto';
import { describe, expect, it } from 'vitest';
import {
  buildDocumentSignerCertificate,
  buildIacaCertificate,
  buildIacaLinkCertificate,
  buildOcspSignerCertificate,
  buildReaderAuthCertificate,
  buildReaderRootCertificate,
  buildStatusListSignerCertificate,
  buildVicalSignerCertificate,
  keyIdentifier,
  lintCertificate,
  parseCertificate,
} from '../src/index.js';
import { DAY, openssl, pem, seededRandom, testKey } from './helpers.js';

const notBefore = new Date('2025-01-01T00:00:00Z');
const randomBytes = seededRandom('builders');
const iacaKey = testKey('P-256', -7);
const iacaP384 = testKey('P-384', -35);

async function makeIaca(): Promise<Uint8Array> {
  return buildIacaCertificate({
    subject: { country: 'US', stateOrProvince: 'US-NY', organization: 'NY DMV', commonName: 'NY Test IACA' },
    publicKey: iacaKey.spki,
    signer: iacaKey.signer,
    issuerAltName: [{ uri: 'https://dmv.example/iaca' }],
    crlDistributionPoint: 'https://dmv.example/iaca.crl',
    notBefore,
    notAfter: new Date(notBefore.getTime() + 9 * 365 * DAY),
    randomBytes,
  });
}

function opensslText(der: Uint8Array): string {
  const r = openssl(['x509', '-in', 'c.pem', '-noout', '-text'], { 'c.pem': pem(der) });
  expect(r.ok, r.out).toBe(true);
  return r.out;
}

function opensslVerify(leaf: Uint8Array, root: Uint8Array, at: Date): { ok: boolean; out: string } {
  return openssl(
    [
      'verify',
      '-x509_strict',
      '-attime',
      String(Math.floor(at.getTime() / 1000)),
      '-CAfile',
      'root.pem',
      'leaf.pem',
    ],
    { 'root.pem': pem(root), 'leaf.pem': pem(leaf) },
  );
}

describe('IACA root builder (Table B.1)', () => {
  it('passes our linter with no findings and openssl agrees on the extensions', async () => {
    const iaca = await makeIaca();
    const lint = lintCertificate(iaca, { profile: 'iaca', ruleset: 'aamva' });
    expect(lint.findings).toEqual([]);
    const text = opensslText(iaca);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(text).toMatch(/X509v3 Subject Key Identifier:\s+[0-9A-F:]{59}/);
    expect(text).toMatch(/X509v3 Issuer Alternative Name:\s+URI:https:\/\/dmv.example\/iaca/);
    expect(text).toMatch(
      /X509v3 CRL Distribution Points:\s+Full Name:\s+URI:https:\/\/dmv.example\/iaca.crl/,
    );
    expect(text).not.toMatch(/X509v3 Subject Key Identifier: critical/);
    expect(text).toContain('Signature Algorithm: ecdsa-with-SHA256');
    const self = opensslVerify(iaca, iaca, new Date('2025-06-01T00:00:00Z'));
    expect(self.ok, self.out).toBe(true);
  });

  it('emits a 16-octet positive serial and the SHA-1 SKI', async () => {
    const cert = parseCertificate(await makeIaca());
    expect(cert.serialNumber.length).toBe(16);
    expect(cert.serialNumber[0]! & 0x80).toBe(0);
    expect(cert.subjectKeyIdentifier).toEqual(keyIdentifier(iacaKey.spki));
  });

  it('refuses a validity over 20 years', async () => {
    await expect(
      buildIacaCertificate({
        subject: { country: 'US', commonName: 'x' },
        publicKey: iacaKey.spki,
        signer: iacaKey.signer,
        issuerAltName: [{ email: 'pki@dmv.example' }],
        crlDistributionPoint: 'https://dmv.example/iaca.crl',
        notBefore,
        notAfter: new Date('2045-01-01T00:00:01Z'),
        randomBytes,
      }),
    ).rejects.toMatchObject({ code: 'ERR_X509_VALIDITY_TOO_LONG' });
  });

  it('refuses an EdDSA signer (Annex B issuer signatures are ECDSA)', async () => {
    const ed = testKey('Ed25519', -8);
    await expect(
      buildIacaCertificate({
        subject: { country: 'US', commonName: 'x' },
        publicKey: ed.spki,
        signer: ed.signer,
        issuerAltName: [{ email: 'pki@dmv.example' }],
        notBefore,
        notAfter: new Date(notBefore.getTime() + DAY),
        randomBytes,
      }),
    ).rejects.toMatchObject({ code: 'ERR_NOT_SUPPORTED' });
  });
});

describe('end-entity builders', () => {
  it('DS (Table B.3): lint-clean, chain verifies in openssl, EKU critical', async () => {
    const iaca = await makeIaca();
    const dsKey = testKey();
    const ds = await buildDocumentSignerCertificate({
      subject: { organization: 'NY DMV', commonName: 'NY DS 1' },
      publicKey: dsKey.spki,
      issuer: { certificate: iaca, signer: iacaKey.signer },
      crlDistributionPoint: 'https://dmv.example/iaca.crl',
      notBefore,
      notAfter: new Date(notBefore.getTime() + 457 * DAY),
      randomBytes,
    });
    expect(lintCertificate(ds, { issuer: iaca, ruleset: 'aamva' }).findings).toEqual([]);
    const parsed = parseCertificate(ds);
    expect(parsed.subject.country).toBe('US');
    expect(parsed.subject.stateOrProvince).toBe('US-NY');
    const text = opensslText(ds);
    expect(text).toMatch(/X509v3 Extended Key Usage: critical\s+1\.0\.18013\.5\.1\.2/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\s/);
    expect(text).toMatch(/X509v3 Authority Key Identifier:\s+(keyid:)?[0-9A-F:]{59}/);
    expect(text).not.toContain('Basic Constraints');
    const v = opensslVerify(ds, iaca, new Date('2025-06-01T00:00:00Z'));
    expect(v.ok, v.out).toBe(true);
    const expired = opensslVerify(ds, iaca, new Date('2026-06-01T00:00:00Z'));
    expect(expired.ok).toBe(false);
  });

  it('DS signed through a digest signer (the KMS path) with a P-384 IACA verifies in openssl', async () => {
    const iaca = await buildIacaCertificate({
      subject: { country: 'NL', commonName: 'NL IACA' },
      publicKey: iacaP384.spki,
      signer: createLocalDigestSigner({ privateKey: iacaP384.privateKey, alg: -35 }),
      issuerAltName: [{ email: 'pki@rdw.example' }],
      crlDistributionPoint: 'https://rdw.example/iaca.crl',
      notBefore,
      notAfter: new Date(notBefore.getTime() + 20 * 365 * DAY),
      randomBytes,
    });
    const ds = await buildDocumentSignerCertificate({
      subject: { commonName: 'NL DS' },
      publicKey: testKey().spki,
      issuer: {
        certificate: iaca,
        signer: createLocalDigestSigner({ privateKey: iacaP384.privateKey, alg: -35 }),
      },
      crlDistributionPoint: 'https://rdw.example/iaca.crl',
      notBefore,
      notAfter: new Date(notBefore.getTime() + 90 * DAY),
      randomBytes,
      genericEku: true,
    });
    expect(lintCertificate(ds, { issuer: iaca, edition: 'ed2' }).findings).toEqual([]);
    expect(opensslText(ds)).toContain('Signature Algorithm: ecdsa-with-SHA384');
    const v = opensslVerify(ds, iaca, new Date('2025-02-01T00:00:00Z'));
    expect(v.ok, v.out).toBe(true);
  });

  it('DS: validity over 457 days and a foreign country are refused', async () => {
    const iaca = await makeIaca();
    const base = {
      publicKey: testKey().spki,
      issuer: { certificate: iaca, signer: iacaKey.signer },
      crlDistributionPoint: 'https://dmv.example/iaca.crl',
      notBefore,
      randomBytes,
    };
    await expect(
      buildDocumentSignerCertificate({
        ...base,
        subject: { commonName: 'DS' },
        notAfter: new Date(notBefore.getTime() + 458 * DAY),
      }),
    ).rejects.toMatchObject({ code: 'ERR_X509_VALIDITY_TOO_LONG' });
    await expect(
      buildDocumentSignerCertificate({
        ...base,
        subject: { country: 'CA', commonName: 'DS' },
        notAfter: new Date(notBefore.getTime() + 30 * DAY),
      }),
    ).rejects.toMatchObject({ code: 'ERR_X509_COUNTRY_MISMATCH' });
    await expect(
      buildDocumentSignerCertificate({
        ...base,
        subject: { stateOrProvince: 'US-NJ', commonName: 'DS' },
        notAfter: new Date(notBefore.getTime() + 30 * DAY),
      }),
    ).rejects.toMatchObject({ code: 'ERR_X509_STATE_MISMATCH' });
  });

  it('reader root + reader auth, VICAL signer, OCSP signer, status-list signer and IACA link are lint-clean and verify', async () => {
    const rootKey = testKey();
    const root = await buildReaderRootCertificate({
      subject: { commonName: 'Test reader root' },
      publicKey: rootKey.spki,
      signer: rootKey.signer,
      notBefore,
      notAfter: new Date(notBefore.getTime() + 3650 * DAY),
      randomBytes,
    });
    expect(lintCertificate(root, { profile: 'reader-root' }).findings).toEqual([]);
    const reader = await buildReaderAuthCertificate({
      subject: { commonName: 'Test reader' },
      publicKey: testKey().spki,
      issuer: { certificate: root, signer: rootKey.signer },
      issuerAltName: [{ email: 'readers@example.com' }],
      crlDistributionPoint: 'https://example.com/reader.crl',
      notBefore,
      notAfter: new Date(notBefore.getTime() + 1187 * DAY),
      randomBytes,
    });
    expect(lintCertificate(reader, { issuer: root }).findings).toEqual([]);
    expect(opensslText(reader)).toMatch(/X509v3 Extended Key Usage: critical\s+1\.0\.18013\.5\.1\.6/);
    expect(opensslVerify(reader, root, new Date('2025-06-01T00:00:00Z')).ok).toBe(true);

    const iaca = await makeIaca();
    const issuer = { certificate: iaca, signer: iacaKey.signer };
    const vical = await buildVicalSignerCertificate({
      subject: { country: 'US', organization: 'NY DMV', commonName: 'VICAL signer' },
      publicKey: testKey().spki,
      issuer,
      crlDistributionPoint: 'https://dmv.example/iaca.crl',
      notBefore,
      notAfter: new Date(notBefore.getTime() + 1000 * DAY),
      randomBytes,
    });
    expect(lintCertificate(vical, { issuer: iaca }).findings).toEqual([]);
    expect(opensslText(vical)).toMatch(/X509v3 Key Usage: critical\s+Non Repudiation\s/);

    const ocsp = await buildOcspSignerCertificate({
      subject: { commonName: 'OCSP' },
      publicKey: testKey().spki,
      issuer,
      ocspNoCheck: true,
      notBefore,
      notAfter: new Date(notBefore.getTime() + 90 * DAY),
      randomBytes,
    });
    expect(lintCertificate(ocsp, { issuer: iaca }).findings).toEqual([]);
    expect(opensslText(ocsp)).toMatch(/OCSP Signing/);

    const sl = await buildStatusListSignerCertificate({
      subject: { commonName: 'Status list signer' },
      publicKey: testKey().spki,
      issuer,
      notBefore,
      notAfter: new Date(notBefore.getTime() + 365 * DAY),
      randomBytes,
    });
    expect(lintCertificate(sl, { profile: 'status-list-signer', issuer: iaca }).findings).toEqual([]);
    for (const c of [vical, ocsp, sl]) {
      const v = opensslVerify(c, iaca, new Date('2025-02-01T00:00:00Z'));
      expect(v.ok, v.out).toBe(true);
    }

    const newKey = testKey();
    const newIaca = await buildIacaCertificate({
      subject: {
        country: 'US',
        stateOrProvince: 'US-NY',
        organization: 'NY DMV',
        commonName: 'NY Test IACA 2',
      },
      publicKey: newKey.spki,
      signer: newKey.signer,
      issuerAltName: [{ uri: 'https://dmv.example/iaca' }],
      crlDistributionPoint: 'https://dmv.example/iaca.crl',
      notBefore,
      notAfter: new Date(notBefore.getTime() + 10 * 365 * DAY),
      randomBytes,
    });
    const link = await buildIacaLinkCertificate({
      newIaca,
      oldIaca: issuer,
      crlDistributionPoint: 'https://dmv.example/iaca.crl',
      notBefore,
      notAfter: new Date(notBefore.getTime() + 5 * 365 * DAY),
      randomBytes,
    });
    expect(lintCertificate(link, { profile: 'iaca-link', issuer: iaca }).findings).toEqual([]);
    const linkText = opensslText(link);
    expect(linkText).toMatch(/X509v3 Subject Alternative Name:\s+DirName:/);
    const lv = openssl(
      [
        'verify',
        '-partial_chain',
        '-attime',
        String(Date.parse('2025-02-01') / 1000),
        '-CAfile',
        'root.pem',
        'leaf.pem',
      ],
      { 'root.pem': pem(iaca), 'leaf.pem': pem(link) },
    );
    expect(lv.ok, lv.out).toBe(true);
  });
});

describe('parseCertificate: the outer structure is DER', () => {
  it('another tag on signatureAlgorithm or signatureValue (outside the signed TBS) is ERR_X509_MALFORMED', async () => {
    const der = await makeIaca();
    const cert = parseCertificate(der);
    const header = der[1]! < 0x80 ? 2 : 2 + (der[1]! & 0x7f);
    const sigAlgAt = header + cert.tbs.length;
    const sigAlgLength = der[sigAlgAt + 1]! + 2;
    for (const [at, xor] of [
      [sigAlgAt, 0x80], // SEQUENCE → context class
      [sigAlgAt, 0x01],
      [sigAlgAt + sigAlgLength, 0x80], // BIT STRING → context class
      [sigAlgAt + sigAlgLength, 0x07], // BIT STRING → SEQUENCE-ish
    ] as const) {
      const mutated = der.slice();
      mutated[at]! ^= xor;
      expect(() => parseCertificate(mutated)).toThrow(
        expect.objectContaining({ code: 'ERR_X509_MALFORMED' }),
      );
    }
  });

  it('unused bits in signatureValue, or a non-shortest length on it, are ERR_X509_MALFORMED', async () => {
    const der = await makeIaca();
    const cert = parseCertificate(der);
    const header = der[1]! < 0x80 ? 2 : 2 + (der[1]! & 0x7f);
    const sigAlgAt = header + cert.tbs.length;
    const valueAt = sigAlgAt + der[sigAlgAt + 1]! + 2;
    expect(der[valueAt]).toBe(0x03);
    expect(der[valueAt + 1]).toBeLessThan(0x80);
    expect(header).toBe(4);
    const unusedAt = valueAt + 2;
    expect(der[unusedAt]).toBe(0);
    // The count byte sits outside the signed TBS: before this check, 1–7 still verified.
    for (let unused = 1; unused <= 7; unused++) {
      const mutated = der.slice();
      mutated[unusedAt] = unused;
      expect(() => parseCertificate(mutated)).toThrow(
        expect.objectContaining({ code: 'ERR_X509_MALFORMED' }),
      );
    }
    // The same signatureValue with its length in long form (0x81 nn) and the outer length fixed up.
    const valueLength = der[valueAt + 1]!;
    const body = [...der.subarray(header, valueAt), 0x03, 0x81, valueLength, ...der.subarray(valueAt + 2)];
    const outerLength = body.length - header;
    const longForm = new Uint8Array([
      0x30,
      0x82,
      outerLength >> 8,
      outerLength & 0xff,
      ...body.slice(header),
    ]);
    expect(() => parseCertificate(longForm)).toThrow(expect.objectContaining({ code: 'ERR_X509_MALFORMED' }));
  });
});
