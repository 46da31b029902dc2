/**
 * Online presentation round trips through the library: OpenID4VP 1.0 in every response mode
 * (unsigned and signed JAR with x509_san_dns / x509_hash) and ISO 18013-7 Annex C (with and
 * without ReaderAuth); then every protocol failure by its code.
 */
import { fromBase64Url, toBase64Url, utf8Decode, utf8Encode } from '@mdlkit/core/cbor';
import { CoseAlg, createLocalSigner } from '@mdlkit/core/crypto';
import {
  encodeEncryptedResponse,
  encryptJwe,
  hpkeSeal,
  parseEncryptedResponse,
  parseEncryptionInfo,
} from '@mdlkit/core/online';
import { answerAnnexCRequest, parseAnnexCRequest } from '@mdlkit/holder/annex-c';
import { answerOpenId4VpRequest, parseOpenId4VpRequest } from '@mdlkit/holder/oid4vp';
import { compactDecrypt, importJWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAnnexCRequest, verifyAnnexCResponse } from '../src/annex-c/index.js';
import {
  type CreateOpenId4VpRequestOptions,
  createOpenId4VpRequest,
  type OnlineVerificationReport,
  type OpenId4VpResponseMode,
  type OpenId4VpState,
  verifyOpenId4VpResponse,
} from '../src/oid4vp/index.js';
import { INTENT, makeOnlineWorld, NOW, type OnlineWorld } from './online-fixtures.js';

const ORIGIN = 'https://verifier.example';
const RESPONSE_URI = 'https://verifier.example/oid4vp/response';
let world: OnlineWorld;
beforeAll(async () => {
  world = await makeOnlineWorld();
});

const failed = (report: OnlineVerificationReport) => report.checks.find((c) => c.status === 'failed')?.code;

async function oid4vpRoundTrip(
  mode: OpenId4VpResponseMode,
  extra: Partial<CreateOpenId4VpRequestOptions> = {},
  walletOrigin = ORIGIN,
) {
  const dcApi = mode.startsWith('dc_api');
  const created = await createOpenId4VpRequest({
    intent: INTENT,
    responseMode: mode,
    ...(dcApi ? { origin: ORIGIN } : { responseUri: RESPONSE_URI }),
    now: NOW,
    ...extra,
  });
  const wire = dcApi ? created.dcApi! : created.authorizationRequest!;
  // Everything crosses the wire as JSON.
  const request = await parseOpenId4VpRequest({
    request: JSON.parse(JSON.stringify(wire)),
    ...(dcApi ? { origin: walletOrigin } : {}),
    readerTrust: world.reader.trust,
    now: NOW,
  });
  const answer = await answerOpenId4VpRequest({ request, documents: [world.mdl] });
  const state = JSON.parse(JSON.stringify(created.state)) as OpenId4VpState;
  return { created, request, answer, state, response: JSON.parse(JSON.stringify(answer.response)) };
}

function signing(prefix: 'x509_san_dns' | 'x509_hash') {
  return {
    signing: {
      signer: createLocalSigner({ privateKey: world.reader.key.privateKey, alg: CoseAlg.ES256 }),
      certificateChain: world.reader.chain,
      clientIdPrefix: prefix,
    },
  } as const;
}

describe('OpenID4VP 1.0 round trips', () => {
  const modes: OpenId4VpResponseMode[] = ['dc_api', 'dc_api.jwt', 'direct_post', 'direct_post.jwt'];
  for (const mode of modes) {
    for (const variant of ['unsigned', 'x509_san_dns', 'x509_hash'] as const) {
      it(`${mode}, ${variant}`, async () => {
        const extra = variant === 'unsigned' ? {} : signing(variant);
        const { created, request, response, state } = await oid4vpRoundTrip(mode, extra);
        if (variant === 'unsigned') expect(request.verifier.status).toBe('unsigned');
        else {
          expect(request.verifier.status).toBe('verified');
          expect(state.clientId?.startsWith(`${variant}:`)).toBe(true);
        }
        if (mode.startsWith('dc_api')) {
          expect(created.dcApi?.protocol).toBe(
            variant === 'unsigned' ? 'openid4vp-v1-unsigned' : 'openid4vp-v1-signed',
          );
        }
        expect(typeof response.response === 'string').toBe(mode.endsWith('.jwt'));
        const report = await verifyOpenId4VpResponse(response, state, {
          trust: world.pki.trust,
          now: NOW,
          ...(mode.startsWith('dc_api') ? { origin: ORIGIN } : {}),
        });
        expect(report.checks.filter((c) => c.status === 'failed')).toEqual([]);
        expect(report.verified).toBe(true);
        const doc = report.presentations[0]!.report.documents[0]!;
        expect(doc.elements.map((e) => e.identifier).sort()).toEqual([
          'age_over_21',
          'family_name',
          'portrait',
        ]);
        expect(doc.elements.every((e) => e.verified)).toBe(true);
        // The transcript in the report is the one the wallet signed over.
        const tagged = report.sessionTranscript;
        expect(tagged[0]).toBe(0xd8);
      });
    }
  }

  it('the dc_api.jwt response is a JWE jose decrypts with the state key, and the state marks its secret', async () => {
    const { response, state } = await oid4vpRoundTrip('dc_api.jwt');
    const key = await importJWK(state.secret.decryptionKey as Record<string, string>, 'ECDH-ES');
    const { plaintext, protectedHeader } = await compactDecrypt(response.response, key);
    expect(protectedHeader.kid).toBe(state.encryptionJwk?.kid);
    expect(Object.keys(JSON.parse(utf8Decode(plaintext)).vp_token)).toEqual(['mdl']);
    expect(state.encryptionJwk).not.toHaveProperty('d');
  });

  it('trusted_authorities by AKI: the wallet matches its DS AKI; another AKI finds no credential', async () => {
    const ok = await oid4vpRoundTrip('dc_api', {
      intent: { ...INTENT, trustedIssuers: { certificates: [world.pki.iaca] } },
    });
    expect(
      (ok.created.requestObject.dcql_query as { credentials: { trusted_authorities: unknown }[] })
        .credentials[0]!.trusted_authorities,
    ).toBeDefined();
    const report = await verifyOpenId4VpResponse(ok.response, ok.state, { trust: world.pki.trust, now: NOW });
    expect(report.verified).toBe(true);
    const error = await oid4vpRoundTrip('dc_api', {
      intent: { ...INTENT, trustedIssuers: { authorityKeyIdentifiers: [new Uint8Array(20).fill(9)] } },
    }).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('ERR_ONLINE_NO_MATCHING_CREDENTIAL');
  });
});

describe('Annex C round trips', () => {
  for (const readerAuth of [false, true]) {
    it(`org-iso-mdoc ${readerAuth ? 'with' : 'without'} ReaderAuth`, async () => {
      const created = await createAnnexCRequest({
        intent: INTENT,
        origin: ORIGIN,
        now: NOW,
        ...(readerAuth
          ? {
              readerAuth: {
                signer: createLocalSigner({ privateKey: world.reader.key.privateKey, alg: CoseAlg.ES256 }),
                certificateChain: world.reader.chain,
              },
            }
          : {}),
      });
      expect(created.dcApi.protocol).toBe('org-iso-mdoc');
      const request = await parseAnnexCRequest({
        request: JSON.parse(JSON.stringify(created.dcApi)),
        origin: ORIGIN,
        readerTrust: world.reader.trust,
        now: NOW,
        requireReaderAuth: readerAuth,
      });
      expect(request.deviceRequest.docRequests[0]!.readerAuth.status).toBe(
        readerAuth ? 'verified' : 'absent',
      );
      const answer = await answerAnnexCRequest({ request, documents: [world.mdl] });
      const state = JSON.parse(JSON.stringify(created.state));
      const report = await verifyAnnexCResponse(JSON.parse(JSON.stringify(answer.response)), state, {
        trust: world.pki.trust,
        now: NOW,
        origin: ORIGIN,
      });
      expect(report.checks.filter((c) => c.status === 'failed')).toEqual([]);
      expect(report.verified).toBe(true);
      expect([...report.presentations[0]!.deviceResponse]).toEqual([...answer.deviceResponse]);
    });
  }
});

describe('protocol failures, each by its code', () => {
  it('wrong origin: the wallet was called from another origin (transcript) / the response arrived from one', async () => {
    const r = await oid4vpRoundTrip('dc_api.jwt', {}, 'https://evil.example');
    const bound = await verifyOpenId4VpResponse(r.response, r.state, { trust: world.pki.trust, now: NOW });
    expect(failed(bound)).toBe('ERR_ONLINE_TRANSCRIPT_MISMATCH');
    expect(bound.verified).toBe(false);
    const seen = await verifyOpenId4VpResponse(r.response, r.state, {
      trust: world.pki.trust,
      now: NOW,
      origin: 'https://evil.example',
    });
    expect(failed(seen)).toBe('ERR_ONLINE_ORIGIN_MISMATCH');
  });

  it('signed request: the wallet refuses an origin outside expected_origins and a client id the certificate does not carry', async () => {
    const error = await oid4vpRoundTrip('dc_api', signing('x509_san_dns'), 'https://evil.example').catch(
      (e: unknown) => e,
    );
    expect((error as { code?: string }).code).toBe('ERR_ONLINE_ORIGIN_NOT_EXPECTED');
    const bad = await oid4vpRoundTrip('dc_api', {
      ...signing('x509_san_dns'),
      signing: { ...signing('x509_san_dns').signing, dnsName: 'other.example' },
    }).catch((e: unknown) => e);
    expect((bad as { code?: string }).code).toBe('ERR_ONLINE_REQUEST_INVALID');
  });

  it('wrong nonce: a response made for another request does not bind to this one', async () => {
    const a = await oid4vpRoundTrip('dc_api');
    const b = await oid4vpRoundTrip('dc_api');
    const report = await verifyOpenId4VpResponse(a.response, b.state, { trust: world.pki.trust, now: NOW });
    expect(failed(report)).toBe('ERR_ONLINE_TRANSCRIPT_MISMATCH');
    expect(report.verified).toBe(false);
  });

  it('replayed, expired and unknown state', async () => {
    const r = await oid4vpRoundTrip('direct_post');
    const seen = new Set<string>();
    const replayGuard = (id: string): boolean => {
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    };
    const first = await verifyOpenId4VpResponse(r.response, r.state, {
      trust: world.pki.trust,
      now: NOW,
      replayGuard,
    });
    expect(first.verified).toBe(true);
    const again = await verifyOpenId4VpResponse(r.response, r.state, {
      trust: world.pki.trust,
      now: NOW,
      replayGuard,
    });
    expect(failed(again)).toBe('ERR_ONLINE_STATE_REPLAYED');
    const late = await verifyOpenId4VpResponse(r.response, r.state, {
      trust: world.pki.trust,
      now: new Date(NOW.getTime() + 301_000),
    });
    expect(failed(late)).toBe('ERR_ONLINE_STATE_EXPIRED');
    const other = await verifyOpenId4VpResponse({ ...r.response, state: 'someone-else' }, r.state, {
      trust: world.pki.trust,
      now: NOW,
    });
    expect(failed(other)).toBe('ERR_ONLINE_STATE_UNKNOWN');
    const c = await createAnnexCRequest({ intent: INTENT, origin: ORIGIN, now: NOW });
    const lateC = await verifyAnnexCResponse({ response: 'AA' }, c.state, {
      trust: world.pki.trust,
      now: new Date(NOW.getTime() + 301_000),
    });
    expect(failed(lateC)).toBe('ERR_ONLINE_STATE_EXPIRED');
    await expect(
      verifyOpenId4VpResponse(r.response, { ...r.state, version: 2 } as never, { trust: world.pki.trust }),
    ).rejects.toMatchObject({
      code: 'ERR_ONLINE_STATE_INVALID',
    });
  });

  it('a JWE for another key: other kid, and same kid with another key', async () => {
    const a = await oid4vpRoundTrip('dc_api.jwt');
    const b = await oid4vpRoundTrip('dc_api.jwt');
    const report = await verifyOpenId4VpResponse(a.response, b.state, { trust: world.pki.trust, now: NOW });
    expect(failed(report)).toBe('ERR_ONLINE_ENCRYPTION_KEY_MISMATCH');
    const sameKid = await encryptJwe({
      plaintext: utf8Encode(JSON.stringify({ vp_token: {} })),
      recipientJwk: {
        ...a.state.encryptionJwk!,
        kid: b.state.encryptionJwk?.kid as string,
      },
    });
    const r2 = await verifyOpenId4VpResponse({ response: sameKid }, b.state, {
      trust: world.pki.trust,
      now: NOW,
    });
    expect(failed(r2)).toBe('ERR_ONLINE_DECRYPTION_FAILED');
    const plain = await verifyOpenId4VpResponse({ vp_token: {} }, b.state, {
      trust: world.pki.trust,
      now: NOW,
    });
    expect(failed(plain)).toBe('ERR_ONLINE_RESPONSE_NOT_ENCRYPTED');
  });

  it('extra and missing presentations, and a response for another query', async () => {
    const r = await oid4vpRoundTrip('dc_api');
    const token = r.response.vp_token as Record<string, string[]>;
    const extra = await verifyOpenId4VpResponse({ vp_token: { ...token, pid: token.mdl } }, r.state, {
      trust: world.pki.trust,
      now: NOW,
    });
    expect(failed(extra)).toBe('ERR_ONLINE_PRESENTATION_UNEXPECTED');
    const two = await verifyOpenId4VpResponse(
      { vp_token: { mdl: [token.mdl![0], token.mdl![0]] } },
      r.state,
      { trust: world.pki.trust, now: NOW },
    );
    expect(failed(two)).toBe('ERR_ONLINE_PRESENTATION_UNEXPECTED');
    const none = await verifyOpenId4VpResponse({ vp_token: {} }, r.state, {
      trust: world.pki.trust,
      now: NOW,
    });
    expect(failed(none)).toBe('ERR_ONLINE_PRESENTATION_MISSING');
    const denied = await verifyOpenId4VpResponse({ error: 'access_denied' }, r.state, {
      trust: world.pki.trust,
      now: NOW,
    });
    expect(failed(denied)).toBe('ERR_ONLINE_WALLET_ERROR');
    // Another query: the state asks for driving_privileges too; the answer (bound to the same nonce and origin) lacks it.
    const broader = {
      ...r.state,
      dcqlQuery: {
        credentials: [
          {
            id: 'mdl',
            format: 'mso_mdoc',
            meta: { doctype_value: 'org.iso.18013.5.1.mDL' },
            claims: [{ path: ['org.iso.18013.5.1', 'driving_privileges'] }],
          },
        ],
      },
    };
    const query = await verifyOpenId4VpResponse(r.response, broader, { trust: world.pki.trust, now: NOW });
    expect(failed(query)).toBe('ERR_ONLINE_QUERY_NOT_SATISFIED');
    expect(query.verified).toBe(false);
  });

  it('Annex C: undecryptable, wrong transcript (origin), wrong key, and a wallet error', async () => {
    const created = await createAnnexCRequest({ intent: INTENT, origin: ORIGIN, now: NOW });
    const request = await parseAnnexCRequest({ request: created.dcApi, origin: ORIGIN });
    const answer = await answerAnnexCRequest({ request, documents: [world.mdl] });
    const opts = { trust: world.pki.trust, now: NOW };
    const parts = parseEncryptedResponse(answer.response.response);
    const flipped = parts.cipherText.slice();
    flipped[10] = flipped[10]! ^ 1;
    const tampered = encodeEncryptedResponse({ enc: parts.enc, cipherText: flipped }).base64url;
    expect(failed(await verifyAnnexCResponse({ response: tampered }, created.state, opts))).toBe(
      'ERR_ONLINE_DECRYPTION_FAILED',
    );
    expect(failed(await verifyAnnexCResponse({ response: 'not cbor' }, created.state, opts))).toBe(
      'ERR_ONLINE_RESPONSE_INVALID',
    );
    // The wallet ran on another origin: its HPKE info (the transcript) differs, so nothing opens.
    const elsewhere = await parseAnnexCRequest({ request: created.dcApi, origin: 'https://evil.example' });
    const evil = await answerAnnexCRequest({ request: elsewhere, documents: [world.mdl] });
    expect(failed(await verifyAnnexCResponse(evil.response, created.state, opts))).toBe(
      'ERR_ONLINE_DECRYPTION_FAILED',
    );
    // Sealed with the right info but a DeviceResponse for another transcript: binding fails.
    const other = await createAnnexCRequest({ intent: INTENT, origin: ORIGIN, now: NOW });
    const otherReq = await parseAnnexCRequest({ request: other.dcApi, origin: ORIGIN });
    const otherAnswer = await answerAnnexCRequest({ request: otherReq, documents: [world.mdl] });
    const resealed = await hpkeSeal({
      recipientPublicKey: parseEncryptionInfo(created.state.encryptionInfo).recipientPublicKey,
      plaintext: otherAnswer.deviceResponse,
      info: request.sessionTranscript.encoded.bytes,
    });
    const swapped = encodeEncryptedResponse({ enc: resealed.enc, cipherText: resealed.ciphertext }).base64url;
    expect(failed(await verifyAnnexCResponse({ response: swapped }, created.state, opts))).toBe(
      'ERR_ONLINE_TRANSCRIPT_MISMATCH',
    );
    // A response for another request's key.
    expect(failed(await verifyAnnexCResponse(otherAnswer.response, created.state, opts))).toBe(
      'ERR_ONLINE_DECRYPTION_FAILED',
    );
    expect(failed(await verifyAnnexCResponse({ error: 'user_cancelled' }, created.state, opts))).toBe(
      'ERR_ONLINE_WALLET_ERROR',
    );
    expect(
      failed(
        await verifyAnnexCResponse(answer.response, created.state, {
          ...opts,
          origin: 'https://evil.example',
        }),
      ),
    ).toBe('ERR_ONLINE_ORIGIN_MISMATCH');
    // Valid transport, but the DeviceResponse answers another docType than asked.
    expect(toBase64Url(fromBase64Url(created.state.encryptionInfo))).toBe(created.state.encryptionInfo);
  });
});
