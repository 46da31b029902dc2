import { EncodedCbor, type TDate } from '@mdlkit/core/cbor';
import { publicKeyToCoseKey } from '@mdlkit/core/cose';
import { digest, type HashAlgorithm, type PublicKey } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { isPublicKeyHandle } from '../internal/device-key.js';
import { type KeyOrder, type NameSpaceDigests, writeMso } from '../internal/issuer-signed-layout.js';
import type { IssuedNameSpaces, WrittenItems } from '../items/create-issuer-signed-items.js';
import { DIGEST_ID_LIMIT, type RandomBytes, randomBelow } from '../items/digest-ids.js';
import { type CheckedValidity, checkValidity, type ValidityInput } from './check-validity.js';

/** Authorisations of the device key for DeviceSigned elements (spec §2.2, §3.8). */
export interface KeyAuthorizationsInput {
  /** Whole namespaces the device key may sign. */
  readonly nameSpaces?: readonly string[];
  /** Single elements per namespace (a namespace must not also be in `nameSpaces`). */
  readonly dataElements?: Readonly<Record<string, readonly string[]>>;
}

/**
 * MSO revocation information (ISO/IEC 18013-5 ed2 §12.3.6, spec §5.3) — exactly one mechanism.
 *
 * ```cddl
 * Status = { ? "identifier_list" : IdentifierListInfo, ? "status_list" : StatusListInfo }
 * IdentifierListInfo = { "id": bstr, "uri": tstr, ? "certificate": bstr }
 * StatusListInfo = { "idx": uint, "uri": tstr, ? "certificate": bstr }
 * ```
 */
export type MsoStatusInput =
  | {
      readonly statusList: { readonly idx: number; readonly uri: string; readonly certificate?: Uint8Array };
    }
  | {
      readonly identifierList: {
        readonly id: Uint8Array;
        readonly uri: string;
        readonly certificate?: Uint8Array;
      };
    };

/** Options of {@link buildMso}. */
export interface BuildMsoOptions {
  /** The document type (must equal Document.docType). */
  readonly docType: string;
  /** Items built by `createIssuerSignedItems` — their IssuerSignedItemBytes are hashed. */
  readonly nameSpaces: IssuedNameSpaces;
  /**
   * The holder's public key: an untagged COSE_Key map (kty/crv/x/y only), or a core key handle
   * (written as that COSE_Key: kty, crv, x and, for EC2, y).
   */
  readonly deviceKey: ReadonlyMap<number, unknown> | PublicKey;
  /** Validity; instants are truncated to whole seconds. */
  readonly validity: ValidityInput;
  /** Value digest algorithm. Default `'SHA-256'`. */
  readonly digestAlgorithm?: HashAlgorithm | undefined;
  readonly keyAuthorizations?: KeyAuthorizationsInput | undefined;
  /** KeyInfo (`{ * int => any }`). */
  readonly keyInfo?: ReadonlyMap<number, unknown> | undefined;
  readonly status?: MsoStatusInput | undefined;
  /**
   * Decoy digests per namespace (random digest values under unused random digestIDs) so the
   * number of real elements is hidden. A number applies to every namespace.
   */
  readonly decoys?: number | Readonly<Record<string, number>> | undefined;
  /**
   * Digests of items that are not part of `nameSpaces` (for example items held elsewhere, or a
   * vector's undisclosed items): namespace → digestID → digest.
   */
  readonly additionalDigests?: ReadonlyMap<string, ReadonlyMap<number, Uint8Array>> | undefined;
  /** Needed when `decoys` are requested. */
  readonly randomBytes?: RandomBytes | undefined;
  /** Map key order. Default `'deterministic'`; `'insertion'` emits the CDDL order (Annex D). */
  readonly keyOrder?: KeyOrder | undefined;
}

/** A built MSO: the decoded value digests and the exact MobileSecurityObjectBytes. */
export interface BuiltMso {
  readonly docType: string;
  readonly digestAlgorithm: HashAlgorithm;
  /** namespace → digestID → digest, ascending digestIDs. */
  readonly valueDigests: ReadonlyMap<string, ReadonlyMap<number, Uint8Array>>;
  readonly validity: {
    readonly signed: TDate;
    readonly validFrom: TDate;
    readonly validUntil: TDate;
    readonly expectedUpdate?: TDate;
  };
  /** MobileSecurityObjectBytes: `.tagged()` is the IssuerAuth payload. */
  readonly bytes: EncodedCbor;
}

const DIGEST_ALGORITHMS: readonly HashAlgorithm[] = ['SHA-256', 'SHA-384', 'SHA-512'];

/**
 * Build and encode a Mobile Security Object. Each value digest is computed over the exact
 * IssuerSignedItemBytes (`#6.24(bstr)`, spec §3.2). The validity is checked before anything is
 * encoded: `signed ≤ validFrom < validUntil` (and `expectedUpdate` after `signed`).
 *
 * ```cddl
 * MobileSecurityObjectBytes = #6.24(bstr .cbor MobileSecurityObject)
 * MobileSecurityObject = {
 *   "version" : tstr, "digestAlgorithm" : tstr, "valueDigests" : ValueDigests,
 *   "deviceKeyInfo" : DeviceKeyInfo, "docType" : tstr, "validityInfo" : ValidityInfo,
 *   ? "status" : Status
 * }
 * ValueDigests = { + NameSpace => DigestIDs }
 * DigestIDs = { + DigestID => Digest }
 * DeviceKeyInfo = { "deviceKey" : COSE_Key, ? "keyAuthorizations" : KeyAuthorizations, ? "keyInfo" : KeyInfo }
 * ValidityInfo = { "signed" : tdate, "validFrom" : tdate, "validUntil" : tdate, ? "expectedUpdate" : tdate }
 * ```
 * ISO/IEC 18013-5 §9.1.2.4.
 *
 * @example
 * ```ts
 * const mso = buildMso({ docType: MDL_DOCTYPE, nameSpaces: items, deviceKey, validity });
 * ```
 * @throws {@link MdlError} `ERR_MSO_VALIDITY_INVALID` for inconsistent validity; `ERR_MSO_INVALID`
 * for a bad digest algorithm, duplicate digestIDs, empty valueDigests or malformed key authorizations.
 */
export function buildMso(options: BuildMsoOptions): BuiltMso {
  return buildCheckedMso(options, checkValidity(options.validity));
}

/**
 * @internal {@link BuildMsoOptions} as {@link buildCheckedMso} takes them: without `nameSpaces` when
 * the items come as written by the issuer.
 */
export type MsoFields = Omit<BuildMsoOptions, 'nameSpaces'> & { readonly nameSpaces?: IssuedNameSpaces };

/**
 * @internal {@link buildMso} with a validity the caller already checked (`issueMdoc` checks it once,
 * with the DS certificate), and the items either as objects (`options.nameSpaces`) or as written by
 * the issuer (`written`, hashed from their encoding without making the objects).
 */
export function buildCheckedMso(
  options: MsoFields,
  validity: CheckedValidity,
  written?: WrittenItems,
): BuiltMso {
  const digestAlgorithm = options.digestAlgorithm ?? 'SHA-256';
  if (!DIGEST_ALGORITHMS.includes(digestAlgorithm)) {
    throw new MdlError('ERR_MSO_INVALID', 'digestAlgorithm must be SHA-256, SHA-384 or SHA-512');
  }
  if (typeof options.docType !== 'string' || options.docType.length === 0) {
    throw new MdlError('ERR_MSO_INVALID', 'docType must be a non-empty string');
  }
  const deviceKey = options.deviceKey;
  if (deviceKey instanceof Map ? deviceKey.size === 0 : !isPublicKeyHandle(deviceKey)) {
    throw new MdlError('ERR_MSO_INVALID', 'deviceKey must be a COSE_Key map or a public key');
  }
  const items =
    written !== undefined
      ? writtenDigests(written, digestAlgorithm)
      : itemDigests(options.nameSpaces ?? noItems(), digestAlgorithm);
  const valueDigests =
    options.additionalDigests === undefined && options.decoys === undefined
      ? items
      : mergedDigests(options, items, digestAlgorithm);
  if (valueDigests.length === 0) {
    throw new MdlError('ERR_MSO_INVALID', 'valueDigests must not be empty (add a decoy digest)');
  }
  // The usual DeviceKeyInfo is `{"deviceKey": COSE_Key}` alone: the layout writer writes it directly.
  let deviceKeyInfo: Map<string, unknown> | undefined;
  if (options.keyAuthorizations !== undefined || options.keyInfo !== undefined) {
    deviceKeyInfo = new Map<string, unknown>([
      ['deviceKey', deviceKey instanceof Map ? deviceKey : publicKeyToCoseKey(deviceKey as PublicKey)],
    ]);
    if (options.keyAuthorizations !== undefined) {
      deviceKeyInfo.set('keyAuthorizations', encodeKeyAuthorizations(options.keyAuthorizations));
    }
    if (options.keyInfo !== undefined) deviceKeyInfo.set('keyInfo', options.keyInfo);
  }
  const bytes = writeMso(
    {
      docType: options.docType,
      digestAlgorithm,
      valueDigests,
      deviceKey,
      deviceKeyInfo,
      validity,
      status: options.status === undefined ? undefined : encodeStatus(options.status),
    },
    options.keyOrder ?? 'deterministic',
  );
  return new Mso(options.docType, digestAlgorithm, valueDigests, validity, EncodedCbor.fromBytes(bytes));
}

function noItems(): never {
  throw new MdlError('ERR_INTERNAL', 'buildCheckedMso needs the items');
}

/** A {@link BuiltMso}; `valueDigests` is made when first read (an issuer rarely reads it). */
class Mso implements BuiltMso {
  readonly docType: string;
  readonly digestAlgorithm: HashAlgorithm;
  readonly validity: BuiltMso['validity'];
  readonly bytes: EncodedCbor;
  readonly #digests: readonly NameSpaceDigests[];
  #valueDigests: ReadonlyMap<string, ReadonlyMap<number, Uint8Array>> | undefined;

  constructor(
    docType: string,
    digestAlgorithm: HashAlgorithm,
    digests: readonly NameSpaceDigests[],
    validity: BuiltMso['validity'],
    bytes: EncodedCbor,
  ) {
    this.docType = docType;
    this.digestAlgorithm = digestAlgorithm;
    this.#digests = digests;
    this.validity = validity;
    this.bytes = bytes;
  }

  get valueDigests(): ReadonlyMap<string, ReadonlyMap<number, Uint8Array>> {
    if (this.#valueDigests === undefined) {
      const out = new Map<string, Map<number, Uint8Array>>();
      for (const ns of this.#digests) {
        const byId = new Map<number, Uint8Array>();
        // Copies: nobody changes what the MSO was built from through them.
        for (let i = 0; i < ns.ids.length; i++) byId.set(ns.ids[i]!, ns.digests[i]!.slice());
        out.set(ns.nameSpace, byId);
      }
      this.#valueDigests = out;
    }
    return this.#valueDigests;
  }
}

function checkDigestId(nameSpace: string, digestID: number): void {
  if (!Number.isInteger(digestID) || digestID < 0 || digestID >= DIGEST_ID_LIMIT) {
    throw new MdlError('ERR_MSO_INVALID', 'digestID must be an integer in [0, 2^31)', {
      details: { nameSpace },
    });
  }
}

function duplicateId(nameSpace: string, digestID: number): never {
  throw new MdlError('ERR_MSO_INVALID', 'duplicate digestID in namespace', {
    details: { nameSpace, digestID },
  });
}

/** The item objects' digests, per namespace in ascending digestID order. */
function itemDigests(nameSpaces: IssuedNameSpaces, digestAlgorithm: HashAlgorithm): NameSpaceDigests[] {
  const out: NameSpaceDigests[] = [];
  for (const [nameSpace, items] of nameSpaces) {
    if (items.length === 0) continue;
    out.push(
      inDigestIdOrder(
        nameSpace,
        items.map((item) => item.digestID),
        items.map((item) => digest(digestAlgorithm, item.bytes.tagged())),
      ),
    );
  }
  return out;
}

/** {@link itemDigests} of items as written by the issuer (hashed from the encoding, no item objects). */
function writtenDigests(written: WrittenItems, digestAlgorithm: HashAlgorithm): NameSpaceDigests[] {
  const out: NameSpaceDigests[] = [];
  for (let n = 0; n < written.names.length; n++) {
    const ids = written.digestIds[n]!;
    if (ids.length === 0) continue;
    const digests: Uint8Array[] = new Array(ids.length);
    for (let i = 0; i < ids.length; i++) digests[i] = digest(digestAlgorithm, written.tagged(n, i));
    out.push(inDigestIdOrder(written.names[n]!, ids, digests));
  }
  return out;
}

/**
 * One namespace's digestIDs (checked: in range, no repeats) and digests, index for index, put in
 * ascending digestID order.
 */
function inDigestIdOrder(
  nameSpace: string,
  idsIn: readonly number[],
  digestsIn: readonly Uint8Array[],
): NameSpaceDigests {
  const count = idsIn.length;
  for (let i = 0; i < count; i++) checkDigestId(nameSpace, idsIn[i]!);
  const order: number[] = new Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  order.sort((a, b) => idsIn[a]! - idsIn[b]!);
  const ids: number[] = new Array(count);
  const digests: Uint8Array[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const k = order[i]!;
    const id = idsIn[k]!;
    if (i > 0 && id === ids[i - 1]) duplicateId(nameSpace, id);
    ids[i] = id;
    digests[i] = digestsIn[k]!;
  }
  return { nameSpace, ids, digests };
}

/** The general case: item digests, additional digests and decoys merged per namespace. */
function mergedDigests(
  options: MsoFields,
  items: readonly NameSpaceDigests[],
  digestAlgorithm: HashAlgorithm,
): NameSpaceDigests[] {
  const digests = new Map<string, Map<number, Uint8Array>>();
  for (const { nameSpace, ids, digests: values } of items) {
    for (let i = 0; i < ids.length; i++) putDigest(digests, nameSpace, ids[i]!, values[i]!);
  }
  for (const [nameSpace, extra] of options.additionalDigests ??
    new Map<string, ReadonlyMap<number, Uint8Array>>()) {
    for (const [digestID, value] of extra) putDigest(digests, nameSpace, digestID, value);
  }
  addDecoys(options, digests, digestAlgorithm);
  const out: NameSpaceDigests[] = [];
  for (const [nameSpace, byId] of digests) {
    const ids = Array.from(byId.keys()).sort((a, b) => a - b);
    out.push({ nameSpace, ids, digests: ids.map((id) => byId.get(id)!) });
  }
  return out;
}

function putDigest(
  digests: Map<string, Map<number, Uint8Array>>,
  nameSpace: string,
  digestID: number,
  value: Uint8Array,
): void {
  let ns = digests.get(nameSpace);
  if (ns === undefined) {
    ns = new Map();
    digests.set(nameSpace, ns);
  }
  checkDigestId(nameSpace, digestID);
  if (ns.has(digestID)) duplicateId(nameSpace, digestID);
  ns.set(digestID, value);
}

function addDecoys(
  options: MsoFields,
  digests: Map<string, Map<number, Uint8Array>>,
  digestAlgorithm: HashAlgorithm,
): void {
  const { decoys } = options;
  if (decoys === undefined) return;
  const plan: [string, number][] =
    typeof decoys === 'number' ? [...digests.keys()].map((ns) => [ns, decoys]) : Object.entries(decoys);
  if (plan.length === 0) return;
  const randomBytes = options.randomBytes;
  if (randomBytes === undefined) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'decoy digests need randomBytes');
  }
  const size = digestAlgorithm === 'SHA-256' ? 32 : digestAlgorithm === 'SHA-384' ? 48 : 64;
  for (const [nameSpace, count] of plan) {
    if (!Number.isInteger(count) || count < 0 || count > 10_000) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'decoy count must be an integer in 0..10000', {
        details: { nameSpace },
      });
    }
    let ns = digests.get(nameSpace);
    if (ns === undefined) {
      ns = new Map();
      digests.set(nameSpace, ns);
    }
    for (let added = 0; added < count; ) {
      const id = randomBelow(DIGEST_ID_LIMIT, randomBytes);
      if (ns.has(id)) continue;
      const digest = randomBytes(size);
      if (digest.length !== size)
        throw new MdlError('ERR_INVALID_ARGUMENT', 'randomBytes returned the wrong length');
      ns.set(id, digest);
      added++;
    }
  }
}

function encodeKeyAuthorizations(input: KeyAuthorizationsInput): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const whole = input.nameSpaces ?? [];
  const elements = Object.entries(input.dataElements ?? {});
  if (whole.length === 0 && elements.length === 0) {
    throw new MdlError('ERR_MSO_INVALID', 'keyAuthorizations must not be empty');
  }
  if (whole.length > 0) out.set('nameSpaces', [...whole]);
  if (elements.length > 0) {
    for (const [nameSpace, ids] of elements) {
      if (whole.includes(nameSpace)) {
        throw new MdlError('ERR_MSO_INVALID', 'a namespace is authorised both whole and per element', {
          details: { nameSpace },
        });
      }
      if (ids.length === 0) {
        throw new MdlError('ERR_MSO_INVALID', 'authorised data elements must not be empty', {
          details: { nameSpace },
        });
      }
    }
    out.set('dataElements', new Map(elements.map(([ns, ids]) => [ns, [...ids]])));
  }
  return out;
}

function encodeStatus(status: MsoStatusInput): Map<string, unknown> {
  if ('statusList' in status) {
    const { idx, uri, certificate } = status.statusList;
    if (!Number.isInteger(idx) || idx < 0 || typeof uri !== 'string' || uri.length === 0) {
      throw new MdlError('ERR_MSO_INVALID', 'status_list needs a non-negative idx and a uri');
    }
    const entry = new Map<string, unknown>([
      ['idx', idx],
      ['uri', uri],
    ]);
    if (certificate !== undefined) entry.set('certificate', certificate);
    return new Map([['status_list', entry]]);
  }
  const { id, uri, certificate } = status.identifierList;
  if (!(id instanceof Uint8Array) || id.length === 0 || typeof uri !== 'string' || uri.length === 0) {
    throw new MdlError('ERR_MSO_INVALID', 'identifier_list needs an id and a uri');
  }
  const entry = new Map<string, unknown>([
    ['id', id],
    ['uri', uri],
  ]);
  if (certificate !== undefined) entry.set('certificate', certificate);
  return new Map([['identifier_list', entry]]);
}
