/**
 * DeviceMac (ISO/IEC 18013-5 §9.1.3.5) with every cipher-suite-1 key-agreement curve (§9.1.5.2,
 * Table 22: P-256/384/521, brainpoolP256r1/320r1/384r1/512r1, X25519, X448): a genuine MAC built by
 * the holder verifies; a wrong tag, another reader key or another transcript fails with its code.
 */
import { decodeCbor, encodeCbor } from '@mdlkit/core/cbor';
import { publicKeyToCoseKey } from '@mdlkit/core/cose';
import { CoseAlg, type Curve, createLocalSigner, generateKeyPair, type KeyPair } from '@mdlkit/core/crypto';
import { answerDeviceRequest, parseDeviceRequest } from '@mdlkit/holder';
import { issueMdoc } from '@mdlkit/issuer';
import { issueStoredMdl, openId4VpTranscript } from '@mdlkit/test-utils/mdoc';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDeviceRequest, CheckId, verifyDeviceResponse } from '../src/index.js';
import { ELEMENTS, makePki, NOW, type Pki } from './fixtures.js';

const TRANSCRIPT = openId4VpTranscript('mac');

const CURVES: readonly Curve[] = [
  'P-256',
  'P-384',
  'P-521',
  'brainpoolP256r1',
  'brainpoolP320r1',
  'brainpoolP384r1',
  'brainpoolP512r1',
  'X25519',
  'X448',
];

/** An mDL whose MSO deviceKey is on `curve`, answered with a DeviceMac for the reader key `reader`. */
async function macResponse(pki: Pki, device: KeyPair, reader: KeyPair): Promise<Uint8Array> {
  const stored = await issueStoredMdl({ pki, device, deviceAuth: 'mac' });
  const { bytes } = await buildDeviceRequest({
    docRequests: [
      {
        docType: 'org.iso.18013.5.1.mDL',
        nameSpaces: { 'org.iso.18013.5.1': { family_name: false, age_over_21: false } },
      },
    ],
  });
  const request = await parseDeviceRequest(bytes, {});
  const answer = await answerDeviceRequest({
    request,
    documents: [stored],
    sessionTranscript: TRANSCRIPT,
    eReaderKey: reader.publicKey,
  });
  return answer.bytes;
}

/** The response with one bit of the DeviceMac tag flipped (the MAC no longer matches). */
function flipTag(response: Uint8Array): Uint8Array {
  const decoded = decodeCbor(response) as Map<string, unknown>;
  const doc = (decoded.get('documents') as Map<string, unknown>[])[0]!;
  const deviceAuth = (doc.get('deviceSigned') as Map<string, unknown>).get('deviceAuth') as Map<
    string,
    unknown[]
  >;
  const mac = deviceAuth.get('deviceMac')!;
  const tag = (mac[3] as Uint8Array).slice();
  tag[0]! ^= 0x01;
  mac[3] = tag;
  return encodeCbor(decoded);
}

describe('DeviceMac with every cipher-suite-1 curve', () => {
  let pki: Pki;
  beforeAll(async () => {
    pki = await makePki();
  });

  for (const curve of CURVES) {
    it(`${curve}: a genuine MAC verifies; a wrong tag, another reader key or another transcript is ERR_DEVICE_MAC_INVALID`, async () => {
      const device = generateKeyPair({ curve });
      const reader = generateKeyPair({ curve });
      const response = await macResponse(pki, device, reader);
      const verify = (bytes: Uint8Array, eReaderKey = reader.privateKey, sessionTranscript = TRANSCRIPT) =>
        verifyDeviceResponse(bytes, { trust: pki.trust, now: NOW, sessionTranscript, eReaderKey });

      const good = await verify(response);
      const doc = good.documents[0]!;
      expect(doc.checks.find((c) => c.id === CheckId.DEVICE_AUTH)).toMatchObject({ status: 'passed' });
      expect(doc.deviceAuthMethod).toBe('mac');
      expect(good.verified).toBe(true);
      expect(good.deviceAuthenticated).toBe(true);
      expect(doc.elements.every((e) => e.verified)).toBe(true);

      const bad = [
        await verify(flipTag(response)),
        await verify(response, generateKeyPair({ curve }).privateKey),
        await verify(response, reader.privateKey, openId4VpTranscript('replayed elsewhere')),
      ];
      for (const report of bad) {
        const check = report.documents[0]!.checks.find((c) => c.id === CheckId.DEVICE_AUTH);
        expect(check).toMatchObject({ status: 'failed', code: 'ERR_DEVICE_MAC_INVALID' });
        expect(report.verified).toBe(false);
        expect(report.deviceAuthenticated).toBe(false);
        expect(report.documents[0]!.elements.every((e) => !e.verified)).toBe(true);
      }
    });
  }

  it('a reader key on another curve than the deviceKey is ERR_CRYPTO_INVALID_KEY, never a pass', async () => {
    const device = generateKeyPair({ curve: 'X25519' });
    const reader = generateKeyPair({ curve: 'X25519' });
    const response = await macResponse(pki, device, reader);
    const report = await verifyDeviceResponse(response, {
      trust: pki.trust,
      now: NOW,
      sessionTranscript: TRANSCRIPT,
      eReaderKey: generateKeyPair({ curve: 'X448' }).privateKey,
    });
    expect(report.documents[0]!.checks.find((c) => c.id === CheckId.DEVICE_AUTH)).toMatchObject({
      status: 'failed',
      code: 'ERR_CRYPTO_INVALID_KEY',
    });
    expect(report.verified).toBe(false);
  });

  it('an Ed25519 (signature-only) deviceKey with a DeviceMac is ERR_CRYPTO_UNSUPPORTED_CURVE', async () => {
    // The holder cannot build this (no key agreement on Ed25519); the MAC of an X25519 device is
    // moved under an MSO whose deviceKey is Ed25519.
    const ed = generateKeyPair({ curve: 'Ed25519' });
    const reader = generateKeyPair({ curve: 'X25519' });
    const x = generateKeyPair({ curve: 'X25519' });
    const genuine = decodeCbor(await macResponse(pki, x, reader)) as Map<string, unknown>;
    const issued = await issueMdoc({
      docType: 'org.iso.18013.5.1.mDL',
      nameSpaces: { 'org.iso.18013.5.1': ELEMENTS },
      deviceKey: publicKeyToCoseKey(ed.publicKey),
      validity: { signed: new Date('2025-05-01T00:00:00Z'), validUntil: new Date('2026-01-01T00:00:00Z') },
      signer: createLocalSigner({ privateKey: pki.dsKey.privateKey, alg: CoseAlg.ES256 }),
      dsCertificate: pki.ds,
      now: new Date('2025-05-01T00:00:00Z'),
    });
    const doc = (genuine.get('documents') as Map<string, unknown>[])[0]!;
    const issuerSigned = doc.get('issuerSigned') as Map<string, unknown>;
    issuerSigned.set('issuerAuth', decodeCbor(issued.issuerAuth));
    const report = await verifyDeviceResponse(encodeCbor(genuine), {
      trust: pki.trust,
      now: NOW,
      sessionTranscript: TRANSCRIPT,
      eReaderKey: reader.privateKey,
    });
    expect(report.verified).toBe(false);
    expect(report.documents[0]!.checks.find((c) => c.id === CheckId.DEVICE_AUTH)).toMatchObject({
      status: 'failed',
      code: 'ERR_CRYPTO_UNSUPPORTED_CURVE',
    });
  });
});
