/**
 * The SessionTranscripts mdlkit's online verifier builds from its own state, byte for byte against
 * @owf/mdoc's builders from the same parameters (OpenID4VP 1.0 B.2.6.1 / B.2.6.2). @owf/mdoc 0.6.0
 * has no ISO 18013-7 Annex C handover, so that one is checked against an independent encoding of
 * the CDDL with cbor-x and node:crypto.
 */
import { createHash } from 'node:crypto';
import { fromBase64Url, toHex } from '@mdlkit/core/cbor';
import { jwkSha256Thumbprint } from '@mdlkit/core/session';
import { annexCTranscript, createAnnexCRequest } from '@mdlkit/reader/annex-c';
import {
  createOpenId4VpRequest,
  type OpenId4VpResponseMode,
  openId4VpSessionTranscript,
} from '@mdlkit/reader/oid4vp';
import { SessionTranscript } from '@owf/mdoc';
import { Encoder } from 'cbor-x';
import { describe, expect, it } from 'vitest';
import { digestNode } from './our-output-peer-context.js';

const ctx = {
  crypto: {
    random: (n: number) => new Uint8Array(n),
    digest: ({ digestAlgorithm, bytes }: { digestAlgorithm: string; bytes: Uint8Array }) =>
      digestNode(digestAlgorithm, bytes),
    calculateEphemeralMacKey: () => {
      throw new Error('not used');
    },
  },
};
const INTENT = {
  docType: 'org.iso.18013.5.1.mDL',
  elements: { 'org.iso.18013.5.1': { age_over_21: false } },
};
const cbor = new Encoder({ useRecords: false, tagUint8Array: false, variableMapSize: true });
const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

describe('online transcripts equal @owf/mdoc', () => {
  for (const mode of ['dc_api', 'dc_api.jwt'] as const satisfies readonly OpenId4VpResponseMode[]) {
    for (const origin of ['https://verifier.example', 'http://localhost:8443']) {
      it(`OpenID4VPDCAPIHandover (${mode}, ${origin})`, async () => {
        const { state } = await createOpenId4VpRequest({ intent: INTENT, responseMode: mode, origin });
        const ours = openId4VpSessionTranscript(state).encoded.bytes;
        const owf = await SessionTranscript.forOid4VpDcApi(
          {
            origin,
            nonce: state.nonce,
            ...(state.encryptionJwk === null
              ? {}
              : { jwkThumbprint: jwkSha256Thumbprint(state.encryptionJwk) }),
          },
          ctx as never,
        );
        expect(toHex(ours)).toBe(toHex(owf.encode()));
      });
    }
  }

  for (const mode of ['direct_post', 'direct_post.jwt'] as const) {
    it(`OpenID4VPHandover (${mode})`, async () => {
      const responseUri = 'https://verifier.example/oid4vp/response';
      const { state } = await createOpenId4VpRequest({ intent: INTENT, responseMode: mode, responseUri });
      const ours = openId4VpSessionTranscript(state).encoded.bytes;
      const owf = await SessionTranscript.forOid4Vp(
        {
          clientId: state.clientId!,
          nonce: state.nonce,
          responseUri,
          ...(state.encryptionJwk === null
            ? {}
            : { jwkThumbprint: jwkSha256Thumbprint(state.encryptionJwk) }),
        },
        ctx as never,
      );
      expect(toHex(ours)).toBe(toHex(owf.encode()));
    });
  }

  it('Annex C dcapi handover equals an independent encoding of the CDDL', async () => {
    const origin = 'https://verifier.example';
    const { state } = await createAnnexCRequest({ intent: INTENT, origin });
    const ours = annexCTranscript(state.encryptionInfo, origin).encoded.bytes;
    const dcapiInfoHash = sha256(cbor.encode([state.encryptionInfo, origin]));
    const expected = cbor.encode([null, null, ['dcapi', dcapiInfoHash]]);
    expect(toHex(ours)).toBe(toHex(new Uint8Array(expected)));
    // EncryptionInfo itself: ["dcapi", {"nonce": bstr, "recipientPublicKey": COSE_Key}].
    const decoded = new Encoder({ useRecords: false, mapsAsObjects: false }).decode(
      fromBase64Url(state.encryptionInfo),
    );
    expect(decoded[0]).toBe('dcapi');
    expect([...decoded[1].keys()].sort()).toEqual(['nonce', 'recipientPublicKey']);
    expect(decoded[1].get('recipientPublicKey').get(-1)).toBe(1); // crv P-256
  });
});
