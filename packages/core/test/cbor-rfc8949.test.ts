import { describe, expect, it } from 'vitest';
import {
  CborSimple,
  CborTagged,
  decodeCbor,
  EncodedCbor,
  encodeCbor,
  fromHex,
  TDate,
  toHex,
} from '../src/cbor/index.js';

/**
 * RFC 8949 Appendix A. Each row: encoding, expected decoded value, and the re-encoding when the
 * profile's preferred form differs (integral floats decode to JS numbers, which encode as integers;
 * non-preferred float widths shrink).
 */
const ROUND_TRIP: ReadonlyArray<readonly [hex: string, value: unknown, reencoded?: string]> = [
  ['00', 0],
  ['01', 1],
  ['0a', 10],
  ['17', 23],
  ['1818', 24],
  ['1819', 25],
  ['1864', 100],
  ['1903e8', 1000],
  ['1a000f4240', 1000000],
  ['1b000000e8d4a51000', 1000000000000],
  ['1bffffffffffffffff', 18446744073709551615n],
  ['c249010000000000000000', 18446744073709551616n],
  ['3bffffffffffffffff', -18446744073709551616n],
  ['c349010000000000000000', -18446744073709551617n],
  ['20', -1],
  ['29', -10],
  ['3863', -100],
  ['3903e7', -1000],
  ['f90000', 0, '00'],
  ['f98000', -0],
  ['f93c00', 1, '01'],
  ['fb3ff199999999999a', 1.1],
  ['f93e00', 1.5],
  ['f97bff', 65504, '19ffe0'],
  ['fa47c35000', 100000, '1a000186a0'],
  ['fa7f7fffff', 3.4028234663852886e38],
  ['fb7e37e43c8800759c', 1.0e300],
  ['f90001', 2 ** -24],
  ['f90400', 0.00006103515625],
  ['f9c400', -4, '23'],
  ['fbc010666666666666', -4.1],
  ['f97c00', Number.POSITIVE_INFINITY],
  ['f97e00', Number.NaN],
  ['f9fc00', Number.NEGATIVE_INFINITY],
  ['fa7f800000', Number.POSITIVE_INFINITY, 'f97c00'],
  ['fa7fc00000', Number.NaN, 'f97e00'],
  ['faff800000', Number.NEGATIVE_INFINITY, 'f9fc00'],
  ['fb7ff0000000000000', Number.POSITIVE_INFINITY, 'f97c00'],
  ['fb7ff8000000000000', Number.NaN, 'f97e00'],
  ['fbfff0000000000000', Number.NEGATIVE_INFINITY, 'f9fc00'],
  ['f4', false],
  ['f5', true],
  ['f6', null],
  ['f0', new CborSimple(16)],
  ['f8ff', new CborSimple(255)],
  ['c074323031332d30332d32315432303a30343a30305a', new TDate('2013-03-21T20:04:00Z')],
  ['c11a514b67b0', new CborTagged(1, 1363896240)],
  ['c1fb41d452d9ec200000', new CborTagged(1, 1363896240.5)],
  ['d74401020304', new CborTagged(23, fromHex('01020304'))],
  ['d82076687474703a2f2f7777772e6578616d706c652e636f6d', new CborTagged(32, 'http://www.example.com')],
  ['40', new Uint8Array(0)],
  ['4401020304', fromHex('01020304')],
  ['60', ''],
  ['6161', 'a'],
  ['6449455446', 'IETF'],
  ['62225c', '"\\'],
  ['62c3bc', '\u00fc'],
  ['63e6b0b4', '\u6c34'],
  ['64f0908591', '\ud800\udd51'],
  ['80', []],
  ['83010203', [1, 2, 3]],
  ['8301820203820405', [1, [2, 3], [4, 5]]],
  ['98190102030405060708090a0b0c0d0e0f101112131415161718181819', Array.from({ length: 25 }, (_, i) => i + 1)],
  ['a0', new Map()],
  [
    'a201020304',
    new Map([
      [1, 2],
      [3, 4],
    ]),
  ],
  [
    'a26161016162820203',
    new Map<string, unknown>([
      ['a', 1],
      ['b', [2, 3]],
    ]),
  ],
  ['826161a161626163', ['a', new Map([['b', 'c']])]],
  [
    'a56161614161626142616361436164614461656145',
    new Map(['a', 'b', 'c', 'd', 'e'].map((k) => [k, k.toUpperCase()])),
  ],
];

/** Appendix A indefinite-length examples: decode with `allowIndefinite`, re-encode definite. */
const INDEFINITE: ReadonlyArray<readonly [hex: string, definite: string]> = [
  ['5f42010243030405ff', '450102030405'],
  ['7f657374726561646d696e67ff', '6973747265616d696e67'],
  ['9fff', '80'],
  ['9f018202039f0405ffff', '8301820203820405'],
  ['9f01820203820405ff', '8301820203820405'],
  ['83018202039f0405ff', '8301820203820405'],
  ['83019f0203ff820405', '8301820203820405'],
  [
    '9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff',
    '98190102030405060708090a0b0c0d0e0f101112131415161718181819',
  ],
  ['bf61610161629f0203ffff', 'a26161016162820203'],
  ['826161bf61626163ff', '826161a161626163'],
  ['bf6346756ef563416d7421ff', 'a263416d74216346756ef5'],
];

describe('RFC 8949 Appendix A', () => {
  it.each(ROUND_TRIP)('%s decodes and re-encodes', (...row) => {
    const [hex, value, reencoded] = row as [string, unknown, string | undefined];
    const decoded = decodeCbor(fromHex(hex));
    if (typeof value === 'number' && Number.isNaN(value)) expect(decoded).toBeNaN();
    else expect(decoded).toEqual(value);
    if (Object.is(value, -0)) expect(Object.is(decoded, -0)).toBe(true);
    expect(toHex(encodeCbor(decoded))).toBe(reencoded ?? hex);
  });

  it.each(INDEFINITE)(
    '%s is rejected strictly, decoded leniently and re-encoded definite',
    (hex, definite) => {
      expect(() => decodeCbor(fromHex(hex))).toThrow(
        expect.objectContaining({ code: 'ERR_CBOR_INDEFINITE_LENGTH' }),
      );
      const decoded = decodeCbor(fromHex(hex), { allowIndefinite: true });
      expect(toHex(encodeCbor(decoded))).toBe(definite);
    },
  );

  it('decodes undefined (f7) but never encodes it', () => {
    expect(decodeCbor(fromHex('f7'))).toBeUndefined();
    expect(() => encodeCbor(undefined)).toThrow(expect.objectContaining({ code: 'ERR_CBOR_UNENCODABLE' }));
  });

  it('decodes tag 24 into EncodedCbor with the embedded bytes', () => {
    const decoded = decodeCbor(fromHex('d818456449455446'));
    expect(decoded).toBeInstanceOf(EncodedCbor);
    const enc = decoded as EncodedCbor<string>;
    expect(toHex(enc.bytes)).toBe('6449455446');
    expect(enc.value).toBe('IETF');
    expect(toHex(enc.tagged())).toBe('d818456449455446');
    expect(toHex(encodeCbor(enc))).toBe('d818456449455446');
  });
});
