/**
 * The negative catalogue: each entry builds one DeviceResponse (from our issuer and the assembler
 * in world.ts, then optionally mutated by hand) plus the verifier options, and names the code
 * `verifyDeviceResponse` must produce. `generate-negative.ts` writes them to `test-vectors/negative/`.
 */
import {
  concatBytes,
  decodeCbor,
  EncodedCbor,
  encodeCbor,
  fromHex,
  RawCbor,
  TDate,
  toHex,
  utf8Encode,
} from '@mdlkit/core/cbor';
import {
  buildSigStructure,
  CoseHeader,
  decodeCoseSign1,
  signCoseSign1,
  x5chainValue,
} from '@mdlkit/core/cose';
import { CoseAlg, signWithPort } from '@mdlkit/core/crypto';
import { buildSessionTranscript } from '@mdlkit/core/session';
import { buildIdentifierListToken, buildStatusListToken, StatusList } from '@mdlkit/issuer';
import {
  buildCrl,
  buildStatusListSignerCertificate,
  buildVical,
  buildVicalSignerCertificate,
  derToPem,
  parseCertificate,
} from '@mdlkit/pki';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AttributeTypeAndValue,
  AttributeValue,
  BasicConstraints,
  ExtendedKeyUsage,
  Extension,
  type Name,
  RelativeDistinguishedName,
  Time,
} from '@peculiar/asn1-x509';
import type { CaseOptions, NegativeCase, NegativeExpectation } from './case-format.js';
import { reissueCertificate } from './forge-certificate.js';
import {
  DOMESTIC_NS,
  type Issued,
  issue,
  itemsOf,
  keyFor,
  MDL_DOCTYPE,
  MDL_NS,
  makeDs,
  makeIaca,
  mdlElements,
  present,
  presentWithHolder,
  qrTranscript,
  sign1Value,
  T,
  type World,
} from './world.js';

export interface CaseDraft {
  readonly id: string;
  readonly title: string;
  readonly clause: string;
  readonly category: string;
  readonly origin?: 'generated' | 'mutated';
  readonly response: Uint8Array;
  readonly options?: Partial<CaseOptions>;
  readonly omitEReaderKey?: boolean;
  readonly expect: NegativeExpectation;
}

type Builder = (w: World, base: Base) => Promise<CaseDraft | readonly CaseDraft[]>;

interface Base {
  readonly issued: Issued;
  readonly response: Uint8Array;
  readonly macResponse: Uint8Array;
}

const hex = toHex;
const mutable = (bytes: Uint8Array): Map<string, unknown> => decodeCbor(bytes) as Map<string, unknown>;
const doc0 = (resp: Map<string, unknown>): Map<string, unknown> =>
  (resp.get('documents') as Map<string, unknown>[])[0]!;
const issuerSigned = (resp: Map<string, unknown>): Map<string, unknown> =>
  doc0(resp).get('issuerSigned') as Map<string, unknown>;
const issuerItems = (resp: Map<string, unknown>): Map<string, EncodedCbor[]> =>
  issuerSigned(resp).get('nameSpaces') as Map<string, EncodedCbor[]>;

/** Re-encodes one IssuerSignedItem with a changed field (digestID, random, value …). */
function editItem(item: EncodedCbor, edit: (m: Map<string, unknown>) => void): EncodedCbor {
  const m = new Map(item.value as Map<string, unknown>);
  edit(m);
  return EncodedCbor.fromValue(m, { keyOrder: 'insertion' });
}

const flip = (bytes: Uint8Array, index: number): Uint8Array => {
  const out = bytes.slice();
  const i = index < 0 ? out.length + index : index;
  out[i] = (out[i] ?? 0) ^ 0x01;
  return out;
};

/** Replaces the first occurrence of `find` with `replace` (same or different length). */
function replaceBytes(bytes: Uint8Array, find: Uint8Array, replace: Uint8Array): Uint8Array {
  outer: for (let i = 0; i + find.length <= bytes.length; i++) {
    for (let j = 0; j < find.length; j++) if (bytes[i + j] !== find[j]) continue outer;
    return concatBytes(bytes.subarray(0, i), replace, bytes.subarray(i + find.length));
  }
  throw new Error('pattern not found');
}

/** IssuerAuth with hand-chosen headers, signed over the Sig_structure with the DS key. */
async function rawIssuerAuth(
  w: World,
  issued: Issued,
  protectedMap: Map<number, unknown>,
  unprotectedMap: Map<number, unknown>,
  signer = w.ds.key.signer,
): Promise<Uint8Array> {
  const protectedBytes = protectedMap.size === 0 ? new Uint8Array(0) : encodeCbor(protectedMap);
  const payload = issued.msoBytes.tagged();
  const signature = await signWithPort(signer, buildSigStructure({ protectedBytes, payload }));
  return encodeCbor([protectedBytes, unprotectedMap, payload, signature]);
}

const x5 = (w: World) => new Map<number, unknown>([[CoseHeader.x5chain, w.ds.der]]);
const algES256 = new Map<number, unknown>([[CoseHeader.alg, CoseAlg.ES256]]);

const DEVICE_NS = 'org.example.device';

// ---------------------------------------------------------------------------------------------
// Issuer data authentication (§9.3.1)
// ---------------------------------------------------------------------------------------------

const issuerData: Builder[] = [
  async (_w, b) => {
    const resp = mutable(b.response);
    const items = issuerItems(resp).get(MDL_NS)!;
    items[0] = editItem(items[0]!, (m) => m.set('elementValue', 'Musterfrau'));
    return {
      id: 'digest-item-value-tampered',
      title: 'An issuer-signed element value was changed after issuance',
      clause: '18013-5 §9.3.1 step 3',
      category: 'issuer-data',
      origin: 'mutated',
      response: encodeCbor(resp),
      options: { sessionTranscript: null },
      expect: { check: 'value-digests', code: 'ERR_MSO_DIGEST_MISMATCH' },
    };
  },
  async (_w, b) => {
    const resp = mutable(b.response);
    const items = issuerItems(resp).get(MDL_NS)!;
    items[1] = editItem(items[1]!, (m) => m.set('random', new Uint8Array(32)));
    return {
      id: 'digest-item-salt-replaced',
      title: 'The random salt of an item was replaced',
      clause: '18013-5 §9.1.2.5',
      category: 'issuer-data',
      origin: 'mutated',
      response: encodeCbor(resp),
      options: { sessionTranscript: null },
      expect: { check: 'value-digests', code: 'ERR_MSO_DIGEST_MISMATCH' },
    };
  },
  async (_w, b) => {
    // Same logical item, re-encoded with a different (still preferred) key order: the digest
    // covers the received bytes, so a reader that re-encodes would wrongly accept or reject.
    const resp = mutable(b.response);
    const items = issuerItems(resp).get(MDL_NS)!;
    const m = items[2]!.value as Map<string, unknown>;
    items[2] = EncodedCbor.fromValue(new Map([...m].reverse()), { keyOrder: 'insertion' });
    return {
      id: 'digest-item-reencoded',
      title: 'An item was re-encoded with another key order (same decoded value)',
      clause: '18013-5 §9.1.2.5 (digest over IssuerSignedItemBytes as received)',
      category: 'issuer-data',
      origin: 'mutated',
      response: encodeCbor(resp),
      options: { sessionTranscript: null },
      expect: { check: 'value-digests', code: 'ERR_MSO_DIGEST_MISMATCH' },
    };
  },
  async (w, _b) => {
    // An item moved to another namespace.
    const issued = await issue(w, {
      nameSpaces: { [MDL_NS]: mdlElements(), [DOMESTIC_NS]: { organ_donor: 1 } },
    });
    const ns = itemsOf(issued);
    const moved = ns.get(MDL_NS)!.pop()!;
    ns.get(DOMESTIC_NS)!.push(moved);
    return {
      id: 'digest-namespace-swapped',
      title: 'An item is presented under a namespace it was not issued in',
      clause: '18013-5 §9.3.1 step 3',
      category: 'issuer-data',
      origin: 'mutated',
      response: await present(w, issued, { issuerNameSpaces: ns }),
      expect: { check: 'value-digests', code: 'ERR_MSO_DIGEST_MISSING' },
    };
  },
  async (_w, b) => {
    const resp = mutable(b.response);
    const items = issuerItems(resp).get(MDL_NS)!;
    const id0 = (items[0]!.value as Map<string, unknown>).get('digestID');
    items[1] = editItem(items[1]!, (m) => m.set('digestID', id0));
    return {
      id: 'digest-id-collision',
      title: 'Two received items in one namespace carry the same digestID',
      clause: '18013-5 §9.1.2.4 (digestID unique per namespace)',
      category: 'issuer-data',
      origin: 'mutated',
      response: encodeCbor(resp),
      options: { sessionTranscript: null },
      expect: { check: 'value-digests', code: 'ERR_MSO_DIGEST_ID_DUPLICATE' },
    };
  },
  async (_w, b) => {
    const resp = mutable(b.response);
    const items = issuerItems(resp).get(MDL_NS)!;
    items.push(items[0]!);
    return {
      id: 'digest-item-duplicated',
      title: 'The same IssuerSignedItemBytes are sent twice',
      clause: '18013-5 §8.3.2.1.2.2',
      category: 'issuer-data',
      origin: 'mutated',
      response: encodeCbor(resp),
      options: { sessionTranscript: null },
      expect: { check: 'value-digests', code: 'ERR_MSO_DIGEST_ID_DUPLICATE' },
    };
  },
  async (_w, b) => {
    const resp = mutable(b.response);
    const items = issuerItems(resp).get(MDL_NS)!;
    items[0] = editItem(items[0]!, (m) => m.set('digestID', 2 ** 31 - 7));
    return {
      id: 'digest-id-unknown',
      title: 'An item names a digestID the MSO does not list',
      clause: '18013-5 §9.3.1 step 3',
      category: 'issuer-data',
      origin: 'mutated',
      response: encodeCbor(resp),
      options: { sessionTranscript: null },
      expect: { check: 'value-digests', code: 'ERR_MSO_DIGEST_MISSING' },
    };
  },
  async (w, b) => {
    return {
      id: 'doctype-swapped',
      title: 'Document docType differs from the MSO docType (device signature over the claimed docType)',
      clause: '18013-5 §9.3.1 step 4',
      category: 'issuer-data',
      origin: 'mutated',
      response: await present(w, b.issued, { docType: 'org.iso.23220.photoid.1' }),
      expect: { check: 'doc-type', code: 'ERR_MSO_DOCTYPE_MISMATCH' },
    };
  },
  async (_w, b) => ({
    id: 'mso-expired',
    title: 'Verified after MSO validUntil (DS still valid)',
    clause: '18013-5 §9.3.1 step 5',
    category: 'validity',
    response: b.response,
    options: { now: '2026-02-01T00:00:00Z' },
    expect: { check: 'mso-validity', code: 'ERR_MSO_EXPIRED' },
  }),
  async (_w, b) => ({
    id: 'mso-expired-beyond-skew',
    title: 'Two minutes after validUntil with 60 s clock skew allowed',
    clause: '18013-5 §9.3.1 step 5',
    category: 'validity',
    response: b.response,
    options: { now: '2026-01-01T00:02:00Z', clockSkewSeconds: 60 },
    expect: { check: 'mso-validity', code: 'ERR_MSO_EXPIRED' },
  }),
  async (w) => {
    const issued = await issue(w, { validFrom: new Date('2025-07-01T00:00:00Z') });
    return {
      id: 'mso-not-yet-valid',
      title: 'MSO validFrom is after the verification time',
      clause: '18013-5 §9.3.1 step 5',
      category: 'validity',
      response: await present(w, issued),
      expect: { check: 'mso-validity', code: 'ERR_MSO_NOT_YET_VALID' },
    };
  },
  async (w) => {
    const issued = await issue(w, { signed: new Date('2025-02-01T00:00:00Z'), signing: 'raw' });
    return {
      id: 'mso-signed-before-ds-validity',
      title: 'MSO signed before the DS certificate notBefore',
      clause: '18013-5 §9.3.1 step 5',
      category: 'validity',
      origin: 'mutated',
      response: await present(w, issued),
      expect: { check: 'mso-signed-within-ds-validity', code: 'ERR_MSO_SIGNED_OUTSIDE_DS_VALIDITY' },
    };
  },
  async (w) => {
    const issued = await issue(w, {
      signed: new Date('2026-03-05T00:00:00Z'),
      validUntil: new Date('2026-06-01T00:00:00Z'),
      signing: 'raw',
    });
    return {
      id: 'mso-signed-after-ds-expiry',
      title: 'MSO signed after the DS certificate expired',
      clause: '18013-5 §9.3.1 step 5',
      category: 'validity',
      origin: 'mutated',
      response: await present(w, issued),
      options: { now: '2026-03-06T00:00:00Z' },
      expect: { check: 'mso-signed-within-ds-validity', code: 'ERR_MSO_SIGNED_OUTSIDE_DS_VALIDITY' },
    };
  },
  async (_w, b) => ({
    id: 'ds-expired',
    title: 'Verified after the DS certificate notAfter',
    clause: '18013-5 §9.3.3, RFC 5280 §6.1.3',
    category: 'certificate',
    response: b.response,
    options: { now: '2026-03-02T00:00:00Z' },
    expect: { check: 'ds-certificate-validity', code: 'ERR_X509_EXPIRED' },
  }),
  async (w) => {
    const ds = await makeDs('ds-late', w.iaca, w.random, {
      from: new Date('2025-07-01T00:00:00Z'),
      to: new Date('2026-07-01T00:00:00Z'),
    });
    const issued = await issue(w, {
      ds,
      signed: new Date('2025-07-02T00:00:00Z'),
      signing: 'raw',
    });
    return {
      id: 'ds-not-yet-valid',
      title: 'DS certificate notBefore is after the verification time',
      clause: '18013-5 §9.3.3, RFC 5280 §6.1.3',
      category: 'certificate',
      origin: 'mutated',
      response: await present(w, issued),
      expect: { check: 'ds-certificate-validity', code: 'ERR_X509_NOT_YET_VALID' },
    };
  },
  async (w) => {
    // IACA valid for 2025 only; the DS outlives it; verified in 2026 while the DS is still valid.
    const iaca = await makeIaca('iaca-short', w.random, undefined, {
      from: T.iacaFrom,
      to: new Date('2025-12-31T00:00:00Z'),
    });
    const goodDs = await makeDs('ds-outliving', iaca, w.random, {
      from: T.dsFrom,
      to: new Date('2025-12-30T00:00:00Z'),
    });
    const dsDer = await reissueCertificate(goodDs.der, iaca.key.signer, (tbs) => {
      tbs.validity.notAfter = new Time({ utcTime: new Date('2026-03-01T00:00:00Z') });
    });
    const ds = { ...goodDs, der: dsDer };
    const issued = await issue(w, { ds, signing: 'raw', validUntil: new Date('2026-02-15T00:00:00Z') });
    return {
      id: 'ds-outside-iaca-validity',
      title: 'DS certificate still valid but its IACA has expired',
      clause: '18013-5 §9.3.3, RFC 5280 §6.1.3',
      category: 'certificate',
      origin: 'mutated',
      response: await present(w, issued),
      options: { now: '2026-02-01T00:00:00Z', trustAnchors: [iaca.pem] },
      expect: { check: 'ds-certificate-validity', code: 'ERR_X509_ISSUER_VALIDITY' },
    };
  },
];

// ---------------------------------------------------------------------------------------------
// Certificates (§9.3.3, Annex B)
// ---------------------------------------------------------------------------------------------

async function forgedDsCase(
  w: World,
  id: string,
  title: string,
  clause: string,
  mutate: Parameters<typeof reissueCertificate>[2],
  expect: NegativeExpectation,
  extra: Partial<CaseOptions> = {},
): Promise<CaseDraft> {
  const der = await reissueCertificate(w.ds.der, w.iaca.key.signer, mutate);
  const issued = await issue(w, { ds: { ...w.ds, der }, signing: 'raw' });
  return {
    id,
    title,
    clause,
    category: 'certificate',
    origin: 'mutated',
    response: await present(w, issued),
    options: extra,
    expect,
  };
}

function replaceExtension(tbs: { extensions?: Extension[] }, oid: string, ext: Extension | undefined): void {
  const list = (tbs.extensions ?? []).filter((e) => e.extnID !== oid);
  if (ext) list.push(ext);
  (tbs as { extensions: Extension[] }).extensions = list as never;
}

function ext(oid: string, critical: boolean, value: unknown): Extension {
  return new Extension({ extnID: oid, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

function setRdn(name: Name, oid: string, value: string): void {
  for (const rdn of name) {
    for (const atv of rdn) {
      if (atv.type === oid) {
        atv.value = new AttributeValue({ printableString: value });
        return;
      }
    }
  }
  name.push(
    new RelativeDistinguishedName([
      new AttributeTypeAndValue({ type: oid, value: new AttributeValue({ printableString: value }) }),
    ]),
  );
}

const certificates: Builder[] = [
  (w) =>
    forgedDsCase(
      w,
      'ds-wrong-eku',
      'DS certificate carries the reader-auth EKU instead of 1.0.18013.5.1.2',
      '18013-5 Annex B Table B.3, §9.3.3',
      (tbs) =>
        replaceExtension(tbs, '2.5.29.37', ext('2.5.29.37', true, new ExtendedKeyUsage(['1.0.18013.5.1.6']))),
      { check: 'ds-certificate-path', code: 'ERR_X509_EKU' },
    ),
  (w) =>
    forgedDsCase(
      w,
      'ds-no-eku',
      'DS certificate without extendedKeyUsage',
      '18013-5 Annex B Table B.3',
      (tbs) => replaceExtension(tbs, '2.5.29.37', undefined),
      { check: 'ds-certificate-path', code: 'ERR_X509_EKU_MISSING' },
    ),
  (w) =>
    forgedDsCase(
      w,
      'ds-ca-true',
      'DS certificate with basicConstraints cA TRUE',
      '18013-5 Annex B Table B.3',
      (tbs) => replaceExtension(tbs, '2.5.29.19', ext('2.5.29.19', true, new BasicConstraints({ cA: true }))),
      { check: 'ds-certificate-path', code: 'ERR_X509_PROFILE_VIOLATION' },
    ),
  (w) =>
    forgedDsCase(
      w,
      'ds-country-mismatch-iaca',
      'DS subject countryName differs from the IACA countryName',
      '18013-5 §9.3.3, Annex B.1.1',
      (tbs) => setRdn(tbs.subject, '2.5.4.6', 'CA'),
      { check: 'ds-certificate-path', code: 'ERR_X509_COUNTRY_MISMATCH' },
    ),
  (w) =>
    forgedDsCase(
      w,
      'ds-state-mismatch-iaca',
      'DS subject stateOrProvinceName differs from the IACA',
      '18013-5 §9.3.3, Annex B.1.1',
      (tbs) => setRdn(tbs.subject, '2.5.4.8', 'US-NJ'),
      { check: 'ds-certificate-path', code: 'ERR_X509_STATE_MISMATCH' },
    ),
  (w) =>
    forgedDsCase(
      w,
      'ds-unknown-critical-extension',
      'DS certificate with an unrecognised critical extension',
      'RFC 5280 §6.1.4 (o), 18013-5 Annex B.1.1',
      (tbs) =>
        replaceExtension(
          tbs,
          '1.3.6.1.4.1.99999.1',
          ext('1.3.6.1.4.1.99999.1', true, new BasicConstraints({})),
        ),
      { check: 'ds-certificate-path', code: 'ERR_X509_UNKNOWN_CRITICAL_EXTENSION' },
    ),
  async (w) => {
    // Signed by a different key under the same IACA name: the chain does not verify.
    const other = await makeIaca('iaca-impostor', w.random);
    const ds = await makeDs('ds-impostor', other, w.random);
    const issued = await issue(w, { ds });
    return {
      id: 'ds-signed-by-impostor-iaca',
      title: 'DS issued by another key using the trusted IACA name',
      clause: '18013-5 §9.3.3, RFC 5280 §6.1.3',
      category: 'certificate',
      origin: 'generated',
      response: await present(w, issued),
      expect: { check: 'ds-certificate-path', code: 'ERR_X509_CHAIN_UNTRUSTED' },
    };
  },
  async (w, b) => {
    const other = await makeIaca('iaca-other', w.random, { country: 'CA', commonName: 'Other IACA' });
    return {
      id: 'untrusted-iaca',
      title: 'The DS chains to an IACA the reader does not trust',
      clause: '18013-5 §9.3.3',
      category: 'certificate',
      response: b.response,
      options: { trustAnchors: [other.pem] },
      expect: { check: 'ds-certificate-path', code: 'ERR_X509_CHAIN_UNTRUSTED' },
    };
  },
  async (_w, b) => ({
    id: 'no-trust-anchors',
    title: 'The reader has no trust anchors at all',
    clause: '18013-5 §9.3.3',
    category: 'certificate',
    response: b.response,
    options: { trustAnchors: [] },
    expect: { check: 'ds-certificate-path', code: 'ERR_X509_CHAIN_UNTRUSTED' },
  }),
  async (w, b) => ({
    id: 'iaca-restricted-doctype',
    title: 'The IACA is trusted (VICAL-style) only for another docType',
    clause: '18013-5 Annex C, §9.3.1 step 6 (ed2)',
    category: 'certificate',
    response: b.response,
    options: { trustAnchors: [{ pem: w.iaca.pem, docTypes: ['org.iso.23220.photoid.1'] }] },
    expect: { check: 'ds-certificate-path', code: 'ERR_X509_DOCTYPE_NOT_ALLOWED' },
  }),
  async (w) => {
    const issued = await issue(w, { signing: 'raw', x5chain: [w.ds.der, w.iaca.der] });
    return {
      id: 'x5chain-contains-iaca',
      title: 'x5chain carries the IACA (never allowed) under the strict policy',
      clause: '18013-5 §9.1.2.4, Annex B.1.1',
      category: 'certificate',
      origin: 'mutated',
      response: await present(w, issued),
      expect: { check: 'ds-certificate-path', code: 'ERR_X509_CHAIN_UNTRUSTED' },
    };
  },
  async (w) => {
    const issued = await issue(w, { signing: 'raw', x5chain: null });
    return {
      id: 'x5chain-missing',
      title: 'IssuerAuth without x5chain',
      clause: '18013-5 §9.1.2.4',
      category: 'issuer-auth',
      origin: 'mutated',
      response: await present(w, issued),
      expect: { check: 'ds-certificate-path', code: 'ERR_COSE_X5CHAIN_MISSING' },
    };
  },
  async (w) => {
    // x5chain names another valid DS (same IACA) than the key that signed.
    const other = await makeDs('ds-other', w.iaca, w.random);
    const issued = await issue(w, { signing: 'raw', x5chain: [other.der] });
    return {
      id: 'x5chain-swapped',
      title: 'x5chain carries a different (valid) DS certificate than the signer',
      clause: '18013-5 §9.3.1 step 2',
      category: 'issuer-auth',
      origin: 'mutated',
      response: await present(w, issued),
      expect: { check: 'issuer-auth-signature', code: 'ERR_ISSUER_AUTH_SIGNATURE_INVALID' },
    };
  },
  async (w) => {
    const issued = await issue(w, {
      signing: 'raw',
      x5chain: [new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])],
    });
    return {
      id: 'x5chain-garbage-certificate',
      title: 'x5chain holds bytes that are not a certificate',
      clause: '18013-5 §9.1.2.4, RFC 9360',
      category: 'issuer-auth',
      origin: 'mutated',
      response: await present(w, issued),
      expect: { check: 'ds-certificate-path', code: 'ERR_X509_MALFORMED' },
    };
  },
];

// ---------------------------------------------------------------------------------------------
// IssuerAuth COSE (§9.1.2.4, RFC 9052)
// ---------------------------------------------------------------------------------------------

const issuerAuth: Builder[] = [
  async (w, b) => ({
    id: 'issuer-auth-alg-unprotected-only',
    title: 'IssuerAuth alg only in the unprotected header',
    clause: '18013-5 §9.1.2.4 (alg protected)',
    category: 'issuer-auth',
    origin: 'mutated',
    response: await present(w, b.issued, {
      issuerAuth: await rawIssuerAuth(
        w,
        b.issued,
        new Map(),
        new Map<number, unknown>([
          [CoseHeader.alg, CoseAlg.ES256],
          [CoseHeader.x5chain, w.ds.der],
        ]),
      ),
    }),
    expect: { check: 'issuer-auth-signature', code: 'ERR_COSE_ALG_NOT_PROTECTED' },
  }),
  async (w, b) => ({
    id: 'issuer-auth-alg-confusion-es384',
    title: 'IssuerAuth claims ES384 for a P-256 DS key (alg confusion)',
    clause: '18013-5 §9.1.2.4, RFC 9053 §2.1',
    category: 'issuer-auth',
    origin: 'mutated',
    response: await present(w, b.issued, {
      issuerAuth: await rawIssuerAuth(w, b.issued, new Map([[CoseHeader.alg, CoseAlg.ES384]]), x5(w)),
    }),
    expect: { check: 'issuer-auth-signature', code: 'ERR_COSE_ALG_KEY_MISMATCH' },
  }),
  async (w, b) => ({
    id: 'issuer-auth-alg-confusion-eddsa',
    title: 'IssuerAuth claims EdDSA for an EC DS key',
    clause: '18013-5 §9.1.2.4, RFC 9053 §2.2',
    category: 'issuer-auth',
    origin: 'mutated',
    response: await present(w, b.issued, {
      issuerAuth: await rawIssuerAuth(w, b.issued, new Map([[CoseHeader.alg, CoseAlg.EdDSA]]), x5(w)),
    }),
    expect: { check: 'issuer-auth-signature', code: 'ERR_COSE_ALG_KEY_MISMATCH' },
  }),
  async (w, b) => ({
    id: 'issuer-auth-alg-rs256',
    title: 'IssuerAuth names RS256 (not allowed by 18013-5)',
    clause: '18013-5 §9.1.2.4 (cipher suite 1 algorithms)',
    category: 'issuer-auth',
    origin: 'mutated',
    response: await present(w, b.issued, {
      issuerAuth: await rawIssuerAuth(w, b.issued, new Map([[CoseHeader.alg, -257]]), x5(w)),
    }),
    expect: { check: 'issuer-auth-signature', code: 'ERR_COSE_ALG_UNSUPPORTED' },
  }),
  async (w, b) => ({
    id: 'issuer-auth-alg-missing',
    title: 'IssuerAuth without any alg header',
    clause: '18013-5 §9.1.2.4',
    category: 'issuer-auth',
    origin: 'mutated',
    response: await present(w, b.issued, {
      issuerAuth: await rawIssuerAuth(w, b.issued, new Map([[CoseHeader.contentType, 0]]), x5(w)),
    }),
    expect: { check: 'issuer-auth-signature', code: 'ERR_COSE_ALG_MISSING' },
  }),
  async (w, b) => ({
    id: 'issuer-auth-crit-unknown',
    title: 'IssuerAuth marks an unknown header parameter critical',
    clause: 'RFC 9052 §3.1 (crit)',
    category: 'issuer-auth',
    origin: 'mutated',
    response: await present(w, b.issued, {
      issuerAuth: await rawIssuerAuth(
        w,
        b.issued,
        new Map<number, unknown>([
          [CoseHeader.alg, CoseAlg.ES256],
          [CoseHeader.crit, [99]],
          [99, 1],
        ]),
        x5(w),
      ),
    }),
    expect: { check: 'issuer-auth-signature', code: 'ERR_COSE_MALFORMED' },
  }),
  async (w, b) => {
    const bytes = b.issued.issuerAuth;
    return {
      id: 'issuer-auth-signature-bitflip',
      title: 'One bit of the IssuerAuth signature flipped',
      clause: '18013-5 §9.3.1 step 2',
      category: 'issuer-auth',
      origin: 'mutated',
      response: await present(w, b.issued, { issuerAuth: flip(bytes, -1) }),
      expect: { check: 'issuer-auth-signature', code: 'ERR_ISSUER_AUTH_SIGNATURE_INVALID' },
    };
  },
  async (w, b) => {
    // Change the MSO validUntil after signing (payload tampered, signature kept).
    const msg = decodeCoseSign1(b.issued.issuerAuth);
    const mso = b.issued.msoBytes.value as Map<string, unknown>;
    const vi = new Map(mso.get('validityInfo') as Map<string, unknown>);
    vi.set('validUntil', new TDate('2030-01-01T00:00:00Z'));
    const forged = new Map(mso);
    forged.set('validityInfo', vi);
    const payload = EncodedCbor.fromValue(forged, { keyOrder: 'insertion' }).tagged();
    return {
      id: 'issuer-auth-payload-tampered',
      title: 'MSO validity extended after signing (signature kept)',
      clause: '18013-5 §9.3.1 step 2',
      category: 'issuer-auth',
      origin: 'mutated',
      response: await present(w, b.issued, {
        issuerAuth: encodeCbor([msg.protectedBytes, msg.unprotected, payload, msg.signature]),
      }),
      expect: { check: 'issuer-auth-signature', code: 'ERR_ISSUER_AUTH_SIGNATURE_INVALID' },
    };
  },
  async (w, b) => {
    // Signed by an attacker key, x5chain still names the genuine DS.
    const attacker = keyFor('attacker');
    return {
      id: 'issuer-auth-signed-by-other-key',
      title: 'IssuerAuth signed by a key that is not the DS key',
      clause: '18013-5 §9.3.1 step 2',
      category: 'issuer-auth',
      origin: 'mutated',
      response: await present(w, b.issued, {
        issuerAuth: await rawIssuerAuth(w, b.issued, algES256, x5(w), attacker.signer),
      }),
      expect: { check: 'issuer-auth-signature', code: 'ERR_ISSUER_AUTH_SIGNATURE_INVALID' },
    };
  },
  async (w, b) => ({
    id: 'issuer-auth-duplicate-header',
    title: 'alg present in both header buckets',
    clause: 'RFC 9052 §3 (labels unique across buckets)',
    category: 'issuer-auth',
    origin: 'mutated',
    response: await present(w, b.issued, {
      issuerAuth: await rawIssuerAuth(
        w,
        b.issued,
        algES256,
        new Map<number, unknown>([
          [CoseHeader.alg, CoseAlg.ES256],
          [CoseHeader.x5chain, w.ds.der],
        ]),
      ),
    }),
    expect: { check: 'issuer-auth-signature', code: 'ERR_COSE_DUPLICATE_HEADER' },
  }),
];

// ---------------------------------------------------------------------------------------------
// Element cross-checks (§7.2.1)
// ---------------------------------------------------------------------------------------------

const elementChecks: Builder[] = [
  async (w) => {
    const issued = await issue(w, { nameSpaces: { [MDL_NS]: mdlElements({ issuing_country: 'CA' }) } });
    return {
      id: 'issuing-country-mismatch',
      title: 'issuing_country differs from the DS certificate countryName',
      clause: '18013-5 §7.2.1 Table 5, §9.3.1',
      category: 'elements',
      response: await present(w, issued),
      expect: { check: 'issuing-country', code: 'ERR_ISSUING_COUNTRY_MISMATCH' },
    };
  },
  async (w) => {
    const issued = await issue(w, {
      nameSpaces: { [MDL_NS]: mdlElements({ issuing_jurisdiction: 'US-NJ' }) },
    });
    return {
      id: 'issuing-jurisdiction-mismatch',
      title: 'issuing_jurisdiction differs from the DS certificate stateOrProvinceName',
      clause: '18013-5 §7.2.1 Table 5',
      category: 'elements',
      response: await present(w, issued),
      expect: { check: 'issuing-jurisdiction', code: 'ERR_ISSUING_JURISDICTION_MISMATCH' },
    };
  },
  async (w) => {
    // The issuer validates issuing_country, so this one is signed raw: an issuer bug we must catch.
    const issued = await issue(w, { nameSpaces: { [MDL_NS]: mdlElements({ issuing_country: 'us' }) } });
    return {
      id: 'issuing-country-case-mismatch',
      title: 'issuing_country in lower case does not equal the DS countryName',
      clause: '18013-5 §7.2.1 Table 5',
      category: 'elements',
      response: await present(w, issued),
      expect: { check: 'issuing-country', code: 'ERR_ISSUING_COUNTRY_MISMATCH' },
    };
  },
];

// ---------------------------------------------------------------------------------------------
// mdoc authentication (§9.3.2)
// ---------------------------------------------------------------------------------------------

const otherTranscript = (w: World) => qrTranscript(keyFor('e-device-2'), w.eReader);

const deviceAuth: Builder[] = [
  async (w, b) => ({
    id: 'device-signature-wrong-transcript',
    title: 'DeviceSignature made over another session’s transcript',
    clause: '18013-5 §9.1.3.4, §9.3.2',
    category: 'device-auth',
    response: await present(w, b.issued, { transcript: otherTranscript(w) }),
    expect: { check: 'device-auth', code: 'ERR_DEVICE_SIGNATURE_INVALID' },
  }),
  async (w, b) => {
    const nfc = buildSessionTranscript({
      deviceEngagementBytes: w.transcript.deviceEngagementBytes,
      eReaderKeyBytes: w.transcript.eReaderKeyBytes,
      handover: { kind: 'nfc', handoverSelect: utf8Encode('Hs'), handoverRequest: null },
    });
    return {
      id: 'device-signature-wrong-handover',
      title: 'DeviceSignature over a transcript with another handover',
      clause: '18013-5 §9.1.5.1',
      category: 'device-auth',
      response: await present(w, b.issued, { transcript: nfc }),
      expect: { check: 'device-auth', code: 'ERR_DEVICE_SIGNATURE_INVALID' },
    };
  },
  async (w, b) => ({
    id: 'device-signature-other-key',
    title: 'DeviceSignature by a key that is not the MSO deviceKey',
    clause: '18013-5 §9.3.2',
    category: 'device-auth',
    response: await present(w, b.issued, { deviceAuth: { kind: 'signature', key: keyFor('device-2') } }),
    expect: { check: 'device-auth', code: 'ERR_DEVICE_SIGNATURE_INVALID' },
  }),
  async (_w, b) => {
    const resp = mutable(b.response);
    const da = (doc0(resp).get('deviceSigned') as Map<string, unknown>).get('deviceAuth') as Map<
      string,
      unknown
    >;
    const sig = da.get('deviceSignature') as unknown[];
    sig[3] = flip(sig[3] as Uint8Array, 5);
    return {
      id: 'device-signature-bitflip',
      title: 'One bit of the DeviceSignature flipped',
      clause: '18013-5 §9.3.2',
      category: 'device-auth',
      origin: 'mutated',
      response: encodeCbor(resp),
      expect: { check: 'device-auth', code: 'ERR_DEVICE_SIGNATURE_INVALID' },
    };
  },
  async (w, b) => ({
    id: 'device-signature-attached-payload',
    title: 'DeviceSignature with the payload attached instead of detached',
    clause: '18013-5 §9.1.3.6 (payload null)',
    category: 'device-auth',
    response: await present(w, b.issued, { deviceAuth: { kind: 'signature', attachPayload: true } }),
    expect: { check: 'device-auth', code: 'ERR_DEVICE_SIGNATURE_INVALID' },
  }),
  async (w, b) => {
    const payloadless = new Map([
      ['deviceSignature', [new Uint8Array(0), new Map([[1, -7]]), null, new Uint8Array(64)]],
    ]);
    return {
      id: 'device-signature-alg-unprotected',
      title: 'DeviceSignature alg only in the unprotected header',
      clause: '18013-5 §9.1.3.6',
      category: 'device-auth',
      origin: 'mutated',
      response: await present(w, b.issued, { deviceAuth: { kind: 'raw', value: payloadless } }),
      expect: { check: 'device-auth', code: 'ERR_COSE_ALG_NOT_PROTECTED' },
    };
  },
  async (w, b) => ({
    id: 'device-auth-missing',
    title: 'DeviceAuth is an empty map',
    clause: '18013-5 §8.3.2.1.2.2 (DeviceAuth)',
    category: 'device-auth',
    origin: 'mutated',
    response: await present(w, b.issued, { deviceAuth: { kind: 'none' } }),
    expect: { check: 'device-auth', code: 'ERR_DEVICE_AUTH_MISSING' },
  }),
  async (_w, b) => {
    const resp = mutable(b.response);
    const mac = mutable(b.macResponse);
    const da = (doc0(resp).get('deviceSigned') as Map<string, unknown>).get('deviceAuth') as Map<
      string,
      unknown
    >;
    const macDa = (doc0(mac).get('deviceSigned') as Map<string, unknown>).get('deviceAuth') as Map<
      string,
      unknown
    >;
    da.set('deviceMac', macDa.get('deviceMac'));
    return {
      id: 'device-auth-both',
      title: 'DeviceAuth carries both a signature and a MAC',
      clause: '18013-5 §8.3.2.1.2.2 (exactly one)',
      category: 'device-auth',
      origin: 'mutated',
      response: encodeCbor(resp),
      expect: { check: 'device-auth', code: 'ERR_DEVICE_AUTH_MISSING' },
    };
  },
  async (w) => {
    const issued = await issue(w, { keyAuthorizations: { nameSpaces: [DEVICE_NS] } });
    const signed = await present(w, issued, {
      deviceNameSpaces: new Map([[DEVICE_NS, new Map<string, unknown>([['nickname', 'E']])]]),
    });
    const resp = mutable(signed);
    // Re-encode DeviceNameSpaces with another value after signing.
    (doc0(resp).get('deviceSigned') as Map<string, unknown>).set(
      'nameSpaces',
      EncodedCbor.fromValue(new Map([[DEVICE_NS, new Map([['nickname', 'F']])]])),
    );
    return {
      id: 'device-namespaces-tampered',
      title: 'A device-signed element changed after the DeviceSignature',
      clause: '18013-5 §9.1.3.4',
      category: 'device-auth',
      origin: 'mutated',
      response: encodeCbor(resp),
      expect: { check: 'device-auth', code: 'ERR_DEVICE_SIGNATURE_INVALID' },
    };
  },
  async (w, b) => ({
    id: 'device-mac-wrong-reader-key',
    title: 'DeviceMac computed for another reader ephemeral key',
    clause: '18013-5 §9.1.3.5',
    category: 'device-auth',
    response: await present(w, b.issued, {
      deviceAuth: { kind: 'mac', eReaderPublic: keyFor('e-reader-2').publicKey },
    }),
    expect: { check: 'device-auth', code: 'ERR_DEVICE_MAC_INVALID' },
  }),
  async (_w, b) => ({
    id: 'device-mac-verifier-wrong-key',
    title: 'The reader checks the DeviceMac with a key of another session',
    clause: '18013-5 §9.1.3.5',
    category: 'device-auth',
    response: b.macResponse,
    options: { eReaderKey: { curve: 'P-256', d: hex(keyFor('e-reader-2').privateKey.d) } },
    expect: { check: 'device-auth', code: 'ERR_DEVICE_MAC_INVALID' },
  }),
  async (_w, b) => ({
    id: 'device-mac-no-reader-key',
    title: 'DeviceMac but the reader passed no ephemeral key',
    clause: '18013-5 §9.1.3.5',
    category: 'device-auth',
    response: b.macResponse,
    omitEReaderKey: true,
    expect: { check: 'device-auth', code: 'ERR_DEVICE_MAC_KEY_UNAVAILABLE' },
  }),
  async (w, b) => ({
    id: 'device-mac-wrong-transcript',
    title: 'DeviceMac over another session’s transcript',
    clause: '18013-5 §9.1.3.5',
    category: 'device-auth',
    response: await present(w, b.issued, { deviceAuth: { kind: 'mac' }, transcript: otherTranscript(w) }),
    expect: { check: 'device-auth', code: 'ERR_DEVICE_MAC_INVALID' },
  }),
  async (_w, b) => {
    const resp = mutable(b.macResponse);
    const da = (doc0(resp).get('deviceSigned') as Map<string, unknown>).get('deviceAuth') as Map<
      string,
      unknown
    >;
    const mac = da.get('deviceMac') as unknown[];
    mac[3] = flip(mac[3] as Uint8Array, 0);
    return {
      id: 'device-mac-tag-bitflip',
      title: 'One bit of the DeviceMac tag flipped',
      clause: '18013-5 §9.1.3.5',
      category: 'device-auth',
      origin: 'mutated',
      response: encodeCbor(resp),
      expect: { check: 'device-auth', code: 'ERR_DEVICE_MAC_INVALID' },
    };
  },
  async (_w, b) => {
    // A MAC whose header claims a signature algorithm (alg confusion between Sign1 and Mac0).
    const resp = mutable(b.macResponse);
    const da = (doc0(resp).get('deviceSigned') as Map<string, unknown>).get('deviceAuth') as Map<
      string,
      unknown
    >;
    const mac = da.get('deviceMac') as unknown[];
    mac[0] = encodeCbor(new Map([[1, CoseAlg.ES256]]));
    return {
      id: 'device-mac-signature-alg',
      title: 'DeviceMac claims ES256 (a signature algorithm)',
      clause: '18013-5 §9.1.3.5 (HMAC 256/256 only)',
      category: 'device-auth',
      origin: 'mutated',
      response: encodeCbor(resp),
      expect: { check: 'device-auth', code: 'ERR_COSE_ALG_UNSUPPORTED' },
    };
  },
  async (w) => {
    // MAC with a signature-only key: the MSO deviceKey is Ed25519, which cannot do ECDH.
    const ed = keyFor('device-ed25519', 'Ed25519');
    const issued = await issue(w, { deviceKey: ed.coseKey });
    const resp = await present(w, issued, { deviceAuth: { kind: 'mac', deviceKey: w.device } });
    return {
      id: 'device-mac-with-signature-key',
      title: 'DeviceMac while the MSO deviceKey is a signature-only (Ed25519) key',
      clause: '18013-5 §9.1.3.5, §9.1.5.2 (MAC needs a key-agreement curve)',
      category: 'device-auth',
      origin: 'mutated',
      response: resp,
      expect: { check: 'device-auth', code: 'ERR_CRYPTO_UNSUPPORTED_CURVE' },
    };
  },
  async (w) => {
    const issued = await issue(w);
    return {
      id: 'device-element-without-key-authorization',
      title: 'A device-signed element while the MSO has no keyAuthorizations',
      clause: '18013-5 §9.1.3.2, §9.3.2 step 1',
      category: 'key-authorizations',
      response: await present(w, issued, {
        deviceNameSpaces: new Map([[DEVICE_NS, new Map<string, unknown>([['nickname', 'E']])]]),
      }),
      expect: { check: 'key-authorizations', code: 'ERR_DEVICE_KEY_NOT_AUTHORIZED' },
    };
  },
  async (w) => {
    const issued = await issue(w, { keyAuthorizations: { nameSpaces: ['org.example.other'] } });
    return {
      id: 'device-element-other-namespace-authorized',
      title: 'keyAuthorizations cover another namespace only',
      clause: '18013-5 §9.1.3.2',
      category: 'key-authorizations',
      response: await present(w, issued, {
        deviceNameSpaces: new Map([[DEVICE_NS, new Map<string, unknown>([['nickname', 'E']])]]),
      }),
      expect: { check: 'key-authorizations', code: 'ERR_DEVICE_KEY_NOT_AUTHORIZED' },
    };
  },
  async (w) => {
    const issued = await issue(w, { keyAuthorizations: { dataElements: { [DEVICE_NS]: ['nickname'] } } });
    return {
      id: 'device-element-not-in-data-elements',
      title: 'keyAuthorizations list one element; the device signs another',
      clause: '18013-5 §9.1.3.2',
      category: 'key-authorizations',
      response: await present(w, issued, {
        deviceNameSpaces: new Map([
          [
            DEVICE_NS,
            new Map<string, unknown>([
              ['nickname', 'E'],
              ['motto', 'x'],
            ]),
          ],
        ]),
      }),
      expect: { check: 'key-authorizations', code: 'ERR_DEVICE_KEY_NOT_AUTHORIZED' },
    };
  },
  async (w) => {
    const issued = await issue(w, { keyAuthorizations: { nameSpaces: [MDL_NS] } });
    return {
      id: 'element-returned-twice',
      title: 'family_name returned both issuer-signed and device-signed',
      clause: '18013-5 §8.3.2.1.2.2',
      category: 'elements',
      response: await present(w, issued, {
        deviceNameSpaces: new Map([[MDL_NS, new Map<string, unknown>([['family_name', 'Other']])]]),
      }),
      expect: { check: 'unique-elements', code: 'ERR_STRUCTURE_INVALID' },
    };
  },
];

// ---------------------------------------------------------------------------------------------
// Revocation (Annex B.3.2, ed2 §12.3.6)
// ---------------------------------------------------------------------------------------------

const STATUS_URI = 'https://dmv.example/status/1';
const ID_LIST_URI = 'https://dmv.example/idlist/1';

async function statusSigner(w: World) {
  const key = keyFor('status-signer');
  const der = await buildStatusListSignerCertificate({
    subject: { commonName: 'mdlkit status list signer' },
    publicKey: key.spki,
    issuer: { certificate: w.iaca.der, signer: w.iaca.key.signer },
    notBefore: T.dsFrom,
    notAfter: T.dsTo,
    randomBytes: w.random.bytes,
  });
  return { key, der };
}

async function statusListToken(
  w: World,
  revokedIndex: number | undefined,
  exp: Date,
  signer?: { key: ReturnType<typeof keyFor>; der: Uint8Array },
) {
  const s = signer ?? (await statusSigner(w));
  const list = new StatusList({ bits: 1, size: 1024 });
  if (revokedIndex !== undefined) list.set(revokedIndex, 1);
  return buildStatusListToken({
    signer: s.key.signer,
    certificateChain: [s.der],
    uri: STATUS_URI,
    now: T.signed,
    expiresAt: exp,
    statusList: list,
  });
}

const revocation: Builder[] = [
  async (w, b) => {
    const crl = await buildCrl({
      issuer: { certificate: w.iaca.der, signer: w.iaca.key.signer },
      thisUpdate: T.signed,
      nextUpdate: new Date('2025-07-01T00:00:00Z'),
      crlNumber: 7,
      revoked: [{ serialNumber: parseCertificate(w.ds.der).serialNumber, revocationDate: T.signed }],
    });
    return {
      id: 'ds-revoked-by-crl',
      title: 'The DS certificate is on the IACA CRL',
      clause: '18013-5 Annex B.2, B.3.2',
      category: 'revocation',
      response: b.response,
      options: { revocation: { crls: [hex(crl)] } },
      expect: { check: 'ds-revocation', code: 'ERR_DS_REVOKED' },
    };
  },
  async (w, b) => {
    const crl = await buildCrl({
      issuer: { certificate: w.iaca.der, signer: w.iaca.key.signer },
      thisUpdate: new Date('2025-04-01T00:00:00Z'),
      nextUpdate: new Date('2025-05-01T00:00:00Z'),
      crlNumber: 3,
      revoked: [],
    });
    return {
      id: 'ds-crl-stale-reject',
      title: 'Only a stale CRL is available and the policy rejects undetermined status',
      clause: '18013-5 Annex B.3.2',
      category: 'revocation',
      response: b.response,
      options: { revocation: { crls: [hex(crl)], undeterminedPolicy: 'reject' } },
      expect: { check: 'ds-revocation', code: 'ERR_REVOCATION_UNDETERMINED' },
    };
  },
  async (w, b) => {
    const crl = await buildCrl({
      issuer: { certificate: w.iaca.der, signer: w.iaca.key.signer },
      thisUpdate: new Date('2025-04-01T00:00:00Z'),
      nextUpdate: new Date('2025-05-01T00:00:00Z'),
      crlNumber: 3,
      revoked: [],
    });
    return {
      id: 'ds-crl-stale-accept',
      title: 'Only a stale CRL is available; the policy accepts (undetermined, not failed)',
      clause: '18013-5 Annex B.3.2',
      category: 'revocation',
      response: b.response,
      options: { revocation: { crls: [hex(crl)], undeterminedPolicy: 'accept' } },
      expect: { check: 'ds-revocation', code: 'ERR_REVOCATION_UNDETERMINED', status: 'undetermined' },
    };
  },
  async (w) => {
    const issued = await issue(w, { status: { statusList: { idx: 42, uri: STATUS_URI } } });
    const token = await statusListToken(w, 42, new Date('2025-07-01T00:00:00Z'));
    return {
      id: 'mso-revoked-by-status-list',
      title: 'The MSO index is set in its Token Status List',
      clause: '18013-5 ed2 §12.3.6, draft-ietf-oauth-status-list',
      category: 'revocation',
      response: await present(w, issued),
      options: { revocation: { statusLists: { [STATUS_URI]: hex(token) } } },
      expect: { check: 'mso-revocation', code: 'ERR_MSO_REVOKED' },
    };
  },
  async (w) => {
    const id = new Uint8Array(16).fill(7);
    const issued = await issue(w, { status: { identifierList: { id, uri: ID_LIST_URI } } });
    const s = await statusSigner(w);
    const token = await buildIdentifierListToken({
      signer: s.key.signer,
      certificateChain: [s.der],
      uri: ID_LIST_URI,
      now: T.signed,
      expiresAt: new Date('2025-07-01T00:00:00Z'),
      identifiers: [id],
    });
    return {
      id: 'mso-revoked-by-identifier-list',
      title: 'The MSO identifier is listed in its identifier list',
      clause: '18013-5 ed2 §12.3.6',
      category: 'revocation',
      response: await present(w, issued),
      options: { revocation: { statusLists: { [ID_LIST_URI]: hex(token) } } },
      expect: { check: 'mso-revocation', code: 'ERR_MSO_REVOKED' },
    };
  },
  async (w) => {
    const issued = await issue(w, { status: { statusList: { idx: 42, uri: STATUS_URI } } });
    const token = await statusListToken(w, undefined, new Date('2025-05-15T00:00:00Z'));
    return {
      id: 'mso-status-list-expired-reject',
      title: 'The status list token has expired; the policy rejects undetermined status',
      clause: '18013-5 ed2 §12.3.6 (exp required)',
      category: 'revocation',
      response: await present(w, issued),
      options: { revocation: { statusLists: { [STATUS_URI]: hex(token) }, undeterminedPolicy: 'reject' } },
      expect: { check: 'mso-revocation', code: 'ERR_REVOCATION_UNDETERMINED' },
    };
  },
  async (w) => {
    const issued = await issue(w, { status: { statusList: { idx: 42, uri: STATUS_URI } } });
    // Signed by a status-list signer under another IACA.
    const other = await makeIaca('iaca-status-other', w.random);
    const key = keyFor('status-signer-other');
    const der = await buildStatusListSignerCertificate({
      subject: { commonName: 'other status signer' },
      publicKey: key.spki,
      issuer: { certificate: other.der, signer: other.key.signer },
      notBefore: T.dsFrom,
      notAfter: T.dsTo,
      randomBytes: w.random.bytes,
    });
    const token = await statusListToken(w, 42, new Date('2025-07-01T00:00:00Z'), { key, der });
    return {
      id: 'mso-status-list-untrusted-signer',
      title: 'The status list is signed by a signer that does not chain to the DS issuer',
      clause: '18013-5 ed2 §12.3.6 (list signer trust)',
      category: 'revocation',
      response: await present(w, issued),
      options: { revocation: { statusLists: { [STATUS_URI]: hex(token) }, undeterminedPolicy: 'reject' } },
      expect: { check: 'mso-revocation', code: 'ERR_REVOCATION_UNDETERMINED' },
    };
  },
  async (w) => {
    const issued = await issue(w, { status: { statusList: { idx: 42, uri: STATUS_URI } } });
    return {
      id: 'mso-status-list-unavailable-reject',
      title: 'No status list is available; the policy rejects undetermined status',
      clause: '18013-5 ed2 §12.3.6',
      category: 'revocation',
      response: await present(w, issued),
      options: { revocation: { statusLists: {}, undeterminedPolicy: 'reject' } },
      expect: { check: 'mso-revocation', code: 'ERR_REVOCATION_UNDETERMINED' },
    };
  },
];

// ---------------------------------------------------------------------------------------------
// CBOR encoding and structure (§8.1 / RFC 8949 §4.2.1) — malformed input throws
// ---------------------------------------------------------------------------------------------

const STATUS_KEY = encodeCbor('status'); // 66 737461747573

function structural(
  id: string,
  title: string,
  clause: string,
  response: Uint8Array,
  code: NegativeExpectation,
  options: Partial<CaseOptions> = {},
): CaseDraft {
  return { id, title, clause, category: 'cbor', origin: 'mutated', response, expect: code, options };
}

const cbor: Builder[] = [
  async (_w, b) =>
    structural(
      'cbor-non-preferred-integer',
      'status 0 encoded as 0x18 0x00 (non-preferred)',
      'RFC 8949 §4.2.1, 18013-5 §8.1',
      replaceBytes(
        b.response,
        concatBytes(STATUS_KEY, new Uint8Array([0x00])),
        concatBytes(STATUS_KEY, new Uint8Array([0x18, 0x00])),
      ),
      { throws: 'ERR_CBOR_NON_PREFERRED' },
    ),
  async (_w, b) =>
    structural(
      'cbor-non-preferred-length',
      'The version text length encoded in two bytes',
      'RFC 8949 §4.2.1',
      replaceBytes(b.response, fromHex('6776657273696f6e63312e30'), fromHex('6776657273696f6e7803312e30')),
      { throws: 'ERR_CBOR_NON_PREFERRED' },
    ),
  async (_w, b) => {
    // Top-level map turned into an indefinite-length map (0xbf … 0xff).
    const body = b.response.subarray(1);
    return structural(
      'cbor-indefinite-map',
      'The DeviceResponse map uses indefinite length',
      'RFC 8949 §4.2.1, 18013-5 §8.1',
      concatBytes(new Uint8Array([0xbf]), body, new Uint8Array([0xff])),
      { throws: 'ERR_CBOR_INDEFINITE_LENGTH' },
    );
  },
  async (_w, b) =>
    structural(
      'cbor-indefinite-text',
      'The version string sent as indefinite-length chunks',
      'RFC 8949 §4.2.1',
      replaceBytes(b.response, fromHex('63312e30'), fromHex('7f63312e30ff')),
      { throws: 'ERR_CBOR_INDEFINITE_LENGTH' },
    ),
  async (_w, b) => {
    // Duplicate "status" key: a3 … status 0 → a4 … status 0 status 0.
    const body = b.response.subarray(1);
    return structural(
      'cbor-duplicate-map-key',
      'The DeviceResponse map has "status" twice',
      'RFC 8949 §5.6, 18013-5 §8.1',
      concatBytes(new Uint8Array([(b.response[0] ?? 0) + 1]), body, STATUS_KEY, new Uint8Array([0x0a])),
      { throws: 'ERR_CBOR_DUPLICATE_KEY' },
    );
  },
  async (_w, b) =>
    structural(
      'cbor-truncated-last-byte',
      'The last byte is missing',
      'RFC 8949 §3',
      b.response.subarray(0, b.response.length - 1),
      {
        throws: 'ERR_CBOR_TRUNCATED',
      },
    ),
  async (_w, b) =>
    structural(
      'cbor-truncated-half',
      'Only the first half of the response arrived',
      'RFC 8949 §3',
      b.response.subarray(0, b.response.length >> 1),
      {
        throws: 'ERR_CBOR_TRUNCATED',
      },
    ),
  async () =>
    structural('cbor-empty-input', 'Zero bytes', 'RFC 8949 §3', new Uint8Array(0), {
      throws: 'ERR_CBOR_TRUNCATED',
    }),
  async (_w, b) =>
    structural(
      'cbor-trailing-bytes',
      'A second item follows the response',
      'RFC 8949 §5.3 (exactly one item)',
      concatBytes(b.response, new Uint8Array([0x00])),
      {
        throws: 'ERR_CBOR_TRAILING_BYTES',
      },
    ),
  async () =>
    structural(
      'cbor-oversized-length',
      'A byte string declares 4 GiB but the input ends (no allocation may follow the claim)',
      'RFC 8949 §3',
      fromHex('a16776657273696f6e5bffffffff00000000'),
      { throws: 'ERR_CBOR_TRUNCATED' },
    ),
  async () =>
    structural(
      'cbor-oversized-array-count',
      'An array declares 2^32 elements in a 12-byte input',
      'RFC 8949 §3',
      fromHex('a169646f63756d656e74739b0000000100000000'),
      { throws: 'ERR_CBOR_TRUNCATED' },
    ),
  async () =>
    structural(
      'cbor-deep-nesting',
      '10,000 nested arrays',
      'reader limits',
      concatBytes(new Uint8Array(10_000).fill(0x81), new Uint8Array([0x00])),
      {
        throws: 'ERR_CBOR_DEPTH_EXCEEDED',
      },
    ),
  async () =>
    structural(
      'cbor-reserved-additional-info',
      'Additional information 28 (reserved)',
      'RFC 8949 §3',
      fromHex('a1677665727369676e1c'),
      {
        throws: 'ERR_CBOR_MALFORMED',
      },
    ),
  async (_w, b) =>
    structural(
      'cbor-invalid-utf8',
      'The version text is not valid UTF-8',
      'RFC 8949 §3.1 (text strings are UTF-8)',
      replaceBytes(b.response, fromHex('63312e30'), fromHex('63c328ff')),
      { throws: 'ERR_CBOR_INVALID_UTF8' },
    ),
  async (_w, b) => {
    // An IssuerSignedItem whose embedded bytes use a non-preferred integer for digestID.
    const resp = mutable(b.response);
    const items = issuerItems(resp).get(MDL_NS)!;
    const m = items[0]!.value as Map<string, unknown>;
    const id = m.get('digestID') as number;
    const good = encodeCbor(m, { keyOrder: 'insertion' });
    const idBytes = encodeCbor(id);
    const wide = concatBytes(
      new Uint8Array([0x1b, 0, 0, 0, 0]),
      new Uint8Array([(id >>> 24) & 255, (id >>> 16) & 255, (id >>> 8) & 255, id & 255]),
    );
    const bad = replaceBytes(
      good,
      concatBytes(encodeCbor('digestID'), idBytes),
      concatBytes(encodeCbor('digestID'), wide),
    );
    items[0] = EncodedCbor.fromBytes(bad);
    return structural(
      'cbor-non-preferred-inside-tag24',
      'An IssuerSignedItem (inside tag 24) uses a non-preferred integer',
      'RFC 8949 §4.2.1, 18013-5 §8.1',
      encodeCbor(resp),
      { throws: 'ERR_CBOR_NON_PREFERRED' },
    );
  },
  async (_w, b) => {
    const resp = mutable(b.response);
    resp.delete('version');
    return structural(
      'structure-version-missing',
      'DeviceResponse without version',
      '18013-5 §8.3.2.1.2.2',
      encodeCbor(resp),
      {
        throws: 'ERR_STRUCTURE_INVALID',
      },
    );
  },
  async (_w, b) => {
    const resp = mutable(b.response);
    resp.set('documents', doc0(resp));
    return structural(
      'structure-documents-not-array',
      'documents is a map, not an array',
      '18013-5 §8.3.2.1.2.2',
      encodeCbor(resp),
      {
        throws: 'ERR_STRUCTURE_INVALID',
      },
    );
  },
  async (_w, b) => {
    const resp = mutable(b.response);
    const items = issuerItems(resp).get(MDL_NS)!;
    (items as unknown[])[0] = items[0]!.value;
    return structural(
      'structure-item-not-tag24',
      'An IssuerSignedItem sent as a plain map (no tag 24)',
      '18013-5 §8.3.2.1.2.2',
      encodeCbor(resp),
      {
        throws: 'ERR_STRUCTURE_INVALID',
      },
    );
  },
  async (_w, b) => {
    const resp = mutable(b.response);
    const ds = doc0(resp).get('deviceSigned') as Map<string, unknown>;
    ds.set('nameSpaces', new Map());
    return structural(
      'structure-device-namespaces-not-tag24',
      'DeviceNameSpaces sent without tag 24',
      '18013-5 §8.3.2.1.2.2',
      encodeCbor(resp),
      {
        throws: 'ERR_STRUCTURE_INVALID',
      },
    );
  },
  async (_w, b) => {
    const resp = mutable(b.response);
    const is = issuerSigned(resp);
    const ia = is.get('issuerAuth') as unknown[];
    is.set('issuerAuth', ia.slice(0, 3));
    return structural(
      'structure-issuer-auth-not-cose',
      'IssuerAuth is an array of three',
      'RFC 9052 §4.2',
      encodeCbor(resp),
      {
        check: 'issuer-auth-signature',
        code: 'ERR_COSE_MALFORMED',
      },
    );
  },
  async (w, b) => {
    const msg = decodeCoseSign1(b.issued.issuerAuth);
    const payload = b.issued.msoBytes.bytes; // the MSO without the tag-24 wrapper
    const signature = await signWithPort(
      w.ds.key.signer,
      buildSigStructure({ protectedBytes: msg.protectedBytes, payload }),
    );
    return structural(
      'structure-mso-not-tag24',
      'The IssuerAuth payload is the bare MSO, not MobileSecurityObjectBytes',
      '18013-5 §9.1.2.4',
      await present(w, b.issued, {
        issuerAuth: encodeCbor([msg.protectedBytes, msg.unprotected, payload, signature]),
      }),
      { check: 'issuer-auth-signature', code: 'ERR_STRUCTURE_INVALID' },
    );
  },
  async (w, b) => {
    const mso = new Map(b.issued.msoBytes.value as Map<string, unknown>);
    mso.set('digestAlgorithm', 'MD5');
    const payload = EncodedCbor.fromValue(mso, { keyOrder: 'insertion' }).tagged();
    const { bytes } = await signCoseSign1({
      signer: w.ds.key.signer,
      payload,
      unprotectedHeaders: new Map([[CoseHeader.x5chain, x5chainValue([w.ds.der])]]),
    });
    return structural(
      'mso-digest-algorithm-md5',
      'MSO digestAlgorithm is MD5',
      '18013-5 §9.1.2.5',
      await present(w, b.issued, { issuerAuth: bytes }),
      {
        check: 'issuer-auth-signature',
        code: 'ERR_MSO_INVALID',
      },
    );
  },
  async (w, b) => {
    const mso = new Map(b.issued.msoBytes.value as Map<string, unknown>);
    const vi = new Map(mso.get('validityInfo') as Map<string, unknown>);
    vi.set('validUntil', 1767225600); // epoch number instead of tag-0 tdate
    mso.set('validityInfo', vi);
    const payload = EncodedCbor.fromValue(mso, { keyOrder: 'insertion' }).tagged();
    const { bytes } = await signCoseSign1({
      signer: w.ds.key.signer,
      payload,
      unprotectedHeaders: new Map([[CoseHeader.x5chain, x5chainValue([w.ds.der])]]),
    });
    return structural(
      'mso-validity-epoch-number',
      'MSO validUntil is an epoch number, not a tdate',
      '18013-5 §9.1.2.4',
      await present(w, b.issued, { issuerAuth: bytes }),
      {
        check: 'issuer-auth-signature',
        code: 'ERR_STRUCTURE_INVALID',
      },
    );
  },
  async (w, b) => {
    // tdate with fractional seconds, spliced in as raw CBOR (our encoder will not produce it).
    const mso = new Map(b.issued.msoBytes.value as Map<string, unknown>);
    const vi = new Map(mso.get('validityInfo') as Map<string, unknown>);
    vi.set(
      'validUntil',
      new RawCbor(concatBytes(new Uint8Array([0xc0]), encodeCbor('2026-01-01T00:00:00.5Z'))),
    );
    mso.set('validityInfo', vi);
    const payload = EncodedCbor.fromValue(mso, { keyOrder: 'insertion' }).tagged();
    const { bytes } = await signCoseSign1({
      signer: w.ds.key.signer,
      payload,
      unprotectedHeaders: new Map([[CoseHeader.x5chain, x5chainValue([w.ds.der])]]),
    });
    return structural(
      'mso-tdate-fractional-seconds',
      'MSO validUntil has fractional seconds',
      '18013-5 §9.1.2.4 (tdate without fractions)',
      await present(w, b.issued, { issuerAuth: bytes }),
      {
        check: 'issuer-auth-signature',
        code: 'ERR_CBOR_INVALID_TAG_CONTENT',
      },
    );
  },
];

// ---------------------------------------------------------------------------------------------
// Reader limits and response status
// ---------------------------------------------------------------------------------------------

const limits: Builder[] = [
  async (_w, b) =>
    structural(
      'limit-input-size',
      'The response is larger than maxInputSize',
      'reader limits',
      b.response,
      { throws: 'ERR_LIMIT_INPUT_SIZE' },
      {
        limits: { maxInputSize: 512 },
      },
    ),
  async (w, b) =>
    structural(
      'limit-documents',
      'Three documents with maxDocuments 2',
      'reader limits',
      await present(w, b.issued, { copies: 2 }),
      { throws: 'ERR_LIMIT_DOCUMENTS' },
      {
        limits: { maxDocuments: 2 },
      },
    ),
  async (_w, b) =>
    structural(
      'limit-elements',
      'Thirteen elements with maxElements 8',
      'reader limits',
      b.response,
      { throws: 'ERR_LIMIT_ELEMENTS' },
      {
        limits: { maxElements: 8 },
      },
    ),
  async (w) => {
    const issued = await issue(w, {
      nameSpaces: { [MDL_NS]: mdlElements(), [DOMESTIC_NS]: { organ_donor: 1 }, 'org.example.a': { a: 1 } },
    });
    return structural(
      'limit-namespaces',
      'Three namespaces with maxNameSpaces 2',
      'reader limits',
      await present(w, issued),
      { throws: 'ERR_LIMIT_NAMESPACES' },
      {
        limits: { maxNameSpaces: 2 },
      },
    );
  },
  async (w) => {
    const issued = await issue(w, { signing: 'raw', x5chain: [w.ds.der, w.ds.der, w.ds.der] });
    return structural(
      'limit-x5chain-length',
      'x5chain with three certificates, maxX5chainLength 2',
      'reader limits',
      await present(w, issued),
      { throws: 'ERR_LIMIT_X5CHAIN_LENGTH' },
      {
        limits: { maxX5chainLength: 2 },
      },
    );
  },
  async (_w, b) =>
    structural(
      'limit-certificate-size',
      'The DS certificate is larger than maxCertificateSize',
      'reader limits',
      b.response,
      { throws: 'ERR_LIMIT_CERTIFICATE_SIZE' },
      {
        limits: { maxCertificateSize: 200 },
      },
    ),
  async (_w, b) =>
    structural(
      'limit-cbor-string-length',
      'The portrait is longer than maxStringLength',
      'reader limits',
      b.response,
      { throws: 'ERR_CBOR_STRING_TOO_LONG' },
      {
        limits: { maxStringLength: 16 },
      },
    ),
  async () => {
    const resp = encodeCbor(
      new Map<string, unknown>([
        ['version', '1.0'],
        ['status', 10],
      ]),
    );
    return {
      id: 'response-status-general-error',
      title: 'DeviceResponse status 10 without documents',
      clause: '18013-5 §8.3.2.1.2.3 (status codes)',
      category: 'response',
      origin: 'mutated',
      response: resp,
      expect: { assert: 'ERR_RESPONSE_STATUS' },
    };
  },
  async () => {
    const resp = encodeCbor(
      new Map<string, unknown>([
        ['version', '1.0'],
        ['documentErrors', [new Map([[MDL_DOCTYPE, 0]])]],
        ['status', 0],
      ]),
    );
    return {
      id: 'response-no-documents',
      title: 'Status OK but only documentErrors, no documents',
      clause: '18013-5 §8.3.2.1.2.2',
      category: 'response',
      origin: 'mutated',
      response: resp,
      expect: { assert: 'ERR_NOT_VERIFIED' },
    };
  },
];

// ---------------------------------------------------------------------------------------------
// Positive controls (prove the cases fail for the stated reason only)
// ---------------------------------------------------------------------------------------------

const controls: Builder[] = [
  async (_w, b) => ({
    id: 'control-valid-device-signature',
    title: 'Control: issuer + device signature, everything valid',
    clause: '18013-5 §9.3',
    category: 'control',
    response: b.response,
    expect: { verified: true },
  }),
  async (_w, b) => ({
    id: 'control-valid-device-mac',
    title: 'Control: issuer + DeviceMac, everything valid',
    clause: '18013-5 §9.3',
    category: 'control',
    response: b.macResponse,
    expect: { verified: true },
  }),
  async (w) => {
    const issued = await issue(w, { signing: 'raw', x5chainProtected: true });
    return {
      id: 'control-x5chain-protected',
      title: 'Control: x5chain in the protected header is accepted (ed2)',
      clause: '18013-5 ed2 §12.3.5',
      category: 'control',
      response: await present(w, issued),
      expect: { verified: true },
    };
  },
  async (w, b) => {
    const msg = decodeCoseSign1(b.issued.issuerAuth);
    return {
      id: 'control-issuer-auth-tagged',
      title: 'Control: IssuerAuth wrapped in COSE_Sign1 tag 18 is accepted',
      clause: 'RFC 9052 §4.2',
      category: 'control',
      response: await present(w, b.issued, {
        issuerAuth: concatBytes(new Uint8Array([0xd2]), encodeCbor(sign1Value(msg))),
      }),
      expect: { verified: true },
    };
  },
  async (w) => {
    const issued = await issue(w, { keyAuthorizations: { nameSpaces: [DEVICE_NS] } });
    return {
      id: 'control-device-element-authorized',
      title: 'Control: a device-signed element covered by keyAuthorizations',
      clause: '18013-5 §9.1.3.2',
      category: 'control',
      response: await present(w, issued, {
        deviceNameSpaces: new Map([[DEVICE_NS, new Map<string, unknown>([['nickname', 'E']])]]),
      }),
      expect: { verified: true },
    };
  },
  async (_w, b) => ({
    id: 'control-mso-expired-within-skew',
    title: 'Control: 30 s after validUntil with 60 s clock skew',
    clause: '18013-5 §9.3.1 step 5',
    category: 'control',
    response: b.response,
    options: { now: '2026-01-01T00:00:30Z', clockSkewSeconds: 60 },
    expect: { verified: true },
  }),
];

// ---------------------------------------------------------------------------------------------
// VICAL-derived trust (Annex C)
// ---------------------------------------------------------------------------------------------

async function vicalFor(w: World, docTypes: readonly string[], nextUpdate: Date) {
  const root = await makeIaca('vical-provider-root', w.random, {
    country: 'US',
    organization: 'Test VICAL provider',
    commonName: 'VICAL provider root',
  });
  const key = keyFor('vical-signer');
  const signerDer = await buildVicalSignerCertificate({
    subject: { country: 'US', organization: 'Test VICAL provider', commonName: 'VICAL signer' },
    publicKey: key.spki,
    issuer: { certificate: root.der, signer: root.key.signer },
    crlDistributionPoint: 'https://vical.example/crl',
    notBefore: T.iacaFrom,
    notAfter: new Date('2027-01-01T00:00:00Z'),
    randomBytes: w.random.bytes,
  });
  const vical = await buildVical({
    vicalProvider: 'Test VICAL provider',
    date: new Date('2025-05-15T00:00:00Z'),
    vicalIssueID: 1,
    nextUpdate,
    entries: [{ certificate: w.iaca.der, docTypes }],
    signer: key.signer,
    x5chain: [signerDer],
  });
  return { vical: hex(vical), providerAnchors: [root.pem] };
}

const vicalCases: Builder[] = [
  async (w, b) => ({
    id: 'control-vical-trust',
    title: 'Control: the IACA comes from a verified VICAL listing the mDL docType',
    clause: '18013-5 Annex C, C.1.8',
    category: 'control',
    response: b.response,
    options: { trustAnchors: [], vical: await vicalFor(w, [MDL_DOCTYPE], new Date('2025-08-01T00:00:00Z')) },
    expect: { verified: true },
  }),
  async (w, b) => ({
    id: 'vical-stale',
    title: 'The only trust source is a VICAL past its nextUpdate',
    clause: '18013-5 Annex C.1.8 (fetch a newer VICAL after nextUpdate)',
    category: 'trust',
    response: b.response,
    options: {
      trustAnchors: [],
      vical: {
        ...(await vicalFor(w, [MDL_DOCTYPE], new Date('2025-05-20T00:00:00Z'))),
        staleSeverity: 'error',
      },
    },
    expect: { throws: 'ERR_VICAL_STALE' },
  }),
  async (w, b) => {
    const other = await makeIaca('vical-other-root', w.random, {
      country: 'US',
      commonName: 'Other provider root',
    });
    const v = await vicalFor(w, [MDL_DOCTYPE], new Date('2025-08-01T00:00:00Z'));
    return {
      id: 'vical-untrusted-provider',
      title: 'The VICAL signer does not chain to the provider anchor the reader holds',
      clause: '18013-5 Annex C.1.8',
      category: 'trust',
      response: b.response,
      options: { trustAnchors: [], vical: { ...v, providerAnchors: [other.pem] } },
      expect: { throws: 'ERR_VICAL_UNTRUSTED' },
    };
  },
  async (w, b) => ({
    id: 'vical-doctype-not-listed',
    title: 'The VICAL lists the IACA for another docType only',
    clause: '18013-5 Annex C, §9.3.1 step 6 (ed2)',
    category: 'trust',
    response: b.response,
    options: {
      trustAnchors: [],
      vical: await vicalFor(w, ['org.iso.23220.photoid.1'], new Date('2025-08-01T00:00:00Z')),
    },
    expect: { check: 'ds-certificate-path', code: 'ERR_X509_DOCTYPE_NOT_ALLOWED' },
  }),
];

export const BUILDERS: readonly Builder[] = [
  ...issuerData,
  ...certificates,
  ...issuerAuth,
  ...elementChecks,
  ...deviceAuth,
  ...revocation,
  ...cbor,
  ...limits,
  ...controls,
  ...vicalCases,
];

/** Builds every case in the fixed world. */
export async function buildCases(w: World): Promise<NegativeCase[]> {
  const issued = await issue(w);
  const base: Base = {
    issued,
    // The baseline DeviceResponses come from our holder answering our reader's request.
    response: await presentWithHolder(w, issued, 'signature'),
    macResponse: await presentWithHolder(w, issued, 'mac'),
  };
  const defaults: CaseOptions = {
    now: T.now.toISOString(),
    sessionTranscript: hex(w.transcript.encoded.tagged()),
    eReaderKey: { curve: 'P-256', d: hex(w.eReader.privateKey.d) },
    trustAnchors: [w.iaca.pem],
    policy: 'strict',
  };
  const out: NegativeCase[] = [];
  for (const build of BUILDERS) {
    const drafts = await build(w, base);
    for (const draft of Array.isArray(drafts) ? drafts : [drafts as CaseDraft]) {
      const { eReaderKey, ...rest } = { ...defaults, ...draft.options };
      const options: CaseOptions =
        draft.omitEReaderKey || eReaderKey === undefined ? rest : { ...rest, eReaderKey };
      out.push({
        id: draft.id,
        title: draft.title,
        clause: draft.clause,
        category: draft.category,
        origin: draft.origin ?? 'generated',
        deviceResponse: hex(draft.response),
        options,
        expect: draft.expect,
      });
    }
  }
  return out;
}

export { derToPem, RawCbor };
