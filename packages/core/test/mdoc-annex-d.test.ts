import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bytesEqual,
  CborBudget,
  decodeCbor,
  EncodedCbor,
  FullDate,
  fromHex,
  TDate,
  toHex,
} from '../src/cbor/index.js';
import { isMdlError } from '../src/errors/index.js';
import {
  bleOptions,
  DeviceResponseStatus,
  decodeDeviceEngagement,
  decodeDeviceRequest,
  decodeDeviceResponse,
  decodeMobileSecurityObjectBytes,
  deviceEngagementToUri,
  encodeDeviceEngagement,
  encodeDeviceRequest,
  encodeDeviceResponse,
  encodeMobileSecurityObject,
  encodeMobileSecurityObjectBytes,
  MDL_DOCTYPE,
  MDL_NAMESPACE,
  parseDeviceEngagementUri,
  parseDeviceRequest,
  parseDeviceResponse,
  validateMdlElements,
} from '../src/mdoc/index.js';
import { ANNEX_D } from './helpers.js';

const DIR = ANNEX_D;
const load = (file: string): Uint8Array => fromHex(readFileSync(path.join(DIR, file), 'utf8'));
const manifest = JSON.parse(readFileSync(path.join(DIR, 'manifest.json'), 'utf8')) as {
  derived_values: { qr_device_engagement_uri: { value: string } };
  files: { file: string; decode?: Record<string, unknown> }[];
};
const decodeInfo = (file: string): Record<string, unknown> =>
  manifest.files.find((f) => f.file === file)!.decode!;

function structurePath(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isMdlError(e, 'ERR_STRUCTURE_INVALID')) return String(e.details.path);
    throw e;
  }
  return 'no error';
}

describe('DeviceResponse (Annex D.4.1.2)', () => {
  const bytes = load('device-response.hex');
  const response = decodeDeviceResponse(bytes);
  const doc = response.documents![0]!;

  it('charges the budget once per received byte of the response and of each tag-24 item (both rules)', () => {
    // What is decoded: the response, then each IssuerSignedItemBytes and the DeviceNameSpacesBytes
    // (their content re-read once, on top of the response that carries them). Nothing twice.
    let embedded = 0;
    for (const items of doc.issuerSigned.nameSpaces!.values())
      for (const i of items) embedded += i.bytes.bytes.length;
    embedded += doc.deviceSigned.nameSpacesBytes.bytes.length;
    const total = bytes.length + embedded;
    for (const rules of ['model', 'verifier'] as const) {
      const budget = new CborBudget();
      decodeDeviceResponse(bytes, { rules, budget });
      expect(budget.bytesUsed, rules).toBe(total);
      // the smallest byte budget the response parses under is exactly that
      expect(() =>
        decodeDeviceResponse(bytes, { rules, budget: new CborBudget({ maxBytes: total }) }),
      ).not.toThrow();
      let failed: unknown;
      try {
        decodeDeviceResponse(bytes, { rules, budget: new CborBudget({ maxBytes: total - 1 }) });
      } catch (e) {
        failed = e;
      }
      // (the model rules report a broken embedded item as a structure error, its CBOR code beside it)
      expect(isMdlError(failed) && [failed.code, failed.details.cborCode ?? failed.details.budget]).toEqual(
        rules === 'verifier'
          ? ['ERR_CBOR_INPUT_TOO_LARGE', 'bytes']
          : ['ERR_STRUCTURE_INVALID', 'ERR_CBOR_INPUT_TOO_LARGE'],
      );
    }
  });

  it('parses into the typed model', () => {
    expect(response.version).toBe('1.0');
    expect(response.status).toBe(DeviceResponseStatus.OK);
    expect(response.documents).toHaveLength(1);
    expect(doc.docType).toBe(MDL_DOCTYPE);
    expect('deviceMac' in doc.deviceSigned.deviceAuth).toBe(true);
    expect(toHex(doc.deviceSigned.nameSpacesBytes.tagged())).toBe('d81841a0');
    expect(doc.deviceSigned.nameSpaces.size).toBe(0);
  });

  it('the disclosed items match the manifest', () => {
    const expected = (decodeInfo('device-response.hex').disclosed as string[]).map((line) => {
      const m = /^org\.iso\.18013\.5\.1\/(\w+) \(digestID (\d+)\)/.exec(line)!;
      return [m[1], Number(m[2])] as const;
    });
    const items = doc.issuerSigned.nameSpaces!.get(MDL_NAMESPACE)!;
    expect(items.map((i) => [i.elementIdentifier, i.digestID])).toEqual(expected);
    const byId = new Map(items.map((i) => [i.elementIdentifier, i.elementValue]));
    expect(byId.get('family_name')).toBe('Doe');
    expect(byId.get('issue_date')).toEqual(new FullDate('2019-10-20'));
    expect(byId.get('expiry_date')).toEqual(new FullDate('2024-10-20'));
    expect(byId.get('document_number')).toBe('123456789');
    expect(bytesEqual(byId.get('portrait') as Uint8Array, load('portrait.hex'))).toBe(true);
    expect(byId.get('driving_privileges')).toHaveLength(2);
    for (const item of items) {
      expect(item.random.length).toBeGreaterThanOrEqual(16);
      // the received tag-24 bytes are a slice of the response: hash these, never a re-encoding
      expect(toHex(bytes)).toContain(toHex(item.bytes.tagged()));
    }
  });

  it('the disclosed elements pass the mDL schema (subset mode)', () => {
    const items = doc.issuerSigned.nameSpaces!.get(MDL_NAMESPACE)!;
    const elements = new Map(items.map((i) => [i.elementIdentifier, i.elementValue]));
    expect(validateMdlElements(elements, { requireMandatory: false })).toEqual([]);
    const missing = validateMdlElements(elements).map((f) => f.elementIdentifier);
    expect(missing).toEqual(
      expect.arrayContaining(['given_name', 'birth_date', 'issuing_country', 'issuing_authority']),
    );
  });

  it('the MSO in issuerAuth parses and matches the manifest', () => {
    const sign1 = doc.issuerSigned.issuerAuth as unknown[];
    const payload = sign1[2] as Uint8Array;
    const { mso, bytes: msoBytes } = decodeMobileSecurityObjectBytes(payload);
    const info = decodeInfo('device-response.hex').mso as {
      valueDigests: Record<string, number[]>;
      deviceKey: { x: string; y: string };
      validityInfo: Record<string, string>;
    };
    expect(mso.version).toBe('1.0');
    expect(mso.digestAlgorithm).toBe('SHA-256');
    expect(mso.docType).toBe(MDL_DOCTYPE);
    expect(Object.fromEntries([...mso.valueDigests].map(([ns, ids]) => [ns, [...ids.keys()]]))).toEqual(
      info.valueDigests,
    );
    for (const ids of mso.valueDigests.values()) for (const d of ids.values()) expect(d).toHaveLength(32);
    expect(toHex(mso.deviceKeyInfo.deviceKey.get(-2) as Uint8Array)).toBe(info.deviceKey.x);
    expect(toHex(mso.deviceKeyInfo.deviceKey.get(-3) as Uint8Array)).toBe(info.deviceKey.y);
    expect(mso.validityInfo.signed).toBeInstanceOf(TDate);
    expect(mso.validityInfo.signed.toDate().toISOString()).toBe(info.validityInfo.signed);
    expect(mso.validityInfo.validFrom.toDate().toISOString()).toBe(info.validityInfo.validFrom);
    expect(mso.validityInfo.validUntil.toDate().toISOString()).toBe(info.validityInfo.validUntil);
    // the typed model re-encodes to the signed bytes (CDDL key order)
    expect(toHex(encodeMobileSecurityObject(mso, { keyOrder: 'insertion' }))).toBe(toHex(msoBytes.bytes));
    expect(toHex(encodeMobileSecurityObjectBytes(mso, { keyOrder: 'insertion' }))).toBe(toHex(payload));
  });

  it('re-encodes byte-for-byte from the typed model', () => {
    expect(toHex(encodeDeviceResponse(response, { keyOrder: 'insertion' }))).toBe(toHex(bytes));
  });
});

describe('DeviceRequest (Annex D.4.1.1)', () => {
  const bytes = load('device-request.hex');
  const request = decodeDeviceRequest(bytes);

  it('parses into the typed model and keeps ItemsRequestBytes and ReaderAuth', () => {
    const info = decodeInfo('device-request.hex') as { requested: Record<string, Record<string, boolean>> };
    expect(request.version).toBe('1.0');
    expect(request.docRequests).toHaveLength(1);
    const dr = request.docRequests[0]!;
    expect(dr.itemsRequest.docType).toBe(MDL_DOCTYPE);
    expect(
      Object.fromEntries([...dr.itemsRequest.nameSpaces].map(([ns, els]) => [ns, Object.fromEntries(els)])),
    ).toEqual(info.requested);
    expect(toHex(dr.itemsRequestBytes.bytes)).toBe(toHex(load('items-request.hex')));
    expect(dr.readerAuth).toBeDefined();
    expect((dr.readerAuth as unknown[])[2]).toBeNull();
    expect(toHex(encodeDeviceRequest(request, { keyOrder: 'insertion' }))).toBe(toHex(bytes));
  });

  it('parses the ed2 draft 1.1 request with deviceRequestInfo', () => {
    const ed2 = decodeDeviceRequest(load('ed2-draft-extended-device-request.hex'));
    expect(ed2.version).toBe('1.1');
    expect(ed2.docRequests.map((d) => d.itemsRequest.docType)).toEqual([
      MDL_DOCTYPE,
      MDL_DOCTYPE,
      'org.iso.23220.photoID',
    ]);
    expect(ed2.deviceRequestInfo).toBeInstanceOf(EncodedCbor);
    expect(ed2.docRequests[0]!.itemsRequest.requestInfo).toBeInstanceOf(Map);
  });
});

describe('DeviceEngagement (Annex D.3)', () => {
  it('QR engagement parses, including EDeviceKey and BLE options', () => {
    const bytes = load('device-engagement.hex');
    const { engagement, bytes: deBytes } = decodeDeviceEngagement(bytes);
    expect(engagement.version).toBe('1.0');
    expect(engagement.security.cipherSuite).toBe(1);
    expect(toHex(engagement.security.eDeviceKeyBytes.tagged())).toBe(toHex(load('e-device-key-bytes.hex')));
    expect(toHex(engagement.security.eDeviceKey.get(-2) as Uint8Array)).toBe(
      toHex(load('e-device-key-x.hex')),
    );
    expect(toHex(engagement.security.eDeviceKey.get(-3) as Uint8Array)).toBe(
      toHex(load('e-device-key-y.hex')),
    );
    const ble = bleOptions(engagement.deviceRetrievalMethods![0]!);
    expect(ble.peripheralServerMode).toBe(false);
    expect(ble.centralClientMode).toBe(true);
    expect(toHex(ble.centralClientUuid!)).toBe('45efef742b2c4837a9a3b0e1d05a6917');
    expect(toHex(deBytes.bytes)).toBe(toHex(bytes));
    expect(toHex(encodeDeviceEngagement(engagement, { keyOrder: 'insertion' }))).toBe(toHex(bytes));
  });

  it('QR URI matches the manifest and parses back', () => {
    const bytes = load('device-engagement.hex');
    const uri = manifest.derived_values.qr_device_engagement_uri.value;
    expect(deviceEngagementToUri(bytes)).toBe(uri);
    expect(toHex(parseDeviceEngagementUri(uri).bytes.bytes)).toBe(toHex(bytes));
    for (const bad of ['mdoc;owBj', 'mdoc:ow+j', 'mdoc:A']) {
      expect(() => parseDeviceEngagementUri(bad)).toThrow(
        expect.objectContaining({ code: 'ERR_ENGAGEMENT_INVALID' }),
      );
    }
  });

  it('NFC engagement has no retrieval methods; it is SessionTranscript[0]', () => {
    const bytes = load('device-engagement-nfc.hex');
    const { engagement, bytes: deBytes } = decodeDeviceEngagement(bytes);
    expect(engagement.deviceRetrievalMethods).toBeUndefined();
    const transcript = (decodeCbor(load('session-transcript-bytes.hex')) as EncodedCbor<unknown[]>).value;
    expect(toHex((transcript[0] as EncodedCbor).tagged())).toBe(toHex(deBytes.tagged()));
  });
});

describe('structural violations name the path', () => {
  const clone = (): Map<string, unknown> => decodeCbor(load('device-response.hex')) as Map<string, unknown>;
  const doc0 = (r: Map<string, unknown>): Map<string, unknown> =>
    (r.get('documents') as Map<string, unknown>[])[0]!;
  const issuerSigned = (r: Map<string, unknown>): Map<string, unknown> =>
    doc0(r).get('issuerSigned') as Map<string, unknown>;

  const cases: ReadonlyArray<readonly [string, (r: Map<string, unknown>) => void]> = [
    ['status', (r) => r.delete('status')],
    ['version', (r) => r.set('version', 'one')],
    ['documents', (r) => r.set('documents', [])],
    ['documents[0].docType', (r) => doc0(r).set('docType', 7)],
    ['documents[0].issuerSigned.nameSpaces', (r) => issuerSigned(r).set('nameSpaces', [])],
    [
      'documents[0].issuerSigned.nameSpaces["org.iso.18013.5.1"][0]',
      (r) =>
        ((issuerSigned(r).get('nameSpaces') as Map<string, unknown[]>).get(MDL_NAMESPACE)![0] = new Map()),
    ],
    [
      'documents[0].issuerSigned.nameSpaces["org.iso.18013.5.1"][1].digestID',
      (r) =>
        ((issuerSigned(r).get('nameSpaces') as Map<string, unknown[]>).get(MDL_NAMESPACE)![1] =
          EncodedCbor.fromValue({
            digestID: -1,
            random: new Uint8Array(16),
            elementIdentifier: 'x',
            elementValue: 1,
          })),
    ],
    [
      'documents[0].issuerSigned.nameSpaces["org.iso.18013.5.1"][2]',
      (r) =>
        ((issuerSigned(r).get('nameSpaces') as Map<string, unknown[]>).get(MDL_NAMESPACE)![2] =
          EncodedCbor.fromBytes(fromHex('a1'))),
    ],
    ['documents[0].issuerSigned.issuerAuth', (r) => (issuerSigned(r).get('issuerAuth') as unknown[]).pop()],
    [
      'documents[0].deviceSigned.deviceAuth',
      (r) => {
        const auth = (doc0(r).get('deviceSigned') as Map<string, unknown>).get('deviceAuth') as Map<
          string,
          unknown
        >;
        auth.set('deviceSignature', auth.get('deviceMac'));
      },
    ],
    [
      'documents[0].deviceSigned.nameSpaces',
      (r) => (doc0(r).get('deviceSigned') as Map<string, unknown>).set('nameSpaces', new Map()),
    ],
  ];

  it.each(cases)('%s', (expectedPath, mutate) => {
    const r = clone();
    expect(structurePath(() => parseDeviceResponse(r))).toBe('no error');
    mutate(r);
    expect(structurePath(() => parseDeviceResponse(r))).toBe(expectedPath);
  });

  it('DeviceRequest paths', () => {
    const r = decodeCbor(load('device-request.hex')) as Map<string, unknown>;
    const dr = (r.get('docRequests') as Map<string, unknown>[])[0]!;
    dr.set(
      'itemsRequest',
      EncodedCbor.fromValue({ docType: MDL_DOCTYPE, nameSpaces: { [MDL_NAMESPACE]: { x: 1 } } }),
    );
    expect(structurePath(() => parseDeviceRequest(r))).toBe(
      'docRequests[0].itemsRequest.nameSpaces["org.iso.18013.5.1"]["x"]',
    );
  });

  it('the error message never echoes element values', () => {
    const r = clone();
    doc0(r).set('docType', 'SECRET-VALUE-123');
    issuerSigned(r).set('nameSpaces', 'SECRET-VALUE-456');
    try {
      parseDeviceResponse(r);
      expect.unreachable();
    } catch (e) {
      expect(String((e as Error).message)).not.toContain('SECRET');
    }
  });
});
