import { EncodedCbor, toHex } from '@mdlkit/core/cbor';
import { publicKeyToCoseKey } from '@mdlkit/core/cose';
import { digest, generateKeyPair, randomBytes } from '@mdlkit/core/crypto';
import { describe, expect, it } from 'vitest';
import type { IssuedItem } from '../src/items/create-issuer-signed-items.js';
import { buildMso } from '../src/mso/build-mso.js';
import { checkValidity } from '../src/mso/check-validity.js';

const NS = 'org.iso.18013.5.1';
const AAMVA = 'org.iso.18013.5.1.aamva';
const validity = {
  signed: new Date('2025-03-01T00:00:00Z'),
  validFrom: new Date('2025-03-01T00:00:00Z'),
  validUntil: new Date('2025-04-01T00:00:00Z'),
};
const deviceKey = publicKeyToCoseKey(generateKeyPair({ curve: 'P-256' }).publicKey);

function item(digestID: number, name: string): IssuedItem {
  const bytes = EncodedCbor.fromValue(
    new Map<string, unknown>([
      ['digestID', digestID],
      ['random', new Uint8Array(16)],
      ['elementIdentifier', name],
      ['elementValue', name],
    ]),
  );
  return { digestID, random: new Uint8Array(16), elementIdentifier: name, elementValue: name, bytes };
}

const build = (nameSpaces: Map<string, IssuedItem[]>, decoys?: number) =>
  buildMso({
    docType: 'org.iso.18013.5.1.mDL',
    nameSpaces,
    deviceKey,
    validity,
    ...(decoys === undefined ? {} : { decoys, randomBytes }),
  });

describe('buildMso value digests', () => {
  // Without decoys the digests are collected in arrays; with decoys through Maps: same answers.
  it.each([undefined, 2])(
    'digestIDs ascending per namespace, digests of the tagged items (decoys %s)',
    (decoys) => {
      const items = [item(9, 'c'), item(2, 'a'), item(2_000_000_000, 'd'), item(5, 'b')];
      const mso = build(
        new Map([
          [NS, items],
          [AAMVA, [item(1, 'x')]],
          ['empty.namespace', []],
        ]),
        decoys,
      );
      const ns = mso.valueDigests.get(NS)!;
      const ids = [...ns.keys()];
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      for (const it of items) expect(ns.get(it.digestID)).toEqual(digest('SHA-256', it.bytes.tagged()));
      expect(ns.size).toBe(items.length + (decoys ?? 0));
      expect(mso.valueDigests.get(AAMVA)?.size).toBe(1 + (decoys ?? 0));
      // The encoded MSO carries the same map (ascending IDs, the same digests).
      const encoded = (mso.bytes.value as Map<string, unknown>).get('valueDigests') as Map<
        string,
        Map<number, Uint8Array>
      >;
      expect([...encoded.get(NS)!.entries()]).toEqual([...ns.entries()]);
      expect(encoded.has('empty.namespace')).toBe(false); // decoys go to namespaces with items
    },
  );

  it.each(['SHA-256', 'SHA-384', 'SHA-512'] as const)(
    '%s digests hashed into the MSO are read back as copies: changing one leaves the MSO alone',
    (digestAlgorithm) => {
      const items = [item(4, 'a'), item(1, 'b')];
      const mso = buildMso({
        docType: 'org.iso.18013.5.1.mDL',
        nameSpaces: new Map([[NS, items]]),
        deviceKey,
        validity,
        digestAlgorithm,
      });
      const before = toHex(mso.bytes.tagged());
      const ns = mso.valueDigests.get(NS)!;
      for (const it of items) expect(ns.get(it.digestID)).toEqual(digest(digestAlgorithm, it.bytes.tagged()));
      ns.get(1)!.fill(0);
      expect(toHex(mso.bytes.tagged())).toBe(before);
    },
  );

  it.each([3, 64, 65, 200])('%i items in any order come out with ascending digestIDs', (n) => {
    // Distinct ids in a scrambled order (a multiplier coprime to the prime modulus).
    const ids = Array.from({ length: n }, (_, i) => ((i + 1) * 7919) % 1_000_003);
    const mso = build(new Map([[NS, ids.map((id, i) => item(id, `e${i}`))]]));
    expect([...mso.valueDigests.get(NS)!.keys()]).toEqual([...ids].sort((a, b) => a - b));
    const encoded = (mso.bytes.value as Map<string, Map<string, Map<number, Uint8Array>>>).get(
      'valueDigests',
    )!;
    expect([...encoded.get(NS)!.keys()]).toEqual([...ids].sort((a, b) => a - b));
  });

  it.each(['P-256', 'P-384', 'P-521', 'brainpoolP256r1', 'brainpoolP512r1', 'Ed25519', 'X25519'] as const)(
    'a %s device key handle gives the same MSO bytes as its COSE_Key map, in both key orders',
    (curve) => {
      const pub = generateKeyPair({ curve }).publicKey;
      for (const keyOrder of ['deterministic', 'insertion'] as const) {
        for (const keyAuthorizations of [undefined, { nameSpaces: [NS] }]) {
          const common = {
            docType: 'org.iso.18013.5.1.mDL',
            nameSpaces: new Map([[NS, [item(1, 'a')]]]),
            validity,
            keyOrder,
            ...(keyAuthorizations === undefined ? {} : { keyAuthorizations }),
          };
          const fromHandle = buildMso({ ...common, deviceKey: pub });
          const fromMap = buildMso({ ...common, deviceKey: publicKeyToCoseKey(pub) });
          expect(toHex(fromHandle.bytes.tagged())).toBe(toHex(fromMap.bytes.tagged()));
        }
      }
    },
  );

  it('rejects a device key that is neither a COSE_Key map nor a public key', () => {
    const pub = generateKeyPair({ curve: 'P-256' }).publicKey;
    for (const deviceKey of [
      new Map(),
      { type: 'private' },
      null,
      'key',
      { ...pub, y: undefined },
      { ...pub, x: [1] },
    ]) {
      expect(() =>
        buildMso({
          docType: 'org.iso.18013.5.1.mDL',
          nameSpaces: new Map([[NS, [item(1, 'a')]]]),
          deviceKey: deviceKey as unknown as Map<number, unknown>,
          validity,
        }),
      ).toThrow(expect.objectContaining({ code: 'ERR_MSO_INVALID' }));
    }
  });

  it.each([undefined, 1])('rejects a repeated or out-of-range digestID (decoys %s)', (decoys) => {
    const repeated = () => build(new Map([[NS, [item(3, 'a'), item(4, 'b'), item(3, 'c')]]]), decoys);
    expect(repeated).toThrow(
      expect.objectContaining({ code: 'ERR_MSO_INVALID', details: { nameSpace: NS, digestID: 3 } }),
    );
    for (const bad of [-1, 2 ** 31, 1.5]) {
      expect(() => build(new Map([[NS, [item(bad, 'a')]]]), decoys)).toThrow(
        expect.objectContaining({ code: 'ERR_MSO_INVALID', details: { nameSpace: NS } }),
      );
    }
    expect(() => build(new Map([[NS, []]]))).toThrow(expect.objectContaining({ code: 'ERR_MSO_INVALID' }));
  });
});

describe('checkValidity instants', () => {
  it('truncates to whole seconds and hands out one frozen TDate per instant', () => {
    const a = checkValidity({
      signed: new Date('2025-03-01T00:00:00.900Z'),
      validFrom: new Date('2025-03-01T00:00:00.100Z'),
      validUntil: new Date('2025-04-01T00:00:00Z'),
    });
    expect(a.signed.value).toBe('2025-03-01T00:00:00Z');
    expect(a.signed).toBe(a.validFrom); // the same second
    expect(Object.isFrozen(a.signed)).toBe(true);
    expect(() => {
      (a.signed as { value: string }).value = 'tampered';
    }).toThrow(TypeError);
    const b = checkValidity({ ...validity, validUntil: new Date('2025-05-01T00:00:00Z') });
    expect(b.signed).toBe(a.signed);
    expect(b.validUntil.value).toBe('2025-05-01T00:00:00Z');
    expect(b.validUntil.epochMilliseconds).toBe(Date.parse('2025-05-01T00:00:00Z'));
  });
});
