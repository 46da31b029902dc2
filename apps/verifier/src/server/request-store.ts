import { MdlError } from '@mdlkit/core/errors';

/** Options for {@link RequestStateStore}. */
export interface RequestStateStoreOptions {
  /** How long a request may be answered, in seconds (default 300). */
  readonly ttlSeconds?: number;
  /** Most entries kept at once, live or used (default 10,000); beyond it new requests are refused. */
  readonly maxEntries?: number;
  /** The clock, in milliseconds since the epoch (default `Date.now`). */
  readonly now?: () => number;
  /** Random source for state ids (default `crypto.getRandomValues`). */
  readonly randomBytes?: (length: number) => Uint8Array;
}

/** What {@link RequestStateStore.create} hands back: the id to give the page, and when it stops being accepted. */
export interface CreatedRequestState {
  /** 128 random bits, base64url. */
  readonly id: string;
  readonly expiresAt: Date;
}

interface Entry<S> {
  /** The state, or `undefined` once a response used it (kept as a tombstone until expiry). */
  state: S | undefined;
  readonly expiresAt: number;
}

function base64url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The relying party's request state for online presentations: each request gets a random id with
 * an expiry; a response is accepted for a known, unexpired, unused id only, and only once.
 *
 * A used id is kept (without its state) until it expires, so a replay is told apart from an
 * unknown id; an expired id is remembered (without its state) for one more lifetime. Entries are
 * swept on every `create`; the store is bounded by `maxEntries`. Everything it holds is visible through {@link size} and dropped by {@link clear} —
 * a fleet of servers would put the same records in a shared store instead.
 *
 * @example
 * ```ts
 * const store = new RequestStateStore<MyState>({ ttlSeconds: 120 });
 * const { id } = store.create(state);
 * const again = store.consume(id); // the state
 * store.consume(id);               // throws ERR_ONLINE_STATE_REPLAYED
 * ```
 */
export class RequestStateStore<S> {
  readonly #entries = new Map<string, Entry<S>>();
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #now: () => number;
  readonly #random: (length: number) => Uint8Array;

  constructor(options: RequestStateStoreOptions = {}) {
    const ttl = options.ttlSeconds ?? 300;
    if (!Number.isFinite(ttl) || ttl <= 0) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'ttlSeconds must be a positive number');
    }
    this.#ttlMs = ttl * 1000;
    this.#max = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
    this.#random = options.randomBytes ?? ((n) => crypto.getRandomValues(new Uint8Array(n)));
  }

  /** Entries held (live and used-but-not-yet-expired). */
  get size(): number {
    this.#sweep();
    return this.#entries.size;
  }

  /**
   * Keeps `state` under a fresh id.
   *
   * @throws {@link MdlError} `ERR_ONLINE_STATE_LIMIT` when `maxEntries` entries are held.
   */
  create(state: S): CreatedRequestState {
    this.#sweep();
    if (this.#entries.size >= this.#max) {
      throw new MdlError('ERR_ONLINE_STATE_LIMIT', 'too many open requests; try again later', {
        details: { maxEntries: this.#max },
      });
    }
    let id = base64url(this.#random(16));
    while (this.#entries.has(id)) id = base64url(this.#random(16));
    const expiresAt = this.#now() + this.#ttlMs;
    this.#entries.set(id, { state, expiresAt });
    return { id, expiresAt: new Date(expiresAt) };
  }

  /**
   * Takes the state of `id` out for one response; any later call for the same id fails.
   *
   * @throws {@link MdlError} `ERR_ONLINE_STATE_UNKNOWN` (never issued, or long gone),
   *   `ERR_ONLINE_STATE_EXPIRED` (past its expiry), `ERR_ONLINE_STATE_REPLAYED` (answered before).
   */
  consume(id: string): S {
    const entry = this.#entries.get(id);
    if (entry === undefined) {
      throw new MdlError('ERR_ONLINE_STATE_UNKNOWN', 'no request with this state was issued');
    }
    if (this.#now() >= entry.expiresAt) {
      entry.state = undefined;
      throw new MdlError('ERR_ONLINE_STATE_EXPIRED', 'the request has expired; start a new one');
    }
    const state = entry.state;
    if (state === undefined) {
      throw new MdlError('ERR_ONLINE_STATE_REPLAYED', 'a response for this request was already received');
    }
    entry.state = undefined;
    return state;
  }

  /** Drops every entry. */
  clear(): void {
    this.#entries.clear();
  }

  /**
   * Past its expiry an entry loses its state (the secrets go at once) but its id is remembered for
   * one more lifetime, so a late answer is told "expired" rather than "unknown".
   */
  #sweep(): void {
    const now = this.#now();
    for (const [id, entry] of this.#entries) {
      if (now >= entry.expiresAt) entry.state = undefined;
      if (now >= entry.expiresAt + this.#ttlMs) this.#entries.delete(id);
    }
  }
}
