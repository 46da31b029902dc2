/**
 * The fuzzer's starting inputs: a small world issued and answered by our own issuer, holder and
 * reader (a two-document DeviceResponse — one document with a DeviceSignature, one with a
 * DeviceMac — the QR DeviceEngagement and a DeviceRequest with reader authentication), plus the
 * ISO/IEC 18013-5 Annex D vectors. Everything a target needs to run a seed travels in its
 * {@link FuzzContext} as plain data, so a failing input can be saved and replayed on its own.
 */
import { EncodedCbor, fromHex, toHex } from '@mdlkit/core/cbor';
import { createLocalSigner, exportPublicKey, generateKeyPair, randomBytes } from '@mdlkit/core/crypto';
import { buildSessionTranscript } from '@mdlkit/core/session';
import { answerDeviceRequest, createQrEngagement, MdocStore, parseDeviceRequest } from '@mdlkit/holder';
import { issueMdoc } from '@mdlkit/issuer';
import {
  buildDocumentSignerCertificate,
  buildIacaCertificate,
  buildReaderAuthCertificate,
  buildReaderRootCertificate,
  pemToDer,
} from '@mdlkit/pki';
import { buildDeviceRequest } from '@mdlkit/reader';

/** What a fuzz input is fed to. */
export type FuzzTarget =
  | 'device-response'
  | 'device-request'
  | 'device-engagement'
  | 'session-establishment'
  | 'session-data';

/** Everything a target needs besides the input, as plain (JSON-safe) data. */
export interface FuzzContext {
  /** Trust anchors, DER hex (IACA for responses, reader root for requests). */
  readonly trustAnchors: readonly string[];
  /** SessionTranscriptBytes (tag 24) hex. */
  readonly sessionTranscript?: string;
  /** The reader's ephemeral P-256 private key `d`, hex (DeviceMac). */
  readonly eReaderKeyD?: string;
  /** Time of verification, ISO 8601. */
  readonly now: string;
  /** Certificate policy. */
  readonly policy: 'strict' | 'lenient';
}

/** One starting input. */
export interface FuzzSeed {
  readonly name: string;
  readonly target: FuzzTarget;
  readonly bytes: Uint8Array;
  readonly context: FuzzContext;
}

/** The seeds and the certificates mutations may swap into x5chains. */
export interface SeedCorpus {
  readonly seeds: readonly FuzzSeed[];
  readonly certificates: readonly Uint8Array[];
}

const MDL = 'org.iso.18013.5.1.mDL';
const MDL_NS = 'org.iso.18013.5.1';
const NOW = new Date('2025-06-01T12:00:00Z');

/** A small JPEG-framed byte string (SOI … EOI), enough for the schema's portrait check. */
function jpeg(size: number): Uint8Array {
  const out = randomBytes(size);
  out.set([0xff, 0xd8, 0xff, 0xe0], 0);
  out.set([0xff, 0xd9], size - 2);
  return out;
}

/** Issues, engages, requests and answers once with fresh keys (the signatures differ per call). */
async function ownSeeds(): Promise<{ seeds: FuzzSeed[]; certificates: Uint8Array[] }> {
  const iacaKey = generateKeyPair({ curve: 'P-256' });
  const iacaSigner = createLocalSigner({ privateKey: iacaKey.privateKey, alg: -7 });
  const validity = { notBefore: new Date('2025-01-01T00:00:00Z'), randomBytes };
  const iaca = await buildIacaCertificate({
    subject: { country: 'US', stateOrProvince: 'US-CA', commonName: 'Fuzz IACA' },
    publicKey: exportPublicKey(iacaKey.publicKey, 'spki'),
    signer: iacaSigner,
    issuerAltName: [{ email: 'iaca@example.com' }],
    crlDistributionPoint: 'https://example.com/iaca.crl',
    notAfter: new Date('2034-01-01T00:00:00Z'),
    ...validity,
  });
  const dsKey = generateKeyPair({ curve: 'P-256' });
  const ds = await buildDocumentSignerCertificate({
    subject: { country: 'US', stateOrProvince: 'US-CA', commonName: 'Fuzz DS' },
    publicKey: exportPublicKey(dsKey.publicKey, 'spki'),
    issuer: { certificate: iaca, signer: iacaSigner },
    crlDistributionPoint: 'https://example.com/iaca.crl',
    notAfter: new Date('2026-01-01T00:00:00Z'),
    ...validity,
  });
  const dsSigner = createLocalSigner({ privateKey: dsKey.privateKey, alg: -7 });

  const readerRootKey = generateKeyPair({ curve: 'P-256' });
  const readerRootSigner = createLocalSigner({ privateKey: readerRootKey.privateKey, alg: -7 });
  const readerRoot = await buildReaderRootCertificate({
    subject: { country: 'US', commonName: 'Fuzz reader root' },
    publicKey: exportPublicKey(readerRootKey.publicKey, 'spki'),
    signer: readerRootSigner,
    issuerAltName: [{ email: 'reader-ca@example.com' }],
    crlDistributionPoint: 'https://example.com/reader.crl',
    notAfter: new Date('2034-01-01T00:00:00Z'),
    ...validity,
  });
  const readerKey = generateKeyPair({ curve: 'P-256' });
  const readerCert = await buildReaderAuthCertificate({
    subject: { country: 'US', commonName: 'Fuzz reader' },
    publicKey: exportPublicKey(readerKey.publicKey, 'spki'),
    issuer: { certificate: readerRoot, signer: readerRootSigner },
    issuerAltName: [{ email: 'reader-ca@example.com' }],
    crlDistributionPoint: 'https://example.com/reader.crl',
    notAfter: new Date('2026-01-01T00:00:00Z'),
    ...validity,
  });

  // two documents: an mDL (device signature) and a second mdoc (device MAC)
  const sigDevice = generateKeyPair({ curve: 'P-256' });
  const macDevice = generateKeyPair({ curve: 'P-256' });
  const common = {
    validity: { validUntil: new Date('2025-12-01T00:00:00Z') },
    signer: dsSigner,
    dsCertificate: ds,
    now: new Date('2025-05-01T00:00:00Z'),
  };
  const mdl = await issueMdoc({
    ...common,
    docType: MDL,
    nameSpaces: {
      [MDL_NS]: new Map<string, unknown>([
        ['family_name', 'Doe'],
        ['given_name', 'Jane'],
        ['issuing_country', 'US'],
        ['issuing_jurisdiction', 'US-CA'],
        ['document_number', 'D1234567'],
        ['portrait', jpeg(512)],
        ['age_over_18', true],
        ['age_over_21', false],
      ]),
      'org.iso.18013.5.1.US': new Map<string, unknown>([['organ_donor', 1]]),
    },
    deviceKey: sigDevice.publicKey,
    decoys: 2,
    // a partial mDL on purpose (the fuzzer needs structure, not a complete licence)
    validateElements: false,
  });
  const other = await issueMdoc({
    ...common,
    docType: 'org.example.fuzz.1',
    nameSpaces: {
      'org.example.fuzz.1': new Map<string, unknown>([
        ['member_id', 'M-77'],
        ['level', 3],
        ['tags', ['a', 'b']],
      ]),
    },
    deviceKey: macDevice.publicKey,
    validateElements: false,
  });
  const store = new MdocStore();
  store.add({
    id: 'mdl',
    issuerSigned: mdl.issuerSigned,
    deviceKeyReference: {
      kind: 'signature',
      signer: createLocalSigner({ privateKey: sigDevice.privateKey, alg: -7 }),
    },
  });
  store.add({
    id: 'other',
    issuerSigned: other.issuerSigned,
    deviceKeyReference: { kind: 'mac', devicePrivateKey: macDevice.privateKey },
  });

  const qr = createQrEngagement();
  const eReader = generateKeyPair({ curve: 'P-256' });
  const transcript = buildSessionTranscript({
    deviceEngagementBytes: qr.deviceEngagementBytes,
    eReaderKeyBytes: EncodedCbor.fromValue(
      new Map<number, unknown>([
        [1, 2],
        [-1, 1],
        [-2, eReader.publicKey.x],
        [-3, eReader.publicKey.y],
      ]),
    ),
    handover: { kind: 'qr' },
  });
  const request = await buildDeviceRequest({
    docRequests: [
      {
        docType: MDL,
        nameSpaces: {
          [MDL_NS]: {
            family_name: true,
            issuing_country: false,
            issuing_jurisdiction: false,
            portrait: false,
            age_over_18: false,
          },
          'org.iso.18013.5.1.US': { organ_donor: false },
        },
      },
      {
        docType: 'org.example.fuzz.1',
        nameSpaces: { 'org.example.fuzz.1': { member_id: false, level: false, tags: false } },
      },
    ],
    readerAuth: {
      signer: createLocalSigner({ privateKey: readerKey.privateKey, alg: -7 }),
      certificateChain: [readerCert],
      sessionTranscript: transcript,
    },
  });
  const parsed = await parseDeviceRequest(request.bytes);
  const answer = await answerDeviceRequest({
    request: parsed,
    documents: store.list(),
    sessionTranscript: transcript,
    eReaderKey: eReader.publicKey,
  });
  const transcriptHex = toHex(transcript.encoded.tagged());
  const eReaderKeyD = toHex(eReader.privateKey.d);
  const responseContext: FuzzContext = {
    trustAnchors: [toHex(iaca)],
    sessionTranscript: transcriptHex,
    eReaderKeyD,
    now: NOW.toISOString(),
    policy: 'strict',
  };
  return {
    seeds: [
      {
        name: 'own/device-response',
        target: 'device-response',
        bytes: answer.bytes,
        context: responseContext,
      },
      {
        name: 'own/device-request',
        target: 'device-request',
        bytes: request.bytes,
        context: {
          trustAnchors: [toHex(readerRoot)],
          sessionTranscript: transcriptHex,
          now: NOW.toISOString(),
          policy: 'strict',
        },
      },
      {
        name: 'own/device-engagement',
        target: 'device-engagement',
        bytes: qr.deviceEngagementBytes.bytes.slice(),
        context: { trustAnchors: [], now: NOW.toISOString(), policy: 'strict' },
      },
    ],
    certificates: [iaca, ds, readerRoot, readerCert],
  };
}

/** Reads the Annex D seeds from `vectorsDir` (the shared vectors folder). */
function annexDSeeds(read: (name: string) => string): { seeds: FuzzSeed[]; certificates: Uint8Array[] } {
  const hex = (name: string) => fromHex(read(name).trim());
  const now = '2021-01-01T00:00:00Z';
  const transcript = read('session-transcript-bytes.hex').trim();
  const none: FuzzContext = { trustAnchors: [], now, policy: 'lenient' };
  const iaca = pemToDer(read('iaca-cert.pem'));
  const readerRoot = pemToDer(read('reader-root-cert.pem'));
  return {
    seeds: [
      {
        name: 'annex-d/device-response',
        target: 'device-response',
        bytes: hex('device-response.hex'),
        context: {
          trustAnchors: [toHex(iaca)],
          sessionTranscript: transcript,
          eReaderKeyD: read('e-reader-key-d.hex').trim(),
          now,
          policy: 'lenient',
        },
      },
      {
        name: 'annex-d/device-request',
        target: 'device-request',
        bytes: hex('device-request.hex'),
        context: { trustAnchors: [toHex(readerRoot)], sessionTranscript: transcript, now, policy: 'lenient' },
      },
      {
        name: 'annex-d/device-engagement',
        target: 'device-engagement',
        bytes: hex('device-engagement.hex'),
        context: none,
      },
      {
        name: 'annex-d/device-engagement-nfc',
        target: 'device-engagement',
        bytes: hex('device-engagement-nfc.hex'),
        context: none,
      },
      {
        name: 'annex-d/session-establishment',
        target: 'session-establishment',
        bytes: hex('session-establishment.hex'),
        context: none,
      },
      { name: 'annex-d/session-data', target: 'session-data', bytes: hex('session-data.hex'), context: none },
    ],
    certificates: [iaca, readerRoot, pemToDer(read('ds-cert.pem')), pemToDer(read('reader-cert.pem'))],
  };
}

/**
 * Builds the seed corpus: our own world (fresh keys each call) and, when `readAnnexD` is given,
 * the Annex D vectors (`readAnnexD('device-response.hex')` returns the file's text).
 *
 * @example
 * ```ts
 * const corpus = await buildSeedCorpus((name) => readFileSync(path.join(annexDDir, name), 'utf8'));
 * ```
 */
export async function buildSeedCorpus(readAnnexD?: (name: string) => string): Promise<SeedCorpus> {
  const own = await ownSeeds();
  const annex = readAnnexD === undefined ? { seeds: [], certificates: [] } : annexDSeeds(readAnnexD);
  return {
    seeds: [...own.seeds, ...annex.seeds],
    certificates: [...own.certificates, ...annex.certificates],
  };
}
