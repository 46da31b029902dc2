import { mapPkcs11Error, Pkcs11Error } from '../errors/pkcs11-error.js';
import { type Handle, handleToBigInt, newBinding, type Pkcs11Binding } from '../internal/binding.js';
import { CK } from '../internal/constants.js';

/** Options for {@link Pkcs11Module.load}. */
export interface LoadPkcs11ModuleOptions {
  /** File path of the vendor's PKCS#11 library (`libsofthsm2.so`, `libCryptoki2_64.so`, `libcknfast.so` …). */
  readonly path: string;
  /**
   * Wraps the binding before use — for tests that count calls or inject faults around the real
   * library. Production code leaves it out.
   */
  readonly instrument?: (binding: Pkcs11Binding) => Pkcs11Binding;
}

/** A slot with a token, as {@link Pkcs11Module.listTokens} reports it. */
export interface Pkcs11TokenDescription {
  /** The slot id (`CK_SLOT_ID`). */
  readonly slot: bigint;
  /** The token label, without the padding blanks. */
  readonly label: string;
  readonly serialNumber: string;
  readonly model: string;
  readonly manufacturer: string;
  /** `CKF_TOKEN_INITIALIZED` is set. */
  readonly initialized: boolean;
}

const bindings = new WeakMap<Pkcs11Module, Pkcs11Binding>();

/** @internal The binding of an open module. */
export function bindingOf(module: Pkcs11Module): Pkcs11Binding {
  const binding = bindings.get(module);
  if (binding === undefined || module.closed) {
    throw new Pkcs11Error('ERR_PKCS11_CLOSED', `PKCS#11 module ${module.path} is closed.`, {
      details: { module: module.path },
    });
  }
  return binding;
}

/** @internal Token labels and serials are blank-padded fixed-width fields. */
export const trimField = (text: string): string => text.replace(/[\s\0]+$/, '');

/**
 * One PKCS#11 library loaded and initialised (`C_Initialize` with `CKF_OS_LOCKING_OK`, since
 * signatures run on Node's worker threads). PKCS#11 allows one initialisation per library per
 * process, so every token of the library is opened through the same module object; {@link close}
 * finalises it (`C_Finalize`) after closing the tokens opened through it.
 *
 * @example
 * ```ts
 * const hsm = Pkcs11Module.load({ path: '/usr/lib/softhsm/libsofthsm2.so' });
 * const token = await openPkcs11Token({ module: hsm, tokenLabel: 'mdl-ds', pin });
 * // …
 * await hsm.close();
 * ```
 */
export class Pkcs11Module {
  /** The library path it was loaded from. */
  readonly path: string;
  #closed = false;
  readonly #closers = new Set<() => Promise<void>>();
  readonly #openTokens = new Set<string>();

  private constructor(path: string, binding: Pkcs11Binding) {
    this.path = path;
    bindings.set(this, binding);
  }

  /**
   * Loads and initialises a PKCS#11 library.
   *
   * @throws {@link Pkcs11Error} `ERR_PKCS11_CONFIG_INVALID` (no path), `ERR_PKCS11_MODULE_LOAD_FAILED`
   *   (the file does not load or `C_Initialize` fails), `ERR_PKCS11_MODULE_IN_USE` (already
   *   initialised in this process).
   */
  static load(options: LoadPkcs11ModuleOptions): Pkcs11Module {
    const path = options.path;
    if (typeof path !== 'string' || path.length === 0) {
      throw new Pkcs11Error('ERR_PKCS11_CONFIG_INVALID', 'PKCS#11 module path is required.');
    }
    let binding: Pkcs11Binding;
    try {
      binding = newBinding();
      if (options.instrument !== undefined) binding = options.instrument(binding);
      binding.load(path);
    } catch (cause) {
      throw new Pkcs11Error(
        'ERR_PKCS11_MODULE_LOAD_FAILED',
        `The PKCS#11 library ${path} could not be loaded (missing file, wrong architecture, or the native binding is not built).`,
        { details: { module: path }, cause },
      );
    }
    try {
      binding.C_Initialize({ flags: CK.CKF_OS_LOCKING_OK });
    } catch (cause) {
      const mapped = mapPkcs11Error(cause, { operation: 'Initialize', details: { module: path } });
      if (mapped.code === 'ERR_PKCS11_MODULE_IN_USE') throw mapped;
      throw new Pkcs11Error(
        'ERR_PKCS11_MODULE_LOAD_FAILED',
        `C_Initialize of ${path} failed (${String(mapped.details['ckr'] ?? 'unknown')}); for SoftHSM check SOFTHSM2_CONF.`,
        { details: { module: path, ckr: mapped.details['ckr'] }, cause },
      );
    }
    return new Pkcs11Module(path, binding);
  }

  /** True once {@link close} ran. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * The slots that hold a token (`C_GetSlotList(true)` and `C_GetTokenInfo` for each); slots whose
   * token cannot be read are left out.
   *
   * @throws {@link Pkcs11Error} `ERR_PKCS11_CLOSED`, `ERR_PKCS11_FAILED`.
   */
  listTokens(): Pkcs11TokenDescription[] {
    const binding = bindingOf(this);
    let slots: Handle[];
    try {
      slots = binding.C_GetSlotList(true);
    } catch (cause) {
      throw mapPkcs11Error(cause, { operation: 'GetSlotList', details: { module: this.path } });
    }
    const out: Pkcs11TokenDescription[] = [];
    for (const slot of slots) {
      try {
        const info = binding.C_GetTokenInfo(slot);
        out.push({
          slot: handleToBigInt(slot),
          label: trimField(info.label),
          serialNumber: trimField(info.serialNumber),
          model: trimField(info.model),
          manufacturer: trimField(info.manufacturerID),
          initialized: (info.flags & CK.CKF_TOKEN_INITIALIZED) !== 0,
        });
      } catch {
        // a slot whose token went away or cannot be read is not listed
      }
    }
    return out;
  }

  /** @internal Registers a token's close, run by {@link close}; returns the unregister function. */
  onClose(closer: () => Promise<void>): () => void {
    this.#closers.add(closer);
    return () => this.#closers.delete(closer);
  }

  /**
   * @internal Claims a token (by serial number) for one `Pkcs11Token`: PKCS#11 login state belongs to
   * the application, so two token objects on one token would log each other out.
   */
  claimToken(serialNumber: string): () => void {
    if (this.#openTokens.has(serialNumber)) {
      throw new Pkcs11Error(
        'ERR_PKCS11_CONFIG_INVALID',
        `PKCS#11 token ${serialNumber} is already open through this module; share that Pkcs11Token.`,
        { details: { serialNumber } },
      );
    }
    this.#openTokens.add(serialNumber);
    return () => this.#openTokens.delete(serialNumber);
  }

  /** Closes every token opened through this module, then finalises the library. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    for (const closer of [...this.#closers]) await closer();
    this.#closers.clear();
    const binding = bindings.get(this);
    this.#closed = true;
    bindings.delete(this);
    try {
      binding?.C_Finalize();
    } catch {
      // finalising a library whose token is gone can fail; the module is closed either way
    }
  }
}
