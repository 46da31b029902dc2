import { exportPublicKey, importPublicKey } from '@mdlkit/core/crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AttributeTypeAndValue,
  AttributeValue,
  CRLDistributionPoints,
  DistributionPoint,
  DistributionPointName,
  Extension,
  GeneralName,
  IssueAlternativeName,
  Name,
  NameConstraints,
  RelativeDistinguishedName,
  SubjectPublicKeyInfo,
} from '@peculiar/asn1-x509';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  assembleCertificate,
  type CertificateProfile,
  documentSignerProfile,
  ExtensionOid,
  encodeName,
  extensionsFor,
  iacaProfile,
  keyIdentifier,
  type LintRuleId,
  LintRules,
  type LintRuleset,
  lintCertificate,
  parseCertificate,
  readerAuthProfile,
} from '../src/index.js';
import { buildHelperIaca, DAY, seededRandom, testKey, vectorPem } from './helpers.js';

const t0 = new Date('2025-01-01T00:00:00Z');
const iacaKey = testKey();
const dsKey = testKey();
let iaca: Uint8Array;
let iacaSki: Uint8Array;

beforeAll(async () => {
  iaca = await buildHelperIaca({
    key: iacaKey,
    subject: { country: 'US', stateOrProvince: 'US-NY', commonName: 'NY IACA' },
    notBefore: t0,
    randomBytes: seededRandom('neg'),
  });
  iacaSki = parseCertificate(iaca).subjectKeyIdentifier!;
});

const raw = (oid: string, critical: boolean, value: unknown): Extension =>
  new Extension({ extnID: oid, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });

function dsExtensions(): Map<string, Extension> {
  return new Map([
    ['ski', extensionsFor.ski(dsKey.spki)],
    ['aki', extensionsFor.aki(iacaSki)],
    ['ku', extensionsFor.keyUsage(['digitalSignature'])],
    ['eku', extensionsFor.eku(['1.0.18013.5.1.2'], true)],
    ['ian', extensionsFor.issuerAltName([{ email: 'pki@dmv.example' }])],
    ['crldp', extensionsFor.crlDistributionPoint('https://dmv.example/iaca.crl')],
  ]);
}

interface Case {
  readonly name: string;
  readonly rule: LintRuleId;
  readonly profile?: CertificateProfile;
  readonly ruleset?: LintRuleset;
  readonly subject?: () => Uint8Array;
  readonly spki?: () => Uint8Array;
  readonly serial?: Uint8Array;
  readonly days?: number;
  readonly extensions?: (e: Map<string, Extension>) => void;
  readonly selfSigned?: boolean;
}

function utf8Country(): Uint8Array {
  const atv = (type: string, value: AttributeValue) =>
    new RelativeDistinguishedName([new AttributeTypeAndValue({ type, value })]);
  return new Uint8Array(
    AsnConvert.serialize(
      new Name([
        atv('2.5.4.6', new AttributeValue({ utf8String: 'US' })),
        atv('2.5.4.8', new AttributeValue({ utf8String: 'US-NY' })),
        atv('2.5.4.3', new AttributeValue({ utf8String: 'DS' })),
      ]),
    ),
  );
}

function compressedSpki(): Uint8Array {
  const pub = importPublicKey({ format: 'spki', der: dsKey.spki });
  const spki = AsnConvert.parse(dsKey.spki, SubjectPublicKeyInfo);
  spki.subjectPublicKey = (exportPublicKey(pub, 'raw-compressed') as Uint8Array).slice().buffer;
  return new Uint8Array(AsnConvert.serialize(spki));
}

const cases: Case[] = [
  {
    name: 'negative serial',
    rule: 'serial.negative',
    serial: new Uint8Array([0x80, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
  },
  { name: 'zero serial', rule: 'serial.zero', serial: new Uint8Array([0]) },
  { name: '21-octet serial', rule: 'serial.too-long', serial: new Uint8Array(21).fill(0x11) },
  { name: '4-octet serial', rule: 'serial.entropy', serial: new Uint8Array([1, 2, 3, 4]) },
  {
    name: '8-octet serial',
    rule: 'serial.entropy-recommended',
    serial: new Uint8Array([0x41, 2, 3, 4, 5, 6, 7, 8]),
  },
  {
    name: 'non-minimal serial',
    rule: 'serial.encoding',
    serial: new Uint8Array([0, 0x11, 2, 3, 4, 5, 6, 7, 8, 9]),
  },
  { name: '458-day DS', rule: 'validity.too-long', days: 458 },
  {
    name: 'lower-case country',
    rule: 'name.country.format',
    subject: () => encodeName({ country: 'us', stateOrProvince: 'US-NY', commonName: 'DS' }),
  },
  { name: 'UTF8String country', rule: 'name.country.string-type', subject: utf8Country },
  { name: 'missing country', rule: 'name.country.missing', subject: () => encodeName({ commonName: 'DS' }) },
  {
    name: 'foreign country',
    rule: 'name.country.mismatch',
    subject: () => encodeName({ country: 'CA', stateOrProvince: 'US-NY', commonName: 'DS' }),
  },
  {
    name: 'different state',
    rule: 'name.state.mismatch',
    subject: () => encodeName({ country: 'US', stateOrProvince: 'US-NJ', commonName: 'DS' }),
  },
  {
    name: 'missing state',
    rule: 'name.state.missing',
    subject: () => encodeName({ country: 'US', commonName: 'DS' }),
  },
  {
    name: 'missing CN',
    rule: 'name.common-name.missing',
    subject: () => encodeName({ country: 'US', stateOrProvince: 'US-NY', organization: 'x' } as never),
  },
  { name: 'compressed point', rule: 'spki.point-format', spki: compressedSpki },
  { name: 'missing SKI', rule: 'ski.missing', extensions: (e) => e.delete('ski') },
  {
    name: 'SKI not SHA-1',
    rule: 'ski.method',
    extensions: (e) => e.set('ski', extensionsFor.ski(iacaKey.spki)),
  },
  { name: 'missing AKI', rule: 'aki.missing', extensions: (e) => e.delete('aki') },
  {
    name: 'AKI ≠ IACA SKI',
    rule: 'aki.mismatch',
    extensions: (e) => e.set('aki', extensionsFor.aki(keyIdentifier(dsKey.spki))),
  },
  { name: 'missing KU', rule: 'ku.missing', extensions: (e) => e.delete('ku') },
  {
    name: 'KU non-critical',
    rule: 'ku.criticality',
    extensions: (e) =>
      e.set('ku', new Extension({ ...extensionsFor.keyUsage(['digitalSignature']), critical: false })),
  },
  {
    name: 'KU extra bit',
    rule: 'ku.mismatch',
    extensions: (e) => e.set('ku', extensionsFor.keyUsage(['digitalSignature', 'keyEncipherment'])),
  },
  { name: 'missing EKU', rule: 'eku.missing', extensions: (e) => e.delete('eku') },
  {
    name: 'EKU non-critical',
    rule: 'eku.criticality',
    extensions: (e) => e.set('eku', extensionsFor.eku(['1.0.18013.5.1.2'], false)),
  },
  {
    name: 'EKU wrong OID',
    rule: 'eku.oid-missing',
    extensions: (e) => e.set('eku', extensionsFor.eku(['1.3.6.1.5.5.7.3.2'], true)),
  },
  { name: 'missing IAN', rule: 'ian.missing', extensions: (e) => e.delete('ian') },
  {
    name: 'IAN critical',
    rule: 'ian.criticality',
    extensions: (e) =>
      e.set(
        'ian',
        raw(
          ExtensionOid.issuerAltName,
          true,
          new IssueAlternativeName([new GeneralName({ rfc822Name: 'a@b.c' })]),
        ),
      ),
  },
  {
    name: 'IAN dNSName',
    rule: 'ian.form',
    extensions: (e) =>
      e.set(
        'ian',
        raw(
          ExtensionOid.issuerAltName,
          false,
          new IssueAlternativeName([new GeneralName({ dNSName: 'example.com' })]),
        ),
      ),
  },
  { name: 'missing CRL DP', rule: 'crldp.missing', extensions: (e) => e.delete('crldp') },
  {
    name: 'CRL DP dNSName (Annex D style)',
    rule: 'crldp.form',
    extensions: (e) =>
      e.set(
        'crldp',
        raw(
          ExtensionOid.cRLDistributionPoints,
          false,
          new CRLDistributionPoints([
            new DistributionPoint({
              distributionPoint: new DistributionPointName({
                fullName: [new GeneralName({ dNSName: 'example.com' })],
              }),
            }),
          ]),
        ),
      ),
  },
  {
    name: 'nameConstraints',
    rule: 'ext.forbidden',
    extensions: (e) => e.set('nc', raw(ExtensionOid.nameConstraints, true, new NameConstraints({}))),
  },
  {
    name: 'unknown critical extension',
    rule: 'ext.unknown-critical',
    extensions: (e) =>
      e.set(
        'x',
        new Extension({
          extnID: '1.2.3.4.5',
          critical: true,
          extnValue: new OctetString(new Uint8Array([5, 0]).buffer),
        }),
      ),
  },
  {
    name: 'duplicate extension',
    rule: 'ext.duplicate',
    extensions: (e) => e.set('ku2', extensionsFor.keyUsage(['digitalSignature'])),
  },
  {
    name: 'malformed extension value',
    rule: 'ext.malformed',
    extensions: (e) =>
      e.set(
        'ku',
        new Extension({
          extnID: ExtensionOid.keyUsage,
          critical: true,
          extnValue: new OctetString(new Uint8Array([0xff]).buffer),
        }),
      ),
  },
  {
    name: 'DS with cA TRUE',
    rule: 'bc.ca-in-end-entity',
    extensions: (e) => e.set('bc', extensionsFor.caConstraints()),
  },
  { name: 'reader without reader EKU', rule: 'eku.oid-missing', profile: readerAuthProfile },
  {
    name: 'IACA with EKU',
    rule: 'eku.unexpected',
    profile: iacaProfile,
    selfSigned: true,
    extensions: (e) => {
      e.delete('aki');
      e.set('ku', extensionsFor.keyUsage(['keyCertSign', 'cRLSign']));
      e.set('bc', extensionsFor.caConstraints());
    },
  },
  {
    name: 'IACA without basicConstraints',
    rule: 'bc.missing',
    profile: iacaProfile,
    selfSigned: true,
    extensions: (e) => {
      e.delete('aki');
      e.delete('eku');
      e.set('ku', extensionsFor.keyUsage(['keyCertSign', 'cRLSign']));
    },
  },
  {
    name: 'IACA over 20 years',
    rule: 'validity.too-long',
    profile: iacaProfile,
    selfSigned: true,
    days: 7306,
    extensions: (e) => {
      e.delete('aki');
      e.delete('eku');
      e.set('ku', extensionsFor.keyUsage(['keyCertSign', 'cRLSign']));
      e.set('bc', extensionsFor.caConstraints());
    },
  },
  {
    name: 'AAMVA IACA without state',
    rule: 'name.state.required',
    ruleset: 'aamva',
    profile: iacaProfile,
    selfSigned: true,
    subject: () => encodeName({ country: 'US', commonName: 'IACA' }),
    extensions: (e) => {
      e.delete('aki');
      e.delete('eku');
      e.set('ku', extensionsFor.keyUsage(['keyCertSign', 'cRLSign']));
      e.set('bc', extensionsFor.caConstraints());
    },
  },
];

describe('linter negative table: each violated rule produces its rule id', () => {
  it.each(cases)('$name → $rule', async (c) => {
    const ext = dsExtensions();
    c.extensions?.(ext);
    const profile = c.profile ?? documentSignerProfile;
    const subject =
      c.subject?.() ?? encodeName({ country: 'US', stateOrProvince: 'US-NY', commonName: 'DS' });
    const der = await assembleCertificate({
      profile,
      subject,
      issuerName: c.selfSigned === true ? subject : parseCertificate(iaca).subject.der,
      spki: c.spki?.() ?? (c.selfSigned === true ? iacaKey.spki : dsKey.spki),
      notBefore: t0,
      notAfter: new Date(t0.getTime() + (c.days ?? 90) * DAY),
      serialNumber: c.serial ?? new Uint8Array([0x41, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
      extensions: [...ext.values()],
      signer: iacaKey.signer,
      unchecked: true,
    });
    const result = lintCertificate(der, {
      profile: profile.id,
      ...(c.selfSigned === true ? {} : { issuer: iaca }),
      ruleset: c.ruleset ?? 'iso',
    });
    const ids = result.findings.map((f) => f.rule);
    expect(ids).toContain(c.rule);
    const finding = result.findings.find((f) => f.rule === c.rule)!;
    expect(finding.clause).toBe(LintRules[c.rule].clause);
    expect(finding.severity).toBe(LintRules[c.rule].severity);
  });

  it('the unmodified baseline DS has no findings (so every case above is caused by its mutation)', async () => {
    const der = await assembleCertificate({
      profile: documentSignerProfile,
      subject: encodeName({ country: 'US', stateOrProvince: 'US-NY', commonName: 'DS' }),
      issuerName: parseCertificate(iaca).subject.der,
      spki: dsKey.spki,
      notBefore: t0,
      notAfter: new Date(t0.getTime() + 90 * DAY),
      serialNumber: new Uint8Array([0x41, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
      extensions: [...dsExtensions().values()],
      signer: iacaKey.signer,
    });
    expect(lintCertificate(der, { issuer: iaca, ruleset: 'aamva' }).findings).toEqual([]);
  });
});

describe('linter on published certificates', () => {
  it('Annex D certificates: only the dNSName CRL DP (and the reader root’s missing C / IAN) are reported', () => {
    const D = 'iso-18013-5-annex-d';
    const iacaD = vectorPem(`${D}/iaca-cert.pem`);
    expect(lintCertificate(iacaD).findings.map((f) => f.rule)).toEqual(['crldp.form']);
    expect(
      lintCertificate(vectorPem(`${D}/ds-cert.pem`), { issuer: iacaD }).findings.map((f) => f.rule),
    ).toEqual(['crldp.form']);
    const root = vectorPem(`${D}/reader-root-cert.pem`);
    expect(lintCertificate(root, { profile: 'reader-root' }).findings.map((f) => f.rule)).toEqual([
      'crldp.form',
    ]);
    expect(
      lintCertificate(vectorPem(`${D}/reader-cert.pem`), { issuer: root }).findings.map((f) => f.rule),
    ).toEqual(['crldp.form']);
  });

  it('pki-profile-samples: CA:TRUE DS, intermediate and negative serial are flagged with rule ids', () => {
    const S = 'pki-profile-samples';
    const root = vectorPem(`${S}/isomdl-iaca-root.pem`);
    expect(lintCertificate(vectorPem(`${S}/isomdl-ds.pem`), { issuer: root }).findings).toEqual([]);
    expect(
      lintCertificate(vectorPem(`${S}/isomdl-ds-ca-true.pem`), { issuer: root }).findings.map((f) => f.rule),
    ).toContain('bc.ca-in-end-entity');
    expect(
      lintCertificate(vectorPem(`${S}/isomdl-intermediate.pem`), {
        profile: 'iaca-link',
        issuer: root,
      }).findings.map((f) => f.rule),
    ).toEqual(expect.arrayContaining(['ku.mismatch', 'ext.unknown-critical']));
    const mp = lintCertificate(vectorPem(`${S}/multipaz-ds-p256-by-p384.pem`), {
      issuer: vectorPem(`${S}/multipaz-iaca-p384.pem`),
    });
    expect(mp.findings.map((f) => f.rule)).toContain('serial.negative');
    expect(mp.ok).toBe(false);
  });

  it('never throws on garbage; malformed DER is a typed error', () => {
    expect(() => lintCertificate(new Uint8Array([0x30, 0x82, 0xff, 0xff, 0]))).toThrow(
      expect.objectContaining({ code: 'ERR_X509_MALFORMED' }),
    );
    expect(() => lintCertificate(new Uint8Array(0))).toThrow(
      expect.objectContaining({ code: 'ERR_X509_MALFORMED' }),
    );
  });
});
