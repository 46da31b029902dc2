/**
 * Issue 16: known non-mDL docTypes verify generically, and where a namespace schema is known (mDL, EU
 * PID, EU age verification, ISO/IEC 23220 Photo ID) a value of the wrong CBOR type is a warning on the
 * element and the document under the default policy, and a failure of `element-types` under `strict`.
 */
import { decodeCbor, encodeCbor, FullDate, TDate } from '@mdlkit/core/cbor';
import { publicKeyToCoseKey } from '@mdlkit/core/cose';
import { CoseAlg, createLocalSigner, generateKeyPair } from '@mdlkit/core/crypto';
import { createDeviceSigned } from '@mdlkit/holder';
import { issueMdoc } from '@mdlkit/issuer';
import { openId4VpTranscript } from '@mdlkit/test-utils/mdoc';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertVerified, CheckId, verifyDeviceResponse } from '../src/index.js';
import { makePki, NOW, type Pki } from './fixtures.js';

const transcript = openId4VpTranscript('n');

/**
 * Issues a document (no issuer-side schema validation) and presents every element of it, device-signed
 * over `transcript`. Built directly rather than through the holder's selection, which (rightly) never
 * releases a non-boolean `age_over_NN`: a reader must still cope with a wallet that does.
 */
async function present(
  pki: Pki,
  docType: string,
  nameSpaces: Record<string, Record<string, unknown>>,
): Promise<Uint8Array> {
  const device = generateKeyPair({ curve: 'P-256' });
  const issued = await issueMdoc({
    docType,
    nameSpaces,
    deviceKey: publicKeyToCoseKey(device.publicKey),
    validity: { signed: new Date('2025-05-01T00:00:00Z'), validUntil: new Date('2026-01-01T00:00:00Z') },
    signer: createLocalSigner({ privateKey: pki.dsKey.privateKey, alg: CoseAlg.ES256 }),
    dsCertificate: pki.ds,
    now: new Date('2025-05-01T00:00:00Z'),
    validateElements: false,
  });
  const deviceSigned = await createDeviceSigned({
    docType,
    sessionTranscript: transcript,
    method: {
      kind: 'signature',
      signer: createLocalSigner({ privateKey: device.privateKey, alg: CoseAlg.ES256 }),
    },
  });
  const document = new Map<string, unknown>([
    ['docType', docType],
    ['issuerSigned', decodeCbor(issued.issuerSigned)],
    ['deviceSigned', deviceSigned.value],
  ]);
  return encodeCbor(
    new Map<string, unknown>([
      ['version', '1.0'],
      ['documents', [document]],
      ['status', 0],
    ]),
  );
}

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]);

const PID = 'eu.europa.ec.eudi.pid.1';
const AV = 'eu.europa.ec.av.1';
const PHOTO_ID = 'org.iso.23220.photoid.1';
const ISO23220 = 'org.iso.23220.1';

const goodPid = {
  family_name: 'Mustermann',
  given_name: 'Erika',
  birth_date: new FullDate('1964-08-12'),
  place_of_birth: new Map([['locality', 'Berlin']]),
  nationality: ['DE'],
  sex: 2,
  expiry_date: new TDate('2030-01-01T00:00:00Z'),
  issuance_date: new FullDate('2025-01-01'),
  issuing_authority: 'US',
  // the DS of makePki is a US one: a PID's issuing_country is compared with the DS country too
  issuing_country: 'US',
  age_over_18: true,
  portrait: JPEG,
};
const goodPhotoId = {
  [ISO23220]: {
    family_name_unicode: 'Doe',
    given_name: 'Jane',
    birth_date: new Map<string, unknown>([
      ['birth_date', new FullDate('1990-01-01')],
      ['approximate_mask', '00001111'],
    ]),
    portrait: JPEG,
    issue_date: new FullDate('2025-01-01'),
    expiry_date: new FullDate('2035-01-01'),
    issuing_country: 'US',
    age_over_18: true,
    age_in_years: 35,
  },
  [PHOTO_ID]: { person_id: 'P123', travel_document_number: 'X1' },
  'org.iso.23220.datagroups.1': { version: '1.0', dg1: new Uint8Array([0x61]) },
};

let pki: Pki;
beforeAll(async () => {
  pki = await makePki();
});

const verify = (bytes: Uint8Array, policy?: 'strict' | 'interop') =>
  verifyDeviceResponse(bytes, {
    trust: pki.trust,
    now: NOW,
    sessionTranscript: transcript,
    ...(policy ? { policy } : {}),
  });

describe('known non-mDL docTypes verify generically', () => {
  for (const [name, docType, nameSpaces] of [
    ['EU PID', PID, { [PID]: goodPid }],
    ['EU age verification', AV, { [AV]: { age_over_18: true, age_over_65: false } }],
    ['ISO/IEC 23220 Photo ID', PHOTO_ID, goodPhotoId],
    [
      'an issuer-specific ID pass (no schema)',
      'com.example.idpass.1',
      { 'com.example.idpass.1': { level: 'gold', n: '7' } },
    ],
  ] as const) {
    it(`${name}: well-typed values verify under strict and the default, with no element finding`, async () => {
      const bytes = await present(pki, docType, nameSpaces as Record<string, Record<string, unknown>>);
      for (const policy of ['strict', undefined] as const) {
        const report = await verify(bytes, policy);
        assertVerified(report);
        const doc = report.documents[0]!;
        expect(doc.docType).toBe(docType);
        expect(doc.checks.find((c) => c.id === CheckId.ELEMENT_TYPES)?.status).toBe('passed');
        expect(doc.elements.length).toBeGreaterThan(1);
        expect(doc.elements.every((e) => e.verified && e.findings === undefined)).toBe(true);
        expect(doc.findings.filter((f) => f.source === 'schema')).toEqual([]);
      }
    });
  }
});

describe('values of the wrong CBOR type', () => {
  const cases = [
    [
      'EU PID nationality as a tstr',
      PID,
      { [PID]: { ...goodPid, nationality: 'DE' } },
      PID,
      'nationality',
      'nationalities',
    ],
    [
      'EU PID birth_date as a tstr',
      PID,
      { [PID]: { ...goodPid, birth_date: '1964-08-12' } },
      PID,
      'birth_date',
      'full-date',
    ],
    [
      'EU PID place_of_birth with a number',
      PID,
      { [PID]: { ...goodPid, place_of_birth: new Map([['country', 49]]) } },
      PID,
      'place_of_birth',
      'place-of-birth',
    ],
    ['EU PID sex as a tstr', PID, { [PID]: { ...goodPid, sex: '2' } }, PID, 'sex', 'uint'],
    [
      'EU age verification age_over_18 as the text "false"',
      AV,
      { [AV]: { age_over_18: 'false' } },
      AV,
      'age_over_18',
      'bool',
    ],
    [
      'EU age verification age_over_21 as 1',
      AV,
      { [AV]: { age_over_18: true, age_over_21: 1 } },
      AV,
      'age_over_21',
      'bool',
    ],
    [
      'Photo ID birth_date map without a full-date',
      PHOTO_ID,
      {
        ...goodPhotoId,
        [ISO23220]: { ...goodPhotoId[ISO23220], birth_date: new Map([['birth_date', '1990-01-01']]) },
      },
      ISO23220,
      'birth_date',
      'birth-date-23220',
    ],
    [
      'Photo ID person_id as a number',
      PHOTO_ID,
      { ...goodPhotoId, [PHOTO_ID]: { person_id: 123 } },
      PHOTO_ID,
      'person_id',
      'tstr',
    ],
    [
      'Photo ID dg2 as a tstr',
      PHOTO_ID,
      { ...goodPhotoId, 'org.iso.23220.datagroups.1': { dg2: 'AAAA' } },
      'org.iso.23220.datagroups.1',
      'dg2',
      'bstr',
    ],
    [
      'mDL age_over_21 as the text "true"',
      'org.iso.18013.5.1.mDL',
      { 'org.iso.18013.5.1': { family_name: 'Doe', age_over_21: 'true' } },
      'org.iso.18013.5.1',
      'age_over_21',
      'bool',
    ],
  ] as const;

  for (const [name, docType, nameSpaces, nameSpace, identifier, expected] of cases) {
    it(`${name}: a warning on the element and the document by default, a failure under strict`, async () => {
      const bytes = await present(pki, docType, nameSpaces as Record<string, Record<string, unknown>>);

      const lax = await verify(bytes);
      expect(lax.policy).toBe('interop');
      expect(lax.verified).toBe(true);
      const doc = lax.documents[0]!;
      expect(doc.checks.find((c) => c.id === CheckId.ELEMENT_TYPES)).toMatchObject({
        status: 'passed',
        details: { problems: 1 },
      });
      const bad = doc.elements.find((e) => e.nameSpace === nameSpace && e.identifier === identifier)!;
      // Authentic (the issuer signed it) but never a clean pass: its own entry says what is wrong.
      expect(bad.verified).toBe(true);
      expect(bad.findings).toEqual([
        expect.objectContaining({
          code: 'ERR_DATA_ELEMENT_TYPE',
          severity: 'warning',
          source: 'schema',
          details: { nameSpace, elementIdentifier: identifier, expected },
        }),
      ]);
      expect(doc.findings).toContainEqual(bad.findings![0]);
      // The other elements are untouched.
      expect(doc.elements.filter((e) => e !== bad).every((e) => e.verified && e.findings === undefined)).toBe(
        true,
      );
      // Messages never carry the value.
      expect(bad.findings![0]!.message).not.toMatch(/1964-08-12|"?false"?$|AAAA/);

      const strict = await verify(bytes, 'strict');
      expect(strict.verified).toBe(false);
      const sdoc = strict.documents[0]!;
      expect(sdoc.checks.find((c) => c.id === CheckId.ELEMENT_TYPES)).toMatchObject({
        status: 'failed',
        code: 'ERR_DATA_ELEMENT_TYPE',
        details: { nameSpace, elementIdentifier: identifier },
      });
      const sbad = sdoc.elements.find((e) => e.nameSpace === nameSpace && e.identifier === identifier)!;
      expect(sbad.verified).toBe(false);
      expect(sbad.findings?.[0]).toMatchObject({ code: 'ERR_DATA_ELEMENT_TYPE', severity: 'error' });
      expect(() => assertVerified(strict)).toThrow(
        expect.objectContaining({ code: 'ERR_DATA_ELEMENT_TYPE' }),
      );
    });
  }
});
