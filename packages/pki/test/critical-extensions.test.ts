/**
 * RFC 5280 §4.2: a critical extension the validator cannot process — unknown, malformed, or not in
 * DER (the certificate is DER, §4.1) — fails path validation under every policy, whatever the
 * Annex B profile policy would tolerate.
 */
import { OctetString } from '@peculiar/asn1-schema';
import { Extension } from '@peculiar/asn1-x509';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  assembleCertificate,
  documentSignerProfile,
  ExtensionOid,
  encodeName,
  extensionsFor,
  parseCertificate,
  TrustStore,
  type ValidationPolicy,
  validateCertificatePath,
} from '../src/index.js';
import { buildHelperIaca, DAY, seededRandom, testKey } from './helpers.js';

const t0 = new Date('2025-01-01T00:00:00Z');
const now = new Date('2025-02-01T00:00:00Z');
const iacaKey = testKey();
const dsKey = testKey();
let iaca: Uint8Array;
let store: TrustStore;

beforeAll(async () => {
  iaca = await buildHelperIaca({
    key: iacaKey,
    subject: { country: 'US', stateOrProvince: 'US-NY', commonName: 'critical IACA' },
    notBefore: t0,
    randomBytes: seededRandom('critical'),
  });
  store = new TrustStore([iaca]);
});

const rawExt = (oid: string, critical: boolean, value: number[]): Extension =>
  new Extension({ extnID: oid, critical, extnValue: new OctetString(new Uint8Array(value)) });

/** A DS under the IACA whose extensions are Table B.3's plus `extra`, keyUsage / EKU replaceable. */
async function ds(extra: readonly Extension[], replace: { ku?: Extension; eku?: Extension } = {}) {
  const i = parseCertificate(iaca);
  return assembleCertificate({
    profile: documentSignerProfile,
    subject: encodeName({ country: 'US', stateOrProvince: 'US-NY', commonName: 'DS' }),
    issuerName: i.subject.der,
    spki: dsKey.spki,
    notBefore: t0,
    notAfter: new Date(t0.getTime() + 300 * DAY),
    serialNumber: new Uint8Array([0x41, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]),
    extensions: [
      extensionsFor.ski(dsKey.spki),
      extensionsFor.aki(i.subjectKeyIdentifier!),
      replace.ku ?? extensionsFor.keyUsage(['digitalSignature']),
      replace.eku ?? extensionsFor.eku(['1.0.18013.5.1.2'], true),
      extensionsFor.issuerAltName([{ email: 'pki@dmv.example' }]),
      extensionsFor.crlDistributionPoint('https://dmv.example/iaca.crl'),
      ...extra,
    ],
    signer: iacaKey.signer,
    issuer: i,
    unchecked: true,
  });
}

const POLICIES: readonly ValidationPolicy[] = ['strict', 'lenient'];

async function errorCodes(cert: Uint8Array, policy: ValidationPolicy): Promise<string[]> {
  const r = await validateCertificatePath({ chain: [cert], trustStore: store, now, profile: 'ds', policy });
  expect(r.valid).toBe(false);
  return r.findings.filter((f) => f.severity === 'error').map((f) => f.code);
}

describe('critical extensions under every policy (RFC 5280 §4.2)', () => {
  it('the control DS (DER basicConstraints cA FALSE omitted, critical) validates under both policies', async () => {
    const cert = await ds([rawExt(ExtensionOid.basicConstraints, true, [0x30, 0x00])]);
    for (const policy of POLICIES) {
      const r = await validateCertificatePath({
        chain: [cert],
        trustStore: store,
        now,
        profile: 'ds',
        policy,
      });
      expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(r.valid).toBe(true);
    }
  });

  const nonDer: readonly [string, number[]][] = [
    ['cA FALSE encoded explicitly (a DEFAULT value present)', [0x30, 0x03, 0x01, 0x01, 0x00]],
    ['cA TRUE as the BER boolean 0x01', [0x30, 0x03, 0x01, 0x01, 0x01]],
    ['a long-form length', [0x30, 0x81, 0x00]],
    ['truncated', [0x30, 0x03, 0x01, 0x01]],
    ['trailing bytes', [0x30, 0x00, 0x00]],
  ];
  for (const [name, value] of nonDer) {
    it(`a critical basicConstraints with ${name} is ERR_X509_MALFORMED under strict and lenient`, async () => {
      const cert = await ds([rawExt(ExtensionOid.basicConstraints, true, value)]);
      for (const policy of POLICIES) expect(await errorCodes(cert, policy)).toContain('ERR_X509_MALFORMED');
    });
  }

  it('a critical keyUsage with unused trailing bits set (BER) is ERR_X509_MALFORMED under both policies', async () => {
    // BIT STRING 03 02 07 80 = digitalSignature; 03 02 00 80 declares 0 unused bits — not DER.
    const ku = rawExt(ExtensionOid.keyUsage, true, [0x03, 0x02, 0x00, 0x80]);
    const cert = await ds([], { ku });
    for (const policy of POLICIES) expect(await errorCodes(cert, policy)).toContain('ERR_X509_MALFORMED');
  });

  it('a critical EKU with a long-form length is ERR_X509_MALFORMED under both policies', async () => {
    // SEQUENCE { OID 1.0.18013.5.1.2 } with the SEQUENCE length in long form.
    const mdlDs = [0x06, 0x07, 0x28, 0x81, 0x8c, 0x5d, 0x05, 0x01, 0x02];
    const eku = rawExt(ExtensionOid.extKeyUsage, true, [0x30, 0x81, mdlDs.length, ...mdlDs]);
    const cert = await ds([], { eku });
    for (const policy of POLICIES) expect(await errorCodes(cert, policy)).toContain('ERR_X509_MALFORMED');
  });

  it('an unknown critical extension is ERR_X509_UNKNOWN_CRITICAL_EXTENSION under both policies', async () => {
    const cert = await ds([rawExt('1.3.6.1.4.1.99999.7', true, [0x05, 0x00])]);
    for (const policy of POLICIES) {
      expect(await errorCodes(cert, policy)).toContain('ERR_X509_UNKNOWN_CRITICAL_EXTENSION');
    }
  });
});
