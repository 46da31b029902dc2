/**
 * DeviceResponses produced by @animo-id/mdoc (its issuer and device-response builder, crypto from
 * node:crypto) verify in mdlkit's reader, and tampered variants fail with the right check.
 */
import { DeviceResponse, Document, MDoc } from '@animo-id/mdoc';
import { exportPrivateKey, exportPublicKey, generateKeyPair } from '@mdlkit/core/crypto';
import { derToPem } from '@mdlkit/pki';
import { CheckId, verifyDeviceResponse } from '@mdlkit/reader';
import { qrSessionTranscript } from '@mdlkit/test-fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { peerSigningContext } from './peer-output-context.js';
import { makePeerPki, NOW, type PeerPki, tamperItem } from './peer-output-fixtures.js';

const { transcript } = qrSessionTranscript();
/**
 * @animo-id/mdoc 0.5 encodes maps with a fixed 16-bit length (`b9 00 03`), which 18013-5 §8.1 /
 * RFC 8949 §4.2.1 forbid; the reader rejects that by default and accepts it when asked. The hashes
 * and signatures still cover the bytes as received.
 */
const lenient = { decoding: { allowNonPreferred: true } } as const;

describe('@animo-id/mdoc output verifies in mdlkit', () => {
  let pki: PeerPki;
  let response: Uint8Array;
  beforeAll(async () => {
    pki = await makePeerPki();
    const device = generateKeyPair({ curve: 'P-256' });
    const issuerSigned = await new Document('org.iso.18013.5.1.mDL', peerSigningContext)
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
      .sign(
        {
          issuerPrivateKey: exportPrivateKey(pki.dsKey.privateKey, 'jwk') as never,
          issuerCertificate: derToPem(pki.ds, 'CERTIFICATE'),
          alg: 'ES256',
        },
        peerSigningContext,
      );
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
      })
      .usingSessionTranscriptBytes(transcript.encoded.tagged())
      .authenticateWithSignature(exportPrivateKey(device.privateKey, 'jwk') as never, 'ES256')
      .sign(peerSigningContext);
    response = mdoc.encode();
  });

  it('is rejected under the strict policy (non-preferred map lengths)', async () => {
    await expect(
      verifyDeviceResponse(response, {
        trust: pki.trust,
        now: NOW,
        sessionTranscript: transcript,
        policy: 'strict',
      }),
    ).rejects.toMatchObject({ code: 'ERR_CBOR_NON_PREFERRED' });
  });

  it('verifies under the default (interop) policy, the tolerated encoding reported as a warning', async () => {
    const report = await verifyDeviceResponse(response, {
      trust: pki.trust,
      now: NOW,
      sessionTranscript: transcript,
    });
    expect(report.policy).toBe('interop');
    expect(report.verified).toBe(true);
    expect(report.findings).toContainEqual(
      expect.objectContaining({ code: 'ERR_CBOR_NON_PREFERRED', severity: 'warning', source: 'cbor' }),
    );
  });

  it('verifies with non-preferred decoding allowed: issuer signature, digests, validity, country, device signature', async () => {
    const report = await verifyDeviceResponse(response, {
      ...lenient,
      trust: pki.trust,
      now: NOW,
      sessionTranscript: transcript,
    });
    expect(report.documents[0]?.checks.filter((c) => c.status === 'failed')).toEqual([]);
    expect(report.verified).toBe(true);
    expect(report.documents[0]!.elements.map((e) => e.identifier).sort()).toEqual([
      'family_name',
      'issuing_country',
    ]);
  });

  it('a tampered element fails the value digests', async () => {
    const report = await verifyDeviceResponse(tamperItem(response), {
      ...lenient,
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

  it('another transcript fails the device signature; another IACA fails the DS path', async () => {
    const other = await verifyDeviceResponse(response, {
      ...lenient,
      trust: pki.trust,
      now: NOW,
      sessionTranscript: qrSessionTranscript().transcript,
    });
    expect(other.documents[0]!.checks.find((c) => c.id === CheckId.DEVICE_AUTH)).toMatchObject({
      status: 'failed',
      code: 'ERR_DEVICE_SIGNATURE_INVALID',
    });
    const untrusted = await verifyDeviceResponse(response, {
      ...lenient,
      trust: (await makePeerPki()).trust,
      now: NOW,
      sessionTranscript: transcript,
    });
    expect(untrusted.documents[0]!.checks.find((c) => c.id === CheckId.DS_CERTIFICATE_PATH)).toMatchObject({
      status: 'failed',
      code: 'ERR_X509_CHAIN_UNTRUSTED',
    });
  });
});
