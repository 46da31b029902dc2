/**
 * @module
 * The one owner of the byte layout of what an issuer emits: IssuerNameSpaces with its
 * IssuerSignedItemBytes, the MobileSecurityObject, the IssuerAuth `Sig_structure` and COSE_Sign1,
 * and IssuerSigned around them. `createIssuerSignedItems`, `buildMso`, `signIssuerAuth` and
 * `issueMdoc` check their inputs and call these writers; nothing else in the package writes CBOR
 * heads. Every writer returns an array of its own; structures are written whole, each into one
 * buffer, and no writer writes into another's output.
 *
 * ```cddl
 * IssuerSigned = { ? "nameSpaces" : IssuerNameSpaces, "issuerAuth" : IssuerAuth }
 * IssuerNameSpaces = { + NameSpace => [+ IssuerSignedItemBytes] }
 * IssuerSignedItemBytes = #6.24(bstr .cbor IssuerSignedItem)
 * IssuerAuth = COSE_Sign1 ; payload = MobileSecurityObjectBytes
 * MobileSecurityObjectBytes = #6.24(bstr .cbor MobileSecurityObject)
 * ```
 * ISO/IEC 18013-5 §8.3.2.1.2.2, §9.1.2.4; RFC 9052 §4.2, §4.4.
 */
import {
  CborWriter,
  cborHeadLength,
  compareTextKeys,
  encodeCbor,
  encodeCborWith,
  type TDate,
} from '@mdlkit/core/cbor';
import { CoseKty } from '@mdlkit/core/cose';
import { curveInfo, type PublicKey } from '@mdlkit/core/crypto';

/** Map key order of emitted CBOR: RFC 8949 core-deterministic (default) or CDDL/insertion order (Annex D). */
export type KeyOrder = 'deterministic' | 'insertion';

// Map keys, pre-encoded (text heads + ASCII); immutable.
const KEY_RANDOM = encodeCbor('random');
const KEY_DIGEST_ID = encodeCbor('digestID');
const KEY_VALUE = encodeCbor('elementValue');
const KEY_IDENTIFIER = encodeCbor('elementIdentifier');
const KEY_STATUS = encodeCbor('status');
const KEY_DOC_TYPE = encodeCbor('docType');
const KEY_VERSION = encodeCbor('version');
const KEY_VALIDITY_INFO = encodeCbor('validityInfo');
const KEY_VALUE_DIGESTS = encodeCbor('valueDigests');
const KEY_DEVICE_KEY_INFO = encodeCbor('deviceKeyInfo');
const KEY_DIGEST_ALGORITHM = encodeCbor('digestAlgorithm');
const KEY_DEVICE_KEY = encodeCbor('deviceKey');
const KEY_SIGNED = encodeCbor('signed');
const KEY_VALID_FROM = encodeCbor('validFrom');
const KEY_VALID_UNTIL = encodeCbor('validUntil');
const KEY_EXPECTED_UPDATE = encodeCbor('expectedUpdate');
const KEY_NAME_SPACES = encodeCbor('nameSpaces');
const KEY_ISSUER_AUTH = encodeCbor('issuerAuth');
const VERSION_1_0 = encodeCbor('1.0');
const SIGNATURE1 = encodeCbor('Signature1');

/** The encoded length of a byte string of `n` bytes (head and content). */
function bstrLength(n: number): number {
  return cborHeadLength(n) + n;
}

/** The encoded length of `#6.24(bstr)` around `n` content bytes. */
function embeddedLength(n: number): number {
  return 2 + bstrLength(n);
}

// ---------------------------------------------------------------------------------------------
// IssuerNameSpaces

/** What the item writer takes: namespaces and, per namespace, parallel arrays in input order. */
export interface ItemsToWrite {
  readonly names: readonly string[];
  readonly identifiers: readonly (readonly string[])[];
  readonly values: readonly (readonly unknown[])[];
  /** digestIDs, per namespace index for index with `identifiers`. */
  readonly digestIds: readonly (readonly number[])[];
  /** All salts in one block, first namespace first, in element order. */
  readonly salts: Uint8Array;
  readonly saltLength: number;
}

/**
 * IssuerNameSpaces as written: its encoding (an array of its own) and, per namespace in input order
 * and per item, where the item sits in it — three numbers per item: the start of its tag-24 head,
 * the start of its content, and its end.
 */
export interface WrittenNameSpaces {
  readonly encoded: Uint8Array;
  readonly spans: readonly (readonly number[])[];
}

/**
 * IssuerNameSpaces: namespaces in the key order asked for, items in input order, each
 * IssuerSignedItem written inside its tag-24 wrapper with its four keys in the order asked for
 * (deterministic: random, digestID, elementValue, elementIdentifier — shorter keys first; insertion:
 * the CDDL order). Only `elementValue` goes through the generic encoder. The same bytes as encoding
 * each item map on its own.
 */
export function writeNameSpaces(items: ItemsToWrite, keyOrder: KeyOrder): WrittenNameSpaces {
  const { names, identifiers, values, digestIds, salts, saltLength } = items;
  const count = names.length;
  const order: number[] = new Array(count);
  for (let n = 0; n < count; n++) order[n] = n;
  if (keyOrder === 'deterministic' && count > 1) {
    order.sort((a, b) => compareTextKeys(names[a]!, names[b]!));
  }
  // Salt offsets follow the input order.
  const saltStart: number[] = new Array(count);
  let offset = 0;
  for (let n = 0; n < count; n++) {
    saltStart[n] = offset;
    offset += identifiers[n]!.length * saltLength;
  }
  // What every item has besides its identifier and value: map head, the four keys, the salt with its
  // head, a digestID (≤ 5 bytes), the identifier's head (≤ 3) and the value's head (≤ 3).
  const itemFixed =
    1 +
    KEY_RANDOM.length +
    KEY_DIGEST_ID.length +
    KEY_VALUE.length +
    KEY_IDENTIFIER.length +
    bstrLength(saltLength) +
    11;
  const spans: number[][] = new Array(count);
  const encoded = encodeCborWith(
    (w) => {
      w.head(5, count);
      for (const n of order) {
        const ids = identifiers[n]!;
        const vs = values[n]!;
        const dids = digestIds[n]!;
        const nsSpans: number[] = new Array(3 * ids.length);
        spans[n] = nsSpans;
        w.text(names[n]!);
        w.head(4, ids.length);
        for (let i = 0; i < ids.length; i++) {
          const s0 = saltStart[n]! + i * saltLength;
          const salt = salts.subarray(s0, s0 + saltLength);
          const identifier = ids[i]!;
          const value = vs[i];
          const tagStart = w.length;
          // The item's length, exact for ASCII text and byte strings, so its bstr head is reserved at the
          // right size and nothing moves when the item is closed (other values: a guess).
          const mark = w.beginEmbedded(
            itemFixed +
              identifier.length +
              (typeof value === 'string' || value instanceof Uint8Array ? value.length : 0),
          );
          w.head(5, 4);
          if (keyOrder === 'deterministic') {
            w.raw(KEY_RANDOM);
            w.bytes(salt);
            w.raw(KEY_DIGEST_ID);
            w.head(0, dids[i]!);
            w.raw(KEY_VALUE);
            w.value(value);
            w.raw(KEY_IDENTIFIER);
            w.text(identifier);
          } else {
            w.raw(KEY_DIGEST_ID);
            w.head(0, dids[i]!);
            w.raw(KEY_RANDOM);
            w.bytes(salt);
            w.raw(KEY_IDENTIFIER);
            w.text(identifier);
            w.raw(KEY_VALUE);
            w.value(value);
          }
          nsSpans[3 * i] = tagStart;
          nsSpans[3 * i + 1] = w.endEmbedded(mark);
          nsSpans[3 * i + 2] = w.length;
        }
      }
    },
    { keyOrder },
  );
  return { encoded, spans };
}

// ---------------------------------------------------------------------------------------------
// MobileSecurityObject

/** One namespace of ValueDigests: digestIDs ascending, their digests index for index. */
export interface NameSpaceDigests {
  readonly nameSpace: string;
  readonly ids: readonly number[];
  readonly digests: readonly Uint8Array[];
}

/** ValidityInfo, checked and truncated to whole seconds. */
export interface MsoValidity {
  readonly signed: TDate;
  readonly validFrom: TDate;
  readonly validUntil: TDate;
  readonly expectedUpdate?: TDate | undefined;
}

/** The fields of a MobileSecurityObject, checked by the caller. */
export interface MsoToWrite {
  readonly docType: string;
  readonly digestAlgorithm: string;
  readonly valueDigests: readonly NameSpaceDigests[];
  /** The holder's key: a COSE_Key map, or a key handle written as its COSE_Key. */
  readonly deviceKey: ReadonlyMap<number, unknown> | PublicKey;
  /** DeviceKeyInfo as a whole when it holds more than `deviceKey` (keyAuthorizations, keyInfo). */
  readonly deviceKeyInfo?: ReadonlyMap<string, unknown> | undefined;
  readonly validity: MsoValidity;
  readonly status?: ReadonlyMap<string, unknown> | undefined;
}

/**
 * MobileSecurityObject (the content of MobileSecurityObjectBytes), an array of its own.
 * Deterministic output is written in its sorted key order (status, docType, version, validityInfo,
 * valueDigests, deviceKeyInfo, digestAlgorithm: shorter keys first); insertion order is the CDDL
 * order. Only the small nested maps go through the generic writer.
 */
export function writeMso(mso: MsoToWrite, keyOrder: KeyOrder): Uint8Array {
  return encodeCborWith((w) => writeMsoFields(w, mso, keyOrder), { keyOrder });
}

function writeMsoFields(w: CborWriter, mso: MsoToWrite, keyOrder: KeyOrder): void {
  const status = mso.status;
  w.head(5, status === undefined ? 6 : 7);
  if (keyOrder === 'deterministic') {
    if (status !== undefined) {
      w.raw(KEY_STATUS);
      w.value(status);
    }
    w.raw(KEY_DOC_TYPE);
    w.text(mso.docType);
    w.raw(KEY_VERSION);
    w.raw(VERSION_1_0);
    w.raw(KEY_VALIDITY_INFO);
    writeValidityInfo(w, mso.validity);
    w.raw(KEY_VALUE_DIGESTS);
    writeValueDigests(w, mso.valueDigests, keyOrder);
    w.raw(KEY_DEVICE_KEY_INFO);
    writeDeviceKeyInfo(w, mso);
    w.raw(KEY_DIGEST_ALGORITHM);
    w.text(mso.digestAlgorithm);
  } else {
    w.raw(KEY_VERSION);
    w.raw(VERSION_1_0);
    w.raw(KEY_DIGEST_ALGORITHM);
    w.text(mso.digestAlgorithm);
    w.raw(KEY_VALUE_DIGESTS);
    writeValueDigests(w, mso.valueDigests, keyOrder);
    w.raw(KEY_DEVICE_KEY_INFO);
    writeDeviceKeyInfo(w, mso);
    w.raw(KEY_DOC_TYPE);
    w.text(mso.docType);
    w.raw(KEY_VALIDITY_INFO);
    writeValidityInfo(w, mso.validity);
    if (status !== undefined) {
      w.raw(KEY_STATUS);
      w.value(status);
    }
  }
}

/**
 * ValidityInfo = { "signed", "validFrom", "validUntil", ? "expectedUpdate" } — the CDDL order is
 * also the core deterministic order (shorter keys first), so both key orders write the same bytes.
 */
function writeValidityInfo(w: CborWriter, validity: MsoValidity): void {
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

/** `tdate = #6.0(tstr)`. */
function writeTDate(w: CborWriter, date: TDate): void {
  w.head(6, 0);
  w.text(date.value);
}

/** ValueDigests = { + NameSpace => DigestIDs }, DigestIDs = { + DigestID => Digest } (ids ascending). */
function writeValueDigests(w: CborWriter, spaces: readonly NameSpaceDigests[], keyOrder: KeyOrder): void {
  let ordered = spaces;
  if (keyOrder === 'deterministic' && spaces.length > 1) {
    ordered = [...spaces].sort((a, b) => compareTextKeys(a.nameSpace, b.nameSpace));
  }
  w.head(5, ordered.length);
  for (const ns of ordered) {
    w.text(ns.nameSpace);
    w.head(5, ns.ids.length);
    for (let i = 0; i < ns.ids.length; i++) {
      w.head(0, ns.ids[i]!);
      w.bytes(ns.digests[i]!);
    }
  }
}

/** DeviceKeyInfo: `{"deviceKey": COSE_Key}` written directly, anything larger through the generic writer. */
function writeDeviceKeyInfo(w: CborWriter, mso: MsoToWrite): void {
  if (mso.deviceKeyInfo !== undefined) {
    w.value(mso.deviceKeyInfo);
    return;
  }
  w.head(5, 1);
  w.raw(KEY_DEVICE_KEY);
  const key = mso.deviceKey;
  if (key instanceof Map) w.value(key);
  else writePublicCoseKey(w, key as PublicKey);
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

// ---------------------------------------------------------------------------------------------
// IssuerAuth and IssuerSigned

/** `w.head(6, 24)` and the bstr head of `n` content bytes: the start of `#6.24(bstr)`. */
function embeddedHead(w: CborWriter, n: number): void {
  w.head(6, 24);
  w.head(2, n);
}

/**
 * The IssuerAuth `Sig_structure` `["Signature1", protected, h'', MobileSecurityObjectBytes]`
 * (RFC 9052 §4.4), with the payload written as `#6.24(bstr .cbor MobileSecurityObject)` around
 * `mso` — exactly the bytes a signer signs, in an array of exactly their length.
 */
export function writeSigStructure(protectedBytes: Uint8Array, mso: Uint8Array): Uint8Array {
  const payload = embeddedLength(mso.length);
  const w = new CborWriter(
    {},
    1 + SIGNATURE1.length + bstrLength(protectedBytes.length) + 1 + bstrLength(payload),
  );
  w.head(4, 4);
  w.raw(SIGNATURE1);
  w.bytes(protectedBytes);
  w.head(2, 0);
  w.head(2, payload);
  embeddedHead(w, mso.length);
  w.raw(mso);
  return w.finish();
}

/** The parts of a signed IssuerAuth. */
export interface IssuerAuthParts {
  /** `{1: alg}`, encoded. */
  readonly protectedBytes: Uint8Array;
  /** `{33: x5chain}`, encoded. */
  readonly unprotected: Uint8Array;
  /** MobileSecurityObject (the payload is its tag-24 wrapping). */
  readonly mso: Uint8Array;
  readonly signature: Uint8Array;
}

/**
 * IssuerAuth — `COSE_Sign1 = [protected: bstr, unprotected: map, payload: bstr, signature: bstr]`,
 * untagged (RFC 9052 §4.2), payload MobileSecurityObjectBytes — in an array of exactly its length.
 */
export function writeIssuerAuth(parts: IssuerAuthParts): Uint8Array {
  const payload = embeddedLength(parts.mso.length);
  const w = new CborWriter(
    {},
    1 +
      bstrLength(parts.protectedBytes.length) +
      parts.unprotected.length +
      bstrLength(payload) +
      bstrLength(parts.signature.length),
  );
  w.head(4, 4);
  w.bytes(parts.protectedBytes);
  w.raw(parts.unprotected);
  w.head(2, payload);
  embeddedHead(w, parts.mso.length);
  w.raw(parts.mso);
  w.bytes(parts.signature);
  return w.finish();
}

/**
 * IssuerSigned `{ "nameSpaces": IssuerNameSpaces, "issuerAuth": IssuerAuth }` from their encodings,
 * in the key order asked for (deterministic: "issuerAuth" sorts before "nameSpaces"), in an array of
 * exactly its length.
 */
export function writeIssuerSigned(
  issuerAuth: Uint8Array,
  nameSpaces: Uint8Array,
  keyOrder: KeyOrder,
): Uint8Array {
  const w = new CborWriter(
    {},
    1 + KEY_ISSUER_AUTH.length + issuerAuth.length + KEY_NAME_SPACES.length + nameSpaces.length,
  );
  w.head(5, 2);
  if (keyOrder === 'insertion') {
    w.raw(KEY_NAME_SPACES);
    w.raw(nameSpaces);
  }
  w.raw(KEY_ISSUER_AUTH);
  w.raw(issuerAuth);
  if (keyOrder !== 'insertion') {
    w.raw(KEY_NAME_SPACES);
    w.raw(nameSpaces);
  }
  return w.finish();
}
