import { decodeCbor, type EncodedCbor, toHex } from '@mdlkit/core/cbor';
import { buildSigStructure, decodeCoseSign1, getX5Chain, verifyCoseSign1 } from '@mdlkit/core/cose';
import { digest, generateKeyPair } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueMdoc } from '../src/issue/issue-mdoc.js';
import { signIssuerAuth } from '../src/issuer-auth/sign-issuer-auth.js';
import { makeIssuer, NOW, sampleMdl, type TestIssuer } from './fixtures.js';

type CborMap = Map<unknown, unknown>;
const NS = 'org.iso.18013.5.1';
const DOCTYPE = 'org.iso.18013.5.1.mDL';

/** Whether `x` is the only view of its ArrayBuffer, covering all of it. */
function ownsBuffer(x: Uint8Array): boolean {
  return x.byteOffset === 0 && x.buffer.byteLength === x.byteLength;
}

describe('issueMdoc', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await makeIssuer();
  });

  const issue = (extra: Partial<Parameters<typeof issueMdoc>[0]> = {}) =>
    issueMdoc({
      docType: DOCTYPE,
      nameSpaces: { [NS]: sampleMdl() },
      deviceKey: generateKeyPair({ curve: 'P-256' }).publicKey,
      validity: { validUntil: new Date('2025-06-01T00:00:00Z') },
      signer: issuer.signer,
      dsCertificate: issuer.ds,
      now: NOW,
      ...extra,
    });

  it.each(['deterministic', 'insertion'] as const)(
    'signs exactly the RFC 9052 Sig_structure of the IssuerAuth it emits (%s key order)',
    async (keyOrder) => {
      // The Sig_structure is written in place around the MSO; the signer must see the same bytes
      // buildSigStructure makes from the emitted COSE_Sign1, and the IssuerAuth must be the
      // IssuerSigned's own bytes.
      const seen: Uint8Array[] = [];
      const signer = {
        kind: 'message' as const,
        alg: issuer.signer.alg,
        sign: async (tbs: Uint8Array) => {
          seen.push(tbs.slice());
          return (issuer.signer as { sign(t: Uint8Array): Promise<Uint8Array> }).sign(tbs);
        },
      };
      const mdoc = await issue({ signer, keyOrder });
      const sign1 = decodeCoseSign1(mdoc.issuerAuth);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toEqual(
        buildSigStructure({ protectedBytes: sign1.protectedBytes, payload: sign1.payload! }),
      );
      const issuerSigned = decodeCbor(mdoc.issuerSigned) as CborMap;
      expect([...issuerSigned.keys()]).toEqual(
        keyOrder === 'insertion' ? ['nameSpaces', 'issuerAuth'] : ['issuerAuth', 'nameSpaces'],
      );
      expect(sign1.payload).toEqual(mdoc.mso.bytes.tagged());
      // Every array handed out owns its buffer: none is a view into IssuerSigned or another one.
      const firstItem = [...mdoc.nameSpaces.values()][0]![0]!;
      const handedOut = [
        mdoc.issuerSigned,
        mdoc.issuerAuth,
        mdoc.mso.bytes.bytes,
        mdoc.mso.bytes.tagged(),
        firstItem.bytes.bytes,
        firstItem.bytes.tagged(),
        firstItem.random,
        ...[...mdoc.mso.valueDigests.values()].flatMap((m) => [...m.values()]),
      ];
      for (const x of handedOut) expect(ownsBuffer(x)).toBe(true);
      expect(new Set(handedOut.map((x) => x.buffer)).size).toBe(handedOut.length);
    },
  );

  it('signs through signSync when the signer offers it (no promise), with the same checks as sign', async () => {
    const local = issuer.signer as {
      sign(t: Uint8Array): Promise<Uint8Array>;
      signSync?(t: Uint8Array): Uint8Array;
    };
    // The node:crypto local signer offers it (the test fixtures' DS signer is one).
    expect(typeof local.signSync).toBe('function');
    const calls = { sign: 0, signSync: 0 };
    const signer = (signSync: (tbs: Uint8Array) => Uint8Array) => ({
      kind: 'message' as const,
      alg: issuer.signer.alg,
      sign: async (tbs: Uint8Array) => {
        calls.sign++;
        return local.sign(tbs);
      },
      signSync: (tbs: Uint8Array) => {
        calls.signSync++;
        return signSync(tbs);
      },
    });
    const mdoc = await issue({ signer: signer((tbs) => local.signSync!(tbs)) });
    expect(calls).toEqual({ sign: 0, signSync: 1 });
    const sign1 = decodeCoseSign1(mdoc.issuerAuth);
    expect(await verifyCoseSign1({ message: sign1, key: issuer.dsKey.publicKey })).toBe(true);

    // A thrown MdlError keeps its code; anything else is ERR_SIGNER_FAILED, as through sign.
    await expect(
      issue({
        signer: signer(() => {
          throw new MdlError('ERR_SIGNER_THROTTLED', 'slow down');
        }),
      }),
    ).rejects.toMatchObject({ code: 'ERR_SIGNER_THROTTLED' });
    await expect(
      issue({
        signer: signer(() => {
          throw new Error('HSM unplugged');
        }),
      }),
    ).rejects.toMatchObject({ code: 'ERR_SIGNER_FAILED' });
    await expect(issue({ signer: signer(() => new Uint8Array(63)) })).rejects.toMatchObject({
      code: 'ERR_SIGNER_FAILED',
    });
    expect(calls.sign).toBe(0);
  });

  it('hands out item objects (made when first read) that match the bytes in IssuerSigned', async () => {
    const data = sampleMdl();
    const mdoc = await issue({ nameSpaces: { [NS]: data } });
    const nameSpaces = mdoc.nameSpaces;
    expect(mdoc.nameSpaces).toBe(nameSpaces); // made once
    const { nameSpaces: destructured } = mdoc; // a getter: read, destructured — not copied by a spread
    expect(destructured).toBe(nameSpaces);
    const issued = ((decodeCbor(mdoc.issuerSigned) as CborMap).get('nameSpaces') as CborMap).get(
      NS,
    ) as EncodedCbor[];
    const items = nameSpaces.get(NS)!;
    expect(items.map((i) => i.elementIdentifier)).toEqual([...data.keys()]);
    const vd = mdoc.mso.valueDigests.get(NS)!;
    items.forEach((item, i) => {
      expect(toHex(item.bytes.tagged())).toBe(toHex(issued[i]!.tagged()));
      const fields = item.bytes.value as CborMap;
      expect(fields.get('digestID')).toBe(item.digestID);
      expect(fields.get('random')).toEqual(item.random);
      expect(fields.get('elementIdentifier')).toBe(item.elementIdentifier);
      expect(item.elementValue).toBe(data.get(item.elementIdentifier));
      expect(vd.get(item.digestID)).toEqual(digest('SHA-256', item.bytes.tagged()));
    });
  });

  it('writes IssuerSigned with a status, and with a device COSE_Key carrying a large extra parameter', async () => {
    const status = { statusList: { idx: 7, uri: 'https://status.example/list/1' } };
    const pub = generateKeyPair({ curve: 'P-256' }).publicKey;
    const bigKey = new Map<number, unknown>([
      [1, 2],
      [-1, 1],
      [-2, pub.x],
      [-3, pub.y!],
      [-70000, new Uint8Array(4000)],
    ]);
    for (const mdoc of [await issue({ status }), await issue({ deviceKey: bigKey })]) {
      const firstItem = [...mdoc.nameSpaces.values()][0]![0]!;
      expect(ownsBuffer(firstItem.bytes.bytes)).toBe(true);
      const issuerSigned = decodeCbor(mdoc.issuerSigned) as CborMap;
      expect([...issuerSigned.keys()]).toEqual(['issuerAuth', 'nameSpaces']);
      const sign1 = decodeCoseSign1(mdoc.issuerAuth);
      expect(await verifyCoseSign1({ message: sign1, key: issuer.dsKey.publicKey })).toBe(true);
      const nameSpaces = issuerSigned.get('nameSpaces') as CborMap;
      const items = nameSpaces.get(NS) as EncodedCbor[];
      expect(items[0]!.tagged()).toEqual(firstItem.bytes.tagged());
    }
  });

  it.each([
    ['null namespaces', null],
    ['a string', 'org.iso.18013.5.1'],
    ['an array of namespaces', [['a.b', { x: 1 }]]],
    ['a null namespace', { 'a.b': null }],
    ['a number for a namespace', { 'a.b': 5 }],
  ])('rejects %s with a typed error', async (_name, nameSpaces) => {
    await expect(issue({ docType: 'a.b.c', nameSpaces: nameSpaces as never })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
  });

  it.each([
    ['a private key', () => generateKeyPair({ curve: 'P-256' }).privateKey],
    ['an EC2 handle without y', () => ({ ...generateKeyPair({ curve: 'P-256' }).publicKey, y: undefined })],
    ['a handle whose x is not bytes', () => ({ ...generateKeyPair({ curve: 'P-256' }).publicKey, x: 'x' })],
    ['a string', () => 'key'],
  ])('rejects %s as the device key with a typed error', async (_name, deviceKey) => {
    await expect(issue({ deviceKey: deviceKey() as never })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
  });

  it('signing an issued MSO again leaves the IssuerSigned it sits in untouched', async () => {
    const mdoc = await issue();
    const before = toHex(mdoc.issuerSigned);
    const again = await signIssuerAuth({ mso: mdoc.mso, signer: issuer.signer, dsCertificate: issuer.ds });
    expect(toHex(mdoc.issuerSigned)).toBe(before);
    const sign1 = decodeCoseSign1(again.bytes);
    expect(await verifyCoseSign1({ message: sign1, key: issuer.dsKey.publicKey })).toBe(true);
    expect(toHex(sign1.payload!)).toBe(toHex(mdoc.mso.bytes.tagged()));
  });

  it('emits IssuerSigned whose IssuerAuth verifies and whose digests cover the items', async () => {
    const mdoc = await issue();
    const issuerSigned = decodeCbor(mdoc.issuerSigned) as CborMap;
    const sign1 = decodeCoseSign1(mdoc.issuerAuth);
    expect(await verifyCoseSign1({ message: sign1, key: issuer.dsKey.publicKey })).toBe(true);
    // alg protected, x5chain unprotected holding only the DS certificate.
    expect([...sign1.protected.keys()]).toEqual([1]);
    const x5 = getX5Chain(sign1)!;
    expect(x5.bucket).toBe('unprotected');
    expect(x5.certificates).toHaveLength(1);
    const mso = (decodeCbor(sign1.payload!) as EncodedCbor).value as CborMap;
    const vd = (mso.get('valueDigests') as CborMap).get(NS) as Map<number, Uint8Array>;
    const items = (issuerSigned.get('nameSpaces') as CborMap).get(NS) as EncodedCbor[];
    expect(items).toHaveLength(sampleMdl().size);
    for (const item of items) {
      const id = (item.value as CborMap).get('digestID') as number;
      expect(vd.get(id)).toEqual(digest('SHA-256', item.tagged()));
      expect(((item.value as CborMap).get('random') as Uint8Array).length).toBe(32);
    }
    const vi = mso.get('validityInfo') as CborMap;
    expect(String(vi.get('signed'))).toBe('2025-03-01T12:00:00Z');
  });

  it('signs through a digest signer (the KMS DIGEST path) with SHA-384 digests', async () => {
    const p384 = await makeIssuer({ curve: 'P-384', alg: -35, digest: true });
    const mdoc = await issueMdoc({
      docType: DOCTYPE,
      nameSpaces: { [NS]: sampleMdl() },
      deviceKey: generateKeyPair({ curve: 'P-384' }).publicKey,
      validity: { validUntil: new Date('2025-06-01T00:00:00Z') },
      signer: p384.signer,
      dsCertificate: p384.ds,
      digestAlgorithm: 'SHA-384',
      now: NOW,
    });
    const sign1 = decodeCoseSign1(mdoc.issuerAuth);
    expect(await verifyCoseSign1({ message: sign1, key: p384.dsKey.publicKey })).toBe(true);
    expect(mdoc.mso.digestAlgorithm).toBe('SHA-384');
    // The MSO bytes are an array of their own.
    expect(ownsBuffer(mdoc.mso.bytes.bytes)).toBe(true);
    expect(toHex(sign1.payload!)).toBe(toHex(mdoc.mso.bytes.tagged()));
  });

  it('rejects validity the DS certificate does not cover', async () => {
    await expect(issue({ validity: { validUntil: new Date('2026-06-01T00:00:00Z') } })).rejects.toMatchObject(
      {
        code: 'ERR_MSO_VALIDITY_INVALID',
      },
    );
    await expect(
      issue({
        now: new Date('2027-01-01T00:00:00Z'),
        validity: { validUntil: new Date('2027-02-01T00:00:00Z') },
      }),
    ).rejects.toMatchObject({
      code: 'ERR_ISSUE_DS_NOT_VALID',
    });
    await expect(
      issue({
        validity: {
          validFrom: new Date('2025-05-01T00:00:00Z'),
          validUntil: new Date('2025-04-01T00:00:00Z'),
        },
      }),
    ).rejects.toMatchObject({ code: 'ERR_MSO_VALIDITY_INVALID' });
  });

  it('rejects an issuing_country that differs from the DS countryName, without echoing it', async () => {
    const err = await issue({ nameSpaces: { [NS]: sampleMdl('FR') } }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'ERR_ISSUE_COUNTRY_MISMATCH',
      details: { elementIdentifier: 'issuing_country' },
    });
    expect((err as Error).message).not.toContain('FR');
  });

  it('refuses a signer whose algorithm does not fit the DS key', async () => {
    const p384 = await makeIssuer({ curve: 'P-384', alg: -35 });
    await expect(issue({ signer: p384.signer })).rejects.toMatchObject({ code: 'ERR_COSE_ALG_KEY_MISMATCH' });
  });

  it('EdDSA: signs with a message signer, refuses a digest signer', async () => {
    const ed = await makeIssuer({ curve: 'Ed25519', alg: -8 });
    const mdoc = await issue({ signer: ed.signer, dsCertificate: ed.ds });
    expect(
      await verifyCoseSign1({ message: decodeCoseSign1(mdoc.issuerAuth), key: ed.dsKey.publicKey }),
    ).toBe(true);
    expect(ownsBuffer(mdoc.mso.bytes.bytes)).toBe(true);
    const edDigest = {
      kind: 'digest' as const,
      alg: -8 as const,
      signDigest: async () => new Uint8Array(64),
    };
    await expect(issue({ signer: edDigest, dsCertificate: ed.ds })).rejects.toMatchObject({
      code: 'ERR_CRYPTO_DIGEST_SIGNING_UNSUPPORTED',
    });
  });

  it.each([
    ['P-521', -36, false],
    ['brainpoolP256r1', -7, false],
    ['brainpoolP384r1', -35, true],
  ] as const)('signs with %s (alg %i, digest signer %s)', async (curve, alg, digestSigner) => {
    const other = await makeIssuer({ curve, alg, digest: digestSigner });
    const mdoc = await issue({ signer: other.signer, dsCertificate: other.ds });
    const sign1 = decodeCoseSign1(mdoc.issuerAuth);
    expect(sign1.protected.get(1)).toBe(alg);
    expect(await verifyCoseSign1({ message: sign1, key: other.dsKey.publicKey })).toBe(true);
  });

  it('adds decoy digests and keeps salts unique', async () => {
    const mdoc = await issue({ decoys: 4 });
    expect(mdoc.mso.valueDigests.get(NS)!.size).toBe(sampleMdl().size + 4);
    const salts = mdoc.nameSpaces.get(NS)!.map((i) => Buffer.from(i.random).toString('hex'));
    expect(new Set(salts).size).toBe(salts.length);
  });
});
