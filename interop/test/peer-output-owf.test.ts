/**
 * DeviceResponses produced by @owf/mdoc 0.6 (its Issuer and Holder, crypto from node:crypto)
 * verify in mdlkit's reader — for a DeviceRequest built by mdlkit — and tampered variants fail.
 */
import { createPrivateKey, sign } from 'node:crypto';
import { exportPrivateKey, exportPublicKey, generateKeyPair } from '@mdlkit/core/crypto';
import { buildDeviceRequest, CheckId, verifyDeviceResponse } from '@mdlkit/reader';
import { qrSessionTranscript } from '@mdlkit/test-fixtures';
import { CoseKey, DeviceKey, DeviceRequest, Holder, Issuer } from '@owf/mdoc';
import { beforeAll, describe, expect, it } from 'vitest';
import { peerSigningContext } from './peer-output-context.js';
import { makePeerPki, NOW, type PeerPki, tamperItem } from './peer-output-fixtures.js';

const HASH: Record<number, string> = { [-7]: 'sha256', [-35]: 'sha384', [-36]: 'sha512' };

/** @owf/mdoc's context: its sign1 callback receives the to-be-signed bytes and a COSE_Key. */
const owfContext: any = {
  crypto: peerSigningContext.crypto,
  cose: {
    sign1: {
      sign: ({ toBeSigned, key, algorithm }: { toBeSigned: Uint8Array; key: CoseKey; algorithm?: number }) =>
        new Uint8Array(
          sign(HASH[algorithm ?? -7] ?? 'sha256', toBeSigned, {
            key: createPrivateKey({ key: key.jwk as never, format: 'jwk' }),
            dsaEncoding: 'ieee-p1363',
          }),
        ),
      verify: () => {
        throw new Error('not used');
      },
    },
    mac0: peerSigningContext.cose.mac0,
  },
};

const { transcript } = qrSessionTranscript();

describe('@owf/mdoc output verifies in mdlkit', () => {
  let pki: PeerPki;
  let response: Uint8Array;
  beforeAll(async () => {
    pki = await makePeerPki();
    const device = generateKeyPair({ curve: 'P-256' });
    const issuerSigned = await new Issuer('org.iso.18013.5.1.mDL', owfContext)
      .addIssuerNamespace('org.iso.18013.5.1', {
        family_name: 'Jones',
        given_name: 'Ava',
        issuing_country: 'US',
        document_number: 'A1234',
      })
      .sign({
        signingKey: CoseKey.fromJwk(exportPrivateKey(pki.dsKey.privateKey, 'jwk') as never),
        algorithm: -7 as never,
        digestAlgorithm: 'SHA-256',
        validityInfo: {
          signed: new Date('2025-05-01T00:00:00Z'),
          validFrom: new Date('2025-05-01T00:00:00Z'),
          validUntil: new Date('2026-01-01T00:00:00Z'),
        },
        deviceKeyInfo: {
          deviceKey: DeviceKey.fromJwk(exportPublicKey(device.publicKey, 'jwk') as never) as DeviceKey,
        },
        certificates: [pki.ds],
      });
    const { bytes: requestBytes } = await buildDeviceRequest({
      docRequests: [
        {
          docType: 'org.iso.18013.5.1.mDL',
          nameSpaces: { 'org.iso.18013.5.1': { family_name: false, issuing_country: false } },
        },
      ],
    });
    const deviceResponse = await Holder.createDeviceResponseForDeviceRequest(
      {
        deviceRequest: DeviceRequest.decode(requestBytes),
        sessionTranscript: transcript.encoded.tagged(),
        issuerSigned: [issuerSigned],
        // @owf/mdoc takes the DeviceSignature alg from the key's `alg` (without it the header
        // carries no supported alg: our reader reports ERR_COSE_ALG_UNSUPPORTED).
        signature: {
          signingKey: CoseKey.fromJwk({
            ...(exportPrivateKey(device.privateKey, 'jwk') as object),
            alg: 'ES256',
          }),
        },
      },
      owfContext,
    );
    response = deviceResponse.encode();
  });

  it('verifies: issuer signature, digests, validity, country, device signature', async () => {
    const report = await verifyDeviceResponse(response, {
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

  it('a tampered element fails the value digests; a wrong transcript fails the device signature', async () => {
    const tampered = await verifyDeviceResponse(tamperItem(response), {
      trust: pki.trust,
      now: NOW,
      sessionTranscript: transcript,
    });
    expect(tampered.documents[0]!.checks.find((c) => c.id === CheckId.VALUE_DIGESTS)).toMatchObject({
      status: 'failed',
      code: 'ERR_MSO_DIGEST_MISMATCH',
    });
    const other = await verifyDeviceResponse(response, {
      trust: pki.trust,
      now: NOW,
      sessionTranscript: qrSessionTranscript().transcript,
    });
    expect(other.documents[0]!.checks.find((c) => c.id === CheckId.DEVICE_AUTH)).toMatchObject({
      status: 'failed',
      code: 'ERR_DEVICE_SIGNATURE_INVALID',
    });
  });
});
