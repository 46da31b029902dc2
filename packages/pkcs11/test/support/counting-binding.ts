import type { Pkcs11Binding } from '../../src/index.js';

/** Counts, around the real binding, what the concurrency and reconnect tests assert on. */
export interface BindingProbe {
  /** The real binding (for C_CloseAllSessions and attribute reads the package does not offer). */
  raw: Pkcs11Binding | undefined;
  signsInFlight: number;
  maxSignsInFlight: number;
  signs: number;
  sessionsOpen: number;
  maxSessionsOpen: number;
  logins: number;
  /** Mechanisms C_GetMechanismInfo answers CKR_MECHANISM_INVALID for (a token that lacks them). */
  readonly hiddenMechanisms: Set<number>;
}

/** A probe and the `instrument` function that installs it. */
export function countingBinding(): { probe: BindingProbe; instrument: (b: Pkcs11Binding) => Pkcs11Binding } {
  const probe: BindingProbe = {
    raw: undefined,
    signsInFlight: 0,
    maxSignsInFlight: 0,
    signs: 0,
    sessionsOpen: 0,
    maxSessionsOpen: 0,
    logins: 0,
    hiddenMechanisms: new Set(),
  };
  const instrument = (binding: Pkcs11Binding): Pkcs11Binding => {
    probe.raw = binding;
    return new Proxy(binding, {
      get(target, property) {
        const value = Reflect.get(target, property, target) as unknown;
        if (typeof value !== 'function') return value;
        const fn = value.bind(target) as (...args: unknown[]) => unknown;
        switch (property) {
          case 'C_SignAsync':
            return async (...args: unknown[]) => {
              probe.signs++;
              probe.signsInFlight++;
              probe.maxSignsInFlight = Math.max(probe.maxSignsInFlight, probe.signsInFlight);
              try {
                return await fn(...args);
              } finally {
                probe.signsInFlight--;
              }
            };
          case 'C_OpenSession':
            return (...args: unknown[]) => {
              const session = fn(...args);
              probe.sessionsOpen++;
              probe.maxSessionsOpen = Math.max(probe.maxSessionsOpen, probe.sessionsOpen);
              return session;
            };
          case 'C_CloseSession':
            return (...args: unknown[]) => {
              const out = fn(...args);
              probe.sessionsOpen--;
              return out;
            };
          case 'C_Login':
            return (...args: unknown[]) => {
              const out = fn(...args);
              probe.logins++;
              return out;
            };
          case 'C_GetMechanismInfo':
            return (...args: unknown[]) => {
              if (probe.hiddenMechanisms.has(args[1] as number)) {
                throw Object.assign(new Error('CKR_MECHANISM_INVALID:112'), { name: 'Pkcs11Error' });
              }
              return fn(...args);
            };
          default:
            return fn;
        }
      },
    });
  };
  return { probe, instrument };
}
