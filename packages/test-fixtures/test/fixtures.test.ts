/**
 * The fixtures themselves: the hand-encoded DeviceRequest is the Annex D ItemsRequest byte for byte
 * and reads back through core's decoder with every value as given; the QR transcript carries the
 * engagement it was given and the reader key it returns; the vector readers return the Annex D files.
 */
import { decodeCbor, EncodedCbor, RawCbor, toHex } from '@mdlkit/core/cbor';
import { coseKeyToPublicKey, publicKeyToCoseKey } from '@mdlkit/core/cose';
import { exportPublicKey } from '@mdlkit/core/crypto';
import { decodeDeviceRequest, parseDeviceRequestInfo } from '@mdlkit/core/mdoc';
import { describe, expect, it } from 'vitest';
import {
  ANNEX_D_REQUESTED,
  annexD,
  annexDDocument,
  annexDPem,
  annexDText,
  encodeTestDeviceRequest,
  indexOfBytes,
  qrSessionTranscript,
  useCasesInfo,
} from '../src/index.js';

const NS = 'org.iso.18013.5.1';
const MDL = 'org.iso.18013.5.1.mDL';

describe('encodeTestDeviceRequest', () => {
  it('writes the Annex D ItemsRequest (in length-first key order), as version 1.0 with no readerAuth', () => {
    const bytes = encodeTestDeviceRequest({
      docRequests: [
        {
          docType: MDL,
          nameSpaces: ANNEX_D_REQUESTED,
        },
      ],
    });
    const request = decodeDeviceRequest(bytes);
    expect(request.version).toBe('1.0');
    expect(request.docRequests).toHaveLength(1);
    expect(request.docRequests[0]!.readerAuth).toBeUndefined();
    expect(request.deviceRequestInfo).toBeUndefined();
    const items = request.docRequests[0]!.itemsRequestBytes;
    const annex = annexD('items-request.hex');
    expect(items.value).toEqual(decodeCbor(annex));
    expect(items.bytes).toHaveLength(annex.length);
    const names = [
      ...(
        (items.value as Map<string, Map<string, unknown>>).get('nameSpaces')!.get(NS) as Map<string, boolean>
      ).keys(),
    ];
    expect(names).toEqual([
      'portrait',
      'issue_date',
      'expiry_date',
      'family_name',
      'document_number',
      'driving_privileges',
    ]);
  });

  it('writes version, requestInfo and DeviceRequestInfoBytes as given', () => {
    const bytes = encodeTestDeviceRequest({
      version: '1.1',
      docRequests: [
        {
          docType: MDL,
          nameSpaces: { [NS]: { age_over_18: false } },
          requestInfo: new Map([['purpose', 'x']]),
        },
        { docType: 'org.iso.23220.photoID.1', nameSpaces: { 'org.iso.23220.1': { portrait: true } } },
      ],
      deviceRequestInfo: useCasesInfo([
        { mandatory: true, documentSets: [[0], [1]], purposeHints: new Map([['org.iso.jtc1.sc17', 3]]) },
      ]),
    });
    const raw = decodeCbor(bytes) as Map<string, unknown>;
    expect([...raw.keys()]).toEqual(['version', 'docRequests', 'deviceRequestInfo']);
    const request = decodeDeviceRequest(bytes);
    expect(request.version).toBe('1.1');
    expect(request.docRequests.map((d) => d.itemsRequest.docType)).toEqual([MDL, 'org.iso.23220.photoID.1']);
    const items = request.docRequests[0]!.itemsRequestBytes.value as Map<string, unknown>;
    expect([...items.keys()]).toEqual(['docType', 'nameSpaces', 'requestInfo']);
    expect(items.get('requestInfo')).toEqual(new Map([['purpose', 'x']]));
    expect(items.get('nameSpaces')).toEqual(new Map([[NS, new Map([['age_over_18', false]])]]));
    const info = parseDeviceRequestInfo(request.deviceRequestInfo?.value, { docRequestCount: 2 });
    expect(info.useCases).toEqual([
      { mandatory: true, documentSets: [[0], [1]], purposeHints: new Map([['org.iso.jtc1.sc17', 3]]) },
    ]);
  });

  it('writes a value a decoder must refuse as it is (a float index stays a float)', () => {
    const bytes = encodeTestDeviceRequest({
      version: '1.1',
      docRequests: [{ docType: MDL, nameSpaces: { [NS]: { family_name: false } } }],
      deviceRequestInfo: useCasesInfo([
        { mandatory: true, documentSets: [[new RawCbor(new Uint8Array([0xf9, 0, 0]))]] },
      ]),
    });
    expect(toHex(bytes)).toContain('81f90000'); // [0.0] as binary16
    const read = () =>
      parseDeviceRequestInfo(decodeDeviceRequest(bytes).deviceRequestInfo?.value, { docRequestCount: 1 });
    expect(read).toThrow(expect.objectContaining({ code: 'ERR_CBOR_FLOAT_NOT_ALLOWED' }));
  });
});

describe('useCasesInfo', () => {
  it('writes purposeHints only when given', () => {
    const [withHints, without] = (
      useCasesInfo([
        { mandatory: false, documentSets: [[0]], purposeHints: new Map([['a', 1]]) },
        { mandatory: 'yes', documentSets: [[1]] },
      ]).get('useCases') as Map<string, unknown>[]
    ).map((u) => [...u.keys()]);
    expect(withHints).toEqual(['mandatory', 'documentSets', 'purposeHints']);
    expect(without).toEqual(['mandatory', 'documentSets']);
  });
});

describe('qrSessionTranscript', () => {
  it('is [DeviceEngagementBytes as given, EReaderKeyBytes of the returned key, null]', () => {
    const engagement = EncodedCbor.fromValue(new Map<number, unknown>([[0, '1.0']]));
    const { transcript, eReader } = qrSessionTranscript(engagement);
    const [de, erk, handover] = decodeCbor(transcript.encoded.bytes) as EncodedCbor[];
    expect(toHex(de!.tagged())).toBe(toHex(engagement.tagged()));
    expect(handover).toBeNull();
    expect(toHex(erk!.bytes)).toBe(toHex(EncodedCbor.fromValue(publicKeyToCoseKey(eReader.publicKey)).bytes));
    expect(transcript.handover).toEqual({ kind: 'qr' });
  });

  it('without an engagement, makes one with a fresh EDeviceKey; each call has fresh keys', () => {
    const a = qrSessionTranscript();
    const b = qrSessionTranscript();
    const engagement = a.transcript.deviceEngagementBytes!.value as Map<number, unknown>;
    expect(engagement.get(0)).toBe('1.0');
    const [cipherSuite, eDeviceKeyBytes] = engagement.get(1) as [number, EncodedCbor];
    expect(cipherSuite).toBe(1);
    const eDeviceKey = coseKeyToPublicKey(eDeviceKeyBytes.bytes);
    expect(exportPublicKey(eDeviceKey, 'raw')).toHaveLength(65); // an uncompressed P-256 point
    expect(toHex(a.transcript.encoded.bytes)).not.toBe(toHex(b.transcript.encoded.bytes));
    expect(toHex(exportPublicKey(a.eReader.publicKey, 'raw'))).not.toBe(
      toHex(exportPublicKey(b.eReader.publicKey, 'raw')),
    );
  });
});

describe('the Annex D vectors', () => {
  it('reads .hex as bytes, .pem as text and as DER, and the document’s pieces', () => {
    expect(annexD('device-response.hex')[0]).toBe(0xa3); // a map of three
    const text = annexDText('iaca-cert.pem');
    expect(text).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const der = annexDPem('iaca-cert.pem');
    expect(der[0]).toBe(0x30);
    expect(Buffer.from(der).toString('base64')).toBe(
      text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''),
    );
    const { items, issuerAuth, msoBytes } = annexDDocument();
    expect(items.length).toBeGreaterThan(0);
    expect(issuerAuth).toHaveLength(4);
    expect((msoBytes.value as Map<string, unknown>).get('docType')).toBe(MDL);
  });
});

describe('indexOfBytes', () => {
  it('finds the first place at or after from, and -1 where there is none', () => {
    const hay = new Uint8Array([1, 2, 3, 1, 2, 3]);
    expect(indexOfBytes(hay, new Uint8Array([2, 3]))).toBe(1);
    expect(indexOfBytes(hay, new Uint8Array([2, 3]), 2)).toBe(4);
    expect(indexOfBytes(hay, new Uint8Array([3, 2]))).toBe(-1);
    expect(indexOfBytes(hay, new Uint8Array([3, 1, 2, 3, 4]))).toBe(-1); // runs past the end
    expect(indexOfBytes(hay, new Uint8Array(0), 5)).toBe(5);
  });
});
