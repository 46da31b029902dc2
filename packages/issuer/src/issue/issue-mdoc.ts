import { CborWriter, encodeCbor } from '@mdlkit/core/cbor';
import {
  type AnyCoseSigner,
  type CoseSigner,
  type HashAlgorithm,
  type PublicKey,
  randomBytes as secureRandom,
} from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { checkDeviceKey } from '../internal/device-key.js';
import { type DsCertificateInfo, dsCertificateInfo } from '../internal/ds-certificate.js';
import {
  bstrLength,
  dsSignatureLength,
  dsSigning,
  type IssuerAuthParts,
  issuerAuthLength,
  signParts,
  signPartsSync,
  writeIssuerAuth,
} from '../issuer-auth/sign-issuer-auth.js';
import {
  type IssuedNameSpaces,
  type KeyOrder,
  type NameSpacesInput,
  type SplitNameSpaces,
  splitNameSpaces,
  type WrittenItems,
  writeIssuerSignedItems,
} from '../items/create-issuer-signed-items.js';
import type { DigestIdStrategy, RandomBytes } from '../items/digest-ids.js';
import {
  type BuiltMso,
  buildCheckedMso,
  closeMsoHeadroom,
  type KeyAuthorizationsInput,
  type MsoPlacement,
  type MsoStatusInput,
  msoTagged,
  SIG_STRUCTURE_HEADROOM,
} from '../mso/build-mso.js';
import { checkValidity } from '../mso/check-validity.js';
import { validateIssuerData } from './validate-issuer-data.js';

/** MSO validity for {@link issueMdoc}: `signed` and `validFrom` default to `now`. */
export interface IssueValidity {
  readonly signed?: Date;
  readonly validFrom?: Date;
  readonly validUntil: Date;
  readonly expectedUpdate?: Date;
}

/** Options of {@link issueMdoc}. */
export interface IssueMdocOptions {
  readonly docType: string;
  /** Data elements per namespace. */
  readonly nameSpaces: NameSpacesInput;
  /** The holder's device public key: a core key handle or an untagged COSE_Key map. */
  readonly deviceKey: PublicKey | ReadonlyMap<number, unknown>;
  readonly validity: IssueValidity;
  /** The DS signer (local key, KMS digest signer, HSM …). */
  readonly signer: AnyCoseSigner;
  /** DS certificate DER, or the chain DS-first (never the IACA). */
  readonly dsCertificate: Uint8Array | readonly Uint8Array[];
  /** Value digest algorithm. Default `'SHA-256'`. */
  readonly digestAlgorithm?: HashAlgorithm;
  /** Decoy digests per namespace (see `buildMso`). */
  readonly decoys?: number | Readonly<Record<string, number>>;
  readonly status?: MsoStatusInput;
  readonly keyAuthorizations?: KeyAuthorizationsInput;
  readonly keyInfo?: ReadonlyMap<number, unknown>;
  /** Map key order of everything emitted. Default `'deterministic'`. */
  readonly keyOrder?: KeyOrder;
  readonly digestIdStrategy?: DigestIdStrategy;
  /** Salt length (≥ 16). Default 32. */
  readonly saltLength?: number;
  /** Clock. Default `new Date()`. */
  readonly now?: Date;
  /** Randomness for salts, digestIDs and decoys. Default: the crypto provider's CSPRNG. */
  readonly randomBytes?: RandomBytes;
  /**
   * Validate the mDL namespace against the schema and `issuing_country` / `issuing_jurisdiction`
   * against the DS certificate subject. Default `true`.
   */
  readonly validateElements?: boolean;
  /** Require every mandatory mDL element when validating. Default `true`. */
  readonly requireMandatory?: boolean;
}

/** An issued document. */
export interface IssuedMdoc {
  readonly docType: string;
  /**
   * The items per namespace, with their IssuerSignedItemBytes. From `issueMdoc` / `issueBatch` this is
   * a getter that makes the item objects when first read (a spread of the result does not copy it).
   */
  readonly nameSpaces: IssuedNameSpaces;
  readonly mso: BuiltMso;
  /** The encoded IssuerAuth COSE_Sign1 (untagged). */
  readonly issuerAuth: Uint8Array;
  /**
   * The encoded IssuerSigned, as handed to the holder.
   *
   * ```cddl
   * IssuerSigned = { ? "nameSpaces" : IssuerNameSpaces, "issuerAuth" : IssuerAuth }
   * IssuerNameSpaces = { + NameSpace => [+ IssuerSignedItemBytes] }
   * ```
   */
  readonly issuerSigned: Uint8Array;
}

/**
 * Issue one mdoc: validate the data, build the IssuerSignedItems with fresh salts and digestIDs,
 * build and check the MSO against the DS certificate, sign IssuerAuth, and encode IssuerSigned.
 *
 * @example
 * ```ts
 * const mdoc = await issueMdoc({
 *   docType: MDL_DOCTYPE, nameSpaces: { [MDL_NAMESPACE]: elements }, deviceKey: holderKey,
 *   validity: { validUntil: new Date(Date.now() + 30 * 86_400_000) }, signer, dsCertificate,
 * });
 * ```
 * @throws {@link MdlError} `ERR_DATA_ELEMENT_*` / `ERR_ISSUE_COUNTRY_MISMATCH` for bad data,
 * `ERR_MSO_VALIDITY_INVALID` / `ERR_ISSUE_DS_NOT_VALID` for bad validity, `ERR_COSE_ALG_KEY_MISMATCH`
 * when the signer does not fit the DS key, signer errors (`ERR_SIGNER_*`) unchanged.
 */
export async function issueMdoc(options: IssueMdocOptions): Promise<IssuedMdoc> {
  const prepared = prepareMdoc(options);
  // prepareMdoc checked the validity against the DS certificate; signParts does not again.
  const signer = options.signer;
  const signing = dsSigning(prepared.ds, signer.alg, prepared.chain);
  const payload = msoTagged(prepared.mso);
  // A signer that signs synchronously (a local key) is called without a promise in between.
  const parts = hasSignSync(signer)
    ? signPartsSync(payload, signer, signing, prepared.mso)
    : await signParts(payload, signer, prepared.ds, signing, false, prepared.mso);
  return finishMdoc(prepared, parts, options.keyOrder ?? 'deterministic');
}

function hasSignSync(signer: AnyCoseSigner): signer is CoseSigner & Required<Pick<CoseSigner, 'signSync'>> {
  return signer.kind === 'message' && typeof signer.signSync === 'function';
}

/** @internal a document built up to its signature. */
export interface PreparedMdoc {
  readonly docType: string;
  /** The items as written (their objects are made when first read). */
  readonly items: WrittenItems;
  readonly mso: BuiltMso;
  /** IssuerNameSpaces, encoded with the items (which are views into it). */
  readonly encodedNameSpaces: Uint8Array;
  /**
   * The buffer `encodedNameSpaces` is a view into, with `reserve` free bytes in front of it where
   * {@link finishMdoc} writes the start of IssuerSigned when it fits.
   */
  readonly buffer: Uint8Array;
  readonly reserve: number;
  /** The DS certificate (parsed) the validity was checked against, and the chain DS-first. */
  readonly ds: DsCertificateInfo;
  readonly chain: readonly Uint8Array[];
}

const KEY_NAME_SPACES = encodeCbor('nameSpaces');
const KEY_ISSUER_AUTH = encodeCbor('issuerAuth');

/** @internal everything before the signature (pure, synchronous) — the batch signer reuses it. */
export function prepareMdoc(options: IssueMdocOptions): PreparedMdoc {
  const now = options.now ?? new Date();
  const chain = options.dsCertificate instanceof Uint8Array ? [options.dsCertificate] : options.dsCertificate;
  const ds = dsCertificateInfo(chain[0]!);
  if (options.validateElements ?? true) {
    validateIssuerData({
      docType: options.docType,
      nameSpaces: options.nameSpaces,
      ds,
      requireMandatory: options.requireMandatory,
    });
  }
  const signed = options.validity.signed ?? now;
  // Option objects are written out whole (absent options as `undefined`), not spread together.
  const validity = {
    signed,
    validFrom: options.validity.validFrom ?? signed,
    validUntil: options.validity.validUntil,
    expectedUpdate: options.validity.expectedUpdate,
  };
  const checked = checkValidity(validity, ds);
  const randomBytes = options.randomBytes ?? secureRandom;
  const keyOrder = options.keyOrder ?? 'deterministic';
  const split = splitNameSpaces(options.nameSpaces);
  const written = writeIssuerSignedItems(
    {
      nameSpaces: options.nameSpaces,
      randomBytes,
      keyOrder,
      digestIdStrategy: options.digestIdStrategy,
      saltLength: options.saltLength,
    },
    keyOrder === 'deterministic' ? issuerSignedHeadBound(options, chain, split) : 0,
    split,
  );
  // Deterministic IssuerSigned is written in front of the items; the MSO goes straight to its place
  // there — just before the IssuerAuth signature and the "nameSpaces" key — so that neither it nor
  // its Sig_structure needs a buffer of its own, and IssuerSigned does not copy it.
  let placement: MsoPlacement | undefined;
  if (written.start > 0) {
    const end = written.start - bstrLength(dsSignatureLength(ds)) - KEY_NAME_SPACES.length;
    if (end > SIG_STRUCTURE_HEADROOM)
      placement = { buffer: written.buffer, start: SIG_STRUCTURE_HEADROOM, end };
  }
  const mso = buildCheckedMso(
    {
      docType: options.docType,
      deviceKey: checkDeviceKey(options.deviceKey),
      validity,
      randomBytes,
      keyOrder,
      digestAlgorithm: options.digestAlgorithm,
      decoys: options.decoys,
      status: options.status,
      keyAuthorizations: options.keyAuthorizations,
      keyInfo: options.keyInfo,
    },
    checked,
    SIG_STRUCTURE_HEADROOM,
    placement,
    written,
  );
  return {
    docType: options.docType,
    items: written,
    mso,
    encodedNameSpaces: written.encoded,
    buffer: written.buffer,
    reserve: written.start,
    ds,
    chain,
  };
}

/**
 * A generous bound on what precedes IssuerNameSpaces in deterministic IssuerSigned — the map head,
 * "issuerAuth", the COSE_Sign1 (headers, MSO, signature) and "nameSpaces" — from the inputs alone.
 * Only sizes the room left in front of the items: when the real head is longer, finishMdoc copies.
 */
function issuerSignedHeadBound(
  options: IssueMdocOptions,
  chain: readonly Uint8Array[],
  split: SplitNameSpaces,
): number {
  if (
    options.status !== undefined ||
    options.keyAuthorizations !== undefined ||
    options.keyInfo !== undefined
  )
    return 0;
  const decoys = options.decoys;
  if (decoys !== undefined && decoys !== 0) return 0;
  // Malformed input is reported by the item writer; here it only means no room is reserved.
  if (typeof options.docType !== 'string') return 0;
  let mso = 320 + 3 * options.docType.length;
  for (const ns of split.names) mso += 3 * String(ns).length + 12;
  const items = split.total;
  const digestLength =
    options.digestAlgorithm === 'SHA-384' ? 48 : options.digestAlgorithm === 'SHA-512' ? 64 : 32;
  mso += items * (6 + 2 + digestLength); // digestID, digest head and digest
  let certificates = 0;
  for (const c of chain) certificates += c.length + 5;
  // COSE_Sign1: array head, protected, unprotected {33: x5chain}, payload, signature (≤ 132).
  return 1 + 11 + (16 + certificates + 5 + mso + 140) + 11;
}

/**
 * @internal encode IssuerSigned around a signed IssuerAuth: the IssuerAuth COSE_Sign1 is written
 * straight into it (`issuerAuth` is a view) next to the already-encoded IssuerNameSpaces, in the key
 * order asked for (deterministic: "issuerAuth" sorts before "nameSpaces"). Deterministic output is
 * written into the room left in front of the items when it fits, so the items are not copied;
 * otherwise into one new buffer of the exact size. Call once per prepared document.
 */
export function finishMdoc(prepared: PreparedMdoc, parts: IssuerAuthParts, keyOrder: KeyOrder): IssuedMdoc {
  const ns = prepared.encodedNameSpaces;
  const authLength = issuerAuthLength(parts);
  const head = 1 + KEY_ISSUER_AUTH.length + authLength + KEY_NAME_SPACES.length;
  const inPlace = keyOrder !== 'insertion' && head <= prepared.reserve;
  // Whether the payload (the MSO) already sits where IssuerSigned needs it (see prepareMdoc).
  const payload = parts.payload;
  const payloadAt =
    prepared.reserve - bstrLength(parts.signature.length) - KEY_NAME_SPACES.length - payload.length;
  const payloadInPlace =
    inPlace &&
    payload.buffer === prepared.buffer.buffer &&
    payload.byteOffset === prepared.buffer.byteOffset + payloadAt;
  const from = inPlace ? prepared.reserve - head : 0;
  // In place, the writer's view runs on over the items, so writing a head never makes it look for
  // room elsewhere; exactly `head` bytes are written, ending where the items begin.
  const w = new CborWriter(
    { keyOrder },
    inPlace ? prepared.buffer.subarray(from, prepared.reserve + ns.length) : head + ns.length,
  );
  let issuerSigned: Uint8Array;
  w.head(5, 2);
  if (keyOrder === 'insertion') {
    w.raw(KEY_NAME_SPACES);
    w.raw(ns);
  }
  w.raw(KEY_ISSUER_AUTH);
  const authStart = w.pos;
  // In place, the COSE_Sign1 is written around the MSO already sitting where its payload goes.
  const payloadStart = writeIssuerAuth(w, parts, payloadInPlace);
  if (payloadInPlace) {
    if (payloadStart !== payloadAt - from)
      throw new MdlError('ERR_INTERNAL', 'IssuerAuth payload position mismatch');
    // The bytes in front of the MSO are IssuerSigned's now: a later signIssuerAuth of this MSO
    // must not build its Sig_structure there.
    closeMsoHeadroom(prepared.mso);
  }
  const authEnd = w.pos;
  if (inPlace) {
    w.raw(KEY_NAME_SPACES);
    if (w.pos !== head || w.buf.buffer !== prepared.buffer.buffer) {
      throw new MdlError('ERR_INTERNAL', 'IssuerSigned head length mismatch');
    }
    // The items follow in place: IssuerSigned is the head just written and the items after it.
    issuerSigned = prepared.buffer.subarray(from, prepared.reserve + ns.length);
  } else {
    if (keyOrder !== 'insertion') {
      w.raw(KEY_NAME_SPACES);
      w.raw(ns);
    }
    issuerSigned = w.finish();
  }
  return new Issued(
    prepared.docType,
    prepared.items,
    prepared.mso,
    issuerSigned.subarray(authStart, authEnd),
    issuerSigned,
  );
}

/** An {@link IssuedMdoc} whose item objects are made when `nameSpaces` is first read. */
class Issued implements IssuedMdoc {
  readonly docType: string;
  readonly mso: BuiltMso;
  readonly issuerAuth: Uint8Array;
  readonly issuerSigned: Uint8Array;
  readonly #items: WrittenItems;

  constructor(
    docType: string,
    items: WrittenItems,
    mso: BuiltMso,
    issuerAuth: Uint8Array,
    issuerSigned: Uint8Array,
  ) {
    this.docType = docType;
    this.#items = items;
    this.mso = mso;
    this.issuerAuth = issuerAuth;
    this.issuerSigned = issuerSigned;
  }

  get nameSpaces(): IssuedNameSpaces {
    return this.#items.nameSpaces;
  }
}
