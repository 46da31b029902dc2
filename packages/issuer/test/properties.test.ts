import { generateKeyPairSync } from 'node:crypto';
import { decodeCbor, encodeCbor, toHex } from '@mdlkit/core/cbor';
import { decodeCoseSign1, verifyCoseSign1 } from '@mdlkit/core/cose';
import { digest, importPublicKey, type Jwk } from '@mdlkit/core/crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueBatch } from '../src/batch/issue-batch.js';
import { issueMdoc } from '../src/issue/issue-mdoc.js';
import { makeIssuer, NOW, type TestIssuer } from './fixtures.js';

const NS = 'org.iso.18013.5.1';
const DOCTYPE = 'org.iso.18013.5.1.mDL';
const VALID_UNTIL = new Date('2025-06-01T00:00:00Z');

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function deviceKey() {
  const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
  return importPublicKey({ format: 'jwk', jwk: jwk as Jwk });
}

// Element values CBOR can carry (no undefined; safe integers only).
const elementValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.boolean(),
  fc.uint8Array({ maxLength: 64 }),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }),
);
const elements = fc.dictionary(fc.stringMatching(/^[a-z_]{1,20}$/), elementValue, { minKeys: 1, maxKeys: 8 });

describe('issuer properties', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await makeIssuer();
  });

  // Not the mDL doctype: arbitrary elements, no schema.
  const issueExample = (els: Readonly<Record<string, unknown>> | ReadonlyMap<string, unknown>) =>
    issueMdoc({
      docType: 'org.example.doc',
      nameSpaces: { 'org.example.ns': els },
      deviceKey: deviceKey(),
      validity: { validUntil: VALID_UNTIL },
      signer: issuer.signer,
      dsCertificate: issuer.ds,
      now: NOW,
    });

  it('every issued MSO verifies and every item digest matches; any single-byte change breaks the digest', async () => {
    await fc.assert(
      fc.asyncProperty(elements, fc.nat(), fc.nat(), async (els, pickItem, pickByte) => {
        const mdoc = await issueExample(els);
        const ok = await verifyCoseSign1({
          message: decodeCoseSign1(mdoc.issuerAuth),
          key: issuer.dsKey.publicKey,
        });
        if (!ok) return false;
        const items = mdoc.nameSpaces.get('org.example.ns')!;
        const digests = mdoc.mso.valueDigests.get('org.example.ns')!;
        for (const item of items) {
          if (toHex(digests.get(item.digestID)!) !== toHex(digest('SHA-256', item.bytes.tagged())))
            return false;
        }
        const item = items[pickItem % items.length]!;
        const tampered = item.bytes.tagged().slice();
        tampered[pickByte % tampered.length]! ^= 1 << (pickByte % 8);
        return toHex(digest('SHA-256', tampered)) !== toHex(digests.get(item.digestID)!);
      }),
      { numRuns: 40 },
    );
  });

  it('items name their own identifiers, across more distinct identifiers than the encoding cache keeps', async () => {
    // 700 distinct identifiers (the writer keeps at most 512 encoded "elementIdentifier" entries, of
    // identifiers up to 64 code units: some here are longer).
    const ids = Array.from(
      { length: 700 },
      (_, i) => `element_${i}_${'é'.repeat(i % 3)}${'x'.repeat(i % 7 === 0 ? 80 : 0)}`,
    );
    for (let round = 0; round < 2; round++) {
      for (let start = 0; start < ids.length; start += 100) {
        const els = new Map(ids.slice(start, start + 100).map((id, i) => [id, i] as const));
        const mdoc = await issueExample(els);
        const issued = decodeCbor(mdoc.issuerSigned) as Map<
          string,
          Map<string, { value: Map<string, unknown> }[]>
        >;
        const names = issued
          .get('nameSpaces')!
          .get('org.example.ns')!
          .map((item) => item.value.get('elementIdentifier'));
        expect(names).toEqual([...els.keys()]);
      }
    }
  });

  it('IssuerNameSpaces and ValueDigests list namespaces in core deterministic order, whatever their script', async () => {
    const nameSpace = fc.oneof(
      fc.stringMatching(/^[a-z.]{1,30}$/),
      fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }),
    );
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(nameSpace, { minLength: 1, maxLength: 5 }), async (names) => {
        const mdoc = await issueMdoc({
          docType: 'org.example.doc',
          nameSpaces: Object.fromEntries(names.map((n) => [n, { e: 1 }])),
          deviceKey: deviceKey(),
          validity: { validUntil: VALID_UNTIL },
          signer: issuer.signer,
          dsCertificate: issuer.ds,
          now: NOW,
        });
        const sorted = [...names].sort((a, b) => compareBytes(encodeCbor(a), encodeCbor(b)));
        const issuerSigned = decodeCbor(mdoc.issuerSigned) as Map<string, Map<string, unknown>>;
        const mso = mdoc.mso.bytes.value as Map<string, Map<string, unknown>>;
        // The result map keeps the caller's order.
        return (
          JSON.stringify([...issuerSigned.get('nameSpaces')!.keys()]) === JSON.stringify(sorted) &&
          JSON.stringify([...mso.get('valueDigests')!.keys()]) === JSON.stringify(sorted) &&
          JSON.stringify([...mdoc.nameSpaces.keys()]) === JSON.stringify(names)
        );
      }),
      { numRuns: 60 },
    );
  });

  it('two MSOs of a batch share no salt, no digestID assignment and no device key', async () => {
    await fc.assert(
      fc.asyncProperty(elements, async (els) => {
        const keys = [deviceKey(), deviceKey(), deviceKey()];
        const { documents } = await issueBatch({
          docType: DOCTYPE,
          nameSpaces: { [NS]: els },
          deviceKeys: keys,
          validity: { validUntil: VALID_UNTIL },
          signer: issuer.signer,
          dsCertificate: issuer.ds,
          now: NOW,
          validateElements: false,
        });
        const salts = new Set<string>();
        const patterns = new Set<string>();
        const devKeys = new Set<string>();
        let total = 0;
        for (const d of documents) {
          if (!d.ok) return false;
          const items = d.mdoc.nameSpaces.get(NS)!;
          for (const i of items) salts.add(toHex(i.random));
          total += items.length;
          // The element → digestID assignment of this MSO.
          patterns.add(items.map((i) => `${i.elementIdentifier}:${i.digestID}`).join(','));
          const mso = d.mdoc.mso.bytes.value as Map<string, Map<string, Map<number, Uint8Array>>>;
          const x = mso.get('deviceKeyInfo')!.get('deviceKey')!.get(-2)!;
          if (toHex(x) !== toHex(keys[d.index]!.x)) return false;
          devKeys.add(toHex(x));
        }
        return (
          salts.size === total && patterns.size === documents.length && devKeys.size === documents.length
        );
      }),
      { numRuns: 20 },
    );
  });
});
