import { describe, expect, it } from 'vitest';
import { buildCrl, checkCrl, derToPem, parseCertificate } from '../src/index.js';
import { buildHelperDs, buildHelperIaca, DAY, openssl, pem, seededRandom, testKey } from './helpers.js';

const t0 = new Date('2025-03-01T00:00:00Z');
const randomBytes = seededRandom('crl');
const iacaKey = testKey();
const otherKey = testKey();

async function setup() {
  const iaca = await buildHelperIaca({
    key: iacaKey,
    subject: { country: 'US', stateOrProvince: 'US-CA', commonName: 'CA IACA' },
    notBefore: t0,
    randomBytes,
  });
  const ds = (commonName: string) => buildHelperDs({ iaca, iacaKey, commonName, notBefore: t0, randomBytes });
  return { iaca, revokedDs: await ds('DS revoked'), goodDs: await ds('DS good') };
}

describe('IACA CRL', () => {
  it('builds a profile CRL that openssl verifies, and checks good / revoked / undetermined', async () => {
    const { iaca, revokedDs, goodDs } = await setup();
    const thisUpdate = new Date(t0.getTime() + 10 * DAY);
    const crl = await buildCrl({
      issuer: { certificate: iaca, signer: iacaKey.signer },
      thisUpdate,
      nextUpdate: new Date(thisUpdate.getTime() + 30 * DAY),
      crlNumber: 42,
      revoked: [
        {
          serialNumber: parseCertificate(revokedDs).serialNumber,
          revocationDate: new Date(t0.getTime() + 5 * DAY),
        },
      ],
    });
    const text = openssl(['crl', '-inform', 'DER', '-in', 'c.der', '-noout', '-text', '-CAfile', 'ca.pem'], {
      'c.der': crl,
      'ca.pem': pem(iaca),
    });
    expect(text.ok, text.out).toBe(true);
    expect(text.out).toMatch(/verify OK/);
    expect(text.out).toMatch(/Version 2/);
    expect(text.out).toMatch(/X509v3 CRL Number:\s+42/);
    expect(text.out).toMatch(/X509v3 Authority Key Identifier:/);
    expect(text.out).not.toMatch(/critical/);
    expect(text.out).toContain(parseCertificate(revokedDs).serialHex);
    // openssl agrees on revocation status.
    const v = openssl(
      [
        'verify',
        '-crl_check',
        '-attime',
        String(Math.floor((thisUpdate.getTime() + DAY) / 1000)),
        '-CAfile',
        'ca.pem',
        '-CRLfile',
        'crl.pem',
        'leaf.pem',
      ],
      { 'ca.pem': pem(iaca), 'crl.pem': derToPem(crl, 'X509 CRL'), 'leaf.pem': pem(revokedDs) },
    );
    expect(v.ok).toBe(false);
    expect(v.out).toMatch(/revoked/);

    const now = new Date(thisUpdate.getTime() + DAY);
    const revoked = await checkCrl({ certificate: revokedDs, crl, issuer: iaca, now });
    expect(revoked).toMatchObject({ status: 'revoked', code: 'ERR_CERT_REVOKED' });
    const good = await checkCrl({ certificate: goodDs, crl, issuer: iaca, now });
    expect(good).toMatchObject({ status: 'good', crlNumber: 42 });
    const stale = await checkCrl({
      certificate: goodDs,
      crl,
      issuer: iaca,
      now: new Date(thisUpdate.getTime() + 31 * DAY),
    });
    expect(stale).toMatchObject({ status: 'undetermined', code: 'ERR_CRL_STALE' });
    const early = await checkCrl({ certificate: goodDs, crl, issuer: iaca, now: t0 });
    expect(early).toMatchObject({ status: 'undetermined', code: 'ERR_CRL_INVALID' });
    const tampered = crl.slice();
    tampered[tampered.length - 5]! ^= 0x01;
    expect(await checkCrl({ certificate: goodDs, crl: tampered, issuer: iaca, now })).toMatchObject({
      status: 'undetermined',
      code: 'ERR_CRL_INVALID',
    });
    expect(
      await checkCrl({ certificate: goodDs, crl: crl.subarray(0, 40), issuer: iaca, now }),
    ).toMatchObject({
      status: 'undetermined',
      code: 'ERR_CRL_INVALID',
    });
  });

  it('an empty CRL omits revokedCertificates; a CRL signed by another key is undetermined', async () => {
    const { iaca, goodDs } = await setup();
    const crl = await buildCrl({
      issuer: { certificate: iaca, signer: otherKey.signer },
      thisUpdate: t0,
      nextUpdate: new Date(t0.getTime() + 90 * DAY),
      crlNumber: 1,
      revoked: [],
    });
    const text = openssl(['crl', '-inform', 'DER', '-in', 'c.der', '-noout', '-text'], { 'c.der': crl });
    expect(text.out).toMatch(/No Revoked Certificates/);
    expect(
      await checkCrl({ certificate: goodDs, crl, issuer: iaca, now: new Date(t0.getTime() + DAY) }),
    ).toMatchObject({
      status: 'undetermined',
      code: 'ERR_CRL_INVALID',
    });
  });

  it('refuses a nextUpdate more than 90 days out', async () => {
    const { iaca } = await setup();
    await expect(
      buildCrl({
        issuer: { certificate: iaca, signer: iacaKey.signer },
        thisUpdate: t0,
        nextUpdate: new Date(t0.getTime() + 91 * DAY),
        crlNumber: 1,
        revoked: [],
      }),
    ).rejects.toMatchObject({ code: 'ERR_CRL_INVALID' });
  });
});
