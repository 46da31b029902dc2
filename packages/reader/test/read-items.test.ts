import { decodeCbor, EncodedCbor, encodeCbor } from '@mdlkit/core/cbor';
import { describe, expect, it } from 'vitest';
import { DEFAULT_READER_LIMITS } from '../src/device-response/limits.js';
import { readDeviceResponse } from '../src/internal/read-device-response.js';

const NS = 'org.iso.18013.5.1';

/** A decoded DeviceResponse with one document holding the given IssuerSignedItemBytes contents. */
function response(itemContents: Uint8Array[]): unknown {
  const items = itemContents.map((b) => EncodedCbor.fromBytes(b));
  const doc = new Map<string, unknown>([
    ['docType', 'org.iso.18013.5.1.mDL'],
    [
      'issuerSigned',
      new Map<string, unknown>([
        ['nameSpaces', new Map([[NS, items]])],
        ['issuerAuth', [new Uint8Array(0), new Map(), null, new Uint8Array(0)]],
      ]),
    ],
    [
      'deviceSigned',
      new Map<string, unknown>([
        ['nameSpaces', EncodedCbor.fromValue(new Map())],
        ['deviceAuth', new Map([['deviceSignature', []]])],
      ]),
    ],
  ]);
  // Round trip so the items are received tag-24 items, as the reader sees them.
  return decodeCbor(
    encodeCbor(
      new Map<string, unknown>([
        ['version', '1.0'],
        ['documents', [doc]],
        ['status', 0],
      ]),
    ),
  );
}

const item = (fields: [string, unknown][]) => encodeCbor(new Map(fields));
const code = (f: () => unknown): string => {
  try {
    f();
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'none';
};

describe('IssuerSignedItems read as records', () => {
  it('reads the four fields, in any key order', () => {
    const r = readDeviceResponse(
      response([
        item([
          ['elementValue', 'Doe'],
          ['elementIdentifier', 'family_name'],
          ['random', new Uint8Array(16)],
          ['digestID', 7],
        ]),
      ]),
      DEFAULT_READER_LIMITS,
    );
    const [got] = r.documents[0]!.issuerNameSpaces.get(NS)!;
    expect(got).toMatchObject({ digestId: 7, identifier: 'family_name', value: 'Doe' });
  });

  it('never lets a field of an item that failed stand in for a field another item lacks', () => {
    // {"digestID": 1, "random": h'00', "elementIdentifier": "a", "digestID": 2}: three fields read, then a duplicate key.
    const dup = Uint8Array.from([
      0xa4,
      ...encodeCbor('digestID'),
      1,
      ...encodeCbor('random'),
      0x41,
      0,
      ...encodeCbor('elementIdentifier'),
      ...encodeCbor('a'),
      ...encodeCbor('digestID'),
      2,
    ]);
    expect(code(() => readDeviceResponse(response([dup]), DEFAULT_READER_LIMITS))).toBe(
      'ERR_CBOR_DUPLICATE_KEY',
    );
    // Next, an item with no random and no elementIdentifier: both must be reported missing.
    const noRandom = item([
      ['digestID', 3],
      ['elementIdentifier', 'b'],
      ['elementValue', 1],
    ]);
    expect(code(() => readDeviceResponse(response([noRandom]), DEFAULT_READER_LIMITS))).toBe(
      'ERR_STRUCTURE_INVALID',
    );
    const noIdentifier = item([
      ['digestID', 3],
      ['random', new Uint8Array(16)],
      ['elementValue', 1],
    ]);
    expect(code(() => readDeviceResponse(response([dup]), DEFAULT_READER_LIMITS))).toBe(
      'ERR_CBOR_DUPLICATE_KEY',
    );
    expect(code(() => readDeviceResponse(response([noIdentifier]), DEFAULT_READER_LIMITS))).toBe(
      'ERR_STRUCTURE_INVALID',
    );
  });
});
