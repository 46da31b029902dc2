import type { CoseSigner } from '@mdlkit/core/crypto';
import { exportPublicKey, generateKeyPair } from '@mdlkit/core/crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueMdoc } from '../src/issue/issue-mdoc.js';
import { makeIssuer, NOW, sampleMdl, type TestIssuer } from './fixtures.js';

const NS = 'org.iso.18013.5.1';

// issue #19: a remote signer states its public key; issueMdoc refuses one that is not the DS
// certificate's key before calling it (every MSO it signed would fail in every reader).
describe('signer key vs DS certificate key', () => {
  let issuer: TestIssuer;
  let other: TestIssuer;
  beforeAll(async () => {
    issuer = await makeIssuer();
    other = await makeIssuer();
  });

  function stating(t: TestIssuer, publicKey: Uint8Array): CoseSigner & { calls: number } {
    const inner = t.signer as CoseSigner;
    const signer = {
      kind: 'message' as const,
      alg: inner.alg,
      publicKey,
      calls: 0,
      sign: (tbs: Uint8Array) => {
        signer.calls++;
        return inner.sign(tbs);
      },
    };
    return signer;
  }

  const issue = (signer: CoseSigner, dsCertificate: Uint8Array) =>
    issueMdoc({
      docType: 'org.iso.18013.5.1.mDL',
      nameSpaces: { [NS]: sampleMdl() },
      deviceKey: generateKeyPair({ curve: 'P-256' }).publicKey,
      validity: { validUntil: new Date('2025-06-01T00:00:00Z') },
      signer,
      dsCertificate,
      now: NOW,
    });

  it('signs when the stated key is the certificate key', async () => {
    const signer = stating(issuer, exportPublicKey(issuer.dsKey.publicKey, 'spki'));
    await issue(signer, issuer.ds);
    expect(signer.calls).toBe(1);
  });

  it('refuses a stated key that is another key, without calling the signer', async () => {
    const signer = stating(issuer, exportPublicKey(generateKeyPair({ curve: 'P-256' }).publicKey, 'spki'));
    await expect(issue(signer, issuer.ds)).rejects.toMatchObject({ code: 'ERR_SIGNER_KEY_MISMATCH' });
    expect(signer.calls).toBe(0);
  });

  it('a signer checked against one certificate is checked again against another', async () => {
    const signer = stating(issuer, exportPublicKey(issuer.dsKey.publicKey, 'spki'));
    await issue(signer, issuer.ds);
    await expect(issue(signer, other.ds)).rejects.toMatchObject({ code: 'ERR_SIGNER_KEY_MISMATCH' });
    expect(signer.calls).toBe(1);
  });

  it('an unreadable stated key is a typed error', async () => {
    const signer = stating(issuer, new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]));
    await expect(issue(signer, issuer.ds)).rejects.toMatchObject({ code: 'ERR_SIGNER_KEY_MISMATCH' });
  });
});
