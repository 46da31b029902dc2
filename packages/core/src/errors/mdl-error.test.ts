import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type CborErrorDetails,
  ErrorCode,
  type ErrorDetails,
  isMdlError,
  type LimitErrorDetails,
  MdlError,
  type MdlErrorCode,
} from './index.js';

describe('MdlError', () => {
  it('carries a stable code, details and cause', () => {
    const cause = new Error('sdk');
    const err = new MdlError(ErrorCode.ERR_MSO_DIGEST_MISMATCH, 'digest mismatch', {
      details: { nameSpace: 'org.iso.18013.5.1', digestId: 7 },
      cause,
    });
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('ERR_MSO_DIGEST_MISMATCH');
    expect(err.details).toEqual({ nameSpace: 'org.iso.18013.5.1', digestId: 7 });
    expect(err.cause).toBe(cause);
    expect(isMdlError(err, 'ERR_MSO_DIGEST_MISMATCH')).toBe(true);
    expect(isMdlError(err, 'ERR_CBOR_TRUNCATED')).toBe(false);
    expect(isMdlError(new TypeError('x'))).toBe(false);
  });

  it('codes are their own names', () => {
    for (const [k, v] of Object.entries(ErrorCode)) expect(v).toBe(k);
  });

  it("adapter codes are not core's: ERR_AWS_* live in @mdlkit/aws-common, ERR_PKCS11_* in @mdlkit/pkcs11", () => {
    const names = Object.keys(ErrorCode);
    expect(names.filter((c) => c.startsWith('ERR_AWS_'))).toEqual([]);
    expect(names.filter((c) => c.startsWith('ERR_PKCS11_'))).toEqual([]);
  });

  it('without details, details is an empty object', () => {
    const err = new MdlError('ERR_CBOR_TRUNCATED', 'short');
    expect(err.details).toEqual({});
    expect(err.details.offset).toBeUndefined();
  });
});

describe('details typed per code', () => {
  it("a code's details have the shape the code declares", () => {
    const err = new MdlError('ERR_CBOR_TRUNCATED', 'short', { details: { offset: 3 } });
    expectTypeOf(err.details.offset).toEqualTypeOf<number | undefined>();
    expectTypeOf(err.details).toMatchTypeOf<CborErrorDetails>();
    expect(err.details.offset).toBe(3);

    const limit = new MdlError('ERR_LIMIT_INPUT_SIZE', 'too big', { details: { limit: 10, actual: 11 } });
    expectTypeOf(limit.details.limit).toEqualTypeOf<number>();
    expectTypeOf(limit.details).toMatchTypeOf<LimitErrorDetails>();
    expect(limit.details.limit).toBe(10);
  });

  it('isMdlError narrows details to the code', () => {
    const thrown: unknown = new MdlError('ERR_LIMIT_DOCUMENTS', 'too many', {
      details: { limit: 2, actual: 3 },
    });
    if (!isMdlError(thrown, 'ERR_LIMIT_DOCUMENTS')) throw new Error('expected an MdlError');
    expectTypeOf(thrown.details.limit).toEqualTypeOf<number>();
    expectTypeOf(thrown.details).toEqualTypeOf<ErrorDetails<'ERR_LIMIT_DOCUMENTS'>>();
    expect(thrown.details.limit).toBe(2);
  });

  it('a code without a shape of its own takes plain values; any code reads other fields as plain values', () => {
    const err = new MdlError('ERR_INVALID_ARGUMENT', 'bad', { details: { option: 'maxItems', value: 3 } });
    expectTypeOf(err.details['option']).toEqualTypeOf<string | number | boolean | undefined>();
    const any: MdlError = err;
    expectTypeOf(any.details['offset']).toEqualTypeOf<string | number | boolean | undefined>();
    expect(any.details['option']).toBe('maxItems');
  });

  it('the compiler refuses wrong details, missing required details and unregistered codes', () => {
    const make = (): unknown[] => [
      // @ts-expect-error offset is a number
      new MdlError('ERR_CBOR_TRUNCATED', 'x', { details: { offset: 'three' } }),
      // @ts-expect-error a limit error names its limit
      new MdlError('ERR_LIMIT_INPUT_SIZE', 'x'),
      // @ts-expect-error a field the code does not declare
      new MdlError('ERR_CBOR_MALFORMED', 'x', { details: { elementValue: 'secret' } }),
      // @ts-expect-error not a registered code
      new MdlError('ERR_NOT_A_CODE', 'x'),
    ];
    // The casts above are compile-time only: at run time the constructor keeps what it is given.
    const built = make() as MdlError<MdlErrorCode>[];
    expect(built.map((e) => e.code)).toEqual([
      'ERR_CBOR_TRUNCATED',
      'ERR_LIMIT_INPUT_SIZE',
      'ERR_CBOR_MALFORMED',
      'ERR_NOT_A_CODE',
    ]);
  });
});
