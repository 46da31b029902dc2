import { describe, expect, it } from 'vitest';
import {
  type CborDecodeOptions,
  CborTagged,
  DEFAULT_CBOR_LIMITS,
  decodeCbor,
  EncodedCbor,
  encodeCbor,
  fromHex,
  TDate,
} from '../src/cbor/index.js';
import type { ErrorCode } from '../src/errors/index.js';
import { isMdlError } from '../src/errors/index.js';
import { codeOf } from './helpers.js';

function decodeCode(hex: string, options?: CborDecodeOptions): string {
  return codeOf(() => decodeCbor(fromHex(hex), options));
}

const DECODE_ERRORS: ReadonlyArray<readonly [name: string, hex: string, code: ErrorCode]> = [
  ['empty input', '', 'ERR_CBOR_TRUNCATED'],
  ['missing 1-byte argument', '18', 'ERR_CBOR_TRUNCATED'],
  ['missing 8-byte argument', '1b0000', 'ERR_CBOR_TRUNCATED'],
  ['short text', '6261', 'ERR_CBOR_TRUNCATED'],
  ['short byte string', '4301', 'ERR_CBOR_TRUNCATED'],
  ['short array', '8201', 'ERR_CBOR_TRUNCATED'],
  ['map without value', 'a101', 'ERR_CBOR_TRUNCATED'],
  ['half float cut', 'f900', 'ERR_CBOR_TRUNCATED'],
  ['double cut', 'fb3ff1', 'ERR_CBOR_TRUNCATED'],
  ['4 GiB byte string declared in 5 bytes', '5affffffff', 'ERR_CBOR_TRUNCATED'],
  ['2^32-1 element array declared in 5 bytes', '9affffffff', 'ERR_CBOR_TRUNCATED'],
  ['2^64-1 element map', 'bbffffffffffffffff', 'ERR_CBOR_TRUNCATED'],
  ['trailing byte', '0000', 'ERR_CBOR_TRAILING_BYTES'],
  ['two items', '8001', 'ERR_CBOR_TRAILING_BYTES'],
  ['reserved additional info 28', '1c', 'ERR_CBOR_MALFORMED'],
  ['reserved additional info 30 on a map', 'be', 'ERR_CBOR_MALFORMED'],
  ['lone break', 'ff', 'ERR_CBOR_MALFORMED'],
  ['indefinite integer', '1f', 'ERR_CBOR_MALFORMED'],
  ['indefinite negative integer', '3f', 'ERR_CBOR_MALFORMED'],
  ['indefinite tag', 'df', 'ERR_CBOR_MALFORMED'],
  ['two-byte simple below 32', 'f810', 'ERR_CBOR_MALFORMED'],
  ['reserved simple ai 28', 'fc', 'ERR_CBOR_MALFORMED'],
  ['duplicate text key', 'a2616101616102', 'ERR_CBOR_DUPLICATE_KEY'],
  ['duplicate int key', 'a201020103', 'ERR_CBOR_DUPLICATE_KEY'],
  ['duplicate byte-string key', 'a2410101410102', 'ERR_CBOR_DUPLICATE_KEY'],
  ['duplicate array key', 'a28101018101f6', 'ERR_CBOR_DUPLICATE_KEY'],
  ['indefinite array', '9fff', 'ERR_CBOR_INDEFINITE_LENGTH'],
  ['indefinite map', 'bfff', 'ERR_CBOR_INDEFINITE_LENGTH'],
  ['indefinite bytes', '5fff', 'ERR_CBOR_INDEFINITE_LENGTH'],
  ['indefinite text', '7fff', 'ERR_CBOR_INDEFINITE_LENGTH'],
  ['1-byte argument below 24', '1817', 'ERR_CBOR_NON_PREFERRED'],
  ['2-byte argument below 256', '1900ff', 'ERR_CBOR_NON_PREFERRED'],
  ['4-byte argument below 65536', '1a0000ffff', 'ERR_CBOR_NON_PREFERRED'],
  ['8-byte argument below 2^32', '1b00000000ffffffff', 'ERR_CBOR_NON_PREFERRED'],
  ['long negative integer', '3800', 'ERR_CBOR_NON_PREFERRED'],
  ['long text length', '780161', 'ERR_CBOR_NON_PREFERRED'],
  ['long array length', '9800', 'ERR_CBOR_NON_PREFERRED'],
  ['long tag number', 'd80100', 'ERR_CBOR_NON_PREFERRED'],
  ['bignum that fits 64 bits', 'c24101', 'ERR_CBOR_NON_PREFERRED'],
  ['bignum with leading zero', 'c249000100000000000000', 'ERR_CBOR_NON_PREFERRED'],
  ['tag 24 around an integer', 'd81801', 'ERR_CBOR_INVALID_TAG_CONTENT'],
  ['tag 0 around an integer', 'c001', 'ERR_CBOR_INVALID_TAG_CONTENT'],
  [
    'tag 0 with fractional seconds',
    'c076323032302d31302d30315431333a33303a30322e355a',
    'ERR_CBOR_INVALID_TAG_CONTENT',
  ],
  [
    'tag 0 with an offset',
    'c07819313938352d30342d31325432333a32303a35302b30313a3030',
    'ERR_CBOR_INVALID_TAG_CONTENT',
  ],
  ['tag 0 on 30 February', 'c074323032312d30322d33305431303a30303a30305a', 'ERR_CBOR_INVALID_TAG_CONTENT'],
  ['tag 0 at hour 24', 'c074323032312d30322d30315432343a30303a30305a', 'ERR_CBOR_INVALID_TAG_CONTENT'],
  ['tag 1004 around bytes', 'd903ec40', 'ERR_CBOR_INVALID_TAG_CONTENT'],
  ['tag 1004 month 13', 'd903ec6a323032302d31332d3031', 'ERR_CBOR_INVALID_TAG_CONTENT'],
  ['tag 1004 on 29 February 2023', 'd903ec6a323032332d30322d3239', 'ERR_CBOR_INVALID_TAG_CONTENT'],
  ['tag 1004 with slashes (2020/01/01)', 'd903ec6a323032302f30312f3031', 'ERR_CBOR_INVALID_TAG_CONTENT'],
  ['tag 1004 with a sign (+020-01-01)', 'd903ec6a2b3032302d30312d3031', 'ERR_CBOR_INVALID_TAG_CONTENT'],
  ['tag 1004 with a letter (2020-01-0a)', 'd903ec6a323032302d30312d3061', 'ERR_CBOR_INVALID_TAG_CONTENT'],
  [
    'tag 1004 with a short month (2020-1-011)',
    'd903ec6a323032302d312d303131',
    'ERR_CBOR_INVALID_TAG_CONTENT',
  ],
  ['tag 1004 with a space (020-01-01)', 'd903ec6a203032302d30312d3031', 'ERR_CBOR_INVALID_TAG_CONTENT'],
  ['tag 1004 with time', 'd903ec74323032302d31302d30315431333a33303a30325a', 'ERR_CBOR_INVALID_TAG_CONTENT'],
  ['bignum around text', 'c26161', 'ERR_CBOR_INVALID_TAG_CONTENT'],
  ['invalid UTF-8 continuation', '62c328', 'ERR_CBOR_INVALID_UTF8'],
  ['UTF-8 0xff byte', '61ff', 'ERR_CBOR_INVALID_UTF8'],
  ['UTF-8 encoded surrogate', '63eda080', 'ERR_CBOR_INVALID_UTF8'],
  ['long invalid UTF-8', `7840${'61'.repeat(63)}ff`, 'ERR_CBOR_INVALID_UTF8'],
];

describe('decodeCbor errors', () => {
  it.each(DECODE_ERRORS)('%s → %s', (_name, hex, code) => {
    expect(decodeCode(hex)).toBe(code);
  });

  it('reports the offset of the offending item', () => {
    try {
      decodeCbor(fromHex('8301021817'));
      expect.unreachable();
    } catch (e) {
      expect(isMdlError(e, 'ERR_CBOR_NON_PREFERRED')).toBe(true);
      expect((e as { details: { offset: number } }).details.offset).toBe(3);
    }
  });

  it('lenient options accept what strict mode rejects', () => {
    expect(decodeCbor(fromHex('1817'), { allowNonPreferred: true })).toBe(23);
    expect(decodeCbor(fromHex('9f01ff'), { allowIndefinite: true })).toEqual([1]);
    const t = decodeCbor(fromHex('c076323032302d31302d30315431333a33303a30322e355a'), { lenientDates: true });
    expect(t).toBeInstanceOf(TDate);
    expect((t as TDate).toDate().toISOString()).toBe('2020-10-01T13:30:02.500Z');
    const o = decodeCbor(fromHex('c07819313938352d30342d31325432333a32303a35302b30313a3030'), {
      lenientDates: true,
    });
    expect((o as TDate).toDate().toISOString()).toBe('1985-04-12T22:20:50.000Z');
  });

  it('indefinite strings still need chunks of the same type', () => {
    expect(decodeCode('5f6161ff', { allowIndefinite: true })).toBe('ERR_CBOR_MALFORMED');
    expect(decodeCode('7f5f', { allowIndefinite: true })).toBe('ERR_CBOR_MALFORMED');
    expect(decodeCode('9f01', { allowIndefinite: true })).toBe('ERR_CBOR_TRUNCATED');
  });

  it('rejects a non-Uint8Array input and nonsensical limits with ERR_INVALID_ARGUMENT', () => {
    expect(codeOf(() => decodeCbor('a0' as unknown as Uint8Array))).toBe('ERR_INVALID_ARGUMENT');
    for (const bad of [Number.NaN, -1, 1.5]) {
      expect(codeOf(() => decodeCbor(fromHex('80'), { maxDepth: bad }))).toBe('ERR_INVALID_ARGUMENT');
      expect(codeOf(() => decodeCbor(fromHex('80'), { maxItems: bad }))).toBe('ERR_INVALID_ARGUMENT');
    }
  });

  it('embedded tag-24 bytes are validated when first read, with the same profile', () => {
    const enc = decodeCbor(fromHex('d818421817')) as EncodedCbor;
    expect(codeOf(() => enc.value)).toBe('ERR_CBOR_NON_PREFERRED');
    const lenient = decodeCbor(fromHex('d818421817'), { allowNonPreferred: true }) as EncodedCbor;
    expect(lenient.value).toBe(23);
  });
});

describe('decode limits: hit exactly passes, one over fails', () => {
  it('maxInputSize', () => {
    const bytes = fromHex('83010203');
    expect(decodeCbor(bytes, { maxInputSize: 4 })).toEqual([1, 2, 3]);
    expect(codeOf(() => decodeCbor(bytes, { maxInputSize: 3 }))).toBe('ERR_CBOR_INPUT_TOO_LARGE');
  });

  it('maxDepth counts arrays, maps and tags', () => {
    // [[{1: 1(1)}]] has depth 4
    const hex = '8181a101c101';
    expect(decodeCode(hex, { maxDepth: 4 })).toBe('no error');
    expect(decodeCode(hex, { maxDepth: 3 })).toBe('ERR_CBOR_DEPTH_EXCEEDED');
    expect(decodeCode('01', { maxDepth: 0 })).toBe('no error');
    expect(decodeCode('80', { maxDepth: 0 })).toBe('ERR_CBOR_DEPTH_EXCEEDED');
  });

  it('maxDepth default stops deep nesting without a stack overflow', () => {
    const deep = new Uint8Array(100_000).fill(0x81);
    expect(codeOf(() => decodeCbor(deep))).toBe('ERR_CBOR_DEPTH_EXCEEDED');
    const limit = DEFAULT_CBOR_LIMITS.maxDepth;
    const ok = new Uint8Array(limit + 1).fill(0x81);
    ok[limit] = 0x01;
    expect(decodeCode(Buffer.from(ok).toString('hex'))).toBe('no error');
    const over = new Uint8Array(limit + 2).fill(0x81);
    over[limit + 1] = 0x01;
    expect(decodeCode(Buffer.from(over).toString('hex'))).toBe('ERR_CBOR_DEPTH_EXCEEDED');
  });

  it('a huge maxDepth is still bounded by the call stack', () => {
    const deep = new Uint8Array(2_000_000).fill(0x81);
    expect(codeOf(() => decodeCbor(deep, { maxDepth: 10_000_000 }))).toBe('ERR_CBOR_DEPTH_EXCEEDED');
  });

  it('maxItems counts every item, map keys and tags included', () => {
    expect(decodeCode('83010203', { maxItems: 4 })).toBe('no error');
    expect(decodeCode('83010203', { maxItems: 3 })).toBe('ERR_CBOR_ITEM_COUNT_EXCEEDED');
    // {1: 0(…)} → map, key, tag, text = 4 items
    const tagged = 'a101c074323031332d30332d32315432303a30343a30305a';
    expect(decodeCode(tagged, { maxItems: 4 })).toBe('no error');
    expect(decodeCode(tagged, { maxItems: 3 })).toBe('ERR_CBOR_ITEM_COUNT_EXCEEDED');
  });

  it('maxStringLength applies to byte strings, text and indefinite totals', () => {
    expect(decodeCode('4401020304', { maxStringLength: 4 })).toBe('no error');
    expect(decodeCode('4401020304', { maxStringLength: 3 })).toBe('ERR_CBOR_STRING_TOO_LONG');
    expect(decodeCode('6449455446', { maxStringLength: 4 })).toBe('no error');
    expect(decodeCode('6449455446', { maxStringLength: 3 })).toBe('ERR_CBOR_STRING_TOO_LONG');
    const chunks = '5f42010243030405ff';
    expect(decodeCode(chunks, { maxStringLength: 5, allowIndefinite: true })).toBe('no error');
    expect(decodeCode(chunks, { maxStringLength: 4, allowIndefinite: true })).toBe(
      'ERR_CBOR_STRING_TOO_LONG',
    );
  });
});

describe('encodeCbor errors', () => {
  const cyclic: unknown[] = [];
  cyclic.push(cyclic);
  const cases: ReadonlyArray<readonly [string, unknown]> = [
    ['undefined', undefined],
    ['undefined inside an object', { a: undefined }],
    ['undefined inside an array', [1, undefined]],
    ['a function', () => 1],
    ['a symbol', Symbol('x')],
    ['a Date (use TDate or FullDate)', new Date(0)],
    ['an ArrayBuffer', new ArrayBuffer(2)],
    ['a Uint16Array', new Uint16Array(2)],
    ['a class instance', new (class Thing {})()],
    ['an unpaired high surrogate', 'a\ud800'],
    ['an unpaired low surrogate', '\udc00b'],
    [
      'keys that encode identically',
      new Map<unknown, unknown>([
        [1, 'a'],
        [1n, 'b'],
      ]),
    ],
    [
      'equal byte-string keys',
      new Map([
        [new Uint8Array([1]), 1],
        [new Uint8Array([1]), 2],
      ]),
    ],
    ['a cycle', cyclic],
    ['a negative tag number', new CborTagged(-1, 0)],
    ['a tag number above 2^64 - 1', new CborTagged(2n ** 64n, 0)],
    ['a fractional tag number', new CborTagged(1.5, 0)],
  ];
  it.each(cases)('%s → ERR_CBOR_UNENCODABLE', (_name, value) => {
    expect(codeOf(() => encodeCbor(value))).toBe('ERR_CBOR_UNENCODABLE');
  });

  it('equal keys are rejected in insertion order too', () => {
    const m = new Map<unknown, unknown>([
      [2, 'a'],
      [2n, 'b'],
    ]);
    expect(codeOf(() => encodeCbor(m, { keyOrder: 'insertion' }))).toBe('ERR_CBOR_UNENCODABLE');
  });

  it('EncodedCbor.fromBytes rejects non-bytes', () => {
    expect(codeOf(() => EncodedCbor.fromBytes('00' as unknown as Uint8Array))).toBe('ERR_INVALID_ARGUMENT');
  });
});
