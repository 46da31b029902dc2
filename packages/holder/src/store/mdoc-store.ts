import { bytesEqual, decodeCbor, encodeCbor, RawCbor } from '@mdlkit/core/cbor';
import { type CoseKey, coseKeyToPublicKey, parseCoseSign1 } from '@mdlkit/core/cose';
import type { AnyCoseSigner, PrivateKey, PublicKey } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { decodeMobileSecurityObjectBytes, type IssuerSignedItem, parseIssuerSigned } from '@mdlkit/core/mdoc';
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
  /**
   * namespace → element identifier → the IssuerSignedItem as core/mdoc read it (`item.bytes`: the
   * IssuerSignedItemBytes as received, never re-encoded; `item.elementValue`: its value).
   */
  readonly items: ReadonlyMap<string, ReadonlyMap<string, IssuerSignedItem>>;
  /** The IssuerAuth COSE_Sign1, re-emitted verbatim. */
  readonly issuerAuth: RawCbor;
  /** The MSO's `deviceKey`. */
  readonly deviceKey: PublicKey;
  readonly validFrom: Date;
  readonly validUntil: Date;
  /** How to authenticate with the device key. */
  readonly deviceKeyReference: DeviceKeyReference;
}

const invalid = (why: string, path: string): MdlError =>
  new MdlError('ERR_STRUCTURE_INVALID', why, { details: { path } });

/**
 * Parse an issued IssuerSigned for storage, with core's `@mdlkit/core/mdoc` parsers
 * (`decodeIssuerSigned`, `decodeMobileSecurityObjectBytes`). The items stay as received (tag-24
 * bytes), and the IssuerAuth is kept so that it re-encodes to the received bytes (the strict
 * decoder only admits preferred encodings, so insertion-order re-encoding is exact — checked here).
 *
 * ```cddl
 * IssuerSigned = { ? "nameSpaces" : IssuerNameSpaces, "issuerAuth" : IssuerAuth }
 * IssuerNameSpaces = { + NameSpace => [+ IssuerSignedItemBytes] }
 * IssuerAuth = COSE_Sign1   ; payload MobileSecurityObjectBytes
 * ```
 * ISO/IEC 18013-5 §8.3.2.1.2.2, §9.1.2.4.
 *
 * @example
 * ```ts
 * const doc = parseIssuedMdoc({ id: 'mdl-1', issuerSigned, deviceKeyReference: { kind: 'signature', signer } });
 * ```
 * @throws {@link MdlError} `ERR_STRUCTURE_INVALID` (with `details.path`) for malformed data or a
 * duplicate element identifier; `ERR_CBOR_*` for invalid CBOR; `ERR_COSE_*` for a malformed
 * IssuerAuth or device key.
 */
export function parseIssuedMdoc(input: {
  readonly id: string;
  readonly issuerSigned: Uint8Array;
  readonly deviceKeyReference: DeviceKeyReference;
}): StoredMdoc {
  const value = decodeCbor(input.issuerSigned);
  const issuerSigned = parseIssuerSigned(value);
  if (!bytesEqual(encodeCbor(value, { keyOrder: 'insertion' }), input.issuerSigned)) {
    throw invalid('IssuerSigned does not re-encode to the received bytes', 'issuerSigned');
  }
  const issuerAuthBytes = encodeCbor(issuerSigned.issuerAuth, { keyOrder: 'insertion' });
  const sign1 = parseCoseSign1(issuerSigned.issuerAuth);
  if (sign1.payload === null) throw invalid('issuerAuth has no payload', 'issuerSigned.issuerAuth');
  const { mso } = decodeMobileSecurityObjectBytes(sign1.payload);
  // coseKeyToPublicKey checks the key's labels and values itself (ERR_COSE_KEY_INVALID).
  const deviceKey = coseKeyToPublicKey(mso.deviceKeyInfo.deviceKey as CoseKey);
  const items = new Map<string, Map<string, IssuerSignedItem>>();
  for (const [name, list] of issuerSigned.nameSpaces ?? []) {
    const byId = new Map<string, IssuerSignedItem>();
    for (const [i, item] of list.entries()) {
      if (byId.has(item.elementIdentifier)) {
        throw invalid('duplicate elementIdentifier', `issuerSigned.nameSpaces["${name}"][${i}]`);
      }
      byId.set(item.elementIdentifier, item);
    }
    items.set(name, byId);
  }
  return {
    id: input.id,
    docType: mso.docType,
    issuerSigned: input.issuerSigned,
    items,
    issuerAuth: new RawCbor(issuerAuthBytes),
    deviceKey,
    validFrom: mso.validityInfo.validFrom.toDate(),
    validUntil: mso.validityInfo.validUntil.toDate(),
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
