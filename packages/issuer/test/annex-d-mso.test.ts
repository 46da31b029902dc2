import { bytesEqual, concatBytes, type EncodedCbor, FullDate, toHex } from '@mdlkit/core/cbor';
import { annexD, annexDDocument } from '@mdlkit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { createIssuerSignedItems } from '../src/items/create-issuer-signed-items.js';
import { buildMso } from '../src/mso/build-mso.js';

type CborMap = Map<unknown, unknown>;

describe('Annex D (D.4.1.2 / D.5.2): rebuild items and MSO byte-for-byte', () => {
  const { items, msoBytes } = annexDDocument();
  const decoded = items.map((i) => i.value as CborMap);
  const mso = msoBytes.value as CborMap;
  const NS = 'org.iso.18013.5.1';

  // Element values rebuilt from the manifest, not copied from the decoded items.
  const annexValues = (): Map<string, unknown> => {
    const privilege = (code: string, issue: string, expiry: string) =>
      new Map<string, unknown>([
        ['vehicle_category_code', code],
        ['issue_date', new FullDate(issue)],
        ['expiry_date', new FullDate(expiry)],
      ]);
    const dp = [privilege('A', '2018-08-09', '2024-10-20'), privilege('B', '2017-02-23', '2024-10-20')];
    return new Map<string, unknown>([
      ['family_name', 'Doe'],
      ['issue_date', new FullDate('2019-10-20')],
      ['expiry_date', new FullDate('2024-10-20')],
      ['document_number', '123456789'],
      ['portrait', annexD('portrait.hex')],
      ['driving_privileges', dp],
    ]);
  };

  it('IssuerSignedItemBytes equal the Annex D items (salts and digestIDs replayed)', () => {
    const salts = decoded.map((m) => m.get('random') as Uint8Array);
    const built = createIssuerSignedItems({
      nameSpaces: new Map([[NS, annexValues()]]),
      randomBytes: () => concatBytes(...salts), // one call: all salts in item order
      digestIdStrategy: () => [0, 3, 4, 7, 8, 9],
      keyOrder: 'insertion',
    }).get(NS)!;
    expect(built.map((b) => toHex(b.bytes.tagged()))).toEqual(items.map((i) => toHex(i.tagged())));
  });

  it('the MSO equals the Annex D MobileSecurityObject', () => {
    const salts = decoded.map((m) => m.get('random') as Uint8Array);
    const built = createIssuerSignedItems({
      nameSpaces: new Map([[NS, annexValues()]]),
      randomBytes: () => concatBytes(...salts), // one call: all salts in item order
      digestIdStrategy: () => [0, 3, 4, 7, 8, 9],
      keyOrder: 'insertion',
    });
    // Annex D discloses 6 of the 17 items; the other digests are carried over as given.
    const vd = mso.get('valueDigests') as Map<string, Map<number, Uint8Array>>;
    const disclosed = new Set([0, 3, 4, 7, 8, 9]);
    const additional = new Map<string, Map<number, Uint8Array>>();
    for (const [ns, ids] of vd) {
      additional.set(ns, new Map([...ids].filter(([id]) => ns !== NS || !disclosed.has(id))));
    }
    const deviceKey = new Map<number, unknown>([
      [1, 2],
      [-1, 1],
      [-2, annexD('s-device-key-x.hex')],
      [-3, annexD('s-device-key-y.hex')],
    ]);
    const out = buildMso({
      docType: 'org.iso.18013.5.1.mDL',
      nameSpaces: built,
      additionalDigests: additional,
      deviceKey,
      validity: {
        signed: new Date('2020-10-01T13:30:02Z'),
        validFrom: new Date('2020-10-01T13:30:02Z'),
        validUntil: new Date('2021-10-01T13:30:02Z'),
      },
      keyOrder: 'insertion',
    });
    // Our computed digests for the disclosed items equal Annex D's.
    for (const id of disclosed) {
      expect(bytesEqual(out.valueDigests.get(NS)!.get(id)!, vd.get(NS)!.get(id)!)).toBe(true);
    }
    expect(toHex(out.bytes.tagged())).toBe(toHex((msoBytes as EncodedCbor).tagged()));
  });
});
