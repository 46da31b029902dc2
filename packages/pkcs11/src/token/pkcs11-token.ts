import type { MdlErrorDetails } from '@mdlkit/core/errors';
import {
  type Pkcs11AuditRecord,
  type Pkcs11AuditSink,
  type Pkcs11Operation,
  redactPkcs11Audit,
} from '../audit/audit-record.js';
import { isReconnectable, mapPkcs11Error, Pkcs11Error } from '../errors/pkcs11-error.js';
import {
  ckrName,
  type Handle,
  handleToBigInt,
  type Pkcs11Binding,
  type TokenInfo,
} from '../internal/binding.js';
import { CK } from '../internal/constants.js';
import { bindingOf, Pkcs11Module, trimField } from '../module/pkcs11-module.js';
import { type Lease, type Pkcs11SessionStats, SessionPool } from './session-pool.js';

/** Options for {@link openPkcs11Token}. */
export interface OpenPkcs11TokenOptions {
  /**
   * The PKCS#11 library: a {@link Pkcs11Module} shared by every token of the library, or its file
   * path — then the token loads the library itself and finalises it on {@link Pkcs11Token.close}.
   */
  readonly module: Pkcs11Module | string;
  /** The slot id (`CK_SLOT_ID`). Give exactly one of `slot`, `tokenLabel`, `tokenSerial`. */
  readonly slot?: number | bigint;
  /** The token label (`CKA_LABEL` of the token, as set at `C_InitToken`). */
  readonly tokenLabel?: string;
  /** The token serial number. */
  readonly tokenSerial?: string;
  /**
   * The user PIN. Read it from configuration or the environment in the application (see
   * {@link pkcs11ConfigFromEnv}); it is kept in the token object for a re-login after a reconnect,
   * never logged, audited or put in an error, and dropped at {@link Pkcs11Token.close}.
   */
  readonly pin: string;
  /** The most sessions open at once (default 4, and never above the token's `ulMaxSessionCount`). */
  readonly maxSessions?: number;
  /** Receives one {@link Pkcs11AuditRecord} per operation attempt. */
  readonly audit?: Pkcs11AuditSink;
  /** Clock for audit timestamps and latency (default `() => new Date()`). */
  readonly now?: () => Date;
  /** With a module path: wraps the binding (tests only; see {@link LoadPkcs11ModuleOptions}). */
  readonly instrument?: (binding: Pkcs11Binding) => Pkcs11Binding;
}

/** @internal What a token operation gets: a session of the current connection. */
export interface TokenCall {
  readonly binding: Pkcs11Binding;
  readonly session: Handle;
  readonly slot: Handle;
  /** The connection generation (changes after a reconnect: object handles must be looked up again). */
  readonly generation: number;
}

/** @internal How a token operation is described in its audit record and errors. */
export interface TokenOperation<T> {
  readonly operation: Pkcs11Operation;
  /** Appended to `token/<label>` in `resourceId` (`key/<label>`). */
  readonly resource?: string;
  readonly request: object;
  readonly details?: MdlErrorDetails;
  readonly response?: (result: T) => unknown;
  /** Reconnect and try once more after a session / token error (default true). */
  readonly reconnect?: boolean;
}

const DEFAULT_MAX_SESSIONS = 4;
const MAX_SESSIONS_LIMIT = 256;

/**
 * An open, logged-in PKCS#11 token: one login per connection, a bounded pool of sessions for
 * concurrent signatures, and one reconnect (fresh sessions, login, key lookup) after a session or
 * token error. Signers and key generation take it as their `token`. Create with
 * {@link openPkcs11Token}; {@link close} when done.
 */
export class Pkcs11Token {
  /** The token label. */
  readonly label: string;
  /** The token serial number (the token's identity across reconnects). */
  readonly serialNumber: string;
  /** The token model (`SoftHSM v2`, `Luna K7` …). */
  readonly model: string;
  /** The slot id at open. */
  readonly slot: bigint;
  /** The library. */
  readonly module: Pkcs11Module;
  readonly #ownsModule: boolean;
  #pin: string | undefined;
  #slotHandle: Handle;
  readonly #pool: SessionPool;
  readonly #audit: Pkcs11AuditSink | undefined;
  readonly #now: () => Date;
  #logins = 0;
  #reconnects = 0;
  #reconnecting: Promise<void> | undefined;
  #closed = false;
  readonly #unregister: () => void;

  /** @internal use {@link openPkcs11Token}. */
  constructor(init: {
    module: Pkcs11Module;
    ownsModule: boolean;
    pin: string;
    slot: Handle;
    info: TokenInfo;
    maxSessions: number;
    audit: Pkcs11AuditSink | undefined;
    now: () => Date;
  }) {
    this.module = init.module;
    this.#ownsModule = init.ownsModule;
    this.#pin = init.pin;
    this.#slotHandle = init.slot;
    this.slot = handleToBigInt(init.slot);
    this.label = trimField(init.info.label);
    this.serialNumber = trimField(init.info.serialNumber);
    this.model = trimField(init.info.model);
    this.#audit = init.audit;
    this.#now = init.now;
    this.#pool = new SessionPool(
      init.maxSessions,
      () => this.#openSession(),
      (session) => bindingOf(this.module).C_CloseSession(session),
    );
    const release = init.module.claimToken(this.serialNumber);
    const unregister = init.module.onClose(() => this.close());
    this.#unregister = () => {
      release();
      unregister();
    };
  }

  /** True once {@link close} ran. */
  get closed(): boolean {
    return this.#closed;
  }

  /** How busy the sessions are, and how many logins and reconnects there were. */
  stats(): Pkcs11SessionStats {
    return { ...this.#pool.stats(), logins: this.#logins, reconnects: this.#reconnects };
  }

  /** @internal `resourceId` prefix. */
  get resourceId(): string {
    return `token/${this.label}`;
  }

  /** @internal Opens the first session and logs in (at open and at reconnect). */
  connect(): void {
    const session = this.#openSession();
    this.#pool.adopt(session);
  }

  #openSession(): Handle {
    const binding = bindingOf(this.module);
    const session = binding.C_OpenSession(this.#slotHandle, CK.CKF_SERIAL_SESSION | CK.CKF_RW_SESSION);
    try {
      this.#ensureLogin(binding, session);
    } catch (error) {
      try {
        binding.C_CloseSession(session);
      } catch {
        // already gone
      }
      throw error;
    }
    return session;
  }

  /**
   * Logs in unless the application already is (PKCS#11 login state belongs to the application,
   * not the session: one login serves every session of the token until the last one closes).
   */
  #ensureLogin(binding: Pkcs11Binding, session: Handle): void {
    const state = binding.C_GetSessionInfo(session).state;
    // CKS_RO_USER_FUNCTIONS (1) and CKS_RW_USER_FUNCTIONS (3): already logged in
    if (state === 1 || state === 3) return;
    const pin = this.#pin;
    if (pin === undefined) throw new Pkcs11Error('ERR_PKCS11_CLOSED', 'The PKCS#11 token was closed.');
    const started = this.#now();
    try {
      binding.C_Login(session, CK.CKU_USER, pin);
    } catch (error) {
      if (ckrName(error) === 'CKR_USER_ALREADY_LOGGED_IN') return;
      const mapped = mapPkcs11Error(error, { operation: 'Login', details: { token: this.label } });
      this.#record('Login', this.resourceId, started, 1, {}, { error, mapped });
      throw mapped;
    }
    this.#logins++;
    this.#record('Login', this.resourceId, started, 1, {}, { response: null });
  }

  /**
   * @internal Runs one token operation on a pooled session, audited; after a session / token error
   * reconnects once and runs it again.
   */
  async run<T>(op: TokenOperation<T>, fn: (call: TokenCall) => Promise<T> | T): Promise<T> {
    const resourceId = op.resource === undefined ? this.resourceId : `${this.resourceId}/${op.resource}`;
    const request = op.request;
    const details = { token: this.label, ...op.details };
    for (let attempt = 1; ; attempt++) {
      const started = this.#now();
      let lease: Lease | undefined;
      try {
        lease = await this.#pool.acquire();
        const result = await fn({
          binding: bindingOf(this.module),
          session: lease.session,
          slot: this.#slotHandle,
          generation: lease.generation,
        });
        this.#pool.release(lease, false);
        lease = undefined;
        this.#record(op.operation, resourceId, started, attempt, request, {
          response: op.response === undefined ? null : op.response(result),
        });
        return result;
      } catch (error) {
        const reconnectable = isReconnectable(error);
        if (lease !== undefined) this.#pool.release(lease, reconnectable);
        if (reconnectable && attempt === 1 && op.reconnect !== false && !this.#closed) {
          this.#record(op.operation, resourceId, started, attempt, request, { error, retry: true });
          await this.#reconnect(lease?.generation ?? this.#pool.generation);
          continue;
        }
        const mapped = reconnectable
          ? new Pkcs11Error(
              'ERR_PKCS11_SESSION_LOST',
              `PKCS#11 ${op.operation} on token ${this.label} failed again after a reconnect (${ckrName(error)}).`,
              { details: { ...details, operation: op.operation, ckr: ckrName(error) }, cause: error },
            )
          : mapPkcs11Error(error, { operation: op.operation, details });
        this.#record(op.operation, resourceId, started, attempt, request, { error, mapped });
        throw mapped;
      }
    }
  }

  /**
   * Drops every session of the failed connection, finds the token again by its serial number,
   * opens a session and logs in. Concurrent failures share one reconnect.
   */
  #reconnect(failedGeneration: number): Promise<void> {
    if (this.#pool.generation !== failedGeneration) return Promise.resolve();
    if (this.#reconnecting !== undefined) return this.#reconnecting;
    const started = this.#now();
    const attempt = async (): Promise<void> => {
      this.#pool.renew();
      this.#reconnects++;
      const binding = bindingOf(this.module);
      const slot = findSlot(binding, { tokenSerial: this.serialNumber, tokenLabel: this.label });
      if (slot === undefined) {
        throw new Pkcs11Error(
          'ERR_PKCS11_TOKEN_REMOVED',
          `PKCS#11 token ${this.label} (serial ${this.serialNumber}) is no longer present in any slot.`,
          { details: { token: this.label, serialNumber: this.serialNumber } },
        );
      }
      this.#slotHandle = slot.slot;
      this.connect();
    };
    this.#reconnecting = attempt().then(
      () => {
        this.#reconnecting = undefined;
        this.#record('Reconnect', this.resourceId, started, 1, {}, { response: { slot: this.slotNow } });
      },
      (error: unknown) => {
        this.#reconnecting = undefined;
        const mapped =
          error instanceof Pkcs11Error
            ? error
            : isReconnectable(error)
              ? new Pkcs11Error(
                  'ERR_PKCS11_TOKEN_REMOVED',
                  `PKCS#11 token ${this.label} cannot be reached again (${ckrName(error)}).`,
                  { details: { token: this.label, ckr: ckrName(error) }, cause: error },
                )
              : mapPkcs11Error(error, { operation: 'Reconnect', details: { token: this.label } });
        this.#record('Reconnect', this.resourceId, started, 1, {}, { error, mapped });
        throw mapped;
      },
    );
    return this.#reconnecting;
  }

  /** The slot id now (it can change when a token comes back in another slot). */
  get slotNow(): string {
    return handleToBigInt(this.#slotHandle).toString();
  }

  #record(
    operation: Pkcs11Operation,
    resourceId: string,
    started: Date,
    attempt: number,
    request: object,
    result: { response: unknown } | { error: unknown; mapped?: Pkcs11Error; retry?: boolean },
  ): void {
    const audit = this.#audit;
    if (audit === undefined) return;
    const base = {
      timestamp: started.toISOString(),
      service: 'pkcs11' as const,
      operation,
      resourceId,
      latencyMs: this.#now().getTime() - started.getTime(),
      attempt,
      request: redactPkcs11Audit(request),
    };
    let record: Pkcs11AuditRecord;
    if ('response' in result) {
      record = { ...base, outcome: 'success', response: redactPkcs11Audit(result.response) };
    } else {
      const errorName =
        ckrName(result.error) ?? (result.error instanceof Error ? result.error.name : 'Error');
      record = {
        ...base,
        outcome: 'error',
        errorName,
        ...(result.mapped === undefined ? {} : { errorCode: result.mapped.code }),
        ...(result.retry === true ? { retryDelayMs: 0 } : {}),
      };
    }
    audit(record);
  }

  /**
   * Waits for the operations in flight, logs out, closes the sessions and — when the token loaded
   * its library from a path — finalises the library. The PIN is dropped. Idempotent.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const started = this.#now();
    const idle = await this.#pool.close();
    const binding = this.module.closed ? undefined : bindingOf(this.module);
    if (binding !== undefined) {
      const first = idle[0];
      if (first !== undefined) {
        try {
          binding.C_Logout(first);
        } catch {
          // not logged in any more (token gone, sessions closed elsewhere)
        }
      }
      for (const session of idle) {
        try {
          binding.C_CloseSession(session);
        } catch {
          // already gone
        }
      }
    }
    this.#pin = undefined;
    this.#unregister();
    this.#record('Close', this.resourceId, started, 1, {}, { response: null });
    if (this.#ownsModule) await this.module.close();
  }
}

/** @internal Finds the slot whose token has the given serial number / label / slot id. */
export function findSlot(
  binding: Pkcs11Binding,
  want: { slot?: bigint; tokenLabel?: string; tokenSerial?: string },
): { slot: Handle; info: TokenInfo } | undefined {
  const slots = binding.C_GetSlotList(true);
  for (const slot of slots) {
    if (want.slot !== undefined && handleToBigInt(slot) !== want.slot) continue;
    let info: TokenInfo;
    try {
      info = binding.C_GetTokenInfo(slot);
    } catch {
      continue; // the token of this slot cannot be read (removed, being initialised)
    }
    if (want.tokenSerial !== undefined && trimField(info.serialNumber) !== want.tokenSerial) continue;
    if (
      want.tokenSerial === undefined &&
      want.tokenLabel !== undefined &&
      trimField(info.label) !== want.tokenLabel
    )
      continue;
    return { slot, info };
  }
  return undefined;
}

/**
 * Opens a PKCS#11 token: finds the slot (by slot id, token label or serial number), opens a session
 * and logs in as the user — so a wrong PIN or a missing token fails here, before any signing.
 *
 * @example
 * ```ts
 * const token = await openPkcs11Token({
 *   module: '/usr/lib/softhsm/libsofthsm2.so', tokenLabel: 'mdl-ds', pin: config.pin, maxSessions: 4,
 * });
 * const signer = await createPkcs11Signer({ token, key: { label: 'ds-2026' } });
 * ```
 * @throws {@link Pkcs11Error} `ERR_PKCS11_CONFIG_INVALID`, `ERR_PKCS11_MODULE_LOAD_FAILED`,
 *   `ERR_PKCS11_MODULE_IN_USE`, `ERR_PKCS11_TOKEN_NOT_FOUND`, `ERR_PKCS11_PIN_INCORRECT`,
 *   `ERR_PKCS11_PIN_LOCKED`, `ERR_PKCS11_FAILED`.
 */
export async function openPkcs11Token(options: OpenPkcs11TokenOptions): Promise<Pkcs11Token> {
  const selectors = [options.slot, options.tokenLabel, options.tokenSerial].filter((v) => v !== undefined);
  if (selectors.length !== 1) {
    throw new Pkcs11Error(
      'ERR_PKCS11_CONFIG_INVALID',
      'Give exactly one of slot, tokenLabel and tokenSerial to pick the PKCS#11 token.',
    );
  }
  if (typeof options.pin !== 'string' || options.pin.length === 0) {
    throw new Pkcs11Error('ERR_PKCS11_CONFIG_INVALID', 'The PKCS#11 user PIN is required.');
  }
  const requested = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
  if (!Number.isSafeInteger(requested) || requested < 1 || requested > MAX_SESSIONS_LIMIT) {
    throw new Pkcs11Error(
      'ERR_PKCS11_CONFIG_INVALID',
      `maxSessions must be an integer from 1 to ${MAX_SESSIONS_LIMIT}.`,
      { details: { maxSessions: requested } },
    );
  }
  let slotWanted: bigint | undefined;
  if (options.slot !== undefined) {
    if (
      (typeof options.slot !== 'bigint' && !Number.isSafeInteger(options.slot)) ||
      BigInt(options.slot) < 0n
    ) {
      throw new Pkcs11Error('ERR_PKCS11_CONFIG_INVALID', 'slot must be a non-negative integer.');
    }
    slotWanted = BigInt(options.slot);
  }
  const ownsModule = typeof options.module === 'string';
  const module =
    typeof options.module === 'string'
      ? Pkcs11Module.load({
          path: options.module,
          ...(options.instrument === undefined ? {} : { instrument: options.instrument }),
        })
      : options.module;
  const now = options.now ?? (() => new Date());
  const started = now();
  const described = options.tokenLabel ?? options.tokenSerial ?? `slot ${String(slotWanted)}`;
  try {
    const binding = bindingOf(module);
    let found: { slot: Handle; info: TokenInfo } | undefined;
    try {
      found = findSlot(binding, {
        ...(slotWanted === undefined ? {} : { slot: slotWanted }),
        ...(options.tokenLabel === undefined ? {} : { tokenLabel: options.tokenLabel }),
        ...(options.tokenSerial === undefined ? {} : { tokenSerial: options.tokenSerial }),
      });
    } catch (cause) {
      throw mapPkcs11Error(cause, { operation: 'OpenToken', details: { token: described } });
    }
    if (found === undefined) {
      throw new Pkcs11Error(
        'ERR_PKCS11_TOKEN_NOT_FOUND',
        `No PKCS#11 slot of ${module.path} holds the token ${described}.`,
        { details: { token: described, module: module.path } },
      );
    }
    if ((found.info.flags & CK.CKF_USER_PIN_LOCKED) !== 0) {
      throw new Pkcs11Error(
        'ERR_PKCS11_PIN_LOCKED',
        `The user PIN of PKCS#11 token ${trimField(found.info.label)} is locked; the security officer must reset it.`,
        { details: { token: trimField(found.info.label) } },
      );
    }
    const tokenLimit = found.info.maxSessionCount;
    // 0 is CK_EFFECTIVELY_INFINITE; CK_UNAVAILABLE_INFORMATION (all ones) says nothing
    const maxSessions =
      tokenLimit > 0 && tokenLimit < 0xffffffff ? Math.min(requested, tokenLimit) : requested;
    const token = new Pkcs11Token({
      module,
      ownsModule,
      pin: options.pin,
      slot: found.slot,
      info: found.info,
      maxSessions,
      audit: options.audit,
      now,
    });
    try {
      token.connect();
    } catch (cause) {
      await token.close();
      throw mapPkcs11Error(cause, { operation: 'OpenToken', details: { token: token.label } });
    }
    options.audit?.({
      timestamp: started.toISOString(),
      service: 'pkcs11',
      operation: 'OpenToken',
      resourceId: token.resourceId,
      latencyMs: now().getTime() - started.getTime(),
      outcome: 'success',
      attempt: 1,
      request: redactPkcs11Audit({
        module: module.path,
        slot: slotWanted,
        tokenLabel: options.tokenLabel,
        tokenSerial: options.tokenSerial,
      }),
      response: redactPkcs11Audit({ slot: token.slot, serialNumber: token.serialNumber, maxSessions }),
    });
    return token;
  } catch (error) {
    if (ownsModule) await module.close();
    throw error;
  }
}
