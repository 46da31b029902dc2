import { Verifier } from '@animo-id/mdoc';
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
    calculateEphemeralMacKeyJwk: () => {
      throw new Error('not used: our responses here use deviceSignature');
    },
  },
  cose: {
    sign1: {
      sign: () => {
        throw new Error('not used');
      },
      verify: ({ jwk, options, sign1 }: any) => {
        const { alg, data, signature } = sign1.getRawVerificationData(options);
        return verifyWithJwk(alg, jwk, data, signature);
      },
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
    getPublicKey: ({ certificate }: { certificate: Uint8Array }) => certificateJwk(certificate),
    validateCertificateChain: ({
      trustedCertificates,
      x5chain,
    }: {
      trustedCertificates: Uint8Array[];
      x5chain: Uint8Array[];
    }) => checkChain(trustedCertificates, x5chain),
    getCertificateData: ({ certificate }: { certificate: Uint8Array }) => certificateData(certificate),
  },
};

describe('our DeviceResponse verifies in @animo-id/mdoc', () => {
  for (const kind of ['qr', 'openid4vp', ...ONLINE_KINDS] as const) {
    it(`selective disclosure + device signature, ${kind} transcript`, async () => {
      const ours = await makeOurResponse(kind);
      const checks: { status: string; check: string; reason?: string }[] = [];
      const mdoc = await new Verifier().verifyDeviceResponse(
        {
          encodedDeviceResponse: ours.deviceResponse,
          encodedSessionTranscript: ours.sessionTranscriptBytes,
          trustedCertificates: [ours.iacaDer],
          onCheck: (c) => checks.push(c),
        },
        ctx as any,
      );
      expect(checks.filter((c) => c.status === 'FAILED')).toEqual([]);
      expect(
        checks.some((c) => /Device signature must be valid/.test(c.check) && c.status === 'PASSED'),
      ).toBe(true);
      const disclosed = mdoc.documents[0]!.getIssuerNameSpace(NS)!; // a Map in @animo-id/mdoc
      expect([...disclosed.keys()].sort()).toEqual(Object.keys(REQUESTED).sort());
      expect(disclosed.get('family_name')).toBe('Doe');
    });
  }

  it('the wrong session transcript fails device authentication', async () => {
    const ours = await makeOurResponse('openid4vp');
    const other = await makeOurResponse('qr');
    const checks: { status: string; check: string }[] = [];
    await new Verifier()
      .verifyDeviceResponse(
        {
          encodedDeviceResponse: ours.deviceResponse,
          encodedSessionTranscript: other.sessionTranscriptBytes,
          trustedCertificates: [ours.iacaDer],
          onCheck: (c) => checks.push(c),
        },
        ctx as any,
      )
      .catch(() => undefined);
    expect(checks.some((c) => c.status === 'FAILED' && /Device signature/.test(c.check))).toBe(true);
  });
});
