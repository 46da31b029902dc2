import { bytesEqual, decodeCbor, EncodedCbor, encodeCbor, RawCbor } from '@mdlkit/core/cbor';
import { coseKeyToPublicKey, decodeCoseSign1 } from '@mdlkit/core/cose';
import type { AnyCoseSigner, PrivateKey, PublicKey } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import type { SessionPublicKeyInput } from '@mdlkit/core/session';
import type { DeviceAuthMethod } from '../device-auth/create-device-auth.js';

/** How the holder authenticates with this document's device key. */
export type DeviceKeyReference =
  | { readonly kind: 'signature'; readonly signer: AnyCoseSigner }
  | { readonly kind: 'mac'; readonly devicePrivateKey: PrivateKey };

/** A document the holder keeps: IssuerSigned as issued plus its device key reference. */
export interface StoredMdoc {
  readonly id: string;
  readonly docType: string;
  /** IssuerSigned exactly as received from the issuer. */
  readonly issuerSigned: Uint8Array;
  /** namespace → element identifier → IssuerSignedItemBytes (received bytes, never re-encoded). */
  readonly items: ReadonlyMap<string, ReadonlyMap<string, EncodedCbor>>;
  /** The IssuerAuth COSE_Sign1, re-emitted verbatim. */
  readonly issuerAuth: RawCbor;
  /** The MSO's `deviceKey`. */
  readonly deviceKey: PublicKey;
  readonly validFrom: Date;
  readonly validUntil: Date;
  /** How to authenticate with the device key. */
  readonly deviceKeyReference: DeviceKeyReference;
}

const invalid = (why: string, path: string, cause?: unknown): MdlError =>
  new MdlError('ERR_STRUCTURE_INVALID', why, {
    details: { path },
    ...(cause === undefined ? {} : { cause }),
  });

/**
 * Parse an issued IssuerSigned for storage. The items stay as received (tag-24 bytes), and the
 * IssuerAuth is kept so that it re-encodes to the received bytes (the strict decoder only admits
 * preferred encodings, so insertion-order re-encoding is exact — checked here).
 *
 * @example
 * ```ts
 * const doc = parseIssuedMdoc({ id: 'mdl-1', issuerSigned, deviceKeyReference: { kind: 'signature', signer } });
 * ```
 * @throws {@link MdlError} `ERR_STRUCTURE_INVALID` (with `details.path`) for malformed data;
 * `ERR_CBOR_*` for invalid CBOR.
 */
export function parseIssuedMdoc(input: {
  readonly id: string;
  readonly issuerSigned: Uint8Array;
  readonly deviceKeyReference: DeviceKeyReference;
}): StoredMdoc {
  const value = decodeCbor(input.issuerSigned);
  if (!(value instanceof Map)) throw invalid('IssuerSigned must be a map', 'issuerSigned');
  const issuerAuthValue = value.get('issuerAuth');
  if (!Array.isArray(issuerAuthValue))
    throw invalid('issuerAuth must be a COSE_Sign1 array', 'issuerSigned.issuerAuth');
  const issuerAuthBytes = encodeCbor(issuerAuthValue, { keyOrder: 'insertion' });
  if (!bytesEqual(encodeCbor(value, { keyOrder: 'insertion' }), input.issuerSigned)) {
    throw invalid('IssuerSigned does not re-encode to the received bytes', 'issuerSigned');
  }
  const sign1 = decodeCoseSign1(issuerAuthBytes);
  if (sign1.payload === null) throw invalid('issuerAuth has no payload', 'issuerSigned.issuerAuth');
  const msoBytes = decodeCbor(sign1.payload);
  if (!(msoBytes instanceof EncodedCbor))
    throw invalid('MSO payload must be tag 24', 'issuerSigned.issuerAuth.payload');
  const mso = msoBytes.value;
  if (!(mso instanceof Map)) throw invalid('MSO must be a map', 'mso');
  const docType = mso.get('docType');
  if (typeof docType !== 'string') throw invalid('MSO docType must be a string', 'mso.docType');
  const dki = mso.get('deviceKeyInfo');
  if (!(dki instanceof Map)) throw invalid('MSO deviceKeyInfo missing', 'mso.deviceKeyInfo');
  const deviceKey = coseKeyToPublicKey(dki.get('deviceKey') as ReadonlyMap<number, unknown>);
  const vi = mso.get('validityInfo');
  const from = vi instanceof Map ? vi.get('validFrom') : undefined;
  const until = vi instanceof Map ? vi.get('validUntil') : undefined;
  if (typeof from?.toDate !== 'function' || typeof until?.toDate !== 'function') {
    throw invalid('MSO validityInfo must carry tdates', 'mso.validityInfo');
  }
  const items = new Map<string, Map<string, EncodedCbor>>();
  const ns = value.get('nameSpaces') ?? new Map();
  if (!(ns instanceof Map)) throw invalid('nameSpaces must be a map', 'issuerSigned.nameSpaces');
  for (const [name, list] of ns) {
    if (typeof name !== 'string' || !Array.isArray(list)) {
      throw invalid('nameSpaces entries must be arrays', 'issuerSigned.nameSpaces');
    }
    const byId = new Map<string, EncodedCbor>();
    for (const [i, item] of list.entries()) {
      const path = `issuerSigned.nameSpaces[${name}][${i}]`;
      if (!(item instanceof EncodedCbor)) throw invalid('IssuerSignedItemBytes must be tag 24', path);
      const decoded = item.value;
      const id = decoded instanceof Map ? decoded.get('elementIdentifier') : undefined;
      if (typeof id !== 'string' || byId.has(id)) throw invalid('bad or duplicate elementIdentifier', path);
      byId.set(id, item);
    }
    items.set(name, byId);
  }
  return {
    id: input.id,
    docType,
    issuerSigned: input.issuerSigned,
    items,
    issuerAuth: new RawCbor(issuerAuthBytes),
    deviceKey,
    validFrom: (from as { toDate(): Date }).toDate(),
    validUntil: (until as { toDate(): Date }).toDate(),
    deviceKeyReference: input.deviceKeyReference,
  };
}

/**
 * The holder's document store (in memory; persist `issuerSigned` + your key reference and re-add
 * on start). State → class.
 *
 * @example
 * ```ts
 * const store = new MdocStore();
 * store.add({ id: 'mdl', issuerSigned, deviceKeyReference: { kind: 'signature', signer } });
 * ```
 */
export class MdocStore {
  readonly #docs = new Map<string, StoredMdoc>();

  /**
   * Parse and keep a document.
   * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for a duplicate id; parse errors of {@link parseIssuedMdoc}.
   */
  add(input: Parameters<typeof parseIssuedMdoc>[0]): StoredMdoc {
    if (this.#docs.has(input.id))
      throw new MdlError('ERR_INVALID_ARGUMENT', 'a document with this id exists');
    const doc = parseIssuedMdoc(input);
    this.#docs.set(doc.id, doc);
    return doc;
  }

  /** The document with `id`, if any. */
  get(id: string): StoredMdoc | undefined {
    return this.#docs.get(id);
  }

  /** Remove a document; true when it existed. */
  remove(id: string): boolean {
    return this.#docs.delete(id);
  }

  /** All documents (optionally of one docType). */
  list(docType?: string): StoredMdoc[] {
    return [...this.#docs.values()].filter((d) => docType === undefined || d.docType === docType);
  }
}

/** @internal the DeviceAuth method for a stored document in a session. */
export function methodFor(
  doc: StoredMdoc,
  eReaderKey: SessionPublicKeyInput | null | undefined,
): DeviceAuthMethod {
  const ref = doc.deviceKeyReference;
  if (ref.kind === 'signature') return { kind: 'signature', signer: ref.signer };
  if (eReaderKey === undefined || eReaderKey === null) {
    throw new MdlError(
      'ERR_DEVICE_MAC_KEY_UNAVAILABLE',
      'deviceMac needs the reader ephemeral key (EReaderKey)',
    );
  }
  return { kind: 'mac', devicePrivateKey: ref.devicePrivateKey, eReaderKey };
}
