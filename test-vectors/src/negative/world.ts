/**
 * The fixed world the negative catalogue is generated in: deterministic keys, an IACA and DS
 * built with @mdlkit/pki, mdocs issued with @mdlkit/issuer, and a DeviceResponse assembler that
 * signs / MACs DeviceAuthentication with @mdlkit/core. Test tooling only.
 */
import { EncodedCbor, encodeCbor, FullDate, RawCbor, utf8Encode } from '@mdlkit/core/cbor';
import {
  CoseHeader,
  type CoseSign1,
  createCoseMac0,
  publicKeyToCoseKey,
  signCoseSign1,
  x5chainValue,
} from '@mdlkit/core/cose';
import {
  type AnyCoseSigner,
  CoseAlg,
  type Curve,
  createLocalSigner,
  digest,
  exportPublicKey,
  importPrivateKey,
  type PrivateKey,
  type PublicKey,
} from '@mdlkit/core/crypto';
import {
  buildDeviceAuthenticationBytes,
  buildSessionTranscript,
  deriveEMacKey,
  type SessionTranscript,
} from '@mdlkit/core/session';
import { answerDeviceRequest, parseDeviceRequest, parseIssuedMdoc } from '@mdlkit/holder';
import {
  buildMso,
  createIssuerSignedItems,
  type IssuedNameSpaces,
  type KeyAuthorizationsInput,
  type MsoStatusInput,
  signIssuerAuth,
} from '@mdlkit/issuer';
import { buildDocumentSignerCertificate, buildIacaCertificate, derToPem, type NameInput } from '@mdlkit/pki';
import { buildDeviceRequest } from '@mdlkit/reader';

export const MDL_DOCTYPE = 'org.iso.18013.5.1.mDL';
export const MDL_NS = 'org.iso.18013.5.1';
export const DOMESTIC_NS = 'org.iso.18013.5.1.US';

const d = (iso: string): Date => new Date(iso);

/** Every instant the catalogue uses. */
export const T: Readonly<
  Record<'iacaFrom' | 'iacaTo' | 'dsFrom' | 'dsTo' | 'signed' | 'validUntil' | 'now', Date>
> = {
  iacaFrom: d('2025-01-01T00:00:00Z'),
  iacaTo: d('2034-01-01T00:00:00Z'),
  dsFrom: d('2025-03-01T00:00:00Z'),
  dsTo: d('2026-03-01T00:00:00Z'),
  signed: d('2025-05-01T00:00:00Z'),
  validUntil: d('2026-01-01T00:00:00Z'),
  now: d('2025-06-01T12:00:00Z'),
};

/** Deterministic byte source: SHA-256(seed ‖ counter) blocks. */
export class Prng {
  #counter = 0;
  readonly #seed: Uint8Array;
  constructor(seed: string) {
    this.#seed = utf8Encode(seed);
  }
  bytes: (n: number) => Uint8Array = (n: number): Uint8Array => {
    const out = new Uint8Array(n);
    let off = 0;
    while (off < n) {
      const c = new Uint8Array(4);
      new DataView(c.buffer).setUint32(0, this.#counter++);
      const block = digest('SHA-256', new Uint8Array([...this.#seed, ...c]));
      out.set(block.subarray(0, Math.min(32, n - off)), off);
      off += 32;
    }
    return out;
  };
}

/** A key with everything the catalogue needs from it. */
export interface KeyMaterial {
  readonly privateKey: PrivateKey;
  readonly publicKey: PublicKey;
  readonly signer: AnyCoseSigner;
  readonly spki: Uint8Array;
  readonly coseKey: Map<number, unknown>;
}

const ALG_FOR: Partial<Record<Curve, CoseAlg>> = {
  'P-256': CoseAlg.ES256,
  'P-384': CoseAlg.ES384,
  'P-521': CoseAlg.ES512,
  Ed25519: CoseAlg.EdDSA,
};

/** A deterministic key: the private scalar / seed is SHA-256 of the label (truncated / extended). */
export function keyFor(label: string, curve: Curve = 'P-256'): KeyMaterial {
  const size = curve === 'P-384' ? 48 : curve === 'P-521' ? 66 : 32;
  const raw = new Prng(`mdlkit-negative-key:${label}`).bytes(size);
  if (curve === 'P-521') raw[0] = (raw[0] ?? 0) & 0x01;
  const privateKey = importPrivateKey({ format: 'raw', curve, d: raw });
  const publicKey = privateKey.publicKey;
  return {
    privateKey,
    publicKey,
    signer: createLocalSigner({ privateKey, alg: ALG_FOR[curve] ?? CoseAlg.ES256 }),
    spki: exportPublicKey(publicKey, 'spki'),
    coseKey: publicKeyToCoseKey(publicKey),
  };
}

export interface Authority {
  readonly der: Uint8Array;
  readonly pem: string;
  readonly key: KeyMaterial;
}

export interface World {
  readonly iaca: Authority;
  readonly ds: Authority;
  readonly device: KeyMaterial;
  readonly eDevice: KeyMaterial;
  readonly eReader: KeyMaterial;
  readonly transcript: SessionTranscript;
  readonly random: Prng;
}

export const IACA_SUBJECT: NameInput = {
  country: 'US',
  stateOrProvince: 'US-NY',
  organization: 'mdlkit test DMV',
  commonName: 'mdlkit negative-catalogue IACA',
};

/** Builds an IACA with our pki builder. */
export async function makeIaca(
  label: string,
  random: Prng,
  subject: NameInput = IACA_SUBJECT,
  validity: { from: Date; to: Date } = { from: T.iacaFrom, to: T.iacaTo },
): Promise<Authority> {
  const key = keyFor(label);
  const der = await buildIacaCertificate({
    subject,
    publicKey: key.spki,
    signer: key.signer,
    issuerAltName: [{ uri: 'https://dmv.example/iaca' }],
    crlDistributionPoint: 'https://dmv.example/iaca.crl',
    notBefore: validity.from,
    notAfter: validity.to,
    randomBytes: random.bytes,
  });
  return { der, pem: derToPem(der, 'CERTIFICATE'), key };
}

/** Builds a DS certificate under `iaca` with our pki builder. */
export async function makeDs(
  label: string,
  iaca: Authority,
  random: Prng,
  validity: { from: Date; to: Date } = { from: T.dsFrom, to: T.dsTo },
  curve: Curve = 'P-256',
): Promise<Authority> {
  const key = keyFor(label, curve);
  const der = await buildDocumentSignerCertificate({
    subject: { commonName: `mdlkit negative-catalogue DS ${label}` },
    publicKey: key.spki,
    issuer: { certificate: iaca.der, signer: iaca.key.signer },
    crlDistributionPoint: 'https://dmv.example/iaca.crl',
    notBefore: validity.from,
    notAfter: validity.to,
    randomBytes: random.bytes,
  });
  return { der, pem: derToPem(der, 'CERTIFICATE'), key };
}

/** A QR-engagement SessionTranscript: [DeviceEngagementBytes, EReaderKeyBytes, null]. */
export function qrTranscript(eDevice: KeyMaterial, eReader: KeyMaterial): SessionTranscript {
  const engagement = new Map<number, unknown>([
    [0, '1.0'],
    [1, [1, EncodedCbor.fromValue(eDevice.coseKey)]],
  ]);
  return buildSessionTranscript({
    deviceEngagementBytes: EncodedCbor.fromValue(engagement),
    eReaderKeyBytes: EncodedCbor.fromValue(eReader.coseKey),
    handover: { kind: 'qr' },
  });
}

export async function createWorld(): Promise<World> {
  const random = new Prng('mdlkit-negative-catalogue');
  const iaca = await makeIaca('iaca', random);
  const ds = await makeDs('ds', iaca, random);
  const eDevice = keyFor('e-device');
  const eReader = keyFor('e-reader');
  return {
    iaca,
    ds,
    device: keyFor('device'),
    eDevice,
    eReader,
    transcript: qrTranscript(eDevice, eReader),
    random,
  };
}

/** A tiny JPEG-shaped portrait (SOI … EOI). */
export const PORTRAIT: Uint8Array = new Uint8Array([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
  0x00, 0x00, 0xff, 0xd9,
]);

export function mdlElements(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    family_name: 'Mustermann',
    given_name: 'Erika',
    birth_date: new FullDate('1971-09-01'),
    issue_date: new FullDate('2025-04-01'),
    expiry_date: new FullDate('2030-04-01'),
    issuing_country: 'US',
    issuing_authority: 'mdlkit test DMV',
    issuing_jurisdiction: 'US-NY',
    document_number: 'D1234567',
    portrait: PORTRAIT,
    driving_privileges: [],
    un_distinguishing_sign: 'USA',
    age_over_21: true,
    ...overrides,
  };
}

/** What to issue. Defaults: the mDL elements above, the world's DS and device key, T validity. */
export interface IssueSpec {
  readonly docType?: string;
  readonly nameSpaces?: Record<string, Record<string, unknown>>;
  readonly ds?: Authority;
  readonly deviceKey?: Map<number, unknown>;
  readonly signed?: Date;
  readonly validFrom?: Date;
  readonly validUntil?: Date;
  readonly keyAuthorizations?: KeyAuthorizationsInput;
  readonly status?: MsoStatusInput;
  /**
   * How IssuerAuth is signed: `issuer` (default: @mdlkit/issuer signIssuerAuth with its DS checks)
   * or `raw` (core signCoseSign1 — for MSOs the issuer would refuse to sign).
   */
  readonly signing?: 'issuer' | 'raw';
  /** Override the IssuerAuth headers (raw signing only). */
  readonly x5chain?: readonly Uint8Array[] | null;
  readonly x5chainProtected?: boolean;
}

export interface Issued {
  readonly docType: string;
  readonly nameSpaces: IssuedNameSpaces;
  readonly msoBytes: EncodedCbor;
  readonly issuerAuth: Uint8Array;
}

export async function issue(world: World, spec: IssueSpec = {}): Promise<Issued> {
  const ds = spec.ds ?? world.ds;
  const docType = spec.docType ?? MDL_DOCTYPE;
  const nameSpaces = createIssuerSignedItems({
    nameSpaces: spec.nameSpaces ?? { [MDL_NS]: mdlElements() },
    randomBytes: world.random.bytes,
  });
  const signed = spec.signed ?? T.signed;
  const mso = buildMso({
    docType,
    nameSpaces,
    deviceKey: spec.deviceKey ?? world.device.coseKey,
    validity: { signed, validFrom: spec.validFrom ?? signed, validUntil: spec.validUntil ?? T.validUntil },
    randomBytes: world.random.bytes,
    ...(spec.keyAuthorizations ? { keyAuthorizations: spec.keyAuthorizations } : {}),
    ...(spec.status ? { status: spec.status } : {}),
  });
  let issuerAuth: Uint8Array;
  if ((spec.signing ?? 'issuer') === 'issuer') {
    issuerAuth = (await signIssuerAuth({ mso, signer: ds.key.signer, dsCertificate: ds.der })).bytes;
  } else {
    const chain = spec.x5chain === undefined ? [ds.der] : spec.x5chain;
    const headers = chain === null ? new Map() : new Map([[CoseHeader.x5chain, x5chainValue(chain)]]);
    issuerAuth = (
      await signCoseSign1({
        signer: ds.key.signer,
        payload: mso.bytes.tagged(),
        ...(spec.x5chainProtected ? { protectedHeaders: headers } : { unprotectedHeaders: headers }),
      })
    ).bytes;
  }
  return { docType, nameSpaces, msoBytes: mso.bytes, issuerAuth };
}

/** How the DeviceResponse is authenticated by the device. */
export type DeviceAuthSpec =
  | { readonly kind: 'signature'; readonly key?: KeyMaterial; readonly attachPayload?: boolean }
  | {
      readonly kind: 'mac';
      readonly deviceKey?: KeyMaterial;
      readonly eReaderPublic?: PublicKey;
      readonly alg?: number;
    }
  | { readonly kind: 'none' }
  | { readonly kind: 'raw'; readonly value: Map<string, unknown> };

export interface PresentSpec {
  readonly docType?: string;
  readonly issuerNameSpaces?: ReadonlyMap<string, readonly EncodedCbor[]>;
  readonly issuerAuth?: Uint8Array;
  readonly deviceNameSpaces?: Map<string, Map<string, unknown>>;
  readonly deviceAuth?: DeviceAuthSpec;
  readonly transcript?: SessionTranscript;
  /** Extra documents after the first (for limit cases). */
  readonly copies?: number;
  readonly status?: number;
}

/** Item bytes per namespace of an issued mdoc (all items disclosed). */
export function itemsOf(issued: Issued): Map<string, EncodedCbor[]> {
  return new Map([...issued.nameSpaces].map(([ns, items]) => [ns, items.map((i) => i.bytes)]));
}

/** Assembles and device-authenticates a DeviceResponse for one issued mdoc. */
export async function present(world: World, issued: Issued, spec: PresentSpec = {}): Promise<Uint8Array> {
  const docType = spec.docType ?? issued.docType;
  const transcript = spec.transcript ?? world.transcript;
  const deviceNameSpacesBytes = EncodedCbor.fromValue(spec.deviceNameSpaces ?? new Map());
  const payload = buildDeviceAuthenticationBytes({
    sessionTranscript: transcript,
    docType,
    deviceNameSpacesBytes,
  }).tagged();
  const auth = spec.deviceAuth ?? { kind: 'signature' };
  let deviceAuth: Map<string, unknown>;
  switch (auth.kind) {
    case 'signature': {
      const key = auth.key ?? world.device;
      const { message } = await signCoseSign1({
        signer: key.signer,
        payload,
        detached: auth.attachPayload !== true,
      });
      deviceAuth = new Map([['deviceSignature', sign1Value(message)]]);
      break;
    }
    case 'mac': {
      const key = await deriveEMacKey({
        privateKey: (auth.deviceKey ?? world.device).privateKey,
        publicKey: auth.eReaderPublic ?? world.eReader.publicKey,
        sessionTranscript: transcript,
      });
      const { message } = createCoseMac0({
        key,
        payload,
        detached: true,
        ...(auth.alg === undefined ? {} : { alg: auth.alg as 5 }),
      });
      deviceAuth = new Map([['deviceMac', [message.protectedBytes, message.unprotected, null, message.tag]]]);
      break;
    }
    case 'none':
      deviceAuth = new Map();
      break;
    case 'raw':
      deviceAuth = auth.value;
      break;
  }
  const document = new Map<string, unknown>([
    ['docType', docType],
    [
      'issuerSigned',
      new Map<string, unknown>([
        ['nameSpaces', spec.issuerNameSpaces ?? itemsOf(issued)],
        ['issuerAuth', new RawCbor(spec.issuerAuth ?? issued.issuerAuth)],
      ]),
    ],
    [
      'deviceSigned',
      new Map<string, unknown>([
        ['nameSpaces', deviceNameSpacesBytes],
        ['deviceAuth', deviceAuth],
      ]),
    ],
  ]);
  const documents = [document, ...Array.from({ length: spec.copies ?? 0 }, () => document)];
  return encodeCbor(
    new Map<string, unknown>([
      ['version', '1.0'],
      ['documents', documents],
      ['status', spec.status ?? 0],
    ]),
  );
}

export function sign1Value(message: CoseSign1): unknown[] {
  return [message.protectedBytes, message.unprotected, message.payload, message.signature];
}

/**
 * The holder's answer: the issued mdoc stored with @mdlkit/holder, a DeviceRequest for every issued
 * element built with @mdlkit/reader, answered by @mdlkit/holder with a device signature or MAC.
 */
export async function presentWithHolder(
  world: World,
  issued: Issued,
  method: 'signature' | 'mac',
): Promise<Uint8Array> {
  const issuerSigned = encodeCbor(
    new Map<string, unknown>([
      ['nameSpaces', itemsOf(issued)],
      ['issuerAuth', new RawCbor(issued.issuerAuth)],
    ]),
    { keyOrder: 'insertion' },
  );
  const stored = parseIssuedMdoc({
    id: 'catalogue-mdl',
    issuerSigned,
    deviceKeyReference:
      method === 'signature'
        ? { kind: 'signature', signer: world.device.signer }
        : { kind: 'mac', devicePrivateKey: world.device.privateKey },
  });
  const { bytes } = await buildDeviceRequest({
    docRequests: [
      {
        docType: issued.docType,
        nameSpaces: Object.fromEntries(
          [...issued.nameSpaces].map(([ns, items]) => [
            ns,
            Object.fromEntries(items.map((i) => [i.elementIdentifier, false])),
          ]),
        ),
      },
    ],
  });
  const request = await parseDeviceRequest(bytes, {});
  const answer = await answerDeviceRequest({
    request,
    documents: [stored],
    sessionTranscript: world.transcript,
    ...(method === 'mac' ? { eReaderKey: world.eReader.publicKey } : {}),
  });
  return answer.bytes;
}
