/**
 * @module
 * Issuance fixtures: an mDL with two elements issued by a given signer (for tests whose subject is
 * the signer), the reader-side tests' mDL issued and stored in the holder, the adapter tests'
 * full mDL and its DeviceResponse with a device signature, and an OpenID4VP SessionTranscript.
 */
import { decodeCbor, EncodedCbor, encodeCbor, FullDate } from '@mdlkit/core/cbor';
import { publicKeyToCoseKey, signCoseSign1 } from '@mdlkit/core/cose';
import {
  type AnyCoseSigner,
  CoseAlg,
  createLocalSigner,
  generateKeyPair,
  type KeyPair,
} from '@mdlkit/core/crypto';
import {
  buildDeviceAuthenticationBytes,
  buildOpenId4VpHandover,
  buildSessionTranscript,
  type SessionTranscript,
} from '@mdlkit/core/session';
import { parseIssuedMdoc, type StoredMdoc } from '@mdlkit/holder';
import { type IssuedMdoc, issueMdoc } from '@mdlkit/issuer';
import type { TestPki } from './pki.js';

/** Options of {@link issueTwoElementMdl}. */
export interface TwoElementMdlOptions {
  /** Signs the MSO (a local, KMS or PKCS#11 signer). */
  readonly signer: AnyCoseSigner;
  /** The DS certificate of `signer`'s key (DER). */
  readonly dsCertificate: Uint8Array;
}

/**
 * Issues an `org.iso.18013.5.1.mDL` with `family_name: 'Doe'` and `issuing_country: 'US'` only
 * (`requireMandatory: false`), a fresh P-256 device key, signed 2025-03-01 and valid until
 * 2025-06-01.
 */
export function issueTwoElementMdl(options: TwoElementMdlOptions): Promise<IssuedMdoc> {
  return issueMdoc({
    docType: 'org.iso.18013.5.1.mDL',
    nameSpaces: {
      'org.iso.18013.5.1': new Map<string, unknown>([
        ['family_name', 'Doe'],
        ['issuing_country', 'US'],
      ]),
    },
    requireMandatory: false,
    deviceKey: generateKeyPair({ curve: 'P-256' }).publicKey,
    validity: { validUntil: new Date('2025-06-01T00:00:00Z') },
    signer: options.signer,
    dsCertificate: options.dsCertificate,
    now: new Date('2025-03-01T00:00:00Z'),
  });
}

/** The mDL elements (org.iso.18013.5.1) the reader-side tests issue: Erika Mustermann, US-NY. */
export const MDL_ELEMENTS: Readonly<Record<string, unknown>> = {
  family_name: 'Mustermann',
  given_name: 'Erika',
  birth_date: new FullDate('1971-09-01'),
  issue_date: new FullDate('2025-04-01'),
  expiry_date: new FullDate('2030-04-01'),
  issuing_country: 'US',
  issuing_authority: 'Test DMV',
  issuing_jurisdiction: 'US-NY',
  document_number: 'D1234567',
  portrait: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]),
  driving_privileges: [],
  un_distinguishing_sign: 'USA',
  age_over_21: true,
};

/** Options of {@link issueStoredMdl}. */
export interface StoredMdlOptions {
  /** The DS certificate and key that sign the MSO. */
  readonly pki: Pick<TestPki, 'ds' | 'dsKey'>;
  /** The holder's device key pair (its public key goes into the MSO). */
  readonly device: KeyPair;
  /** How the holder authenticates: a device signature (default) or a DeviceMac (§9.1.3.5). */
  readonly deviceAuth?: 'signature' | 'mac';
  /** The elements; default {@link MDL_ELEMENTS}. */
  readonly elements?: Readonly<Record<string, unknown>>;
}

/**
 * Issues an `org.iso.18013.5.1.mDL` with `elements` to `device` (signed 2025-05-01, valid until
 * 2026-01-01, ES256 by the DS key) and stores it in the holder as `id: 'mdl'`, ready to answer
 * requests with a device signature or, for `deviceAuth: 'mac'`, a DeviceMac.
 */
export async function issueStoredMdl(options: StoredMdlOptions): Promise<StoredMdoc> {
  const { pki, device } = options;
  const issued = await issueMdoc({
    docType: 'org.iso.18013.5.1.mDL',
    nameSpaces: { 'org.iso.18013.5.1': options.elements ?? MDL_ELEMENTS },
    deviceKey: publicKeyToCoseKey(device.publicKey),
    validity: { signed: new Date('2025-05-01T00:00:00Z'), validUntil: new Date('2026-01-01T00:00:00Z') },
    signer: createLocalSigner({ privateKey: pki.dsKey.privateKey, alg: CoseAlg.ES256 }),
    dsCertificate: pki.ds,
    now: new Date('2025-05-01T00:00:00Z'),
  });
  return parseIssuedMdoc({
    id: 'mdl',
    issuerSigned: issued.issuerSigned,
    deviceKeyReference:
      options.deviceAuth === 'mac'
        ? { kind: 'mac', devicePrivateKey: device.privateKey }
        : {
            kind: 'signature',
            signer: createLocalSigner({ privateKey: device.privateKey, alg: CoseAlg.ES256 }),
          },
  });
}

/**
 * An OpenID4VP SessionTranscript (18013-7 Annex B) for the verifier `verifier.example`
 * (`x509_san_dns:verifier.example`, response URI `https://verifier.example/r`) and `nonce`.
 */
export function openId4VpTranscript(nonce: string): SessionTranscript {
  return buildSessionTranscript({
    deviceEngagementBytes: null,
    eReaderKeyBytes: null,
    handover: buildOpenId4VpHandover({
      clientId: 'x509_san_dns:verifier.example',
      nonce,
      jwkThumbprint: null,
      responseUri: 'https://verifier.example/r',
    }),
  });
}

/**
 * The mDL the KMS and PKCS#11 end-to-end tests issue (org.iso.18013.5.1): Jane Doe, US-NY, issued
 * 2026-02-01, category B, with a JPEG-framed portrait of `portraitLength` bytes (≥ 6).
 */
export function janeDoeElements(portraitLength: number): Record<string, Record<string, unknown>> {
  const portrait = new Uint8Array(portraitLength);
  portrait.set([0xff, 0xd8, 0xff, 0xe0]);
  portrait.set([0xff, 0xd9], portrait.length - 2);
  return {
    'org.iso.18013.5.1': {
      family_name: 'Doe',
      given_name: 'Jane',
      birth_date: new FullDate('1990-04-12'),
      issue_date: new FullDate('2026-02-01'),
      expiry_date: new FullDate('2031-02-01'),
      issuing_country: 'US',
      issuing_jurisdiction: 'US-NY',
      issuing_authority: 'NY DMV',
      document_number: 'D1234567',
      portrait,
      driving_privileges: [new Map<string, unknown>([['vehicle_category_code', 'B']])],
      un_distinguishing_sign: 'USA',
      age_over_21: true,
    },
  };
}

/** Options of {@link presentWithDeviceSignature}. */
export interface DeviceSignedPresentationOptions {
  /** The issuer's IssuerSigned (CBOR), as `issueMdoc` returned it. */
  readonly issuerSigned: Uint8Array;
  /** The device key pair whose public key the MSO holds (P-256; the device signature is ES256). */
  readonly device: KeyPair;
  /** Default `org.iso.18013.5.1.mDL`. */
  readonly docType?: string;
}

/** A DeviceResponse and the SessionTranscript its device signature covers. */
export interface DeviceSignedPresentation {
  /** The DeviceResponse (CBOR). */
  readonly deviceResponse: Uint8Array;
  /** The tagged SessionTranscriptBytes to verify it with. */
  readonly sessionTranscript: Uint8Array;
}

/**
 * A DeviceResponse (18013-5 §8.3.2.1.2.2, version 1.0, status 0) with one document: every issued
 * element, no device-signed elements, and a detached ES256 device signature over
 * DeviceAuthentication (§9.1.3.4) for an OpenID4VP SessionTranscript whose handover is the
 * `infoHash` 32 × 0x07.
 */
export async function presentWithDeviceSignature(
  options: DeviceSignedPresentationOptions,
): Promise<DeviceSignedPresentation> {
  const docType = options.docType ?? 'org.iso.18013.5.1.mDL';
  const transcript = buildSessionTranscript({
    deviceEngagementBytes: null,
    eReaderKeyBytes: null,
    handover: { kind: 'openid4vp', infoHash: new Uint8Array(32).fill(7) },
  });
  const deviceNameSpacesBytes = EncodedCbor.fromValue(new Map());
  const deviceAuthentication = buildDeviceAuthenticationBytes({
    sessionTranscript: transcript,
    docType,
    deviceNameSpacesBytes,
  });
  const deviceSignature = await signCoseSign1({
    signer: createLocalSigner({ privateKey: options.device.privateKey, alg: CoseAlg.ES256 }),
    payload: deviceAuthentication.tagged(),
    detached: true,
  });
  const deviceResponse = encodeCbor(
    new Map<string, unknown>([
      ['version', '1.0'],
      [
        'documents',
        [
          new Map<string, unknown>([
            ['docType', docType],
            ['issuerSigned', decodeCbor(options.issuerSigned)],
            [
              'deviceSigned',
              new Map<string, unknown>([
                ['nameSpaces', deviceNameSpacesBytes],
                ['deviceAuth', new Map([['deviceSignature', decodeCbor(deviceSignature.bytes)]])],
              ]),
            ],
          ]),
        ],
      ],
      ['status', 0],
    ]),
  );
  return { deviceResponse, sessionTranscript: transcript.encoded.tagged() };
}
