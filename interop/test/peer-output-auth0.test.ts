/**
 * DeviceResponses produced by @auth0/mdl (its issuer and its device-response builder) verify in
 * mdlkit's reader, and tampered variants fail with the right check.
 */
import { DeviceResponse, Document, MDoc } from '@auth0/mdl';
import { exportPrivateKey, exportPublicKey, generateKeyPair } from '@mdlkit/core/crypto';
import { derToPem } from '@mdlkit/pki';
import { CheckId, verifyDeviceResponse } from '@mdlkit/reader';
import { qrSessionTranscript } from '@mdlkit/test-fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { makePeerPki, NOW, type PeerPki, tamperItem } from './peer-output-fixtures.js';

const { transcript } = qrSessionTranscript();

describe('@auth0/mdl output verifies in mdlkit', () => {
  let pki: PeerPki;
  let response: Uint8Array;
  beforeAll(async () => {
    pki = await makePeerPki();
    const device = generateKeyPair({ curve: 'P-256' });
    const issuerSigned = await new Document('org.iso.18013.5.1.mDL')
      .addIssuerNameSpace('org.iso.18013.5.1', {
        family_name: 'Jones',
        given_name: 'Ava',
        issuing_country: 'US',
        document_number: 'A1234',
      })
      .useDigestAlgorithm('SHA-256')
      .addValidityInfo({
        signed: new Date('2025-05-01T00:00:00Z'),
        validFrom: new Date('2025-05-01T00:00:00Z'),
        validUntil: new Date('2026-01-01T00:00:00Z'),
      })
      .addDeviceKeyInfo({ deviceKey: exportPublicKey(device.publicKey, 'jwk') as never })
      .sign({
        issuerPrivateKey: exportPrivateKey(pki.dsKey.privateKey, 'jwk') as never,
        issuerCertificate: derToPem(pki.ds, 'CERTIFICATE'),
        alg: 'ES256',
      });
    const mdoc = await DeviceResponse.from(new MDoc([issuerSigned]))
      .usingPresentationDefinition({
        id: 'pd',
        input_descriptors: [
          {
            id: 'org.iso.18013.5.1.mDL',
            format: { mso_mdoc: { alg: ['ES256'] } },
            constraints: {
              limit_disclosure: 'required',
              fields: [
                { path: ["$['org.iso.18013.5.1']['family_name']"], intent_to_retain: false },
                { path: ["$['org.iso.18013.5.1']['issuing_country']"], intent_to_retain: false },
              ],
            },
          },
        ],
      } as never)
      .usingSessionTranscriptBytes(Buffer.from(transcript.encoded.tagged()))
      .authenticateWithSignature(exportPrivateKey(device.privateKey, 'jwk') as never, 'ES256')
      .sign();
    response = new Uint8Array(mdoc.encode());
  });

  it('verifies: issuer signature, digests, validity, country, device signature', async () => {
    const report = await verifyDeviceResponse(response, {
      trust: pki.trust,
      now: NOW,
      sessionTranscript: transcript,
    });
    const failed = report.documents[0]?.checks.filter((c) => c.status === 'failed');
    expect(failed).toEqual([]);
    expect(report.verified).toBe(true);
    expect(report.documents[0]!.elements.map((e) => e.identifier).sort()).toEqual([
      'family_name',
      'issuing_country',
    ]);
  });

  it('a tampered element fails the value digests', async () => {
    const report = await verifyDeviceResponse(tamperItem(response), {
      trust: pki.trust,
      now: NOW,
      sessionTranscript: transcript,
    });
    expect(report.verified).toBe(false);
    expect(report.documents[0]!.checks.find((c) => c.id === CheckId.VALUE_DIGESTS)).toMatchObject({
      status: 'failed',
      code: 'ERR_MSO_DIGEST_MISMATCH',
    });
  });

  it('another transcript fails the device signature', async () => {
    const other = qrSessionTranscript().transcript;
    const report = await verifyDeviceResponse(response, {
      trust: pki.trust,
      now: NOW,
      sessionTranscript: other,
    });
    expect(report.documents[0]!.checks.find((c) => c.id === CheckId.DEVICE_AUTH)).toMatchObject({
      status: 'failed',
      code: 'ERR_DEVICE_SIGNATURE_INVALID',
    });
  });
});
