import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCrl, buildCsr, checkCrl, parseCertificate, parseCsr } from '../src/index.js';
import { derFault, readDerHeader } from '../src/internal/der.js';
import { buildHelperDs, buildHelperIaca, DAY, seededRandom, testKey, VECTORS, vectorPem } from './helpers.js';

const t0 = new Date('2025-03-01T00:00:00Z');
const randomBytes = seededRandom('der');
const iacaKey = testKey();

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
const cat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** The same element with its outer length written with one more octet than needed (a leading zero): BER, not DER. */
function outerLengthNotShortest(der: Uint8Array): Uint8Array {
  const h = readDerHeader(der);
  if (typeof h === 'string') throw new Error(h);
  const octets: number[] = [];
  for (let n = h.length; n > 0; n = Math.floor(n / 256)) octets.unshift(n & 0xff);
  return cat(bytes(der[0]!, 0x80 | (octets.length + 1), 0, ...octets), der.subarray(h.headerLength));
}

/** A certificate whose version `[0] { INTEGER 2 }` has a long-form length for 3 (`a0 81 03`), the outer lengths adjusted. */
function versionLengthLongForm(cert: Uint8Array): Uint8Array {
  // 30 82 hi lo | 30 82 hi lo | a0 03 02 01 02 …
  expect([cert[0], cert[1], cert[4], cert[5], cert[8], cert[9]]).toEqual([
    0x30, 0x82, 0x30, 0x82, 0xa0, 0x03,
  ]);
  const out = cat(cert.subarray(0, 9), bytes(0x81), cert.subarray(9));
  for (const at of [2, 6]) {
    const n = out[at]! * 256 + out[at + 1]! + 1;
    out[at] = n >> 8;
    out[at + 1] = n & 0xff;
  }
  return out;
}

async function iaca(): Promise<Uint8Array> {
  return buildHelperIaca({
    key: iacaKey,
    subject: { country: 'US', stateOrProvince: 'US-CA', commonName: 'DER IACA' },
    notBefore: t0,
    randomBytes,
  });
}

describe('derFault: DER, not BER (X.690 §10–11)', () => {
  it.each([
    [
      'a long-form length that should be short',
      bytes(0x30, 0x81, 0x03, 0x02, 0x01, 0x00),
      'long-form length for a short length',
    ],
    [
      'a length with a leading zero octet',
      bytes(0x04, 0x82, 0x00, 0x80, ...new Uint8Array(0x80)),
      'length with a leading zero octet',
    ],
    ['an indefinite length', bytes(0x30, 0x80, 0x02, 0x01, 0x00, 0x00, 0x00), 'indefinite length'],
    [
      'a BIT STRING with a non-zero unused-bits count and set padding',
      bytes(0x03, 0x02, 0x01, 0xff),
      'BIT STRING unused bits not zero',
    ],
    [
      'an empty BIT STRING claiming unused bits',
      bytes(0x03, 0x01, 0x03),
      'BIT STRING with a bad unused-bits count',
    ],
    [
      'a BIT STRING claiming 8 unused bits',
      bytes(0x03, 0x02, 0x08, 0x00),
      'BIT STRING with a bad unused-bits count',
    ],
    [
      'a constructed OCTET STRING',
      bytes(0x24, 0x03, 0x04, 0x01, 0x00),
      'constructed encoding of a string type',
    ],
    ['trailing bytes', bytes(0x05, 0x00, 0x00), 'trailing bytes'],
    [
      'an inner element past its parent',
      bytes(0x30, 0x07, 0x30, 0x03, 0x04, 0x02, 0x00, 0x00, 0x00),
      'element runs past its enclosing element',
    ],
    [
      'deep nesting',
      cat(...Array.from({ length: 40 }, (_, i) => bytes(0x30, 2 * (39 - i))), new Uint8Array(0)),
      'nested too deeply',
    ],
  ])('rejects %s', (_, der, reason) => {
    expect(derFault(der)?.reason).toBe(reason);
  });

  it('accepts DER: short and long lengths in their shortest form, a BIT STRING with zero padding', () => {
    expect(derFault(bytes(0x30, 0x03, 0x02, 0x01, 0x00))).toBeUndefined();
    expect(derFault(cat(bytes(0x04, 0x81, 0x80), new Uint8Array(0x80)))).toBeUndefined();
    expect(derFault(bytes(0x03, 0x02, 0x01, 0xfe))).toBeUndefined();
  });
});

describe('what pki parses is DER', () => {
  it('a certificate with a non-shortest outer or inner length is ERR_X509_MALFORMED', async () => {
    const cert = await iaca();
    expect(() => parseCertificate(cert)).not.toThrow();
    for (const bad of [outerLengthNotShortest(cert), versionLengthLongForm(cert)]) {
      expect(() => parseCertificate(bad)).toThrow(expect.objectContaining({ code: 'ERR_X509_MALFORMED' }));
    }
  });

  it('a certificate whose signatureValue or subjectPublicKey has unused bits is ERR_X509_MALFORMED', async () => {
    const cert = await iaca();
    // signatureValue: the last element, 03 LL 00 …; claim 1 unused bit (clear the last bit so only the count is wrong)
    const sig = cert.slice();
    // walk the outer SEQUENCE (tbsCertificate, signatureAlgorithm, signatureValue): a byte search can
    // land on a 0x03 inside the random ECDSA signature
    const element = (at: number): number => {
      const e = readDerHeader(sig, at);
      if (typeof e === 'string') throw new Error(`no DER element at ${at}`);
      return at + e.headerLength + e.length;
    };
    const outer = readDerHeader(sig, 0);
    if (typeof outer === 'string') throw new Error('no outer SEQUENCE');
    const sigAt = element(element(outer.headerLength));
    const h = readDerHeader(sig, sigAt);
    if (typeof h === 'string' || sigAt + h.headerLength + h.length !== sig.length)
      throw new Error('signatureValue not found');
    sig[sigAt + h.headerLength] = 1;
    sig[sig.length - 1] = sig[sig.length - 1]! & 0xfe;
    expect(derFault(sig)).toBeUndefined(); // well-formed BER/DER on its own: the structure is what forbids it
    expect(() => parseCertificate(sig)).toThrow(expect.objectContaining({ code: 'ERR_X509_MALFORMED' }));

    // subjectPublicKey: 03 42 00 04 … (P-256)
    const spki = cert.slice();
    const keyAt = [...spki.keys()].find(
      (i) => spki[i] === 0x03 && spki[i + 1] === 0x42 && spki[i + 2] === 0 && spki[i + 3] === 4,
    )!;
    spki[keyAt + 2] = 1;
    spki[keyAt + 2 + 0x42 - 1] = spki[keyAt + 2 + 0x42 - 1]! & 0xfe;
    expect(() => parseCertificate(spki)).toThrow(expect.objectContaining({ code: 'ERR_X509_MALFORMED' }));
  });

  it('a CRL with a non-DER outer length is undetermined with ERR_CRL_INVALID', async () => {
    const issuer = await iaca();
    const ds = await buildHelperDs({ iaca: issuer, iacaKey, commonName: 'DS', notBefore: t0, randomBytes });
    const crl = await buildCrl({
      issuer: { certificate: issuer, signer: iacaKey.signer },
      thisUpdate: t0,
      nextUpdate: new Date(t0.getTime() + 30 * DAY),
      crlNumber: 1,
      revoked: [],
    });
    const now = new Date(t0.getTime() + DAY);
    expect((await checkCrl({ certificate: ds, issuer, crl, now })).status).toBe('good');
    const bad = await checkCrl({ certificate: ds, issuer, crl: outerLengthNotShortest(crl), now });
    expect(bad).toMatchObject({ status: 'undetermined', code: 'ERR_CRL_INVALID' });
  });

  it('a CSR with a non-DER length is ERR_X509_MALFORMED', async () => {
    const key = testKey();
    const csr = await buildCsr({ subject: { commonName: 'x' }, publicKey: key.spki, signer: key.signer });
    expect((await parseCsr(csr)).signatureValid).toBe(true);
    await expect(parseCsr(outerLengthNotShortest(csr))).rejects.toMatchObject({ code: 'ERR_X509_MALFORMED' });
  });

  it('the real certificates in the shared vectors are DER and parse (certificate samples, AAMVA, Annex D, real-world)', () => {
    const files = ['pki-profile-samples', 'aamva-vical', 'iso-18013-5-annex-d', 'real-world'].flatMap((dir) =>
      readdirSync(path.join(VECTORS, dir))
        .filter((f) => f.endsWith('.pem'))
        .map((f) => `${dir}/${f}`),
    );
    expect(files.length).toBeGreaterThanOrEqual(15);
    for (const file of files) {
      const der = vectorPem(file);
      expect(derFault(der), file).toBeUndefined();
      expect(parseCertificate(der).der.length, file).toBe(der.length);
    }
  });
});
