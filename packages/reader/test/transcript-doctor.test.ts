import { buildOpenId4VpHandover, buildSessionTranscript, jwkSha256Thumbprint } from '@mdlkit/core/session';
import { beforeAll, describe, expect, it } from 'vitest';
import { CheckId, diagnoseTranscript, verifyDeviceResponse } from '../src/index.js';
import { issueAndPresent, makePki, NOW, type Pki } from './fixtures.js';

const clues = {
  nonce: 'n-0S6_WzA2Mj',
  clientId: 'x509_san_dns:verifier.example',
  responseUri: 'https://verifier.example/response',
  encryptionJwk: {
    kty: 'EC',
    crv: 'P-256',
    x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
    y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
  },
};

function oid4vp(jwk: Uint8Array | null, clientId = clues.clientId) {
  return buildSessionTranscript({
    deviceEngagementBytes: null,
    eReaderKeyBytes: null,
    handover: buildOpenId4VpHandover({
      clientId,
      nonce: clues.nonce,
      jwkThumbprint: jwk,
      responseUri: clues.responseUri,
    }),
  });
}

describe('transcript doctor', () => {
  let pki: Pki;
  beforeAll(async () => {
    pki = await makePki();
  });

  it('a wallet that left out the jwkThumbprint: verification fails, the doctor names the variant', async () => {
    const walletTranscript = oid4vp(null);
    const response = await issueAndPresent(pki, walletTranscript);
    const readerTranscript = oid4vp(jwkSha256Thumbprint(clues.encryptionJwk));
    const report = await verifyDeviceResponse(response, {
      trust: pki.trust,
      now: NOW,
      sessionTranscript: readerTranscript,
    });
    expect(report.documents[0]!.checks.find((c) => c.id === CheckId.DEVICE_AUTH)).toMatchObject({
      status: 'failed',
      code: 'ERR_DEVICE_SIGNATURE_INVALID',
    });
    const diagnosis = await diagnoseTranscript(response, {
      ...clues,
      sessionTranscript: readerTranscript.encoded.tagged(),
    });
    expect(diagnosis.attempts[0]).toMatchObject({ id: 'as-given', result: 'no-match' });
    expect(diagnosis.match?.id).toBe('openid4vp-no-jwk-thumbprint');
    expect(diagnosis.summary).toContain('openid4vp-no-jwk-thumbprint');
    // The transcript the doctor found verifies end to end.
    const fixed = await verifyDeviceResponse(response, {
      trust: pki.trust,
      now: NOW,
      sessionTranscript: diagnosis.match!.sessionTranscript,
    });
    expect(fixed.verified).toBe(true);
  });

  it('finds a client_id sent without its prefix', async () => {
    const response = await issueAndPresent(
      pki,
      oid4vp(jwkSha256Thumbprint(clues.encryptionJwk), 'verifier.example'),
    );
    const diagnosis = await diagnoseTranscript(response, clues);
    expect(diagnosis.match?.id).toBe('openid4vp-client-id-without-prefix');
  });

  it('finds the DC API handover with the origin trailing slash changed', async () => {
    const { buildOpenId4VpDcApiHandover } = await import('@mdlkit/core/session');
    const transcript = buildSessionTranscript({
      deviceEngagementBytes: null,
      eReaderKeyBytes: null,
      handover: buildOpenId4VpDcApiHandover({
        origin: 'https://verifier.example/',
        nonce: clues.nonce,
        jwkThumbprint: null,
      }),
    });
    const response = await issueAndPresent(pki, transcript);
    const diagnosis = await diagnoseTranscript(response, {
      nonce: clues.nonce,
      origin: 'https://verifier.example',
    });
    expect(diagnosis.match?.id).toBe('openid4vp-dc-api-origin-slash');
  });

  it('says so when nothing matches', async () => {
    const response = await issueAndPresent(pki, oid4vp(null));
    const diagnosis = await diagnoseTranscript(response, { ...clues, nonce: 'another-nonce' });
    expect(diagnosis.match).toBeUndefined();
    expect(diagnosis.attempts.length).toBeGreaterThanOrEqual(4);
    expect(diagnosis.attempts.every((a) => a.result === 'no-match')).toBe(true);
    expect(diagnosis.summary).toMatch(/None of the \d+ transcript variants/);
  });
});
