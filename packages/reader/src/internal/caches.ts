/**
 * @module
 * The reader's caches, in core's cache registry (`cacheStats`, `setCacheLimits` and `clearCaches` of
 * `@mdlkit/core` see and clear them). Both hold what was read from public bytes; every signature,
 * digest and device authentication is still checked on every call.
 */
import { BoundedCache, HandleMemo } from '@mdlkit/core';
import type { CborDeviation } from '@mdlkit/core/cbor';
import type { CoseKey } from '@mdlkit/core/cose';
import type { PublicKey } from '@mdlkit/core/crypto';
import type { MobileSecurityObject } from '@mdlkit/core/mdoc';

/** A remembered MSO reading (see `readMsoMemo` in verify-device-response). */
export interface MsoMemoEntry {
  /** A private copy of the MSO bytes (made by the memo's `keep`), compared in full on every hit. */
  readonly bytes: Uint8Array;
  readonly mso: MobileSecurityObject;
  readonly tolerated: readonly CborDeviation[];
}

/** Largest MSO payload the memo keeps. */
export const MSO_MEMO_MAX_BYTES: number = 64 * 1024;

/**
 * Recently read MSOs by a sampled hash of their bytes: the MSO of one mdoc is the same bytes at every
 * presentation until it is re-issued. An entry is estimated at three times its bytes (the copy and
 * the decoded view) plus 1 KiB. An MSO is kept from its second reading on (second-sighting admission;
 * the first reading is noted in `reader.mso-memo.sightings`): at a gate nearly every holder presents
 * once, and remembering each would evict an MSO that is presented again and leave the old generation
 * a decoded MSO to collect for every distinct holder.
 */
export const msoMemo: BoundedCache<number, MsoMemoEntry> = new BoundedCache({
  name: 'reader.mso-memo',
  maxEntries: 64,
  maxBytes: 8 * 1024 * 1024,
  sizeOf: (_, e) => 3 * e.bytes.length + 1024,
  // The caller hands in its own payload; only an MSO actually kept is copied.
  keep: (e) => ({ bytes: e.bytes.slice(), mso: e.mso, tolerated: e.tolerated }),
  admit: 'second-sighting',
  sightings: { maxEntries: 1024, maxBytes: 64 * 1024, sizeOf: () => 32 },
});

/**
 * The MSO device key imported once per decoded COSE_Key map: a remembered MSO hands out the same map
 * at every presentation, so the key handle (and the provider's key object behind it) is reused.
 */
export const deviceKeys: HandleMemo<CoseKey, PublicKey> = new HandleMemo('reader.device-keys');
