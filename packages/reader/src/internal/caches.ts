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
  /** A private copy of the MSO bytes, compared in full on every hit. */
  readonly bytes: Uint8Array;
  readonly mso: MobileSecurityObject;
  readonly tolerated: readonly CborDeviation[];
}

/** Largest MSO payload the memo keeps. */
export const MSO_MEMO_MAX_BYTES: number = 64 * 1024;

/**
 * Recently read MSOs by a sampled hash of their bytes: the MSO of one mdoc is the same bytes at every
 * presentation until it is re-issued. An entry is estimated at three times its bytes (the copy and
 * the decoded view) plus 1 KiB.
 */
export const msoMemo: BoundedCache<number, MsoMemoEntry> = new BoundedCache({
  name: 'reader.mso-memo',
  maxEntries: 64,
  maxBytes: 8 * 1024 * 1024,
  sizeOf: (_, e) => 3 * e.bytes.length + 1024,
});

/**
 * MSOs (by the sampled hash the memo uses) read once and not kept: the first reading of an MSO only
 * notes it here, the second one keeps it in {@link msoMemo}. At a gate nearly every holder presents
 * once; remembering each would evict an MSO that is presented again and leave the old generation a
 * decoded MSO to collect for every distinct holder.
 */
export const msoSightings: BoundedCache<number, true> = new BoundedCache({
  name: 'reader.mso-sightings',
  maxEntries: 1024,
  maxBytes: 64 * 1024,
  sizeOf: () => 32,
});

/**
 * The MSO device key imported once per decoded COSE_Key map: a remembered MSO hands out the same map
 * at every presentation, so the key handle (and the provider's key object behind it) is reused.
 */
export const deviceKeys: HandleMemo<CoseKey, PublicKey> = new HandleMemo('reader.device-keys');
