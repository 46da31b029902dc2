import { Pkcs11Error } from '../errors/pkcs11-error.js';

/** An environment as a plain record (`process.env` in Node), passed in — library code reads no globals. */
export type Pkcs11EnvRecord = Readonly<Record<string, string | undefined>>;

/** What {@link pkcs11ConfigFromEnv} reads. */
export interface Pkcs11EnvConfig {
  /** `MDLKIT_PKCS11_MODULE`: the library path. */
  readonly module: string | undefined;
  /** `MDLKIT_PKCS11_SLOT`: the slot id. */
  readonly slot: bigint | undefined;
  /** `MDLKIT_PKCS11_TOKEN`: the token label. */
  readonly tokenLabel: string | undefined;
  /** `MDLKIT_PKCS11_KEY`: the key label. */
  readonly keyLabel: string | undefined;
  /** The PIN from the variable named by `pinVariable` (default `MDLKIT_PKCS11_PIN`). */
  readonly pin: string | undefined;
}

/**
 * Reads the PKCS#11 settings from an environment record. The PIN comes from `MDLKIT_PKCS11_PIN`
 * (or the variable `pinVariable` names), so it need not appear on a command line or in a file.
 *
 * @throws {@link Pkcs11Error} `ERR_PKCS11_CONFIG_INVALID` for a slot that is not a non-negative integer.
 * @example
 * ```ts
 * const config = pkcs11ConfigFromEnv(process.env);
 * const token = await openPkcs11Token({ module: config.module!, tokenLabel: config.tokenLabel!, pin: config.pin! });
 * ```
 */
export function pkcs11ConfigFromEnv(
  env: Pkcs11EnvRecord,
  pinVariable = 'MDLKIT_PKCS11_PIN',
): Pkcs11EnvConfig {
  const get = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.length === 0 ? undefined : value;
  };
  const slotText = get('MDLKIT_PKCS11_SLOT');
  let slot: bigint | undefined;
  if (slotText !== undefined) {
    if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(slotText)) {
      throw new Pkcs11Error(
        'ERR_PKCS11_CONFIG_INVALID',
        'MDLKIT_PKCS11_SLOT must be a non-negative integer.',
      );
    }
    slot = BigInt(slotText);
  }
  return {
    module: get('MDLKIT_PKCS11_MODULE'),
    slot,
    tokenLabel: get('MDLKIT_PKCS11_TOKEN'),
    keyLabel: get('MDLKIT_PKCS11_KEY'),
    pin: get(pinVariable),
  };
}
