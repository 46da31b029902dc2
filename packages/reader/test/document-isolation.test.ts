import { concatBytes, decodeCbor, encodeCbor, fromHex } from '@mdlkit/core/cbor';
import { annexD, indexOfBytes } from '@mdlkit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { CheckId, verifyDeviceResponse } from '../src/index.js';
import { annexDVerifyOptions } from './annex-d-options.js';

const response = annexD('device-response.hex');
const issuerAuth = annexD('issuer-auth.hex');
const options = annexDVerifyOptions();

// The Annex D response is {"version": "1.0", "documents": [Document], "status": 0}, in that order.
const documentsHead = fromHex('69646f63756d656e747381'); // "documents", array of 1
const statusTail = fromHex('6673746174757300'); // "status": 0
const docStart = indexOfBytes(response, documentsHead) + documentsHead.length;
const docEnd = response.length - statusTail.length;
const goodDoc = response.subarray(docStart, docEnd);

/** The Annex D response with two documents: the original one, then the original with `badIssuerAuth`. */
function twoDocuments(badIssuerAuth: Uint8Array): Uint8Array {
  const at = indexOfBytes(goodDoc, issuerAuth);
  const badDoc = concatBytes(
    goodDoc.subarray(0, at),
    badIssuerAuth,
    goodDoc.subarray(at + issuerAuth.length),
  );
  const head = response.slice(0, docStart);
  head[head.length - 1] = 0x82; // array of 2
  return concatBytes(head, goodDoc, badDoc, statusTail);
}

/** The Annex D IssuerAuth with its payload replaced (protected, unprotected and signature kept). */
function withPayload(payload: Uint8Array): Uint8Array {
  const [protectedBytes, unprotected, , signature] = decodeCbor(issuerAuth) as unknown[];
  return encodeCbor([protectedBytes, unprotected, payload, signature]);
}

const DEPENDENT = [
  CheckId.DS_CERTIFICATE_PATH,
  CheckId.DS_CERTIFICATE_VALIDITY,
  CheckId.VALUE_DIGESTS,
  CheckId.DOC_TYPE,
  CheckId.MSO_VALIDITY,
  CheckId.MSO_SIGNED_WITHIN_DS_VALIDITY,
  CheckId.ISSUING_COUNTRY,
  CheckId.ISSUING_JURISDICTION,
  CheckId.DEVICE_AUTH,
  CheckId.KEY_AUTHORIZATIONS,
];

describe('a malformed IssuerAuth fails its own document only', () => {
  it('the splice keeps the Annex D document intact', async () => {
    expect(indexOfBytes(response, documentsHead)).toBeGreaterThan(0);
    expect(indexOfBytes(response, statusTail)).toBe(docEnd);
    // The same document twice verifies twice: the splicing itself breaks nothing.
    const report = await verifyDeviceResponse(twoDocuments(issuerAuth), options);
    expect(report.documents.map((d) => d.verified)).toEqual([true, true]);
    expect(report.verified).toBe(true);
  });

  const cases = [
    ['an MSO payload that is not CBOR (d81841ff)', withPayload(fromHex('d81841ff')), 'ERR_CBOR_MALFORMED'],
    ['an empty-map MSO (a0)', withPayload(fromHex('d81841a0')), 'ERR_STRUCTURE_INVALID'],
    [
      'a 3-element IssuerAuth',
      encodeCbor((decodeCbor(issuerAuth) as unknown[]).slice(0, 3)),
      'ERR_COSE_MALFORMED',
    ],
  ] as const;

  it.each(cases)('%s', async (_name, badIssuerAuth, code) => {
    const report = await verifyDeviceResponse(twoDocuments(badIssuerAuth), options);
    expect(report.verified).toBe(false);
    expect(report.documents).toHaveLength(2);
    const [good, bad] = report.documents;
    expect(good?.verified).toBe(true);
    expect(good?.checks.every((c) => c.status !== 'failed')).toBe(true);
    expect(good?.elements.every((e) => e.verified)).toBe(true);

    expect(bad?.verified).toBe(false);
    const signature = bad?.checks.find((c) => c.id === CheckId.ISSUER_AUTH_SIGNATURE);
    expect(signature).toMatchObject({ status: 'failed', code });
    for (const id of DEPENDENT) {
      expect(bad?.checks.find((c) => c.id === id)).toMatchObject({ status: 'skipped', code });
    }
    expect(bad?.checks.filter((c) => c.status === 'failed')).toHaveLength(1);
    expect(bad?.elements.length).toBe(good?.elements.length);
    expect(bad?.elements.some((e) => e.verified)).toBe(false);
    expect(bad?.validity).toBeUndefined();
  });

  it('a limit error inside one document still throws for the whole response', async () => {
    await expect(
      verifyDeviceResponse(twoDocuments(issuerAuth), { ...options, limits: { maxX5chainLength: 0 } }),
    ).rejects.toMatchObject({ code: 'ERR_LIMIT_X5CHAIN_LENGTH' });
  });
});
