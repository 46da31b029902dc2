import {
  CborWriter,
  cborHeadLength,
  compareTextKeys,
  EncodedCbor,
  encodeCbor,
  type TDate,
} from '@mdlkit/core/cbor';
import { CoseKty, publicKeyToCoseKey } from '@mdlkit/core/cose';
import {
  curveInfo,
  digest,
  digestInto,
  type HashAlgorithm,
  hashLength,
  type PublicKey,
} from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { isPublicKeyHandle } from '../internal/device-key.js';
import {
  type IssuedNameSpaces,
  itemTagged,
  type KeyOrder,
  type WrittenItems,
  writtenTagged,
} from '../items/create-issuer-signed-items.js';
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

function noItems(): never {
  throw new MdlError('ERR_INTERNAL', 'buildCheckedMso needs the items');
}

/**
 * @internal where {@link buildCheckedMso} may write an MSO inside a caller's buffer: from `start`,
 * ending no later than `end` (the MSO is then moved so that it ends exactly at `end`). The bytes
 * before it stay free for the Sig_structure head.
 */
export interface MsoPlacement {
  readonly buffer: Uint8Array;
  readonly start: number;
  readonly end: number;
}

/**
 * @internal {@link buildMso} with a validity the caller already checked (`issueMdoc` checks it once,
 * with the DS certificate). `headroom` bytes are left free in front of the MSO in its own buffer;
 * with `placement`, the MSO is written into the caller's buffer instead when it fits there (when it
 * does not, into its own buffer after `placement.start` free bytes).
 */
export function buildCheckedMso(
  options: MsoFields,
  validity: CheckedValidity,
  headroom = 0,
  placement?: MsoPlacement,
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
  const keyOrder = options.keyOrder ?? 'deterministic';

  // `written` (issueMdoc): the items as offsets into the buffer they were written to; their
  // objects (options.nameSpaces) are then only made when needed — for decoys or extra digests.
  const nameSpaces = options.nameSpaces;
  const valueDigests =
    options.additionalDigests === undefined && options.decoys === undefined
      ? written !== undefined
        ? writtenDigests(written)
        : itemDigests(nameSpaces ?? noItems())
      : mergedDigests(options, nameSpaces ?? written?.nameSpaces ?? noItems(), digestAlgorithm);
  if (valueDigests.length === 0) {
    throw new MdlError('ERR_MSO_INVALID', 'valueDigests must not be empty (add a decoy digest)');
  }

  // The usual DeviceKeyInfo is `{"deviceKey": COSE_Key}` alone: written directly (below), not
  // through a Map and the generic writer.
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

  // Written straight into one buffer inside its tag-24 wrapper, so the IssuerAuth payload is a
  // view, not a copy. Deterministic output is written in its sorted key order (status, docType,
  // version, validityInfo, valueDigests, deviceKeyInfo, digestAlgorithm: shorter keys first);
  // insertion order is the CDDL order. Only the small nested maps go through the generic writer.
  const status = options.status === undefined ? undefined : encodeStatus(options.status);
  let size = 256 + 2 * options.docType.length;
  for (const ns of valueDigests) size += 3 * ns.nameSpace.length + 8 + ns.ids.length * 72;
  // `headroom` bytes are left free in front of the MSO: the IssuerAuth Sig_structure is later
  // written there, around the MSO in place (see msoSigStructure).
  const view = placement?.buffer.subarray(0, placement.end);
  const w = new CborWriter({ keyOrder }, view ?? headroom + size);
  const from = placement === undefined ? headroom : placement.start;
  w.pos = from;
  const mark = w.beginEmbedded();
  w.head(5, status === undefined ? 6 : 7);
  if (keyOrder === 'deterministic') {
    if (status !== undefined) {
      w.raw(KEY_STATUS);
      w.value(status);
    }
    w.raw(KEY_DOC_TYPE);
    w.text(options.docType);
    w.raw(KEY_VERSION);
    w.raw(VERSION_1_0);
    w.raw(KEY_VALIDITY_INFO);
    writeValidityInfo(w, validity);
    w.raw(KEY_VALUE_DIGESTS);
    writeValueDigests(w, valueDigests, keyOrder, digestAlgorithm);
    w.raw(KEY_DEVICE_KEY_INFO);
    writeDeviceKeyInfo(w, deviceKeyInfo, deviceKey);
    w.raw(KEY_DIGEST_ALGORITHM);
    w.text(digestAlgorithm);
  } else {
    w.raw(KEY_VERSION);
    w.raw(VERSION_1_0);
    w.raw(KEY_DIGEST_ALGORITHM);
    w.text(digestAlgorithm);
    w.raw(KEY_VALUE_DIGESTS);
    writeValueDigests(w, valueDigests, keyOrder, digestAlgorithm);
    w.raw(KEY_DEVICE_KEY_INFO);
    writeDeviceKeyInfo(w, deviceKeyInfo, deviceKey);
    w.raw(KEY_DOC_TYPE);
    w.text(options.docType);
    w.raw(KEY_VALIDITY_INFO);
    writeValidityInfo(w, validity);
    if (status !== undefined) {
      w.raw(KEY_STATUS);
      w.value(status);
    }
  }
  let start = w.endEmbedded(mark);
  // After `from` the writer holds nothing but the tag-24 item: MobileSecurityObjectBytes.
  let buf = w.buf;
  let tagStart = from;
  let end = w.pos;
  if (placement !== undefined && buf === view) {
    // Written in the caller's buffer: moved to end exactly at `placement.end`, where the caller
    // wants it (a copy within bytes just written), and the digest offsets with it.
    buf = placement.buffer;
    const shift = placement.end - end;
    if (shift > 0) {
      buf.copyWithin(from + shift, from, end);
      for (const ns of valueDigests) {
        const at = ns.at;
        if (at !== undefined) for (let i = 0; i < at.length; i++) at[i]! += shift;
      }
      start += shift;
      tagStart += shift;
      end += shift;
    }
  }
  return new WrittenMso(
    options.docType,
    digestAlgorithm,
    valueDigests,
    validity,
    EncodedCbor.fromBytes(buf.subarray(start, end)),
    buf,
    tagStart,
    end,
  );
}

/** @internal Room to leave in front of an MSO for its Sig_structure head (see {@link msoSigStructure}). */
export const SIG_STRUCTURE_HEADROOM = 48;

// "Signature1" with its text head.
const SIGNATURE1 = encodeCbor('Signature1');

/**
 * @internal The IssuerAuth Sig_structure `["Signature1", protected, h'', MobileSecurityObjectBytes]`
 * (RFC 9052 §4.4) written around an MSO built with headroom, in its own buffer: a view, no copy of
 * the MSO. `undefined` when the MSO has no room for it (then the caller builds one).
 */
export function msoSigStructure(mso: BuiltMso, protectedBytes: Uint8Array): Uint8Array | undefined {
  return WrittenMso.sigStructure(mso, protectedBytes);
}

const KEY_STATUS = encodeCbor('status');
const KEY_SIGNED = encodeCbor('signed');
const KEY_VALID_FROM = encodeCbor('validFrom');
const KEY_VALID_UNTIL = encodeCbor('validUntil');
const KEY_EXPECTED_UPDATE = encodeCbor('expectedUpdate');
const KEY_DEVICE_KEY = encodeCbor('deviceKey');

const ascending = (a: number, b: number): number => a - b;

/**
 * ValidityInfo = { "signed", "validFrom", "validUntil", ? "expectedUpdate" } — the CDDL order is
 * also the core deterministic order (shorter keys first), so both key orders write the same bytes.
 */
function writeValidityInfo(w: CborWriter, validity: CheckedValidity): void {
  const expected = validity.expectedUpdate;
  w.head(5, expected === undefined ? 3 : 4);
  w.raw(KEY_SIGNED);
  writeTDate(w, validity.signed);
  w.raw(KEY_VALID_FROM);
  writeTDate(w, validity.validFrom);
  w.raw(KEY_VALID_UNTIL);
  writeTDate(w, validity.validUntil);
  if (expected !== undefined) {
    w.raw(KEY_EXPECTED_UPDATE);
    writeTDate(w, expected);
  }
}

/** `tdate = #6.0(tstr)`: what `w.value` writes for a TDate, without its type dispatch. */
function writeTDate(w: CborWriter, date: TDate): void {
  w.head(6, 0);
  w.text(date.value);
}

/** DeviceKeyInfo: `{"deviceKey": COSE_Key}` written directly, anything larger through the generic writer. */
function writeDeviceKeyInfo(
  w: CborWriter,
  deviceKeyInfo: ReadonlyMap<string, unknown> | undefined,
  deviceKey: ReadonlyMap<number, unknown> | PublicKey,
): void {
  if (deviceKeyInfo !== undefined) {
    w.value(deviceKeyInfo);
    return;
  }
  w.head(5, 1);
  w.raw(KEY_DEVICE_KEY);
  if (deviceKey instanceof Map) w.value(deviceKey);
  else writePublicCoseKey(w, deviceKey as PublicKey);
}

/**
 * A public key as the COSE_Key `publicKeyToCoseKey` gives — `{1: kty, -1: crv, -2: x, -3: y}`
 * (no y for OKP) — written without building the Map. Its labels 1, -1, -2, -3 encode as 01, 20,
 * 21, 22: the insertion order is also the core deterministic order, so both key orders agree.
 */
function writePublicCoseKey(w: CborWriter, key: PublicKey): void {
  const info = curveInfo(key.curve);
  const ec2 = info.kty === 'EC2';
  w.head(5, ec2 ? 4 : 3);
  w.head(0, 1);
  w.head(0, ec2 ? CoseKty.EC2 : CoseKty.OKP);
  w.head(1, 0); // -1: crv
  w.head(0, info.coseCrv);
  w.head(1, 1); // -2: x
  w.bytes(key.x);
  if (ec2) {
    w.head(1, 2); // -3: y
    w.bytes(key.y!);
  }
}
const KEY_DOC_TYPE = encodeCbor('docType');
const KEY_VERSION = encodeCbor('version');
const KEY_VALIDITY_INFO = encodeCbor('validityInfo');
const KEY_VALUE_DIGESTS = encodeCbor('valueDigests');
const KEY_DEVICE_KEY_INFO = encodeCbor('deviceKeyInfo');
const KEY_DIGEST_ALGORITHM = encodeCbor('digestAlgorithm');
const VERSION_1_0 = encodeCbor('1.0');

/**
 * A {@link BuiltMso} written here: privately keeps its MobileSecurityObjectBytes (tagged) as
 * written, at `[start, end)` of its buffer, with the bytes before `start` free for the Sig_structure.
 */
class WrittenMso implements BuiltMso {
  readonly docType: string;
  readonly digestAlgorithm: HashAlgorithm;
  readonly validity: BuiltMso['validity'];
  readonly bytes: EncodedCbor;
  readonly #buf: Uint8Array;
  readonly #start: number;
  readonly #end: number;
  /** Whether the bytes in front of the MSO are still its own (false once they belong to IssuerSigned). */
  #headroomFree = true;
  readonly #digests: readonly NameSpaceDigests[];
  #valueDigests: ReadonlyMap<string, ReadonlyMap<number, Uint8Array>> | undefined;

  constructor(
    docType: string,
    digestAlgorithm: HashAlgorithm,
    digests: readonly NameSpaceDigests[],
    validity: BuiltMso['validity'],
    bytes: EncodedCbor,
    buf: Uint8Array,
    start: number,
    end: number,
  ) {
    this.docType = docType;
    this.digestAlgorithm = digestAlgorithm;
    this.#digests = digests;
    this.validity = validity;
    this.bytes = bytes;
    this.#buf = buf;
    this.#start = start;
    this.#end = end;
  }

  /** namespace → digestID → digest, ascending digestIDs (built when first read). */
  get valueDigests(): ReadonlyMap<string, ReadonlyMap<number, Uint8Array>> {
    if (this.#valueDigests === undefined) {
      const out = new Map<string, Map<number, Uint8Array>>();
      const length = hashLength(this.digestAlgorithm);
      for (const ns of this.#digests) {
        const byId = new Map<number, Uint8Array>();
        for (let i = 0; i < ns.ids.length; i++) {
          // Digests hashed straight into the MSO are copied out, so nobody can change the MSO through them.
          const d = ns.digests?.[i] ?? this.#buf.slice(ns.at![i]!, ns.at![i]! + length);
          byId.set(ns.ids[i]!, d);
        }
        out.set(ns.nameSpace, byId);
      }
      this.#valueDigests = out;
    }
    return this.#valueDigests;
  }

  static closeHeadroom(mso: BuiltMso): void {
    if (mso instanceof WrittenMso) mso.#headroomFree = false;
  }

  static tagged(mso: BuiltMso): Uint8Array | undefined {
    return mso instanceof WrittenMso ? mso.#buf.subarray(mso.#start, mso.#end) : undefined;
  }

  static sigStructure(mso: BuiltMso, protectedBytes: Uint8Array): Uint8Array | undefined {
    if (!(mso instanceof WrittenMso) || !mso.#headroomFree) return undefined;
    const start = mso.#start;
    const n = mso.#end - start;
    // 0x84, "Signature1", bstr(protected), h'' (external_aad), then the payload's bstr head.
    const head =
      1 +
      SIGNATURE1.length +
      cborHeadLength(protectedBytes.length) +
      protectedBytes.length +
      1 +
      cborHeadLength(n);
    if (head > start) return undefined;
    // The writer's view runs on over the MSO, so writing a head never makes it look for room elsewhere;
    // exactly `head` bytes are written, ending where the MSO begins.
    const tbs = mso.#buf.subarray(start - head, mso.#end);
    const w = new CborWriter({}, tbs);
    w.head(4, 4);
    w.raw(SIGNATURE1);
    w.bytes(protectedBytes);
    w.head(2, 0);
    w.head(2, n);
    if (w.pos !== head || w.buf !== tbs)
      throw new MdlError('ERR_INTERNAL', 'Sig_structure head length mismatch');
    return tbs;
  }
}

/**
 * @internal the bytes in front of `mso` now belong to something else (IssuerSigned was written around
 * it): a later signature of this MSO (`signIssuerAuth`) builds its Sig_structure in a buffer of its own.
 */
export function closeMsoHeadroom(mso: BuiltMso): void {
  WrittenMso.closeHeadroom(mso);
}

/** @internal MobileSecurityObjectBytes (`#6.24(bstr .cbor MobileSecurityObject)`), without a copy when built here. */
export function msoTagged(mso: BuiltMso): Uint8Array {
  return WrittenMso.tagged(mso) ?? mso.bytes.tagged();
}

// A module function, not a per-call closure (an allocation per document, and under tsx/esbuild
// name-keeping a defineProperty).
function putDigest(
  digests: Map<string, Map<number, Uint8Array>>,
  nameSpace: string,
  digestID: number,
  digest: Uint8Array,
): void {
  let ns = digests.get(nameSpace);
  if (ns === undefined) {
    ns = new Map();
    digests.set(nameSpace, ns);
  }
  checkDigestId(nameSpace, digestID);
  if (ns.has(digestID)) duplicateId(nameSpace, digestID);
  ns.set(digestID, digest);
}

/**
 * One namespace of ValueDigests: digestIDs ascending and, index for index, either their digests or
 * the items whose IssuerSignedItemBytes are hashed straight into the MSO as it is written (`at`
 * receives where each digest landed in the writer's buffer).
 */
type NameSpaceDigests =
  | {
      readonly nameSpace: string;
      readonly ids: readonly number[];
      readonly digests: readonly Uint8Array[];
      readonly at?: undefined;
    }
  | {
      readonly nameSpace: string;
      readonly ids: readonly number[];
      /** IssuerSignedItemBytes, index for index with `ids`. */
      readonly tagged: readonly Uint8Array[];
      readonly at: number[];
      readonly digests?: undefined;
    };

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

/**
 * The items alone (no decoys, no additional digests): per namespace, the items in ascending
 * digestID order — arrays, no Maps. Their digests are not computed here: writeValueDigests hashes
 * each item's IssuerSignedItemBytes straight into the MSO buffer (no array per digest).
 */
function itemDigests(nameSpaces: IssuedNameSpaces): NameSpaceDigests[] {
  const out: NameSpaceDigests[] = [];
  for (const [nameSpace, items] of nameSpaces) {
    if (items.length === 0) continue;
    out.push(
      inDigestIdOrder(
        nameSpace,
        items.map((item) => item.digestID),
        items.map(itemTagged),
      ),
    );
  }
  return out;
}

/** {@link itemDigests} from items as written by the issuer (offsets, no item objects). */
function writtenDigests(written: WrittenItems): NameSpaceDigests[] {
  const out: NameSpaceDigests[] = [];
  const buffer = written.buffer;
  for (const { nameSpace, ids, spans } of written.spaces) {
    if (ids.length === 0) continue;
    const tagged: Uint8Array[] = new Array(ids.length);
    for (let i = 0; i < ids.length; i++) tagged[i] = writtenTagged(buffer, spans[2 * i]!, spans[2 * i + 1]!);
    out.push(inDigestIdOrder(nameSpace, ids, tagged));
  }
  return out;
}

/**
 * One namespace's digestIDs (checked: in range, no repeats) and IssuerSignedItemBytes, index for
 * index, put in ascending digestID order: insertion sort for the usual few dozen, a sort beyond.
 */
function inDigestIdOrder(
  nameSpace: string,
  idsIn: readonly number[],
  taggedIn: readonly Uint8Array[],
): NameSpaceDigests {
  const count = idsIn.length;
  for (let i = 0; i < count; i++) checkDigestId(nameSpace, idsIn[i]!);
  const order: number[] = new Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  if (count > 64) order.sort((a, b) => idsIn[a]! - idsIn[b]!);
  else {
    for (let i = 1; i < count; i++) {
      const k = order[i]!;
      let j = i - 1;
      while (j >= 0 && idsIn[order[j]!]! > idsIn[k]!) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = k;
    }
  }
  const ids: number[] = new Array(count);
  const tagged: Uint8Array[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const k = order[i]!;
    const id = idsIn[k]!;
    if (i > 0 && id === ids[i - 1]) duplicateId(nameSpace, id);
    ids[i] = id;
    tagged[i] = taggedIn[k]!;
  }
  return { nameSpace, ids, tagged, at: new Array(count) };
}

/** The general case: item digests, additional digests and decoys merged per namespace. */
function mergedDigests(
  options: MsoFields,
  nameSpaces: IssuedNameSpaces,
  digestAlgorithm: HashAlgorithm,
): NameSpaceDigests[] {
  const digests = new Map<string, Map<number, Uint8Array>>();
  for (const [nameSpace, items] of nameSpaces) {
    for (const item of items)
      putDigest(digests, nameSpace, item.digestID, digest(digestAlgorithm, itemTagged(item)));
  }
  for (const [nameSpace, extra] of options.additionalDigests ??
    new Map<string, ReadonlyMap<number, Uint8Array>>()) {
    for (const [digestID, digest] of extra) putDigest(digests, nameSpace, digestID, digest);
  }
  addDecoys(options, digests, digestAlgorithm);
  const out: NameSpaceDigests[] = [];
  for (const [nameSpace, byId] of digests) {
    const ids = Array.from(byId.keys()).sort(ascending);
    out.push({ nameSpace, ids, digests: ids.map((id) => byId.get(id)!) });
  }
  return out;
}

/** ValueDigests = { + NameSpace => DigestIDs }, DigestIDs = { + DigestID => Digest } (ids ascending). */
function writeValueDigests(
  w: CborWriter,
  valueDigests: readonly NameSpaceDigests[],
  keyOrder: KeyOrder,
  digestAlgorithm: HashAlgorithm,
): void {
  const length = hashLength(digestAlgorithm);
  let spaces = valueDigests;
  if (keyOrder === 'deterministic' && spaces.length > 1) {
    spaces = [...spaces].sort((a, b) => compareTextKeys(a.nameSpace, b.nameSpace));
  }
  w.head(5, spaces.length);
  for (const ns of spaces) {
    w.text(ns.nameSpace);
    w.head(5, ns.ids.length);
    const { digests, at } = ns;
    for (let i = 0; i < ns.ids.length; i++) {
      w.head(0, ns.ids[i]!);
      if (digests !== undefined) {
        w.bytes(digests[i]!);
        continue;
      }
      w.head(2, length);
      w.ensure(length);
      at[i] = w.pos;
      w.pos = digestInto(digestAlgorithm, ns.tagged[i]!, w.buf, w.pos);
    }
  }
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
