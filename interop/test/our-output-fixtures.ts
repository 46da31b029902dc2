import { encodeCbor, FullDate, fromBase64Url } from '@mdlkit/core/cbor';
import {
  createLocalSigner,
  digest,
  exportPublicKey,
  generateKeyPair,
  randomBytes,
} from '@mdlkit/core/crypto';
import { buildSessionTranscript, parseSessionTranscript, type SessionTranscript } from '@mdlkit/core/session';
import {
  answerDeviceRequest,
  createQrEngagement,
  MdocStore,
  parseDeviceRequest,
  type StoredMdoc,
} from '@mdlkit/holder';
import { answerAnnexCRequest, parseAnnexCRequest } from '@mdlkit/holder/annex-c';
import { answerOpenId4VpRequest, parseOpenId4VpRequest } from '@mdlkit/holder/oid4vp';
import { issueMdoc } from '@mdlkit/issuer';
import { buildDocumentSignerCertificate, buildIacaCertificate, TrustStore } from '@mdlkit/pki';
import { buildDeviceRequest } from '@mdlkit/reader';
import { createAnnexCRequest, verifyAnnexCResponse } from '@mdlkit/reader/annex-c';
import {
  createOpenId4VpRequest,
  type OnlineVerificationReport,
  verifyOpenId4VpResponse,
} from '@mdlkit/reader/oid4vp';
import { encodeTestDeviceRequest, qrSessionTranscript } from '@mdlkit/test-fixtures';

export const NS = 'org.iso.18013.5.1';
export const DOCTYPE = 'org.iso.18013.5.1.mDL';

/** What the reader asks for in every interop test (portrait and birth_date are held but not requested). */
export const REQUESTED: Record<string, boolean> = {
  family_name: true,
  given_name: false,
  age_over_18: false,
  issuing_country: true,
};

/** A DeviceResponse produced by mdlkit (issuer + holder), with everything a peer verifier needs. */
export interface OurResponse {
  readonly deviceResponse: Uint8Array;
  /** SessionTranscriptBytes (tag 24). */
  readonly sessionTranscriptBytes: Uint8Array;
  /** The SessionTranscript array encoding (no tag). */
  readonly sessionTranscriptArray: Uint8Array;
  readonly iacaDer: Uint8Array;
  readonly iacaPem: string;
  readonly deviceRequest: Uint8Array;
}

const DAY = 86_400_000;

/**
 * Peers verify against the real clock (auth0 has no `now` option), so certificates and the MSO
 * are made valid around the actual current time.
 */
export type OurResponseKind = 'qr' | 'openid4vp' | 'oid4vp-dc-api' | 'annex-c';

/** The online kinds: made through the reader's request, the holder's answer and the reader's decryption. */
export const ONLINE_KINDS = ['oid4vp-dc-api', 'annex-c'] as const;

export async function makeOurResponse(kind: OurResponseKind): Promise<OurResponse> {
  const now = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
  const iacaKey = generateKeyPair({ curve: 'P-256' });
  const iacaSigner = createLocalSigner({ privateKey: iacaKey.privateKey, alg: -7 });
  const iacaDer = await buildIacaCertificate({
    subject: { country: 'US', commonName: 'mdlkit interop IACA' },
    publicKey: exportPublicKey(iacaKey.publicKey, 'spki'),
    signer: iacaSigner,
    issuerAltName: [{ email: 'iaca@example.com' }],
    crlDistributionPoint: 'https://example.com/iaca.crl',
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 3650 * DAY),
    randomBytes,
  });
  const dsKey = generateKeyPair({ curve: 'P-256' });
  const dsDer = await buildDocumentSignerCertificate({
    subject: { commonName: 'mdlkit interop DS' },
    publicKey: exportPublicKey(dsKey.publicKey, 'spki'),
    issuer: { certificate: iacaDer, signer: iacaSigner },
    crlDistributionPoint: 'https://example.com/iaca.crl',
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 365 * DAY),
    randomBytes,
  });
  const deviceKey = generateKeyPair({ curve: 'P-256' });
  const mdoc = await issueMdoc({
    docType: DOCTYPE,
    nameSpaces: {
      [NS]: {
        family_name: 'Doe',
        given_name: 'Jane',
        birth_date: new FullDate('1990-04-12'),
        issue_date: new FullDate('2025-01-15'),
        expiry_date: new FullDate('2030-01-15'),
        issuing_country: 'US',
        issuing_authority: 'Interop DMV',
        document_number: 'D1234567',
        portrait: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...randomBytes(2044)]),
        driving_privileges: [new Map<string, unknown>([['vehicle_category_code', 'B']])],
        un_distinguishing_sign: 'USA',
        age_over_18: true,
        age_over_21: true,
      },
    },
    deviceKey: deviceKey.publicKey,
    validity: { validUntil: new Date(now.getTime() + 30 * DAY) },
    signer: createLocalSigner({ privateKey: dsKey.privateKey, alg: -7 }),
    dsCertificate: dsDer,
    now,
    decoys: 3,
  });
  const store = new MdocStore();
  store.add({
    id: 'mdl',
    issuerSigned: mdoc.issuerSigned,
    deviceKeyReference: {
      kind: 'signature',
      signer: createLocalSigner({ privateKey: deviceKey.privateKey, alg: -7 }),
    },
  });

  const b64 = Buffer.from(iacaDer).toString('base64').replace(/.{64}/g, '$&\n');
  const iacaPem = `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
  if (kind === 'oid4vp-dc-api' || kind === 'annex-c') {
    const online = await onlineResponse(kind, store.list(), iacaDer, now);
    return { ...online, iacaDer, iacaPem };
  }

  let transcript: SessionTranscript;
  if (kind === 'qr') {
    transcript = qrSessionTranscript(createQrEngagement().deviceEngagementBytes).transcript;
  } else {
    // OpenID4VP 1.0 B.2.6.1: ["OpenID4VPHandover", SHA-256(cbor([client_id, nonce, jwkThumbprint / null, response_uri]))]
    const info = encodeCbor([
      'x509_san_dns:verifier.example',
      'n-0S6_WzA2Mj',
      null,
      'https://verifier.example/post',
    ]);
    transcript = buildSessionTranscript({
      deviceEngagementBytes: null,
      eReaderKeyBytes: null,
      handover: { kind: 'openid4vp', infoHash: digest('SHA-256', info) },
    });
  }
  const deviceRequest = encodeTestDeviceRequest({
    docRequests: [{ docType: DOCTYPE, nameSpaces: { [NS]: REQUESTED } }],
  });
  const answer = await answerDeviceRequest({
    request: await parseDeviceRequest(deviceRequest),
    documents: store.list(),
    sessionTranscript: transcript,
  });
  return {
    deviceResponse: answer.bytes,
    sessionTranscriptBytes: transcript.encoded.tagged(),
    sessionTranscriptArray: transcript.encoded.bytes,
    iacaDer,
    iacaPem,
    deviceRequest,
  };
}

const ORIGIN = 'https://verifier.example';
const INTENT = { docType: DOCTYPE, elements: { [NS]: REQUESTED } };

/**
 * An online presentation end to end: the reader builds the request (OpenID4VP over the DC API with
 * `dc_api.jwt`, or Annex C), the holder answers, the reader decrypts and verifies; the DeviceResponse
 * and the transcript the reader built from its own state are what the peers get.
 */
async function onlineResponse(
  kind: 'oid4vp-dc-api' | 'annex-c',
  documents: readonly StoredMdoc[],
  iacaDer: Uint8Array,
  now: Date,
): Promise<Omit<OurResponse, 'iacaDer' | 'iacaPem'>> {
  const trust = new TrustStore([iacaDer]);
  let report: OnlineVerificationReport;
  let deviceRequest: Uint8Array;
  if (kind === 'oid4vp-dc-api') {
    const { dcApi, state } = await createOpenId4VpRequest({
      intent: INTENT,
      responseMode: 'dc_api.jwt',
      origin: ORIGIN,
      now,
    });
    const request = await parseOpenId4VpRequest({ request: dcApi!, origin: ORIGIN });
    const answer = await answerOpenId4VpRequest({ request, documents });
    report = await verifyOpenId4VpResponse(answer.response, state, { trust, now, origin: ORIGIN });
    deviceRequest = (
      await buildDeviceRequest({ docRequests: [{ docType: DOCTYPE, nameSpaces: { [NS]: REQUESTED } }] })
    ).bytes;
  } else {
    const { dcApi, state } = await createAnnexCRequest({ intent: INTENT, origin: ORIGIN, now });
    const request = await parseAnnexCRequest({ request: dcApi, origin: ORIGIN });
    const answer = await answerAnnexCRequest({ request, documents });
    report = await verifyAnnexCResponse(answer.response, state, { trust, now, origin: ORIGIN });
    deviceRequest = fromBase64Url(state.deviceRequest);
  }
  if (!report.verified) throw new Error(`mdlkit did not verify its own ${kind} presentation`);
  const transcript = parseSessionTranscript(report.sessionTranscript);
  return {
    deviceResponse: report.presentations[0]!.deviceResponse,
    sessionTranscriptBytes: report.sessionTranscript,
    sessionTranscriptArray: transcript.encoded.bytes,
    deviceRequest,
  };
}
