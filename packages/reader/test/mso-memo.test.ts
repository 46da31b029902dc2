import { cacheStats, clearCaches } from '@mdlkit/core';
import { decodeCbor, type EncodedCbor } from '@mdlkit/core/cbor';
import { parseCoseSign1 } from '@mdlkit/core/cose';
import { indexOfBytes } from '@mdlkit/test-fixtures';
import { openId4VpTranscript } from '@mdlkit/test-utils/mdoc';
import { describe, expect, it } from 'vitest';
import { CheckId, verifyDeviceResponse } from '../src/index.js';
import { issueAndPresent, makePki, NOW } from './fixtures.js';

// The reader remembers recently read MSOs by a sampled hash of their bytes (the MSO of one mdoc is
// the same at every presentation). A hit must be confirmed byte by byte: an MSO that differs in a
// byte the hash does not sample is read from its own bytes, never served from the memo.

/** A response of a fresh PKI over an OpenID4VP transcript, and the reader options that verify it. */
async function presented(nonce: string) {
  const pki = await makePki();
  const transcript = openId4VpTranscript(nonce);
  const response = await issueAndPresent(pki, transcript);
  return { response, options: { trust: pki.trust, now: NOW, sessionTranscript: transcript } };
}

describe('MSO memo', () => {
  it('a second MSO equal to a remembered one except in an unsampled digest byte is read from its own bytes', async () => {
    const { response, options } = await presented('memo');
    const first = await verifyDeviceResponse(response, options);
    const again = await verifyDeviceResponse(response, options);
    expect(first.verified).toBe(true);
    expect(again).toEqual(first);

    // Locate the MSO payload in the response and one digest byte of it the hash does not sample.
    const doc = (
      (decodeCbor(response) as Map<string, unknown>).get('documents') as Map<string, unknown>[]
    )[0]!;
    const issuerAuth = parseCoseSign1((doc.get('issuerSigned') as Map<string, unknown>).get('issuerAuth'));
    const payload = issuerAuth.payload!;
    const start = indexOfBytes(response, payload);
    expect(start).toBeGreaterThan(0);
    const mso = (decodeCbor(payload) as EncodedCbor).value as Map<string, unknown>;
    const digests = mso.get('valueDigests') as Map<string, Map<number, Uint8Array>>;
    // The digest of a disclosed item (the MSO also lists items this response does not disclose).
    const nameSpaces = (doc.get('issuerSigned') as Map<string, unknown>).get('nameSpaces') as Map<
      string,
      EncodedCbor[]
    >;
    const [nameSpace, items] = [...nameSpaces][0]!;
    const digestId = (items[0]!.value as Map<string, unknown>).get('digestID') as number;
    const someDigest = digests.get(nameSpace)!.get(digestId)!;
    const at = indexOfBytes(payload, someDigest);
    const n = payload.length;
    const step = Math.max(1, Math.floor(n / 64));
    let offset = -1;
    for (let k = 0; k < someDigest.length; k++) {
      if ((n - 1 - (at + k)) % step !== 0) {
        offset = at + k;
        break;
      }
    }
    expect(offset).toBeGreaterThanOrEqual(0);
    const tampered = response.slice();
    tampered[start + offset]! ^= 0x01;

    const report = await verifyDeviceResponse(tampered, options);
    expect(report.verified).toBe(false);
    const checks = report.documents[0]!.checks;
    const status = (id: string) => checks.find((c) => c.id === id)?.status;
    expect(status(CheckId.ISSUER_AUTH_SIGNATURE)).toBe('failed');
    // Read from the tampered bytes, the changed digest no longer matches its item.
    expect(status(CheckId.VALUE_DIGESTS)).toBe('failed');
    expect(checks.find((c) => c.id === CheckId.VALUE_DIGESTS)?.code).toBe('ERR_MSO_DIGEST_MISMATCH');
  });

  it('keeps an MSO from its second reading on (a holder seen once does not churn the memo)', async () => {
    const { response, options } = await presented('sightings');
    const entries = (name: string) => cacheStats().find((c) => c.name === name)!.entries;
    clearCaches();
    const first = await verifyDeviceResponse(response, options);
    expect(first.verified).toBe(true);
    expect(entries('reader.mso-memo')).toBe(0);
    expect(entries('reader.mso-memo.sightings')).toBe(1);
    const second = await verifyDeviceResponse(response, options);
    expect(entries('reader.mso-memo')).toBe(1);
    const third = await verifyDeviceResponse(response, options); // served from the memo
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect(entries('reader.mso-memo')).toBe(1);
  });
});
