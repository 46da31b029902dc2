/**
 * Issue 16: for every handover of the core catalogue, build → transcript doctor → verify round-trips.
 * The wallet signs over a transcript built from random request values (empty strings included, every
 * optional part present or absent); the doctor, given the same values as clues, must name the entry
 * and return a transcript that `verifyDeviceResponse` accepts unchanged. A wrong clue must not match.
 */

import { EncodedCbor, encodeCbor } from '@mdlkit/core/cbor';
import { generateKeyPair } from '@mdlkit/core/crypto';
import {
  buildAndroidHandoverV1,
  buildBrowserHandoverV1,
  buildGoogleWalletHandoverV1,
  buildIsoAnnexBHandover,
  buildIsoDcApiHandover,
  buildOpenId4VpDcApiDraftHandover,
  buildOpenId4VpDcApiHandover,
  buildOpenId4VpHandover,
  buildOpenId4VpPreStandardHandover,
  buildSessionTranscript,
  HANDOVER_CATALOGUE,
  type Handover,
  type HandoverEntryId,
  originInfoBytes,
} from '@mdlkit/core/session';
import { answerDeviceRequest, parseDeviceRequest, type StoredMdoc } from '@mdlkit/holder';
import { issueStoredMdl } from '@mdlkit/test-utils/mdoc';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildDeviceRequest,
  diagnoseTranscript,
  type TranscriptClues,
  verifyDeviceResponse,
} from '../src/index.js';
import { makePki, NOW, type Pki } from './fixtures.js';

interface Sample {
  readonly handover: Handover;
  readonly de?: Uint8Array;
  readonly erk?: Uint8Array;
  readonly clues: TranscriptClues;
}

/** Strings with the empty string well represented: empty strings are values. */
const str = fc.oneof(fc.constant(''), fc.string({ maxLength: 12 }));
const bytes = (min = 0, max = 24) => fc.uint8Array({ minLength: min, maxLength: max });
const hash = fc.uint8Array({ minLength: 32, maxLength: 32 });
const engagement = fc.record({
  de: bytes(1, 16).map((b) => encodeCbor(['1.0', b])),
  erk: bytes(1, 16).map((b) =>
    encodeCbor(
      new Map<number, unknown>([
        [1, 2],
        [-1, b],
      ]),
    ),
  ),
});
const b64url = fc.stringMatching(/^[A-Za-z0-9_-]{0,16}$/);
const webOrigin = str.filter((o) => !o.startsWith('origin:'));

const samples: Record<HandoverEntryId, fc.Arbitrary<Sample>> = {
  qr: engagement.map(({ de, erk }) => ({
    handover: { kind: 'qr' },
    de,
    erk,
    clues: { deviceEngagement: de, eReaderKeyBytes: erk },
  })),
  'nfc-static': fc.record({ e: engagement, hs: bytes(1) }).map(({ e, hs }) => ({
    handover: { kind: 'nfc', handoverSelect: hs, handoverRequest: null },
    ...e,
    clues: { deviceEngagement: e.de, eReaderKeyBytes: e.erk, handoverSelect: hs },
  })),
  'nfc-negotiated': fc.record({ e: engagement, hs: bytes(1), hr: bytes() }).map(({ e, hs, hr }) => ({
    handover: { kind: 'nfc', handoverSelect: hs, handoverRequest: hr },
    ...e,
    clues: { deviceEngagement: e.de, eReaderKeyBytes: e.erk, handoverSelect: hs, handoverRequest: hr },
  })),
  openid4vp: fc
    .record({ clientId: str, nonce: str, responseUri: str, jwk: fc.option(hash), giveJwk: fc.boolean() })
    .map(({ clientId, nonce, responseUri, jwk, giveJwk }) => ({
      handover: buildOpenId4VpHandover({ clientId, nonce, responseUri, jwkThumbprint: jwk }),
      clues: {
        clientId,
        nonce,
        responseUri,
        ...(jwk !== null
          ? { jwkThumbprint: jwk }
          : giveJwk
            ? { jwkThumbprint: new Uint8Array(32).fill(7) }
            : {}),
      },
    })),
  'openid4vp-dc-api': fc
    .record({ origin: webOrigin, nonce: str, jwk: fc.option(hash) })
    .map(({ origin, nonce, jwk }) => ({
      handover: buildOpenId4VpDcApiHandover({ origin, nonce, jwkThumbprint: jwk }),
      clues: { origin, nonce, ...(jwk === null ? {} : { jwkThumbprint: jwk }) },
    })),
  'openid4vp-dc-api-draft': fc.record({ origin: str, clientId: str, nonce: str }).map((v) => ({
    handover: buildOpenId4VpDcApiDraftHandover(v),
    clues: v,
  })),
  'iso-18013-7-annex-b': fc
    .record({ clientId: str, responseUri: str, nonce: str, mdocGeneratedNonce: str })
    .map((v) => ({ handover: buildIsoAnnexBHandover(v), clues: v })),
  'iso-18013-7-annex-c': fc.record({ encryptionInfo: b64url, origin: webOrigin }).map((v) => ({
    handover: buildIsoDcApiHandover(v),
    clues: v,
  })),
  'openid4vp-pre-standard': fc
    .record({ clientId: str, responseUri: str, nonce: str, mdocGeneratedNonce: str })
    .map((v) => ({ handover: buildOpenId4VpPreStandardHandover(v), clues: v })),
  'android-v1': fc
    .record({ nonce: bytes(), packageName: str, asBytes: fc.boolean(), requesterIdHash: bytes() })
    .map(({ nonce, packageName, asBytes, requesterIdHash }) => ({
      handover: buildAndroidHandoverV1({
        nonce,
        packageName: asBytes ? new TextEncoder().encode(packageName) : packageName,
        requesterIdHash,
      }),
      clues: { nonceBytes: nonce, packageName, requesterIdHash },
    })),
  'browser-v1': fc
    .record({ nonce: bytes(), origin: str, requesterIdHash: bytes(), pkEm: fc.option(bytes(1)) })
    .map(({ nonce, origin, requesterIdHash, pkEm }) => ({
      handover: buildBrowserHandoverV1({
        nonce,
        origin,
        requesterIdHash,
        ...(pkEm === null ? {} : { pkEm }),
      }),
      clues: { nonceBytes: nonce, origin, requesterIdHash, ...(pkEm === null ? {} : { pkEm }) },
    })),
  'google-wallet-v1': fc
    .array(fc.oneof(str, bytes(), fc.integer({ min: 0, max: 1000 }), fc.constant(null)), { maxLength: 4 })
    .map((elements) => ({
      handover: buildGoogleWalletHandoverV1({ elements }),
      clues: { handoverElements: elements },
    })),
};

describe('handover catalogue: build → doctor → verify (property)', () => {
  let pki: Pki;
  let stored: StoredMdoc;
  let requestBytes: Uint8Array;
  beforeAll(async () => {
    pki = await makePki();
    stored = await issueStoredMdl({ pki, device: generateKeyPair({ curve: 'P-256' }) });
    ({ bytes: requestBytes } = await buildDeviceRequest({
      docRequests: [
        { docType: 'org.iso.18013.5.1.mDL', nameSpaces: { 'org.iso.18013.5.1': { family_name: false } } },
      ],
    }));
  });

  const present = async (sample: Sample): Promise<Uint8Array> => {
    const transcript = buildSessionTranscript({
      deviceEngagementBytes: sample.de === undefined ? null : EncodedCbor.fromBytes(sample.de),
      eReaderKeyBytes: sample.erk === undefined ? null : EncodedCbor.fromBytes(sample.erk),
      handover: sample.handover,
    });
    const request = await parseDeviceRequest(requestBytes, {});
    return (await answerDeviceRequest({ request, documents: [stored], sessionTranscript: transcript })).bytes;
  };

  it('the catalogue and the generators cover the same entries', () => {
    expect(Object.keys(samples).sort()).toEqual(HANDOVER_CATALOGUE.map((e) => e.id).sort());
  });

  for (const entry of HANDOVER_CATALOGUE) {
    it(`${entry.id}: the doctor names it and its transcript verifies unchanged`, async () => {
      await fc.assert(
        fc.asyncProperty(samples[entry.id], samples[entry.id], async (sample, other) => {
          const response = await present(sample);
          const diagnosis = await diagnoseTranscript(response, sample.clues);
          expect(diagnosis.match?.entry, diagnosis.summary).toBe(entry.id);
          const report = await verifyDeviceResponse(response, {
            trust: pki.trust,
            now: NOW,
            sessionTranscript: diagnosis.match!.sessionTranscript,
          });
          expect(report.verified).toBe(true);
          expect(report.sessionTranscript?.handover).toBe(
            entry.id === 'openid4vp-dc-api-draft' ? 'openid4vp-dc-api' : entry.id,
          );
          // Clues for another presentation never match this one unless they build the same transcript.
          const otherDiagnosis = await diagnoseTranscript(response, other.clues);
          if (otherDiagnosis.match !== undefined) {
            expect(otherDiagnosis.match.sessionTranscript).toEqual(diagnosis.match!.sessionTranscript);
          }
        }),
        { numRuns: 8 },
      );
    });
  }

  it('a wrong transcript still fails device authentication with ERR_DEVICE_SIGNATURE_INVALID', async () => {
    const response = await present({
      handover: buildAndroidHandoverV1({
        nonce: new Uint8Array(4),
        packageName: 'a',
        requesterIdHash: new Uint8Array(32),
      }),
      clues: {},
    });
    const wrong = buildSessionTranscript({
      deviceEngagementBytes: null,
      eReaderKeyBytes: null,
      handover: buildAndroidHandoverV1({
        nonce: new Uint8Array(4),
        packageName: 'b',
        requesterIdHash: new Uint8Array(32),
      }),
    });
    const report = await verifyDeviceResponse(response, {
      trust: pki.trust,
      now: NOW,
      sessionTranscript: wrong,
    });
    expect(report.verified).toBe(false);
    expect(report.documents[0]!.checks.find((c) => c.id === 'device-auth')).toMatchObject({
      status: 'failed',
      code: 'ERR_DEVICE_SIGNATURE_INVALID',
    });
  });

  it('an unrecognised handover is an information line, not a refusal', async () => {
    const value = ['FooHandover', new Uint8Array(32), 'x'];
    const response = await present({ handover: { kind: 'unrecognised', value, shape: '' }, clues: {} });
    const transcript = encodeCbor([null, null, value]);
    const report = await verifyDeviceResponse(response, {
      trust: pki.trust,
      now: NOW,
      sessionTranscript: transcript,
    });
    expect(report.verified).toBe(true);
    expect(report.sessionTranscript).toMatchObject({
      handover: 'unrecognised',
      shape: '["FooHandover", bstr(32), tstr(1)]',
    });
  });

  it('originInfoBytes is cbor({cat: 1, type: 1, details: {baseUrl}}) in that order', () => {
    expect(Buffer.from(originInfoBytes('https://a.example')).toString('hex')).toBe(
      Buffer.from(
        encodeCbor(
          new Map<string, unknown>([
            ['cat', 1],
            ['type', 1],
            ['details', new Map([['baseUrl', 'https://a.example']])],
          ]),
          { keyOrder: 'insertion' },
        ),
      ).toString('hex'),
    );
  });
});
