import { decodeCoseSign1, getX5Chain, verifyCoseSign1 } from '@mdlkit/core/cose';
import { generateKeyPair } from '@mdlkit/core/crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueMdoc } from '../src/issue/issue-mdoc.js';
import { signIssuerAuth } from '../src/issuer-auth/sign-issuer-auth.js';
import { makeIssuer, NOW, sampleMdl, type TestIssuer } from './fixtures.js';

const NS = 'org.iso.18013.5.1';
const DOCTYPE = 'org.iso.18013.5.1.mDL';

// The DS certificate is parsed once and remembered by array identity and by bytes; the signer
// check and x5chain header are remembered per certificate and alg. These tests pin that the
// remembered state never leaks between calls that differ.
describe('DS certificate and signer caches', () => {
  let issuer: TestIssuer;
  let other: TestIssuer;
  beforeAll(async () => {
    issuer = await makeIssuer();
    other = await makeIssuer();
  });

  const issue = (t: TestIssuer, dsCertificate: Uint8Array | readonly Uint8Array[]) =>
    issueMdoc({
      docType: DOCTYPE,
      nameSpaces: { [NS]: sampleMdl() },
      deviceKey: generateKeyPair({ curve: 'P-256' }).publicKey,
      validity: { validUntil: new Date('2025-06-01T00:00:00Z') },
      signer: t.signer,
      dsCertificate,
      now: NOW,
    });

  it('byte-equal copies of the DS certificate share the parse, and a caller later overwriting its copy changes nothing', async () => {
    const a = issuer.ds.slice();
    const b = issuer.ds.slice();
    const issued = [await issue(issuer, a), await issue(issuer, b)];
    a.fill(0);
    issued.push(await issue(issuer, b));
    for (const mdoc of issued) {
      const sign1 = decodeCoseSign1(mdoc.issuerAuth);
      expect(getX5Chain(sign1)!.certificates[0]).toEqual(issuer.ds);
      expect(await verifyCoseSign1({ message: sign1, key: issuer.dsKey.publicKey })).toBe(true);
    }
  });

  it('a signer that does not fit the DS key is refused after the same DS signed with its own key', async () => {
    await issue(issuer, issuer.ds);
    await expect(
      issueMdoc({
        docType: DOCTYPE,
        nameSpaces: { [NS]: sampleMdl() },
        deviceKey: generateKeyPair({ curve: 'P-256' }).publicKey,
        validity: { validUntil: new Date('2025-06-01T00:00:00Z') },
        signer: { ...issuer.signer, alg: -35 },
        dsCertificate: issuer.ds,
        now: NOW,
      }),
    ).rejects.toMatchObject({ code: 'ERR_COSE_ALG_KEY_MISMATCH' });
  });

  it('a chain of two certificates is emitted as an array after the single DS certificate was cached', async () => {
    const mdoc = await issue(issuer, issuer.ds);
    const single = await signIssuerAuth({ mso: mdoc.mso, signer: issuer.signer, dsCertificate: issuer.ds });
    const chained = await signIssuerAuth({
      mso: mdoc.mso,
      signer: issuer.signer,
      dsCertificate: [issuer.ds, other.ds],
    });
    expect(getX5Chain(decodeCoseSign1(single.bytes))!.certificates).toHaveLength(1);
    expect(getX5Chain(decodeCoseSign1(chained.bytes))!.certificates).toEqual([issuer.ds, other.ds]);
  });
});
