import { createLocalDigestSigner } from '@mdlkit/core/crypto';
import { describe, expect, it } from 'vitest';
import { buildCsr, parseCsr } from '../src/index.js';
import { openssl, testKey } from './helpers.js';

function csrPem(der: Uint8Array): string {
  return `-----BEGIN CERTIFICATE REQUEST-----\n${Buffer.from(der)
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END CERTIFICATE REQUEST-----\n`;
}

describe('buildCsr', () => {
  it('signs through a digest signer (KMS path) and openssl verifies the request', async () => {
    const key = testKey('P-256');
    const csr = await buildCsr({
      subject: { country: 'US', stateOrProvince: 'US-NY', commonName: 'NY DS 1' },
      publicKey: key.spki,
      signer: createLocalDigestSigner({ privateKey: key.privateKey, alg: -7 }),
    });
    const r = openssl(['req', '-in', 'r.pem', '-noout', '-verify', '-subject'], { 'r.pem': csrPem(csr) });
    expect(r.ok, r.out).toBe(true);
    expect(r.out).toMatch(/C\s?=\s?US, ST\s?=\s?US-NY, CN\s?=\s?NY DS 1/);
    const parsed = await parseCsr(csr);
    expect(parsed.signatureValid).toBe(true);
    expect(parsed.subject.commonName).toBe('NY DS 1');
    expect(parsed.publicKeyInfo.spki).toEqual(key.spki);
  });

  it('a CSR signed by another key does not verify', async () => {
    const key = testKey('P-384', -35);
    const other = testKey('P-384', -35);
    const csr = await buildCsr({ subject: { commonName: 'x' }, publicKey: key.spki, signer: other.signer });
    expect((await parseCsr(csr)).signatureValid).toBe(false);
    const r = openssl(['req', '-in', 'r.pem', '-noout', '-verify'], { 'r.pem': csrPem(csr) });
    expect(r.out).not.toMatch(/verify OK/i);
    expect(r.out).toMatch(/fail|did not match/i);
  });

  it('rejects malformed input with typed errors', async () => {
    const key = testKey();
    await expect(
      buildCsr({ subject: { commonName: 'x' }, publicKey: new Uint8Array([1, 2]), signer: key.signer }),
    ).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
    await expect(parseCsr(new Uint8Array([0x30, 0x03, 1, 2, 3]))).rejects.toMatchObject({
      code: 'ERR_X509_MALFORMED',
    });
  });
});
