import { decodeCbor, EncodedCbor, encodeCbor, toHex } from '@mdlkit/core/cbor';
import { createLocalSigner, exportPublicKey, generateKeyPair, randomBytes } from '@mdlkit/core/crypto';
import { parseDeviceRequest } from '@mdlkit/holder';
import { buildReaderAuthCertificate, buildReaderRootCertificate, TrustStore } from '@mdlkit/pki';
import { annexD, useCasesInfo } from '@mdlkit/test-fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDeviceRequest, type DocRequestInput, type ReaderAuthInput } from './build-device-request.js';

const MDL = 'org.iso.18013.5.1.mDL';
const NS = 'org.iso.18013.5.1';
const DAY = 86_400_000;
const NOW = new Date('2026-01-15T00:00:00Z');

const docRequests: DocRequestInput[] = [
  {
    docType: MDL,
    nameSpaces: { [NS]: { family_name: true, age_over_21: false } },
    requestInfo: { purpose: 'test' },
  },
  {
    docType: 'org.iso.23220.photoID',
    nameSpaces: new Map([['org.iso.23220.1', new Map([['portrait', false]])]]),
  },
];

// Version 1.0 output as built before the 1.1 options existed (unsigned, so deterministic).
const GOLDEN_1_0 = {
  deterministic:
    'a26776657273696f6e63312e306b646f63526571756573747382a16c6974656d7352657175657374d8185872a367646f6354797065756f72672e69736f2e31383031332e352e312e6d444c6a6e616d65537061636573a1716f72672e69736f2e31383031332e352e31a26b6167655f6f7665725f3231f46b66616d696c795f6e616d65f56b72657175657374496e666fa167707572706f73656474657374a16c6974656d7352657175657374d8185846a267646f6354797065756f72672e69736f2e32333232302e70686f746f49446a6e616d65537061636573a16f6f72672e69736f2e32333232302e31a168706f727472616974f4',
  insertion:
    'a26776657273696f6e63312e306b646f63526571756573747382a16c6974656d7352657175657374d8185872a367646f6354797065756f72672e69736f2e31383031332e352e312e6d444c6a6e616d65537061636573a1716f72672e69736f2e31383031332e352e31a26b66616d696c795f6e616d65f56b6167655f6f7665725f3231f46b72657175657374496e666fa167707572706f73656474657374a16c6974656d7352657175657374d8185846a267646f6354797065756f72672e69736f2e32333232302e70686f746f49446a6e616d65537061636573a16f6f72672e69736f2e32333232302e31a168706f727472616974f4',
} as const;

const useCases = [
  { mandatory: true, documentSets: [[0]], purposeHints: new Map([['org.iso.jtc1.sc17', 2]]) },
  { mandatory: false, documentSets: [[0], [1]] },
];

let trustStore: TrustStore;
let reader: ReaderAuthInput;
const sessionTranscript = annexD('session-transcript-bytes.hex');

beforeAll(async () => {
  const rootKey = generateKeyPair({ curve: 'P-256' });
  const rootSigner = createLocalSigner({ privateKey: rootKey.privateKey, alg: -7 });
  const validity = { notBefore: new Date(NOW.getTime() - DAY), notAfter: new Date(NOW.getTime() + 90 * DAY) };
  const root = await buildReaderRootCertificate({
    subject: { country: 'US', organization: 'Test Verifier', commonName: 'Test Reader Root' },
    publicKey: exportPublicKey(rootKey.publicKey, 'spki'),
    signer: rootSigner,
    issuerAltName: [{ uri: 'https://verifier.example/pki' }],
    crlDistributionPoint: 'https://verifier.example/pki/reader-root.crl',
    ...validity,
    randomBytes,
  });
  const key = generateKeyPair({ curve: 'P-256' });
  const cert = await buildReaderAuthCertificate({
    subject: { country: 'US', organization: 'Test Verifier', commonName: 'Door reader' },
    publicKey: exportPublicKey(key.publicKey, 'spki'),
    issuer: { certificate: root, signer: rootSigner },
    crlDistributionPoint: 'https://verifier.example/pki/reader-root.crl',
    ...validity,
    randomBytes,
  });
  trustStore = new TrustStore([root]);
  reader = {
    signer: createLocalSigner({ privateKey: key.privateKey, alg: -7 }),
    certificateChain: [cert],
    sessionTranscript,
  };
});

/** Re-encode a DeviceRequest after changing its decoded map (preferred encoding keeps other bytes). */
function mutate(bytes: Uint8Array, change: (request: Map<string, unknown>) => void): Uint8Array {
  const request = decodeCbor(bytes) as Map<string, unknown>;
  change(request);
  return encodeCbor(request, { keyOrder: 'insertion' });
}

describe('buildDeviceRequest version 1.0', () => {
  it('is byte-identical to the output before the 1.1 options, default and explicit version', async () => {
    for (const keyOrder of ['deterministic', 'insertion'] as const) {
      const implicit = await buildDeviceRequest({ docRequests, keyOrder });
      const explicit = await buildDeviceRequest({ docRequests, keyOrder, version: '1.0' });
      expect(toHex(implicit.bytes)).toBe(GOLDEN_1_0[keyOrder]);
      expect(toHex(explicit.bytes)).toBe(GOLDEN_1_0[keyOrder]);
      expect(implicit.deviceRequestInfo).toBeUndefined();
    }
  });

  it('refuses the 1.1 fields with version 1.0', async () => {
    await expect(buildDeviceRequest({ docRequests, deviceRequestInfo: { useCases } })).rejects.toMatchObject({
      code: 'ERR_REQUEST_INVALID',
      details: { path: 'version' },
    });
    await expect(
      buildDeviceRequest({ docRequests, version: '1.0', readerAuthAll: reader }),
    ).rejects.toMatchObject({ code: 'ERR_REQUEST_INVALID', details: { path: 'version' } });
  });
});

describe('buildDeviceRequest version 1.1 (ed2 draft) → holder parseDeviceRequest', () => {
  it('round-trips deviceRequestInfo use cases and verifies readerAuthAll and readerAuth', async () => {
    const built = await buildDeviceRequest({
      docRequests,
      version: '1.1',
      deviceRequestInfo: { useCases },
      readerAuthAll: reader,
      readerAuth: reader,
    });
    const decoded = decodeCbor(built.bytes) as Map<string, unknown>;
    expect([...decoded.keys()]).toEqual(['version', 'docRequests', 'readerAuthAll', 'deviceRequestInfo']);
    expect(decoded.get('deviceRequestInfo')).toBeInstanceOf(EncodedCbor);
    expect(toHex((decoded.get('deviceRequestInfo') as EncodedCbor).bytes)).toBe(
      toHex(built.deviceRequestInfo!.bytes),
    );
    const parsed = await parseDeviceRequest(built.bytes, {
      sessionTranscript,
      trustStore,
      now: NOW,
      requireReaderAuth: true,
    });
    expect(parsed.version).toBe('1.1');
    expect(parsed.useCases).toEqual(useCases);
    expect(parsed.readerAuthAll.map((r) => r.status)).toEqual(['verified']);
    expect(parsed.readerAuthAll[0]).toMatchObject({ readerName: 'Door reader' });
    expect(parsed.docRequests.map((d) => d.readerAuth.status)).toEqual(['verified', 'verified']);
    expect(parsed.docRequests.map((d) => d.docType)).toEqual([MDL, 'org.iso.23220.photoID']);
  });

  it('readerAuthAll alone authenticates the request; without a transcript it is not checked', async () => {
    const built = await buildDeviceRequest({ docRequests, version: '1.1', readerAuthAll: reader });
    const parsed = await parseDeviceRequest(built.bytes, {
      sessionTranscript,
      trustStore,
      now: NOW,
      requireReaderAuth: true,
    });
    expect(parsed.readerAuthAll.map((r) => r.status)).toEqual(['verified']);
    expect(parsed.docRequests.map((d) => d.readerAuth.status)).toEqual(['absent', 'absent']);
    expect(parsed.deviceRequestInfo).toBeUndefined();
    const unchecked = await parseDeviceRequest(built.bytes);
    expect(unchecked.readerAuthAll.map((r) => r.status)).toEqual(['not-checked']);
  });

  it('a readerAuthAll over changed ItemsRequestBytes or DeviceRequestInfoBytes fails with a typed code', async () => {
    const built = await buildDeviceRequest({
      docRequests,
      version: '1.1',
      deviceRequestInfo: { useCases },
      readerAuthAll: reader,
    });
    const dropSecond = mutate(built.bytes, (r) => {
      r.set('docRequests', (r.get('docRequests') as unknown[]).slice(0, 1));
      r.set(
        'deviceRequestInfo',
        EncodedCbor.fromValue(useCasesInfo([{ mandatory: true, documentSets: [[0]] }])),
      );
    });
    const otherInfo = mutate(built.bytes, (r) => {
      r.set('deviceRequestInfo', EncodedCbor.fromValue(new Map()));
    });
    const flipped = mutate(built.bytes, (r) => {
      const [sig] = r.get('readerAuthAll') as unknown[][];
      const signature = Uint8Array.from(sig![3] as Uint8Array);
      signature[5]! ^= 1;
      sig![3] = signature;
    });
    for (const bytes of [dropSecond, otherInfo, flipped]) {
      const parsed = await parseDeviceRequest(bytes, { sessionTranscript, trustStore, now: NOW });
      expect(parsed.readerAuthAll).toEqual([
        expect.objectContaining({ status: 'failed', code: 'ERR_READER_AUTH_INVALID' }),
      ]);
      await expect(
        parseDeviceRequest(bytes, { sessionTranscript, trustStore, now: NOW, requireReaderAuth: true }),
      ).rejects.toMatchObject({ code: 'ERR_READER_AUTH_INVALID', details: { readerAuthAll: 0 } });
    }
  });

  it('rejects use cases that name a DocRequest the request does not have', async () => {
    await expect(
      buildDeviceRequest({
        docRequests,
        version: '1.1',
        deviceRequestInfo: { useCases: [{ mandatory: true, documentSets: [[2]] }] },
      }),
    ).rejects.toMatchObject({
      code: 'ERR_REQUEST_INVALID',
      details: { path: 'deviceRequestInfo.useCases[0].documentSets[0][0]' },
    });
    const built = await buildDeviceRequest({ docRequests, version: '1.1', deviceRequestInfo: { useCases } });
    const bad = mutate(built.bytes, (r) => {
      r.set(
        'deviceRequestInfo',
        EncodedCbor.fromValue(useCasesInfo([{ mandatory: 'yes', documentSets: [[0]] }])),
      );
    });
    await expect(parseDeviceRequest(bad)).rejects.toMatchObject({
      code: 'ERR_REQUEST_INVALID',
      details: { path: 'deviceRequest.deviceRequestInfo.useCases[0].mandatory' },
    });
  });

  it('the holder parses the Annex D ed2 draft request (D.4.1.3) with its use cases', async () => {
    const parsed = await parseDeviceRequest(annexD('ed2-draft-extended-device-request.hex'));
    expect(parsed.version).toBe('1.1');
    expect(parsed.readerAuthAll).toEqual([]);
    expect(parsed.useCases).toEqual([
      { mandatory: false, documentSets: [[0]], purposeHints: new Map([['org.iso.jtc1.sc17', 2]]) },
      { mandatory: false, documentSets: [[1], [2]], purposeHints: new Map([['org.iso.jtc1.sc17', 1]]) },
    ]);
    expect(parsed.docRequests[0]!.requestInfo?.get('uniqueDocSetRequired')).toBe(true);
  });
});
