import { CoseKey, DeviceRequest, DeviceResponse, Verifier } from '@owf/mdoc';
import { describe, expect, it } from 'vitest';
import { makeOurResponse, NS, ONLINE_KINDS, REQUESTED } from './our-output-fixtures.js';
import {
  certificateData,
  certificateJwk,
  checkChain,
  digestNode,
  issuerNameField,
  verifyWithJwk,
} from './our-output-peer-context.js';

const ctx = {
  crypto: {
    random: (n: number) => new Uint8Array(n),
    digest: ({ digestAlgorithm, bytes }: { digestAlgorithm: string; bytes: Uint8Array }) =>
      digestNode(digestAlgorithm, bytes),
    calculateEphemeralMacKey: () => {
      throw new Error('not used: our responses here use deviceSignature');
    },
  },
  cose: {
    sign1: {
      sign: () => {
        throw new Error('not used');
      },
      verify: ({ key, sign1 }: any) =>
        verifyWithJwk(sign1.signatureAlgorithmName, key.jwk, sign1.toBeSigned, sign1.signature),
    },
    mac0: {
      sign: () => {
        throw new Error('not used');
      },
      verify: () => {
        throw new Error('not used');
      },
    },
  },
  x509: {
    getIssuerNameField: ({ certificate, field }: { certificate: Uint8Array; field: string }) =>
      issuerNameField(certificate, field),
    getPublicKey: ({ certificate }: { certificate: Uint8Array }) =>
      CoseKey.fromJwk(certificateJwk(certificate)),
    verifyCertificateChain: ({
      trustedCertificates,
      x5chain,
      now,
    }: {
      trustedCertificates: Uint8Array[];
      x5chain: Uint8Array[];
      now?: Date;
    }) => checkChain(trustedCertificates, x5chain, now),
    getCertificateData: ({ certificate }: { certificate: Uint8Array }) => certificateData(certificate),
  },
};

describe('our DeviceResponse verifies in @owf/mdoc', () => {
  it('does not know the Annex C "dcapi" handover (0.6.0): it refuses the transcript, it does not pass it', async () => {
    const ours = await makeOurResponse('annex-c');
    console.info(
      '@owf/mdoc 0.6.0 cannot decode the ISO 18013-7 Annex C dcapi handover; Annex C is checked with @auth0/mdl and @animo-id/mdoc',
    );
    await expect(
      Verifier.verifyDeviceResponse(
        {
          deviceResponse: ours.deviceResponse,
          sessionTranscript: ours.sessionTranscriptBytes,
          trustedCertificates: [ours.iacaDer],
        },
        ctx as any,
      ),
    ).rejects.toThrow(/handover/i);
  });

  // @owf/mdoc 0.6.0 has no ISO 18013-7 Annex C ("dcapi") handover; see the test below.
  for (const kind of ['qr', 'openid4vp', ...ONLINE_KINDS.filter((k) => k !== 'annex-c')] as const) {
    it(`selective disclosure + device signature, ${kind} transcript`, async () => {
      const ours = await makeOurResponse(kind);
      const checks: { status: string; check: string; reason?: string }[] = [];
      await Verifier.verifyDeviceResponse(
        {
          deviceRequest: DeviceRequest.decode(ours.deviceRequest),
          deviceResponse: ours.deviceResponse,
          sessionTranscript: ours.sessionTranscriptBytes,
          trustedCertificates: [ours.iacaDer],
          onCheck: (c) => checks.push(c),
        },
        ctx as any,
      );
      expect(checks.filter((c) => c.status === 'FAILED')).toEqual([]);
      expect(
        checks.some((c) => /device/i.test(c.check) && /signature/i.test(c.check) && c.status === 'PASSED'),
      ).toBe(true);
      const response = DeviceResponse.decode(ours.deviceResponse);
      const items = response.documents![0]!.issuerSigned.issuerNamespaces!.issuerNamespaces.get(NS)!;
      expect(items.map((i) => i.elementIdentifier).sort()).toEqual(Object.keys(REQUESTED).sort());
    });
  }

  it('the wrong session transcript fails device authentication', async () => {
    const ours = await makeOurResponse('qr');
    const other = await makeOurResponse('openid4vp');
    const checks: { status: string; check: string; category: string }[] = [];
    await Verifier.verifyDeviceResponse(
      {
        deviceResponse: ours.deviceResponse,
        sessionTranscript: other.sessionTranscriptBytes,
        trustedCertificates: [ours.iacaDer],
        onCheck: (c) => checks.push(c),
      },
      ctx as any,
    ).catch(() => undefined);
    expect(checks.some((c) => c.status === 'FAILED' && c.category === 'DEVICE_AUTH')).toBe(true);
  });
});
