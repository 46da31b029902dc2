import { EncodedCbor } from '@mdlkit/core/cbor';
import { digest } from '@mdlkit/core/crypto';
import { describe, expect, it } from 'vitest';
import { type DigestedItem, verifyValueDigests } from '../src/issuer-auth/verify-value-digests.js';

const NS = 'org.iso.18013.5.1';

function items(count: number): { list: DigestedItem[]; digests: Map<number, Uint8Array> } {
  const list: DigestedItem[] = [];
  const digests = new Map<number, Uint8Array>();
  for (let i = 0; i < count; i++) {
    const bytes = EncodedCbor.fromValue(
      new Map<string, unknown>([
        ['digestID', i],
        ['elementIdentifier', `e${i}`],
      ]),
    );
    list.push({ bytes, digestID: i, elementIdentifier: `e${i}` });
    digests.set(i, digest('SHA-256', bytes.tagged()));
  }
  return { list, digests };
}

describe('verifyValueDigests', () => {
  // Up to 32 items a namespace is scanned for repeated digest IDs; beyond, a Set is used.
  it.each([5, 40])('%i items: flags the repeat of a digest ID, a mismatch and a missing digest', (count) => {
    const { list, digests } = items(count);
    const repeat = { ...list[count - 2]!, digestID: 1 }; // reuses item 1's ID
    const tampered = { ...list[count - 1]!, bytes: EncodedCbor.fromValue('tampered') };
    const unknown = { ...list[0]!, digestID: 10_000 };
    const received = [...list.slice(0, count - 2), repeat, tampered, unknown];
    const result = verifyValueDigests({
      digestAlgorithm: 'SHA-256',
      valueDigests: new Map([[NS, digests]]),
      nameSpaces: new Map([[NS, received]]),
    });
    expect(result.failures.map((f) => [f.code, f.details.digestId])).toEqual([
      ['ERR_MSO_DIGEST_ID_DUPLICATE', 1],
      ['ERR_MSO_DIGEST_MISMATCH', count - 1],
      ['ERR_MSO_DIGEST_MISSING', 10_000],
    ]);
    expect(result.matchedItems.size).toBe(count - 2);
    expect(result.matchedItems.has(repeat)).toBe(false);
    expect(result.matched.get(NS)?.has('e1')).toBe(true);
    expect(result.matched.get(NS)?.has(`e${count - 1}`)).toBe(false);
    expect(result.matched.get(NS)?.size).toBe(count - 2);
  });
});
