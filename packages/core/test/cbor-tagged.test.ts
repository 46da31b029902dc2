import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFields } from '../src/cbor/decode.js';
import { bytesEqual, CborTagged, decodeCbor, EncodedCbor, encodeCbor, toHex } from '../src/cbor/index.js';
import { codeOf } from './helpers.js';

// EncodedCbor.tagged() writes `#6.24(bstr)` directly (the hash input of every IssuerSignedItem);
// it must stay byte-identical to the general encoder's output for a tag-24 byte string.
const viaEncoder = (bytes: Uint8Array): Uint8Array => encodeCbor(new CborTagged(24, bytes));

describe('EncodedCbor.tagged', () => {
  it.each([0, 1, 23, 24, 255, 256, 65_535, 65_536, 100_000])('matches the encoder at %i bytes', (n) => {
    const bytes = new Uint8Array(n).map((_, i) => (i * 7) & 0xff);
    const tagged = EncodedCbor.fromBytes(bytes).tagged();
    expect(toHex(tagged.subarray(0, 8))).toBe(toHex(viaEncoder(bytes).subarray(0, 8)));
    expect(bytesEqual(tagged, viaEncoder(bytes))).toBe(true);
    expect(tagged.subarray(0, 2)).toEqual(new Uint8Array([0xd8, 0x18]));
  });

  it('property: equals the encoder output and decodes back to the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70_000 }), (bytes) => {
        const tagged = EncodedCbor.fromBytes(bytes).tagged();
        expect(bytesEqual(tagged, viaEncoder(bytes))).toBe(true);
        expect(bytesEqual((decodeCbor(tagged) as EncodedCbor).bytes, bytes)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('is cached and equal for received and built items', () => {
    const item = EncodedCbor.fromValue(new Map([['digestID', 0]]));
    expect(item.tagged()).toBe(item.tagged());
    const received = decodeCbor(item.tagged()) as EncodedCbor;
    expect(received.tagged()).toEqual(item.tagged());
  });

  it('a decoded item returns the received #6.24(bstr) as a copy of its own, apart from bytes', () => {
    const input = encodeCbor([EncodedCbor.fromValue(new Map([['a', 1]])), 7]);
    const [item] = decodeCbor(input) as [EncodedCbor, number];
    const tagged = item.tagged();
    expect(toHex(tagged)).toBe(toHex(input.subarray(1, input.length - 1)));
    expect(tagged.buffer).not.toBe(item.bytes.buffer);
    expect(tagged.buffer).not.toBe(input.buffer);
    expect(tagged.byteOffset === 0 && tagged.buffer.byteLength === tagged.length).toBe(true);
    input.fill(0);
    expect(toHex(tagged)).toBe('d81844a1616101');
  });

  it('a non-preferred bstr head (allowed by the decode) is not taken as is: tagged() is preferred', () => {
    // d8 18, bstr with a one-byte length argument for 4 bytes (59 00 04 is non-preferred), a1 61 61 01
    const input = new Uint8Array([0xd8, 0x18, 0x58, 0x04, 0xa1, 0x61, 0x61, 0x01]);
    expect(() => decodeCbor(input)).toThrow(expect.objectContaining({ code: 'ERR_CBOR_NON_PREFERRED' }));
    const item = decodeCbor(input, { allowNonPreferred: true }) as EncodedCbor;
    expect(toHex(item.tagged())).toBe('d81844a1616101');
  });
});

describe('encodeCbor scratch buffer', () => {
  it('each result is an exact, independent copy — a large encode leaves nothing in a later small one', () => {
    const big = encodeCbor(new Uint8Array(10_000).fill(0xaa));
    const small = encodeCbor(new Map([['a', 1]]));
    expect(toHex(small)).toBe('a1616101');
    expect(big.length).toBe(10_003);
    expect(big.buffer).not.toBe(small.buffer);
    big.fill(0);
    expect(toHex(encodeCbor(new Map([['a', 1]])))).toBe('a1616101');
  });

  it('a value the profile cannot encode throws and the next encode still works', () => {
    expect(() => encodeCbor([1, undefined])).toThrow();
    expect(toHex(encodeCbor([1, 2]))).toBe('820102');
  });
});

describe('EncodedCbor.readFields', () => {
  const names = ['digestID', 'random', 'elementIdentifier', 'elementValue'];
  const received = (value: unknown): EncodedCbor =>
    decodeCbor(encodeCbor(EncodedCbor.fromValue(value))) as EncodedCbor;

  it('returns the named fields that are present, like reading the decoded map', () => {
    // {"random": h'0102', "digestID": 7, "extra": [1, 2], "elementValue": undefined}
    const item = fromHexString(
      'a46672616e646f6d420102686469676573744944076565787472618201026c656c656d656e7456616c7565f7',
    );
    const asReceived = decodeCbor(encodeCbor(EncodedCbor.fromBytes(item))) as EncodedCbor;
    for (const e of [asReceived, EncodedCbor.fromBytes(item)]) {
      const fields = e.readFields(names);
      expect(fields).toBeDefined();
      expect(Object.keys(fields!).sort()).toEqual(['digestID', 'elementValue', 'random']);
      expect(fields!.digestID).toBe(7);
      expect(fields!.random).toEqual(Uint8Array.of(1, 2));
      expect('elementIdentifier' in fields!).toBe(false);
      expect('elementValue' in fields!).toBe(true); // present, with the value CBOR undefined
      expect(fields!.elementValue).toBeUndefined();
      // Once `value` is decoded, the map answers the same.
      void e.value;
      expect({ ...e.readFields(names) }).toEqual({ ...fields });
    }
  });

  it('returns undefined for a non-map and keeps every decode error of value', () => {
    expect(received([1, 2]).readFields(names)).toBeUndefined();
    const codes = (hex: string): string => {
      const e = EncodedCbor.fromBytes(fromHexString(hex));
      let a = '';
      let b = '';
      try {
        e.readFields(names);
      } catch (error) {
        a = (error as { code: string }).code;
      }
      try {
        void EncodedCbor.fromBytes(fromHexString(hex)).value;
      } catch (error) {
        b = (error as { code: string }).code;
      }
      expect(a).toBe(b);
      return a;
    };
    // {"digestID": 1, "digestID": 2}, {"x": 1, "x": 2}, {1: 1, 1: 2}, trailing byte, truncated value.
    expect(codes('a2686469676573744944016864696765737449440200'.slice(0, -2))).toBe('ERR_CBOR_DUPLICATE_KEY');
    expect(codes('a2617801617802')).toBe('ERR_CBOR_DUPLICATE_KEY');
    expect(codes('a201010102')).toBe('ERR_CBOR_DUPLICATE_KEY');
    expect(codes('a161780100')).toBe('ERR_CBOR_TRAILING_BYTES');
    expect(codes('a1617818')).toBe('ERR_CBOR_TRUNCATED');
    // Any number of names.
    const many = Array.from({ length: 40 }, (_, i) => `k${i}`);
    const map = new Map(many.map((k, i) => [k, i]));
    expect(received(map).readFields(many)?.k39).toBe(39);
  });

  it('holds a noFloats field to a non-float (what the deprecated majorTypes was for), and majorTypes still reports', () => {
    // {"digestID": 1.0 (f9 3c00), "random": h'01'}, then the same with the uint 1.
    const float = fromHexString('a2686469676573744944f93c006672616e646f6d4101');
    const uint = fromHexString('a268646967657374494401' + '6672616e646f6d4101');
    const asReceived = (b: Uint8Array): EncodedCbor =>
      decodeCbor(encodeCbor(EncodedCbor.fromBytes(b))) as EncodedCbor;
    for (const wrap of [(b: Uint8Array) => EncodedCbor.fromBytes(b), asReceived]) {
      expect(codeOf(() => wrap(float).readFields(names, undefined, undefined, ['digestID']))).toBe(
        'ERR_CBOR_FLOAT_NOT_ALLOWED',
      );
      expect(wrap(float).readFields(names)?.digestID).toBe(1);
      expect(wrap(uint).readFields(names, undefined, undefined, ['digestID'])?.digestID).toBe(1);
      const majorTypes: { [name: string]: number } = {};
      wrap(float).readFields(names, majorTypes);
      expect(majorTypes).toEqual({ digestID: 7, random: 2 });
      wrap(uint).readFields(names, majorTypes);
      expect(majorTypes).toEqual({ digestID: 0, random: 2 });
    }
  });
});

describe('decodeFields with integer names (the status token claims)', () => {
  const names = [2, 65533];
  const read = (hex: string, noFloats?: readonly number[]): Record<number, unknown> => {
    const r = decodeFields(fromHexString(hex), {}, names, 0, undefined, noFloats);
    if (!('fields' in r)) throw new Error('not a map');
    const out: Record<number, unknown> = {};
    names.forEach((name, i) => {
      if (r.fields.types[i] !== -1) out[name] = r.fields.values[i];
    });
    return out;
  };
  const code = (action: () => unknown): string => {
    try {
      action();
      return 'none';
    } catch (error) {
      return (error as { code: string }).code;
    }
  };

  it('reads integer keys among the names and drops the others', () => {
    // {2: "a", 4: 1, 65533: {"bits": 1}}
    const fields = read('a3026161040119fffda16462697473 01'.replace(/ /g, ''));
    expect(Object.keys(fields).sort()).toEqual(['2', '65533']);
    expect(fields[2]).toBe('a');
    expect(fields[65533]).toEqual(new Map([['bits', 1]]));
  });

  it('never takes a float key for the integer name (2.0 is not 2)', () => {
    // {2.0: "a"}
    expect('2' in read('a1f940006161')).toBe(false);
  });

  it('holds a noFloats name to no float inside its value, and only that name', () => {
    // {65533: {"bits": 1.0}}, {2: 1.0}
    const bits = 'a119fffda16462697473f93c00';
    expect(code(() => read(bits, [65533]))).toBe('ERR_CBOR_FLOAT_NOT_ALLOWED');
    expect(read(bits, [2])[65533]).toEqual(new Map([['bits', 1]]));
    expect(code(() => read('a102f93c00', [65533]))).toBe('none');
  });

  it('keeps duplicate integer keys an error', () => {
    // {2: "a", 2: "b"}
    expect(code(() => read('a2026161026162'))).toBe('ERR_CBOR_DUPLICATE_KEY');
  });
});

function fromHexString(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
}
