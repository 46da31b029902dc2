/**
 * Regression pins: the exact bytes `issueMdoc` emits for fixed inputs — a seeded random source, a
 * deterministic stand-in signer and DS certificate built from seeded keys. Performance work on the
 * issuer (single-pass writers, caches) must not change a single output byte. The pinned SHA-256
 * values were recorded with the generic-encoder implementation before that work started; every
 * pinned document is also decoded and checked structurally below, so a pin failure comes with a
 * readable reason where there is one.
 */
import { decodeCbor, type EncodedCbor, FullDate } from '@mdlkit/core/cbor';
import { decodeCoseSign1 } from '@mdlkit/core/cose';
import {
  type CoseDigestSigner,
  type CoseSigner,
  digest,
  exportPublicKey,
  generateKeyPair,
} from '@mdlkit/core/crypto';
import { buildDocumentSignerCertificate, buildIacaCertificate } from '@mdlkit/pki';
import { beforeAll, describe, expect, it } from 'vitest';
import { type IssueMdocOptions, issueMdoc } from '../src/issue/issue-mdoc.js';

const NS = 'org.iso.18013.5.1';
const DOCTYPE = 'org.iso.18013.5.1.mDL';
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** A deterministic byte stream: SHA-256(label ‖ counter) blocks. Not random; reproducible. */
function seeded(label: string): (n: number) => Uint8Array {
  let counter = 0;
  const seed = new TextEncoder().encode(label);
  return (n) => {
    const out = new Uint8Array(n);
    for (let off = 0; off < n; off += 32) {
      const block = new Uint8Array(seed.length + 4);
      block.set(seed);
      new DataView(block.buffer).setUint32(seed.length, counter++);
      out.set(digest('SHA-256', block).subarray(0, Math.min(32, n - off)), off);
    }
    return out;
  };
}

/** A stand-in signer with a deterministic 64-byte "signature" (SHA-512 of what it signs). */
const fakeSigner: CoseSigner = {
  kind: 'message',
  alg: -7,
  sign: async (tbs) => digest('SHA-512', tbs),
};
/** A stand-in digest signer (ES256 digest path): SHA-512 of the digest. */
const fakeDigestSigner: CoseDigestSigner = {
  kind: 'digest',
  alg: -7,
  signDigest: async (d) => digest('SHA-512', d),
};

const NOW = new Date('2025-03-01T12:00:00.250Z');

function mdlElements(portraitSize: number): Map<string, unknown> {
  const portrait = new Uint8Array(portraitSize);
  portrait.set([0xff, 0xd8, 0xff, 0xe0]);
  for (let i = 4; i < portrait.length; i++) portrait[i] = (i * 31) & 0xff;
  return new Map<string, unknown>([
    ['family_name', 'Doe'],
    ['given_name', 'Zoë Ångström'],
    ['birth_date', new FullDate('1990-04-12')],
    ['issue_date', new FullDate('2025-01-15')],
    ['expiry_date', new FullDate('2030-01-15')],
    ['issuing_country', 'US'],
    ['issuing_authority', 'Test DMV'],
    ['document_number', 'D1234567'],
    ['portrait', portrait],
    [
      'driving_privileges',
      [
        new Map<string, unknown>([
          ['vehicle_category_code', 'B'],
          ['issue_date', new FullDate('2010-05-01')],
          ['expiry_date', new FullDate('2030-05-01')],
          [
            'codes',
            [
              new Map([
                ['code', 'B1'],
                ['sign', '<='],
                ['value', '3.5'],
              ]),
            ],
          ],
        ]),
      ],
    ],
    ['un_distinguishing_sign', 'USA'],
    ['age_over_18', true],
    ['age_in_years', 34],
    ['height', 170],
  ]);
}

describe('issueMdoc output bytes are pinned', () => {
  let ds: Uint8Array;
  let deviceKey: IssueMdocOptions['deviceKey'];
  beforeAll(async () => {
    const rnd = seeded('golden keys');
    const iacaKey = generateKeyPair({ curve: 'P-256', randomBytes: rnd });
    const dsKey = generateKeyPair({ curve: 'P-256', randomBytes: rnd });
    deviceKey = generateKeyPair({ curve: 'P-256', randomBytes: rnd }).publicKey;
    const iaca = await buildIacaCertificate({
      subject: { country: 'US', commonName: 'Golden IACA' },
      publicKey: exportPublicKey(iacaKey.publicKey, 'spki'),
      signer: fakeSigner,
      issuerAltName: [{ email: 'iaca@example.com' }],
      crlDistributionPoint: 'https://example.com/iaca.crl',
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2030-01-01T00:00:00Z'),
      randomBytes: rnd,
    });
    ds = await buildDocumentSignerCertificate({
      subject: { commonName: 'Golden DS' },
      publicKey: exportPublicKey(dsKey.publicKey, 'spki'),
      issuer: { certificate: iaca, signer: fakeSigner },
      crlDistributionPoint: 'https://example.com/iaca.crl',
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2026-01-01T00:00:00Z'),
      randomBytes: rnd,
    });
  });

  const base = (label: string): IssueMdocOptions => ({
    docType: DOCTYPE,
    nameSpaces: new Map<string, Map<string, unknown>>([
      [NS, mdlElements(2048)],
      [
        'org.example.extra.1',
        new Map<string, unknown>([
          ['membership', 'gold'],
          ['points', -17],
          ['ratio', 0.5],
          ['big', 2 ** 40],
          [
            'nested',
            new Map<unknown, unknown>([
              [2, 'b'],
              [1, 'a'],
              ['z', null],
            ]),
          ],
        ]),
      ],
    ]),
    deviceKey,
    validity: { validUntil: new Date('2025-06-01T00:00:00.900Z') },
    signer: fakeSigner,
    dsCertificate: ds,
    now: NOW,
    randomBytes: seeded(label),
  });

  const cases: [string, () => IssueMdocOptions, string][] = [
    [
      'deterministic, random digestIDs',
      () => base('a'),
      '535b438b14bf5683399ec43a6f673145f30a602e027c4f920a72f38e56d1f53c',
    ],
    [
      'insertion order, shuffled digestIDs, decoys, status, key authorizations, expectedUpdate',
      () => ({
        ...base('b'),
        keyOrder: 'insertion',
        digestIdStrategy: 'shuffled',
        decoys: { [NS]: 3, 'org.example.extra.1': 1 },
        status: { statusList: { idx: 412, uri: 'https://example.com/status/1' } },
        keyAuthorizations: { nameSpaces: ['org.example.extra.1'], dataElements: { [NS]: ['family_name'] } },
        validity: {
          validFrom: new Date('2025-03-02T00:00:00Z'),
          validUntil: new Date('2025-06-01T00:00:00Z'),
          expectedUpdate: new Date('2025-05-01T00:00:00Z'),
        },
      }),
      '456edfad3a627cb43fb27d229ad893ffba99814604aa12d3f7c7f107617b210e',
    ],
    [
      'SHA-384 value digests, digest signer, identifier list, 16-byte salts, decoys for every namespace',
      () => ({
        ...base('c'),
        signer: fakeDigestSigner,
        digestAlgorithm: 'SHA-384',
        saltLength: 16,
        decoys: 2,
        status: { identifierList: { id: new Uint8Array([1, 2, 3]), uri: 'https://example.com/ids' } },
        keyInfo: new Map<number, unknown>([
          [-1, 'hint'],
          [1, 5],
        ]),
      }),
      '86fe6db70e59e47d8496937db00bf93188b2a93624168c6324d6a15483ad04fe',
    ],
  ];

  for (const [name, options, pin] of cases) {
    it(name, async () => {
      const a = await issueMdoc(options());
      const b = await issueMdoc(options());
      expect(hex(a.issuerSigned)).toBe(hex(b.issuerSigned));
      // Structure: IssuerSigned holds the items and the IssuerAuth emitted beside it.
      const decoded = decodeCbor(a.issuerSigned) as Map<string, unknown>;
      expect(hex(decodeCoseSign1(a.issuerAuth).payload!)).toBe(hex(a.mso.bytes.tagged()));
      const items = (decoded.get('nameSpaces') as Map<string, EncodedCbor[]>).get(NS)!;
      expect(items.map((i) => hex(i.tagged()))).toEqual(
        a.nameSpaces.get(NS)!.map((i) => hex(i.bytes.tagged())),
      );
      expect(hex(digest('SHA-256', a.issuerSigned))).toBe(pin);
    });
  }
});
