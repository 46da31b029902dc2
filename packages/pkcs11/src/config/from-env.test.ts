import { describe, expect, it } from 'vitest';
import { pkcs11ConfigFromEnv } from './from-env.js';

describe('pkcs11ConfigFromEnv', () => {
  it('reads module, slot, token, key and the PIN from the named variable', () => {
    const env = {
      MDLKIT_PKCS11_MODULE: '/opt/hsm/lib.so',
      MDLKIT_PKCS11_SLOT: '0x5ca5b148',
      MDLKIT_PKCS11_TOKEN: 'mdl-ds',
      MDLKIT_PKCS11_KEY: 'ds-1',
      HSM_PIN: '1234',
    };
    expect(pkcs11ConfigFromEnv(env, 'HSM_PIN')).toEqual({
      module: '/opt/hsm/lib.so',
      slot: 0x5ca5b148n,
      tokenLabel: 'mdl-ds',
      keyLabel: 'ds-1',
      pin: '1234',
    });
    expect(pkcs11ConfigFromEnv({ MDLKIT_PKCS11_PIN: '' }).pin).toBeUndefined();
  });

  it('a slot that is not an integer → ERR_PKCS11_CONFIG_INVALID', () => {
    expect(() => pkcs11ConfigFromEnv({ MDLKIT_PKCS11_SLOT: 'first' })).toThrow(
      expect.objectContaining({ code: 'ERR_PKCS11_CONFIG_INVALID' }),
    );
  });
});
