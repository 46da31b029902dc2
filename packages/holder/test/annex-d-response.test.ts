import { decodeCbor, encodeCbor, toHex } from '@mdlkit/core/cbor';
import { importPrivateKey } from '@mdlkit/core/crypto';
import { TrustStore } from '@mdlkit/pki';
import { ANNEX_D_REQUESTED, annexD, annexDPem } from '@mdlkit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { createDeviceSigned } from '../src/device-auth/create-device-auth.js';
import { parseDeviceRequest } from '../src/request/parse-device-request.js';
import { answerDeviceRequest } from '../src/response/answer-device-request.js';
import { parseIssuedMdoc } from '../src/store/mdoc-store.js';

const AT = new Date('2021-01-01T00:00:00Z');
const DOCTYPE = 'org.iso.18013.5.1.mDL';

function annexDIssuerSigned(): Uint8Array {
  const response = decodeCbor(annexD('device-response.hex')) as Map<string, unknown>;
  const doc = (response.get('documents') as Map<string, unknown>[])[0]!;
  return encodeCbor(doc.get('issuerSigned'), { keyOrder: 'insertion' });
}

const sDeviceKey = () => importPrivateKey({ format: 'raw', curve: 'P-256', d: annexD('s-device-key-d.hex') });
const eReaderKey = () =>
  new Map<number, unknown>([
    [1, 2],
    [-1, 1],
    [-2, annexD('e-reader-key-x.hex')],
    [-3, annexD('e-reader-key-y.hex')],
  ]);

describe('holder against ISO 18013-5 Annex D', () => {
  it('produces the Annex D DeviceMac tag exactly (D.5.3)', async () => {
    const ds = await createDeviceSigned({
      docType: DOCTYPE,
      sessionTranscript: annexD('session-transcript-bytes.hex'),
      method: { kind: 'mac', devicePrivateKey: sDeviceKey(), eReaderKey: eReaderKey() },
    });
    expect(toHex(ds.nameSpaces.tagged())).toBe('d81841a0');
    expect(toHex(ds.deviceAuthenticationBytes)).toBe(toHex(annexD('device-authentication-bytes.hex')));
    const deviceAuth = ds.value.get('deviceAuth');
    expect(toHex(encodeCbor(deviceAuth))).toBe(toHex(annexD('device-auth.hex')));
    const mac = decodeCbor(encodeCbor(deviceAuth)) as Map<string, unknown[]>;
    expect(toHex(mac.get('deviceMac')![3] as Uint8Array)).toBe(toHex(annexD('mac-tag.hex')));
  });

  it('parses the Annex D DeviceRequest and verifies its reader authentication (D.4.1.1)', async () => {
    const request = await parseDeviceRequest(annexD('device-request.hex'), {
      sessionTranscript: annexD('session-transcript-bytes.hex'),
      trustStore: new TrustStore([annexDPem('reader-root-cert.pem')]),
      now: AT,
      policy: 'lenient', // Annex D certificates deviate from Annex B (CRL DP as dNSName)
    });
    expect(request.version).toBe('1.0');
    const [doc] = request.docRequests;
    expect(doc!.docType).toBe(DOCTYPE);
    expect(doc!.readerAuth.status).toBe('verified');
    expect(Object.fromEntries(doc!.nameSpaces.get('org.iso.18013.5.1')!)).toEqual(
      ANNEX_D_REQUESTED['org.iso.18013.5.1'],
    );
    // Another transcript (last byte of the handover request flipped) → the signature fails.
    const otherTranscript = annexD('session-transcript-bytes.hex');
    otherTranscript[otherTranscript.length - 1]! ^= 1;
    const wrong = await parseDeviceRequest(annexD('device-request.hex'), {
      sessionTranscript: otherTranscript,
      trustStore: new TrustStore([annexDPem('reader-root-cert.pem')]),
      now: AT,
      policy: 'lenient',
    });
    expect(wrong.docRequests[0]!.readerAuth).toMatchObject({
      status: 'failed',
      code: 'ERR_READER_AUTH_INVALID',
    });
    const untrusted = await parseDeviceRequest(annexD('device-request.hex'), {
      sessionTranscript: annexD('session-transcript-bytes.hex'),
      trustStore: new TrustStore([annexDPem('iaca-cert.pem')]),
      now: AT,
      policy: 'lenient',
    });
    expect(untrusted.docRequests[0]!.readerAuth).toMatchObject({
      status: 'failed',
      code: 'ERR_X509_CHAIN_UNTRUSTED',
    });
    await expect(
      parseDeviceRequest(annexD('device-request.hex'), {
        sessionTranscript: annexD('session-transcript-bytes.hex'),
        trustStore: new TrustStore([annexDPem('iaca-cert.pem')]),
        now: AT,
        requireReaderAuth: true,
      }),
    ).rejects.toMatchObject({ code: 'ERR_READER_AUTH_INVALID' });
  });

  it('parses the second-edition draft DeviceRequest 1.1 (D.4.1.3)', async () => {
    const request = await parseDeviceRequest(annexD('ed2-draft-extended-device-request.hex'));
    expect(request.version).toBe('1.1');
    expect(request.docRequests.map((d) => d.docType)).toEqual([DOCTYPE, DOCTYPE, 'org.iso.23220.photoID']);
    expect([...request.docRequests[0]!.nameSpaces.keys()]).toEqual([
      'org.iso.18013.5.1',
      'org.iso.18013.5.1.aamva',
    ]);
    expect(request.deviceRequestInfo).toBeDefined();
    expect(request.docRequests.every((d) => d.readerAuth.status === 'absent')).toBe(true);
  });

  it('answers the Annex D request with the Annex D DeviceResponse, byte for byte (D.4.1.2)', async () => {
    const doc = parseIssuedMdoc({
      id: 'annex-d',
      issuerSigned: annexDIssuerSigned(),
      deviceKeyReference: { kind: 'mac', devicePrivateKey: sDeviceKey() },
    });
    const request = await parseDeviceRequest(annexD('device-request.hex'));
    const answer = await answerDeviceRequest({
      request,
      documents: [doc],
      sessionTranscript: annexD('session-transcript-bytes.hex'),
      eReaderKey: eReaderKey(),
      keyOrder: 'insertion',
    });
    expect(toHex(answer.bytes)).toBe(toHex(annexD('device-response.hex')));
    expect(answer.disclosed[0]!.elements.map((e) => e.identifier).sort()).toEqual([
      'document_number',
      'driving_privileges',
      'expiry_date',
      'family_name',
      'issue_date',
      'portrait',
    ]);
    expect(answer.disclosed[0]!.elements.find((e) => e.identifier === 'portrait')!.intentToRetain).toBe(
      false,
    );
  });
});
