import { Pkcs11Error } from '../errors/pkcs11-error.js';
import type { Handle } from '../internal/binding.js';

/** @internal A session lent out by the pool, tagged with the connection generation it belongs to. */
export interface Lease {
  readonly session: Handle;
  readonly generation: number;
}

/** How busy a token's sessions are (see `Pkcs11Token.stats`). */
export interface Pkcs11SessionStats {
  /** The bound: sessions this token ever has open at once. */
  readonly maxSessions: number;
  /** Sessions open now (idle and in use). */
  readonly open: number;
  /** Sessions in use now. */
  readonly inUse: number;
  /** The most sessions ever in use at once since the token was opened (never above `maxSessions`). */
  readonly maxInUse: number;
  /** Operations waiting for a session now. */
  readonly waiting: number;
  /** Sessions opened since the token was opened (reconnects open new ones). */
  readonly opened: number;
  /** `C_Login` calls made (one per connection). */
  readonly logins: number;
  /** Reconnects after a session or token error. */
  readonly reconnects: number;
}

/**
 * @internal A bounded pool of PKCS#11 sessions: at most `max` open at once, lent out one operation
 * at a time (a PKCS#11 session runs one operation at a time), waiters served in order. Sessions of
 * an older generation (before a reconnect) are closed when they come back.
 */
export class SessionPool {
  readonly max: number;
  readonly #open: (generation: number) => Handle;
  readonly #close: (session: Handle) => void;
  #idle: Lease[] = [];
  #inUse = 0;
  #maxInUse = 0;
  #opened = 0;
  #generation = 0;
  #closed = false;
  #waiters: { resolve: (lease: Lease) => void; reject: (error: unknown) => void }[] = [];
  #drained: (() => void) | undefined;

  constructor(max: number, open: (generation: number) => Handle, close: (session: Handle) => void) {
    this.max = max;
    this.#open = open;
    this.#close = close;
  }

  get generation(): number {
    return this.#generation;
  }

  /** Adds a session opened elsewhere (the first one, which logged in) to the idle list. */
  adopt(session: Handle): void {
    this.#opened++;
    this.#idle.push({ session, generation: this.#generation });
  }

  stats(): Omit<Pkcs11SessionStats, 'logins' | 'reconnects'> {
    return {
      maxSessions: this.max,
      open: this.#idle.length + this.#inUse,
      inUse: this.#inUse,
      maxInUse: this.#maxInUse,
      waiting: this.#waiters.length,
      opened: this.#opened,
    };
  }

  /** A session of the current generation, opening one when none is idle and the bound allows. */
  acquire(): Promise<Lease> {
    if (this.#closed) return Promise.reject(closedError());
    if (this.#inUse < this.max) {
      try {
        return Promise.resolve(this.#take());
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  #take(): Lease {
    this.#inUse++;
    if (this.#inUse > this.#maxInUse) this.#maxInUse = this.#inUse;
    const idle = this.#idle.pop();
    if (idle !== undefined) return idle;
    try {
      const session = this.#open(this.#generation);
      this.#opened++;
      return { session, generation: this.#generation };
    } catch (error) {
      this.#inUse--;
      this.#serveNext();
      throw error;
    }
  }

  /** Returns a session; a broken one or one from before a reconnect is closed instead of kept. */
  release(lease: Lease, broken: boolean): void {
    this.#inUse--;
    if (broken || this.#closed || lease.generation !== this.#generation) this.#safeClose(lease.session);
    else this.#idle.push(lease);
    this.#serveNext();
    if (this.#inUse === 0) this.#drained?.();
  }

  #serveNext(): void {
    while (this.#waiters.length > 0 && this.#inUse < this.max && !this.#closed) {
      const waiter = this.#waiters.shift()!;
      try {
        waiter.resolve(this.#take());
      } catch (error) {
        waiter.reject(error);
      }
    }
  }

  /** Starts a new generation: idle sessions are closed now, sessions in use when they come back. */
  renew(): number {
    this.#generation++;
    const idle = this.#idle;
    this.#idle = [];
    for (const lease of idle) this.#safeClose(lease.session);
    return this.#generation;
  }

  /**
   * Refuses new work, fails the waiters, waits for the sessions in use to come back, and hands the
   * idle sessions to the caller (who logs out and closes them).
   */
  async close(): Promise<Handle[]> {
    this.#closed = true;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(closedError());
    if (this.#inUse > 0) await new Promise<void>((resolve) => (this.#drained = resolve));
    const idle = this.#idle;
    this.#idle = [];
    return idle.map((lease) => lease.session);
  }

  #safeClose(session: Handle): void {
    try {
      this.#close(session);
    } catch {
      // a session of a token that went away cannot be closed; it is gone either way
    }
  }
}

function closedError(): Pkcs11Error {
  return new Pkcs11Error('ERR_PKCS11_CLOSED', 'The PKCS#11 token was closed.');
}
