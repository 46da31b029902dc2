import { inflateSync } from 'node:zlib';
import { decodeCbor } from '@mdlkit/core/cbor';
import { decodeCoseSign1 } from '@mdlkit/core/cose';
import { createLocalSigner, exportPublicKey, generateKeyPair, randomBytes } from '@mdlkit/core/crypto';
import {
  parseIdentifierListToken,
  parseStatusListToken,
  StatusList,
  StatusValue,
  verifyStatusToken,
} from '@mdlkit/core/status';
import { buildStatusListSignerCertificate } from '@mdlkit/pki';
import { beforeAll, describe, expect, it } from 'vitest';
import { allocateIdentifier, StatusIndexAllocator } from '../src/status/allocate-status-index.js';
import { buildIdentifierListToken, buildStatusListToken } from '../src/status/status-token.js';
import { makeIssuer, NOT_AFTER, NOT_BEFORE, type TestIssuer } from './fixtures.js';

const NOW = new Date('2025-03-01T00:00:00Z');
const EXP = new Date('2025-03-02T00:00:00Z');
const URI = 'https://dmv.example/status/1';

describe('status tokens', () => {
  let issuer: TestIssuer;
  let cert: Uint8Array;
  let signer: ReturnType<typeof createLocalSigner>;
  let key: ReturnType<typeof generateKeyPair>;
  beforeAll(async () => {
    issuer = await makeIssuer();
    key = generateKeyPair({ curve: 'P-256' });
    signer = createLocalSigner({ privateKey: key.privateKey, alg: -7 });
    cert = await buildStatusListSignerCertificate({
      subject: { commonName: 'Status list signer' },
      publicKey: exportPublicKey(key.publicKey, 'spki'),
      issuer: {
        certificate: issuer.iaca,
        signer: createLocalSigner({ privateKey: issuer.iacaKey.privateKey, alg: -7 }),
      },
      crlDistributionPoint: 'https://example.com/iaca.crl',
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
      randomBytes,
    });
  });

  it('Token Status List: revoked indices read back; header and claims as specified', async () => {
    const alloc = new StatusIndexAllocator({ capacity: 4096, randomBytes });
    const indices = Array.from({ length: 50 }, () => alloc.allocate());
    const list = new StatusList({ bits: 1, size: 4096 });
    const revoked = indices.filter((_, i) => i % 3 === 0);
    for (const i of revoked) list.set(i, StatusValue.INVALID);
    const bytes = await buildStatusListToken({
      statusList: list,
      uri: URI,
      now: NOW,
      expiresAt: EXP,
      ttlSeconds: 3600,
      signer,
      certificateChain: [cert],
    });
    const sign1 = decodeCoseSign1(bytes);
    expect(sign1.protected.get(1)).toBe(-7);
    expect(sign1.protected.get(16)).toBe('application/statuslist+cwt');
    expect(sign1.protected.get(33)).toEqual(cert);
    const claims = decodeCbor(sign1.payload!) as Map<number, unknown>;
    expect(claims.get(2)).toBe(URI);
    expect(claims.get(6)).toBe(NOW.getTime() / 1000);
    expect(claims.get(4)).toBe(EXP.getTime() / 1000);
    expect(claims.get(65534)).toBe(3600);
    // lst is ZLIB (RFC 1950) — checked with node's zlib, not our own code.
    const sl = claims.get(65533) as Map<string, unknown>;
    expect(new Uint8Array(inflateSync(sl.get('lst') as Uint8Array))).toEqual(list.bytes);

    const token = await parseStatusListToken(bytes);
    await verifyStatusToken({ token, key: key.publicKey, now: NOW, expectedUri: URI });
    for (const i of indices) expect(token.getStatus(i)).toBe(revoked.includes(i) ? 1 : 0);
    expect(token.certificateChain).toEqual([cert]);
  });

  it('rejects a tampered, expired or foreign token', async () => {
    const list = new StatusList({ bits: 1, size: 64 });
    const bytes = await buildStatusListToken({
      statusList: list,
      uri: URI,
      now: NOW,
      expiresAt: EXP,
      signer,
      certificateChain: [cert],
    });
    const token = await parseStatusListToken(bytes);
    await expect(
      verifyStatusToken({ token, key: key.publicKey, now: new Date('2025-03-03T00:00:00Z') }),
    ).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_INVALID' });
    await expect(
      verifyStatusToken({ token, key: key.publicKey, now: NOW, expectedUri: 'https://other' }),
    ).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_INVALID' });
    await expect(verifyStatusToken({ token, key: issuer.dsKey.publicKey, now: NOW })).rejects.toMatchObject({
      code: 'ERR_STATUS_LIST_INVALID',
    });
    const tampered = bytes.slice();
    tampered[tampered.length - 1]! ^= 1;
    await expect(
      verifyStatusToken({ token: await parseStatusListToken(tampered), key: key.publicKey, now: NOW }),
    ).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_INVALID' });
    await expect(parseStatusListToken(new Uint8Array([0xa0]))).rejects.toMatchObject({
      code: 'ERR_STATUS_LIST_INVALID',
    });
    // An identifier list is not a status list.
    const idl = await buildIdentifierListToken({
      identifiers: [],
      uri: URI,
      now: NOW,
      expiresAt: EXP,
      signer,
      certificateChain: [cert],
    });
    await expect(parseStatusListToken(idl)).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_INVALID' });
    await expect(
      buildStatusListToken({
        statusList: list,
        uri: URI,
        now: EXP,
        expiresAt: NOW,
        signer,
        certificateChain: [cert],
      }),
    ).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_INVALID' });
  });

  it('identifier list: listed ids are revoked, others are not', async () => {
    const ids = Array.from({ length: 5 }, () => allocateIdentifier({ randomBytes }));
    const bytes = await buildIdentifierListToken({
      identifiers: ids.slice(0, 3),
      uri: URI,
      now: NOW,
      expiresAt: EXP,
      signer,
      certificateChain: [cert],
    });
    const token = parseIdentifierListToken(bytes);
    await verifyStatusToken({ token, key: key.publicKey, now: NOW });
    expect(decodeCoseSign1(bytes).protected.get(16)).toBe('application/identifierlist+cwt');
    expect(ids.map((id) => token.has(id))).toEqual([true, true, true, false, false]);
    expect(token.size).toBe(3);
  });
});
