import { describe, expect, it } from 'vitest';
import { codeOf } from '../../test/helpers.js';
import { encodeScratch } from '../caches.js';
import {
  bytesEqual,
  CborTagged,
  cborMapGet,
  concatBytes,
  decodeCbor,
  EncodedCbor,
  encodeCbor,
  FullDate,
  fromBase64Url,
  fromHex,
  isCborMap,
  RawCbor,
  TDate,
  toBase64Url,
  toHex,
  utf8Decode,
  utf8Encode,
} from './index.js';

describe('encodeCbor', () => {
  it('sorts map keys bytewise by encoding by default (RFC 8949 §4.2.1)', () => {
    const m = new Map<unknown, unknown>([
      ['aa', 1],
      [10, 2],
      ['b', 3],
      [-1, 4],
      [100, 5],
      [new Uint8Array([1]), 6],
      [false, 7],
    ]);
    // 0a < 1864 < 20 < 4101 < 6162 < 626161 < f4
    expect(toHex(encodeCbor(m))).toBe('a70a02186405200441010661620362616101f407');
  });

  it("keeps insertion order with keyOrder: 'insertion'", () => {
    const m = new Map<unknown, unknown>([
      ['version', '1.0'],
      ['documents', []],
      ['status', 0],
    ]);
    // "version" (67…) "documents" (69…) "status" (66…)
    expect(toHex(encodeCbor(m, { keyOrder: 'insertion' }))).toBe(
      'a36776657273696f6e63312e3069646f63756d656e74738066737461747573' + '00',
    );
    expect(toHex(encodeCbor(m))).toBe('a366737461747573006776657273696f6e63312e3069646f63756d656e747380');
  });

  it('encodes plain objects as text-keyed maps', () => {
    expect(toHex(encodeCbor({ b: 1, a: [true, null] }))).toBe('a2616182f5f6616201');
    expect(toHex(encodeCbor(Object.assign(Object.create(null), { x: 1 })))).toBe('a1617801');
  });

  it('chooses the shortest float that round-trips', () => {
    expect(toHex(encodeCbor(0.5))).toBe('f93800');
    expect(toHex(encodeCbor(65504.5))).toBe('fa477fe080');
    expect(toHex(encodeCbor(0.1))).toBe('fb3fb999999999999a');
    expect(toHex(encodeCbor(2 ** -24))).toBe('f90001');
    expect(toHex(encodeCbor(2 ** -25))).toBe('fa33000000');
    expect(toHex(encodeCbor(-0))).toBe('f98000');
    expect(toHex(encodeCbor(Number.NaN))).toBe('f97e00');
    expect(toHex(encodeCbor(2 ** 53))).toBe('fa5a000000');
  });

  it('chooses float16, float32 or float64 at the edges of each (vectors from IEEE 754 packing, not this encoder)', () => {
    const cases: [number, string][] = [
      [Number.POSITIVE_INFINITY, 'f97c00'],
      [Number.NEGATIVE_INFINITY, 'f9fc00'],
      [Number.NaN, 'f97e00'],
      [-0, 'f98000'],
      [-(2 ** -24), 'f98001'], // smallest float16 subnormal
      [1.5 * 2 ** -24, 'fa33c00000'], // between float16 subnormals
      [2 ** -14 - 2 ** -24, 'f903ff'], // largest float16 subnormal
      [2 ** -14, 'f90400'], // smallest float16 normal
      [1 + 2 ** -10, 'f93c01'], // 10 mantissa bits: float16
      [1 + 2 ** -11, 'fa3f801000'], // 11 mantissa bits: float32
      [2 ** -149, 'fa00000001'], // smallest float32 subnormal
      [-(2 ** -149), 'fa80000001'],
      [2 ** -126 - 2 ** -149, 'fa007fffff'], // largest float32 subnormal
      [2 ** -126, 'fa00800000'], // smallest float32 normal
      [2 ** -150, 'fb3690000000000000'], // below float32: rounds to 0 there
      [1e-45, 'fb3696d601ad376ab9'], // rounds to a float32 subnormal that is not it
      [1e-7, 'fb3e7ad7f29abcaf48'],
      [3.4028234663852886e38, 'fa7f7fffff'], // largest float32
      [-3.4028234663852886e38, 'faff7fffff'],
      [3.4028235677973366e38, 'fb47effffff0000000'], // rounds to Infinity as a float32
      [2 ** 128, 'fb47f0000000000000'],
      [5e-324, 'fb0000000000000001'],
      [2 ** 60, 'fa5d800000'], // integral, not a safe integer: 65504 < it < float32 max
    ];
    for (const [v, hex] of cases) {
      expect(toHex(encodeCbor(v)), String(v)).toBe(hex);
      const back = decodeCbor(fromHex(hex)) as number;
      expect(Object.is(back, v), String(v)).toBe(true);
      // Inside a structure, at an odd offset, the same bytes.
      expect(toHex(encodeCbor([true, v])), String(v)).toBe(`82f5${hex}`);
    }
  });

  it('leaves no float32 bits in the encoder scratch when a float16 is written', () => {
    // 1 + 2^-10 is 0x3f802000 as a float32 (written first) and 0x3c01 as a float16 (kept).
    expect(toHex(encodeCbor(1 + 2 ** -10))).toBe('f93c01');
    const scratch = encodeScratch.take()!;
    try {
      expect([...scratch.subarray(0, 16)]).toEqual(new Array(16).fill(0));
    } finally {
      encodeScratch.give(scratch, 0);
    }
  });

  it('encodes bigints as integers up to 64 bits and as bignums beyond', () => {
    expect(toHex(encodeCbor(5n))).toBe('05');
    expect(toHex(encodeCbor(-(2n ** 64n)))).toBe('3bffffffffffffffff');
    expect(toHex(encodeCbor(2n ** 64n))).toBe('c249010000000000000000');
    expect(toHex(encodeCbor(2n ** 53n))).toBe('1b0020000000000000');
    expect(decodeCbor(fromHex('1b0020000000000000'))).toBe(2n ** 53n);
    expect(decodeCbor(fromHex('1b001fffffffffffff'))).toBe(Number.MAX_SAFE_INTEGER);
    expect(decodeCbor(fromHex('3b001fffffffffffff'))).toBe(-(2n ** 53n));
  });

  it('never uses tag 64 for byte strings (Buffer or Uint8Array)', () => {
    expect(toHex(encodeCbor(new Uint8Array([1, 2])))).toBe('420102');
    expect(toHex(encodeCbor(Buffer.from([1, 2])))).toBe('420102');
    expect(toHex(encodeCbor(new Uint8Array([0, 1, 2, 3]).subarray(1, 3)))).toBe('420102');
  });

  it('encodes multi-byte UTF-8 text', () => {
    expect(toHex(encodeCbor('Ærø 水 😀'))).toBe(toHex(concatBytes(fromHex('6e'), utf8Encode('Ærø 水 😀'))));
  });

  it('splices RawCbor verbatim, even non-preferred bytes', () => {
    expect(toHex(encodeCbor([new RawCbor(fromHex('1817')), 1]))).toBe('82181701');
  });

  it('emits tdate and full-date tags', () => {
    expect(toHex(encodeCbor(new TDate('2020-10-01T13:30:02Z')))).toBe(
      'c074323032302d31302d30315431333a33303a30325a',
    );
    expect(toHex(encodeCbor(new FullDate('2024-02-29')))).toBe('d903ec6a323032342d30322d3239');
  });

  it('keeps unknown tags as CborTagged (e.g. COSE_Sign1 tag 18)', () => {
    const sign1 = new CborTagged(18, [new Uint8Array(0), new Map(), null, new Uint8Array(0)]);
    const bytes = encodeCbor(sign1);
    expect(toHex(bytes)).toBe('d28440a0f640');
    const back = decodeCbor(bytes) as CborTagged;
    expect(back).toBeInstanceOf(CborTagged);
    expect(back.tag).toBe(18);
  });
});

describe('EncodedCbor (tag 24)', () => {
  it('keeps non-preferred, insertion-ordered embedded bytes through decode and re-encode', () => {
    // {"b": 1, "a": 10} — unsorted keys and a 2-byte argument for a small number.
    const inner = fromHex('a2616201616119000a');
    const outer = concatBytes(fromHex('82d81849'), inner, fromHex('01'));
    const decoded = decodeCbor(outer) as [EncodedCbor, number];
    expect(decoded[0]).toBeInstanceOf(EncodedCbor);
    expect(bytesEqual(decoded[0].bytes, inner)).toBe(true);
    expect(toHex(encodeCbor(decoded))).toBe(toHex(outer));
    expect(toHex(decoded[0].tagged())).toBe(`d81849${toHex(inner)}`);
    // The strict profile still reports the non-preferred content when it is read.
    expect(codeOf(() => decoded[0].value)).toBe('ERR_CBOR_NON_PREFERRED');
  });

  it('fromValue encodes once and decodes lazily into the CBOR data model', () => {
    const e = EncodedCbor.fromValue<Map<string, unknown>>({ digestID: 0, random: new Uint8Array(2) });
    // deterministic order: "random" (66…) sorts before "digestID" (68…)
    expect(toHex(e.bytes)).toBe('a26672616e646f6d42000068646967657374494400');
    expect(e.value.get('digestID')).toBe(0);
    expect(e.value).toBe(e.value);
    expect(toHex(e.tagged())).toBe(`d81855${toHex(e.bytes)}`);
  });
});

describe('TDate and FullDate', () => {
  it('TDate from a Date drops milliseconds and formats UTC with Z', () => {
    const t = new TDate(new Date(Date.UTC(2020, 9, 1, 13, 30, 2, 999)));
    expect(t.value).toBe('2020-10-01T13:30:02Z');
    expect(t.toDate().toISOString()).toBe('2020-10-01T13:30:02.000Z');
    expect(t.epochMilliseconds).toBe(Date.UTC(2020, 9, 1, 13, 30, 2));
    expect(JSON.stringify({ t })).toBe('{"t":"2020-10-01T13:30:02Z"}');
  });

  it('TDate rejects what 18013-5 forbids unless lenient', () => {
    for (const bad of [
      '2020-10-01T13:30:02.1Z',
      '2020-10-01T13:30:02+00:00',
      '2020-10-01t13:30:02Z',
      '2020-10-01T13:30Z',
      '2020-10-01T13:30:60Z',
    ]) {
      expect(codeOf(() => new TDate(bad))).toBe('ERR_INVALID_ARGUMENT');
    }
    expect(new TDate('2020-10-01T13:30:02+02:00', { lenient: true }).toDate().toISOString()).toBe(
      '2020-10-01T11:30:02.000Z',
    );
    expect(codeOf(() => new TDate(new Date(Number.NaN)))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => new TDate(new Date(Date.UTC(10000, 0, 1))))).toBe('ERR_INVALID_ARGUMENT');
  });

  it('FullDate validates the calendar, including leap years', () => {
    expect(new FullDate('2000-02-29').toDate().toISOString()).toBe('2000-02-29T00:00:00.000Z');
    expect(codeOf(() => new FullDate('1900-02-29'))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => new FullDate('2021-04-31'))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => new FullDate('2021-4-01'))).toBe('ERR_INVALID_ARGUMENT');
    expect(new FullDate(new Date(Date.UTC(1990, 1, 28, 23, 59))).value).toBe('1990-02-28');
    expect(new FullDate('0001-01-01').toDate().getUTCFullYear()).toBe(1);
  });
});

describe('byte helpers', () => {
  it('hex round trip and errors', () => {
    expect(toHex(fromHex('00ff7Fa0\n'))).toBe('00ff7fa0');
    expect(codeOf(() => fromHex('abc'))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => fromHex('zz'))).toBe('ERR_INVALID_ARGUMENT');
  });

  it('base64url round trip and errors', () => {
    const bytes = new Uint8Array(256).map((_, i) => i);
    for (let n = 0; n < 8; n++) {
      const slice = bytes.subarray(250 - n);
      expect(toBase64Url(slice)).toBe(Buffer.from(slice).toString('base64url'));
      expect(toHex(fromBase64Url(toBase64Url(slice)))).toBe(toHex(slice));
    }
    expect(toHex(fromBase64Url('-_8='))).toBe('fbff');
    expect(codeOf(() => fromBase64Url('+/8'))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => fromBase64Url('A'))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => fromBase64Url('-_9'))).toBe('ERR_INVALID_ARGUMENT'); // non-zero trailing bits
    expect(codeOf(() => fromBase64Url('AA='))).toBe('ERR_INVALID_ARGUMENT');
  });

  it('bytesEqual, concatBytes, utf8', () => {
    expect(bytesEqual(fromHex('0102'), fromHex('0102'))).toBe(true);
    expect(bytesEqual(fromHex('0102'), fromHex('0103'))).toBe(false);
    expect(bytesEqual(fromHex('01'), fromHex('0102'))).toBe(false);
    expect(toHex(concatBytes(fromHex('01'), new Uint8Array(0), fromHex('0203')))).toBe('010203');
    expect(utf8Decode(utf8Encode('\ufeffé'))).toBe('\ufeffé');
    expect(codeOf(() => utf8Decode(fromHex('c3')))).toBe('ERR_INVALID_ARGUMENT');
  });

  it('cborMapGet / isCborMap', () => {
    const m = decodeCbor(fromHex('a2616101026162'));
    expect(isCborMap(m)).toBe(true);
    expect(cborMapGet(m, 'a')).toBe(1);
    expect(cborMapGet(m, 2)).toBe('b');
    expect(cborMapGet([1], 0)).toBeUndefined();
  });
});
