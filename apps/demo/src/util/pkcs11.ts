import {
  createPkcs11Signer,
  openPkcs11Token,
  type Pkcs11Signer,
  type Pkcs11Token,
  pkcs11ConfigFromEnv,
} from '@mdlkit/pkcs11';
import { InputError, UsageError } from '../cli-error.js';
import type { CliIo, CommandValues, OptionSpec } from '../command.js';
import { stringOption } from '../command.js';

/** The `--pkcs11-*` options, shared by every command that signs with a token key. */
export const PKCS11_OPTIONS: OptionSpec = {
  'pkcs11-module': { type: 'string' },
  'pkcs11-slot': { type: 'string' },
  'pkcs11-token': { type: 'string' },
  'pkcs11-key': { type: 'string' },
  'pkcs11-pin-env': { type: 'string' },
  'pkcs11-max-sessions': { type: 'string' },
};

/** Help text for {@link PKCS11_OPTIONS}. */
export const PKCS11_HELP = `  --pkcs11-module LIB    sign with a key in an HSM: the vendor's PKCS#11 library (.so); also
                         MDLKIT_PKCS11_MODULE
  --pkcs11-slot N        the token's slot id ... (MDLKIT_PKCS11_SLOT)
  --pkcs11-token LABEL   ... or its label (MDLKIT_PKCS11_TOKEN)
  --pkcs11-key LABEL     the key's CKA_LABEL, or id:<hex> for its CKA_ID (MDLKIT_PKCS11_KEY)
  --pkcs11-pin-env VAR   the environment variable holding the user PIN (default MDLKIT_PKCS11_PIN);
                         the PIN is never taken on the command line
  --pkcs11-max-sessions N  sessions open at once on the token (default 4)`;

/** Where a token key is, as the options and the environment say. */
export interface Pkcs11Selection {
  readonly module: string;
  readonly slot: bigint | undefined;
  readonly tokenLabel: string | undefined;
  readonly key: { readonly label?: string; readonly id?: string };
  readonly pin: string;
  readonly pinVariable: string;
  readonly maxSessions: number | undefined;
}

/**
 * Reads the `--pkcs11-*` options (falling back to the `MDLKIT_PKCS11_*` variables); `undefined`
 * when neither names a module, so the caller uses its local-key path.
 *
 * @throws {@link UsageError} for an incomplete selection (no key, no token, no PIN in the variable).
 */
export function pkcs11Selection(values: CommandValues, io: CliIo): Pkcs11Selection | undefined {
  const pinVariable = stringOption(values, 'pkcs11-pin-env') ?? 'MDLKIT_PKCS11_PIN';
  let env: ReturnType<typeof pkcs11ConfigFromEnv>;
  try {
    env = pkcs11ConfigFromEnv(io.env, pinVariable);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const module = stringOption(values, 'pkcs11-module') ?? env.module;
  const keyText = stringOption(values, 'pkcs11-key') ?? env.keyLabel;
  if (module === undefined) {
    if (stringOption(values, 'pkcs11-key') !== undefined)
      throw new UsageError('--pkcs11-key needs --pkcs11-module');
    return undefined;
  }
  const slotText = stringOption(values, 'pkcs11-slot');
  let slot = env.slot;
  if (slotText !== undefined) {
    if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(slotText)) {
      throw new InputError('must be a non-negative integer', {
        option: '--pkcs11-slot',
        looksLike: slotText,
      });
    }
    slot = BigInt(slotText);
  }
  const tokenLabel =
    stringOption(values, 'pkcs11-token') ?? (slotText === undefined ? env.tokenLabel : undefined);
  if ((slot === undefined) === (tokenLabel === undefined)) {
    throw new UsageError('give exactly one of --pkcs11-slot and --pkcs11-token');
  }
  if (keyText === undefined) throw new UsageError('--pkcs11-module needs --pkcs11-key (the key label)');
  const key = keyText.startsWith('id:') ? { id: keyText.slice(3) } : { label: keyText };
  if (key.id !== undefined && !/^([0-9a-fA-F]{2})+$/.test(key.id)) {
    throw new InputError('id:<hex> needs an even number of hex digits', { option: '--pkcs11-key' });
  }
  const pin = io.env[pinVariable];
  if (pin === undefined || pin.length === 0) {
    throw new UsageError(
      `the token's user PIN goes in the environment variable ${pinVariable} (it is empty or unset)`,
    );
  }
  const sessionsText = stringOption(values, 'pkcs11-max-sessions');
  const maxSessions = sessionsText === undefined ? undefined : Number(sessionsText);
  if (maxSessions !== undefined && (!Number.isSafeInteger(maxSessions) || maxSessions < 1)) {
    throw new InputError('must be an integer ≥ 1', { option: '--pkcs11-max-sessions' });
  }
  return { module, slot, tokenLabel, key, pin, pinVariable, maxSessions };
}

/** An open token and a signer for the selected key; `close()` logs out and unloads the library. */
export interface OpenedPkcs11Signer {
  readonly token: Pkcs11Token;
  readonly signer: Pkcs11Signer;
  close(): Promise<void>;
}

/**
 * Opens the selected token and creates the signer. With `certificate`, the signer is refused
 * (`ERR_PKCS11_KEY_CERTIFICATE_MISMATCH`) unless the token key is that certificate's key.
 */
export async function openPkcs11SignerFor(
  selection: Pkcs11Selection,
  certificate?: Uint8Array,
): Promise<OpenedPkcs11Signer> {
  const token = await openPkcs11Token({
    module: selection.module,
    ...(selection.slot === undefined ? {} : { slot: selection.slot }),
    ...(selection.tokenLabel === undefined ? {} : { tokenLabel: selection.tokenLabel }),
    pin: selection.pin,
    ...(selection.maxSessions === undefined ? {} : { maxSessions: selection.maxSessions }),
  });
  try {
    const signer = await createPkcs11Signer({
      token,
      key: selection.key,
      ...(certificate === undefined ? {} : { certificate }),
    });
    return { token, signer, close: () => token.close() };
  } catch (e) {
    await token.close();
    throw e;
  }
}
