import { describe, expect, it } from 'vitest';
import { decodeCbor, EncodedCbor, encodeCbor } from '../cbor/index.js';
import { type MdocRules, parseDeviceResponse } from './index.js';

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
        [
          'deviceAuth',
          new Map([['deviceSignature', [new Uint8Array(0), new Map(), null, new Uint8Array(0)]]]),
        ],
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

/** A broken embedded item keeps its CBOR code under the verifier rules, is a structure error under the model rules. */
const BROKEN_ITEM: Record<MdocRules, string> = {
  verifier: 'ERR_CBOR_DUPLICATE_KEY',
  model: 'ERR_STRUCTURE_INVALID',
};

const item = (fields: [string, unknown][]) => encodeCbor(new Map(fields));
const code = (f: () => unknown): string => {
  try {
    f();
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'none';
};

describe.each(['verifier', 'model'] as MdocRules[])(
  'IssuerSignedItems read as records (%s rules)',
  (rules) => {
    it('reads the four fields, in any key order', () => {
      const r = parseDeviceResponse(
        response([
          item([
            ['elementValue', 'Doe'],
            ['elementIdentifier', 'family_name'],
            ['random', new Uint8Array(16)],
            ['digestID', 7],
          ]),
        ]),
        { rules },
      );
      const [got] = r.documents![0]!.issuerSigned.nameSpaces!.get(NS)!;
      expect(got).toMatchObject({ digestID: 7, elementIdentifier: 'family_name', elementValue: 'Doe' });
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
      expect(code(() => parseDeviceResponse(response([dup]), { rules }))).toBe(BROKEN_ITEM[rules]);
      // Next, an item with no random and no elementIdentifier: both must be reported missing.
      const noRandom = item([
        ['digestID', 3],
        ['elementIdentifier', 'b'],
        ['elementValue', 1],
      ]);
      expect(code(() => parseDeviceResponse(response([noRandom]), { rules }))).toBe('ERR_STRUCTURE_INVALID');
      const noIdentifier = item([
        ['digestID', 3],
        ['random', new Uint8Array(16)],
        ['elementValue', 1],
      ]);
      expect(code(() => parseDeviceResponse(response([dup]), { rules }))).toBe(BROKEN_ITEM[rules]);
      expect(code(() => parseDeviceResponse(response([noIdentifier]), { rules }))).toBe(
        'ERR_STRUCTURE_INVALID',
      );
    });
  },
);
