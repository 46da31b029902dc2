import { MdlError, type MdlErrorDetails, type MdlErrorOptionsArg } from '@mdlkit/core/errors';
import { ckrName } from '../internal/binding.js';

/**
 * The stable error codes of `@mdlkit/pkcs11`. Codes never change meaning once released; callers and
 * tests branch on them. Messages name the token, slot, key label / id and the PKCS#11 return value,
 * never the PIN.
 */
export const Pkcs11ErrorCode = {
  /** The options are unusable (no PIN, slot and label both given, an empty key label …). */
  ERR_PKCS11_CONFIG_INVALID: 'ERR_PKCS11_CONFIG_INVALID',
  /** The PKCS#11 library could not be loaded or initialised. */
  ERR_PKCS11_MODULE_LOAD_FAILED: 'ERR_PKCS11_MODULE_LOAD_FAILED',
  /** The library is already initialised in this process: share one `Pkcs11Module`. */
  ERR_PKCS11_MODULE_IN_USE: 'ERR_PKCS11_MODULE_IN_USE',
  /** No slot holds a token with the given slot id / label / serial number. */
  ERR_PKCS11_TOKEN_NOT_FOUND: 'ERR_PKCS11_TOKEN_NOT_FOUND',
  /** The token went away (removed, deleted, HSM partition gone) and did not come back on reconnect. */
  ERR_PKCS11_TOKEN_REMOVED: 'ERR_PKCS11_TOKEN_REMOVED',
  /** `C_Login` said the PIN is wrong (`CKR_PIN_INCORRECT` / `CKR_PIN_INVALID` / `CKR_PIN_LEN_RANGE`). Never retried. */
  ERR_PKCS11_PIN_INCORRECT: 'ERR_PKCS11_PIN_INCORRECT',
  /** The user PIN is locked or expired (`CKR_PIN_LOCKED` / `CKR_PIN_EXPIRED`): the security officer must reset it. */
  ERR_PKCS11_PIN_LOCKED: 'ERR_PKCS11_PIN_LOCKED',
  /** No private key with the given label / id on the token (or it lost its public half). */
  ERR_PKCS11_KEY_NOT_FOUND: 'ERR_PKCS11_KEY_NOT_FOUND',
  /** More than one private key matches the label / id: name the key by id. */
  ERR_PKCS11_KEY_AMBIGUOUS: 'ERR_PKCS11_KEY_AMBIGUOUS',
  /** Key generation refused: a key with that label or id already exists on the token. */
  ERR_PKCS11_KEY_EXISTS: 'ERR_PKCS11_KEY_EXISTS',
  /** The key cannot sign for COSE (not a signing key, not an EC / Edwards key, an unsupported curve). */
  ERR_PKCS11_KEY_USAGE: 'ERR_PKCS11_KEY_USAGE',
  /** The token key is not the key of the given certificate (or its public key does not verify its signatures). */
  ERR_PKCS11_KEY_CERTIFICATE_MISMATCH: 'ERR_PKCS11_KEY_CERTIFICATE_MISMATCH',
  /** The token does not offer the mechanism (`CKM_ECDSA`, `CKM_EDDSA`, a key-pair generator) for signing. */
  ERR_PKCS11_MECHANISM_NOT_SUPPORTED: 'ERR_PKCS11_MECHANISM_NOT_SUPPORTED',
  /** The session broke and a reconnect (new session, login, key lookup) did not restore it. */
  ERR_PKCS11_SESSION_LOST: 'ERR_PKCS11_SESSION_LOST',
  /** The token (or its module) was closed by the caller. */
  ERR_PKCS11_CLOSED: 'ERR_PKCS11_CLOSED',
  /** Any other PKCS#11 failure; `details.ckr` names the return value. */
  ERR_PKCS11_FAILED: 'ERR_PKCS11_FAILED',
} as const;
/** One of {@link Pkcs11ErrorCode}. */
export type Pkcs11ErrorCode = (typeof Pkcs11ErrorCode)[keyof typeof Pkcs11ErrorCode];

/**
 * What a {@link Pkcs11Error} says about the failure: the token (label or slot), the key (label or id),
 * the operation and the PKCS#11 return value (`ckr`, e.g. `CKR_DEVICE_ERROR`). Never the PIN.
 */
export type Pkcs11ErrorDetails = MdlErrorDetails & {
  readonly token?: string | undefined;
  readonly key?: string | undefined;
  readonly operation?: string | undefined;
  readonly ckr?: string | undefined;
  readonly module?: string | undefined;
};

declare module '@mdlkit/core/errors' {
  interface ErrorDetailsByCode extends Record<Pkcs11ErrorCode, Pkcs11ErrorDetails> {}
}

/** The error `@mdlkit/pkcs11` throws: an {@link MdlError} whose `code` is a {@link Pkcs11ErrorCode}. */
export class Pkcs11Error<C extends Pkcs11ErrorCode = Pkcs11ErrorCode> extends MdlError<C> {
  constructor(code: C, message: string, ...options: MdlErrorOptionsArg<C>) {
    super(code, message, ...options);
    this.name = 'Pkcs11Error';
  }
}

/**
 * True when `error` is a {@link Pkcs11Error} (optionally with the given code).
 *
 * @example
 * ```ts
 * try { await openPkcs11Token(options); } catch (e) { if (isPkcs11Error(e, 'ERR_PKCS11_PIN_INCORRECT')) … }
 * ```
 */
export function isPkcs11Error<C extends Pkcs11ErrorCode>(error: unknown, code?: C): error is Pkcs11Error<C> {
  return error instanceof Pkcs11Error && (code === undefined || error.code === code);
}

/** Return values after which the session (or the whole login) is gone and a reconnect can help. */
const RECONNECTABLE: ReadonlySet<string> = new Set([
  'CKR_SESSION_HANDLE_INVALID',
  'CKR_SESSION_CLOSED',
  'CKR_USER_NOT_LOGGED_IN',
  'CKR_DEVICE_ERROR',
  'CKR_DEVICE_REMOVED',
  'CKR_TOKEN_NOT_PRESENT',
  'CKR_TOKEN_NOT_RECOGNIZED',
  'CKR_OBJECT_HANDLE_INVALID',
  'CKR_KEY_HANDLE_INVALID',
  'CKR_CRYPTOKI_NOT_INITIALIZED',
  'CKR_GENERAL_ERROR',
]);

/** @internal True when a reconnect may cure the failure. */
export function isReconnectable(error: unknown): boolean {
  const name = ckrName(error);
  return name !== undefined && RECONNECTABLE.has(name);
}

/** What the mapper is told about the failed call. */
export interface Pkcs11FailureContext {
  /** The operation (`Login`, `Sign`, `FindKey` …). */
  readonly operation: string;
  /** Token label (or slot id) and key label / id, for the message. */
  readonly details: MdlErrorDetails;
}

/**
 * Maps a binding error (`Pkcs11Error: CKR_…`) or anything else to a {@link Pkcs11Error}; the
 * original error is kept as `cause`. An error that already is one passes through.
 *
 * @example
 * ```ts
 * mapPkcs11Error(e, { operation: 'Login', details: { token: 'DS' } }).code; // 'ERR_PKCS11_PIN_INCORRECT'
 * ```
 */
export function mapPkcs11Error(error: unknown, context: Pkcs11FailureContext): Pkcs11Error {
  if (error instanceof Pkcs11Error) return error;
  const ckr = ckrName(error);
  const details = { ...context.details, operation: context.operation, ckr };
  const where = describe(context);
  switch (ckr) {
    case 'CKR_PIN_INCORRECT':
    case 'CKR_PIN_INVALID':
    case 'CKR_PIN_LEN_RANGE':
      return new Pkcs11Error(
        'ERR_PKCS11_PIN_INCORRECT',
        `${where}: the token refused the user PIN (${ckr}). Not retried — repeated wrong PINs lock the token.`,
        { details, cause: error },
      );
    case 'CKR_PIN_LOCKED':
    case 'CKR_PIN_EXPIRED':
      return new Pkcs11Error(
        'ERR_PKCS11_PIN_LOCKED',
        `${where}: the user PIN is ${ckr === 'CKR_PIN_LOCKED' ? 'locked' : 'expired'}; the token's security officer must reset it.`,
        { details, cause: error },
      );
    case 'CKR_MECHANISM_INVALID':
    case 'CKR_MECHANISM_PARAM_INVALID':
    case 'CKR_KEY_TYPE_INCONSISTENT':
      return new Pkcs11Error(
        'ERR_PKCS11_MECHANISM_NOT_SUPPORTED',
        `${where}: the token does not support this mechanism with this key (${ckr}).`,
        { details, cause: error },
      );
    case 'CKR_KEY_FUNCTION_NOT_PERMITTED':
      return new Pkcs11Error('ERR_PKCS11_KEY_USAGE', `${where}: the key may not sign (CKA_SIGN is false).`, {
        details,
        cause: error,
      });
    case 'CKR_DEVICE_REMOVED':
    case 'CKR_TOKEN_NOT_PRESENT':
    case 'CKR_TOKEN_NOT_RECOGNIZED':
      return new Pkcs11Error('ERR_PKCS11_TOKEN_REMOVED', `${where}: the token is not present (${ckr}).`, {
        details,
        cause: error,
      });
    case 'CKR_CRYPTOKI_ALREADY_INITIALIZED':
      return new Pkcs11Error(
        'ERR_PKCS11_MODULE_IN_USE',
        `${where}: the PKCS#11 library is already initialised in this process; open every token through one Pkcs11Module.`,
        { details, cause: error },
      );
    default:
      return new Pkcs11Error(
        'ERR_PKCS11_FAILED',
        `${where} failed${ckr === undefined ? '' : ` with ${ckr}`}: ${ckr === undefined && error instanceof Error ? error.message : 'see details.ckr'}.`,
        { details, cause: error },
      );
  }
}

function describe(context: Pkcs11FailureContext): string {
  const token = context.details['token'];
  const key = context.details['key'];
  return `PKCS#11 ${context.operation}${token === undefined ? '' : ` on token ${String(token)}`}${key === undefined ? '' : ` (key ${String(key)})`}`;
}
