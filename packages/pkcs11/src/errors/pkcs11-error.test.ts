import { isMdlError, MdlError } from '@mdlkit/core/errors';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { isPkcs11Error, isReconnectable, mapPkcs11Error, Pkcs11Error } from './pkcs11-error.js';

// errors as the pkcs11js binding raises them: name Pkcs11Error, message "CKR_NAME:code"
const ckr = (name: string, code: number): Error =>
  Object.assign(new Error(`${name}:${code}`), { name: 'Pkcs11Error' });
const context = { operation: 'Sign', details: { token: 'DS', key: 'ds-1' } };

describe('Pkcs11Error details', () => {
  it('are typed through the core registry (token, key, ckr), for isMdlError as for isPkcs11Error', () => {
    const err: unknown = new Pkcs11Error('ERR_PKCS11_FAILED', 'failed', {
      details: { token: 'DS', ckr: 'CKR_GENERAL_ERROR' },
    });
    if (!isMdlError(err, 'ERR_PKCS11_FAILED')) throw new Error('expected an MdlError');
    expectTypeOf(err.details.ckr).toEqualTypeOf<string | undefined>();
    expect(err.details.ckr).toBe('CKR_GENERAL_ERROR');
    // @ts-expect-error ckr is the return value's name, a string
    expect(new Pkcs11Error('ERR_PKCS11_FAILED', 'x', { details: { ckr: 5 } }).code).toBe('ERR_PKCS11_FAILED');
  });
});

describe('mapPkcs11Error', () => {
  it.each([
    ['CKR_PIN_INCORRECT', 0xa0, 'ERR_PKCS11_PIN_INCORRECT'],
    ['CKR_PIN_LEN_RANGE', 0xa2, 'ERR_PKCS11_PIN_INCORRECT'],
    ['CKR_PIN_LOCKED', 0xa4, 'ERR_PKCS11_PIN_LOCKED'],
    ['CKR_MECHANISM_INVALID', 0x70, 'ERR_PKCS11_MECHANISM_NOT_SUPPORTED'],
    ['CKR_KEY_TYPE_INCONSISTENT', 0x63, 'ERR_PKCS11_MECHANISM_NOT_SUPPORTED'],
    ['CKR_KEY_FUNCTION_NOT_PERMITTED', 0x68, 'ERR_PKCS11_KEY_USAGE'],
    ['CKR_DEVICE_REMOVED', 0x32, 'ERR_PKCS11_TOKEN_REMOVED'],
    ['CKR_TOKEN_NOT_PRESENT', 0xe0, 'ERR_PKCS11_TOKEN_REMOVED'],
    ['CKR_CRYPTOKI_ALREADY_INITIALIZED', 0x191, 'ERR_PKCS11_MODULE_IN_USE'],
    ['CKR_DEVICE_MEMORY', 0x31, 'ERR_PKCS11_FAILED'],
  ])('%s → %s', (name, code, expected) => {
    const mapped = mapPkcs11Error(ckr(name, code), context);
    expect(mapped).toBeInstanceOf(Pkcs11Error);
    expect(mapped).toBeInstanceOf(MdlError);
    expect(mapped.code).toBe(expected);
    expect(mapped.details).toMatchObject({ ckr: name, operation: 'Sign', token: 'DS', key: 'ds-1' });
    expect(isPkcs11Error(mapped, expected as never)).toBe(true);
  });

  it('keeps a Pkcs11Error as it is and wraps anything else as ERR_PKCS11_FAILED with its cause', () => {
    const own = new Pkcs11Error('ERR_PKCS11_KEY_NOT_FOUND', 'no key');
    expect(mapPkcs11Error(own, context)).toBe(own);
    const odd = new TypeError('Argument 1 has wrong type');
    const mapped = mapPkcs11Error(odd, context);
    expect(mapped.code).toBe('ERR_PKCS11_FAILED');
    expect(mapped.cause).toBe(odd);
  });

  it('session, handle and device errors are reconnectable; PIN and mechanism errors are not', () => {
    expect(isReconnectable(ckr('CKR_SESSION_HANDLE_INVALID', 0xb3))).toBe(true);
    expect(isReconnectable(ckr('CKR_OBJECT_HANDLE_INVALID', 0x82))).toBe(true);
    expect(isReconnectable(ckr('CKR_DEVICE_ERROR', 0x30))).toBe(true);
    expect(isReconnectable(ckr('CKR_PIN_INCORRECT', 0xa0))).toBe(false);
    expect(isReconnectable(ckr('CKR_MECHANISM_INVALID', 0x70))).toBe(false);
    expect(isReconnectable(new Error('ENOENT'))).toBe(false);
  });
});
