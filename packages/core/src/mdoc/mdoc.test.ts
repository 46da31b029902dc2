import { describe, expect, it } from 'vitest';
import { codeOf } from '../../test/helpers.js';
import { decodeCbor, EncodedCbor, TDate, toHex } from '../cbor/index.js';
import { isMdlError } from '../errors/index.js';
import {
  createDocRequest,
  createIssuerSignedItem,
  type DeviceResponse,
  decodeDeviceRequest,
  decodeDeviceResponse,
  decodeMobileSecurityObjectBytes,
  encodeDeviceNameSpaces,
  encodeDeviceRequest,
  encodeDeviceResponse,
  encodeMobileSecurityObjectBytes,
  MDL_DOCTYPE,
  MDL_NAMESPACE,
  type MobileSecurityObject,
  parseDeviceEngagement,
} from './index.js';

const SIGN1 = [new Uint8Array([0xa1, 0x01, 0x26]), new Map(), new Uint8Array(0), new Uint8Array(64)];
const MAC0 = [new Uint8Array([0xa1, 0x01, 0x05]), new Map(), null, new Uint8Array(32)];

describe('building and re-parsing', () => {
  it('createIssuerSignedItem encodes once and validates its fields', () => {
    const item = createIssuerSignedItem({
      digestID: 3,
      random: new Uint8Array(16).fill(1),
      elementIdentifier: 'family_name',
      elementValue: 'Doe',
    });
    expect((item.bytes.value as Map<string, unknown>).get('elementValue')).toBe('Doe');
    const cdd = createIssuerSignedItem({ ...item }, { keyOrder: 'insertion' });
    expect([...(cdd.bytes.value as Map<string, unknown>).keys()]).toEqual([
      'digestID',
      'random',
      'elementIdentifier',
      'elementValue',
    ]);
    expect(codeOf(() => createIssuerSignedItem({ ...item, digestID: 2 ** 31 }))).toBe(
      'ERR_STRUCTURE_INVALID',
    );
    expect(codeOf(() => createIssuerSignedItem({ ...item, random: new Uint8Array(15) }))).toBe(
      'ERR_STRUCTURE_INVALID',
    );
    expect(codeOf(() => createIssuerSignedItem({ ...item, elementIdentifier: '' }))).toBe(
      'ERR_STRUCTURE_INVALID',
    );
    expect(codeOf(() => createIssuerSignedItem({ ...item, elementValue: undefined }))).toBe(
      'ERR_STRUCTURE_INVALID',
    );
  });

  it('a built DeviceResponse round-trips through bytes', () => {
    const item = createIssuerSignedItem({
      digestID: 0,
      random: new Uint8Array(16),
      elementIdentifier: 'age_over_18',
      elementValue: true,
    });
    const response: DeviceResponse = {
      version: '1.0',
      documents: [
        {
          docType: MDL_DOCTYPE,
          issuerSigned: { nameSpaces: new Map([[MDL_NAMESPACE, [item]]]), issuerAuth: SIGN1 },
          deviceSigned: {
            nameSpacesBytes: encodeDeviceNameSpaces(new Map()),
            nameSpaces: new Map(),
            deviceAuth: { deviceMac: MAC0 },
          },
          errors: new Map([[MDL_NAMESPACE, new Map([['portrait', 0]])]]),
        },
      ],
      documentErrors: [new Map([['org.example.other', 0]])],
      status: 0,
    };
    const bytes = encodeDeviceResponse(response);
    const back = decodeDeviceResponse(bytes);
    expect(toHex(encodeDeviceResponse(back))).toBe(toHex(bytes));
    const doc = back.documents![0]!;
    expect(toHex(doc.issuerSigned.nameSpaces!.get(MDL_NAMESPACE)![0]!.bytes.bytes)).toBe(
      toHex(item.bytes.bytes),
    );
    expect(doc.errors?.get(MDL_NAMESPACE)?.get('portrait')).toBe(0);
    expect(back.documentErrors?.[0]?.get('org.example.other')).toBe(0);
  });

  it('a built MSO round-trips through the COSE payload form', () => {
    const mso: MobileSecurityObject = {
      version: '1.0',
      digestAlgorithm: 'SHA-256',
      valueDigests: new Map([[MDL_NAMESPACE, new Map([[0, new Uint8Array(32)]])]]),
      deviceKeyInfo: {
        deviceKey: new Map<number, unknown>([
          [1, 2],
          [-1, 1],
        ]),
        keyAuthorizations: {
          nameSpaces: ['org.example'],
          dataElements: new Map([[MDL_NAMESPACE, ['family_name']]]),
        },
        keyInfo: new Map([[-1, 'x']]),
      },
      docType: MDL_DOCTYPE,
      validityInfo: {
        signed: new TDate('2025-01-01T00:00:00Z'),
        validFrom: new TDate('2025-01-01T00:00:00Z'),
        validUntil: new TDate('2026-01-01T00:00:00Z'),
        expectedUpdate: new TDate('2025-06-01T00:00:00Z'),
      },
      status: {
        statusList: new Map<string, unknown>([
          ['idx', 7],
          ['uri', 'https://example.com/sl'],
        ]),
      },
    };
    const payload = encodeMobileSecurityObjectBytes(mso);
    expect(decodeCbor(payload)).toBeInstanceOf(EncodedCbor);
    const { mso: back } = decodeMobileSecurityObjectBytes(payload);
    expect(back).toEqual(mso);
    expect(toHex(encodeMobileSecurityObjectBytes(back))).toBe(toHex(payload));
  });

  it('MSO structure errors carry paths', () => {
    const bad = (m: Map<string, unknown>): string => {
      try {
        decodeMobileSecurityObjectBytes(EncodedCbor.fromValue(m).tagged());
      } catch (e) {
        if (isMdlError(e, 'ERR_STRUCTURE_INVALID')) return String(e.details.path);
        throw e;
      }
      return 'no error';
    };
    const base = (): Map<string, unknown> =>
      new Map<string, unknown>([
        ['version', '1.0'],
        ['digestAlgorithm', 'SHA-256'],
        ['valueDigests', new Map([[MDL_NAMESPACE, new Map([[0, new Uint8Array(32)]])]])],
        ['deviceKeyInfo', new Map([['deviceKey', new Map([[1, 2]])]])],
        ['docType', MDL_DOCTYPE],
        [
          'validityInfo',
          new Map([
            ['signed', new TDate('2025-01-01T00:00:00Z')],
            ['validFrom', new TDate('2025-01-01T00:00:00Z')],
            ['validUntil', new TDate('2026-01-01T00:00:00Z')],
          ]),
        ],
      ]);
    expect(bad(base())).toBe('no error');
    const m1 = base();
    (m1.get('validityInfo') as Map<string, unknown>).set('validUntil', '2026-01-01T00:00:00Z');
    expect(bad(m1)).toBe('MobileSecurityObject.validityInfo.validUntil');
    const m2 = base();
    m2.set('valueDigests', new Map([[MDL_NAMESPACE, new Map([[-1, new Uint8Array(32)]])]]));
    expect(bad(m2)).toBe('MobileSecurityObject.valueDigests["org.iso.18013.5.1"] key');
    const m3 = base();
    (m3.get('deviceKeyInfo') as Map<string, unknown>).set('keyAuthorizations', new Map());
    expect(bad(m3)).toBe('MobileSecurityObject.deviceKeyInfo.keyAuthorizations');
    const m4 = base();
    m4.delete('docType');
    expect(bad(m4)).toBe('MobileSecurityObject.docType');
    expect(codeOf(() => decodeMobileSecurityObjectBytes(new Uint8Array([0xa0])))).toBe(
      'ERR_STRUCTURE_INVALID',
    );
  });

  it('DeviceRequest: createDocRequest, version rules', () => {
    const doc = createDocRequest(
      { docType: MDL_DOCTYPE, nameSpaces: new Map([[MDL_NAMESPACE, new Map([['portrait', false]])]]) },
      { readerAuth: [new Uint8Array(0), new Map(), null, new Uint8Array(64)] },
    );
    const bytes = encodeDeviceRequest({ version: '1.0', docRequests: [doc] });
    const back = decodeDeviceRequest(bytes);
    expect(toHex(back.docRequests[0]!.itemsRequestBytes.bytes)).toBe(toHex(doc.itemsRequestBytes.bytes));
    expect(back.docRequests[0]!.itemsRequest.nameSpaces.get(MDL_NAMESPACE)?.get('portrait')).toBe(false);
    expect(
      codeOf(() =>
        encodeDeviceRequest({
          version: '1.0',
          docRequests: [doc],
          deviceRequestInfo: EncodedCbor.fromValue({}),
        }),
      ),
    ).toBe('ERR_STRUCTURE_INVALID');
    expect(codeOf(() => decodeDeviceRequest(encodeDeviceRequest({ version: '1.0', docRequests: [] })))).toBe(
      'ERR_STRUCTURE_INVALID',
    );
  });

  it('DeviceEngagement rejects other cipher suites and a non-map EDeviceKey', () => {
    const key = EncodedCbor.fromValue(new Map([[1, 2]]));
    expect(
      codeOf(() =>
        parseDeviceEngagement(
          new Map<number, unknown>([
            [0, '1.0'],
            [1, [2, key]],
          ]),
        ),
      ),
    ).toBe('ERR_ENGAGEMENT_INVALID');
    expect(
      codeOf(() =>
        parseDeviceEngagement(
          new Map<number, unknown>([
            [0, '1.0'],
            [1, [1, EncodedCbor.fromValue(5)]],
          ]),
        ),
      ),
    ).toBe('ERR_STRUCTURE_INVALID');
    expect(
      codeOf(() =>
        parseDeviceEngagement(
          new Map<number, unknown>([
            [0, '1.1'],
            [1, [1, key]],
            [6, new Map()],
          ]),
        ),
      ),
    ).toBe('ERR_STRUCTURE_INVALID');
    expect(
      parseDeviceEngagement(
        new Map<number, unknown>([
          [0, '1.1'],
          [1, [1, key]],
          [5, []],
          [6, new Map()],
        ]),
      ).capabilities,
    ).toBeInstanceOf(Map);
  });
});
