import { FullDate } from '@mdlkit/core/cbor';

/** Receives every check a peer reports (used by the fixture test to show why a verify failed). */
export type CheckLog = (check: { status: string; check: string; reason?: string | undefined }) => void;

/**
 * Converts an element value from mdlkit's types to a peer's: `FullDate` → the peer's full-date
 * type (via `toDate`), `Map` → plain object (the peers' builders take records), recursively.
 */
export function peerValue(value: unknown, toDate: (date: string) => unknown): unknown {
  if (value instanceof FullDate) return toDate(value.value);
  if (Array.isArray(value)) return value.map((v) => peerValue(v, toDate));
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[String(k)] = peerValue(v, toDate);
    return out;
  }
  return value;
}
