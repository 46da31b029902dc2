import {
  type AnyCoseSigner,
  type CoseSigner,
  type HashAlgorithm,
  type PublicKey,
  randomBytes as secureRandom,
} from '@mdlkit/core/crypto';
import { checkDeviceKey } from '../internal/device-key.js';
import { type DsCertificateInfo, dsCertificateInfo } from '../internal/ds-certificate.js';
import {
  type IssuerAuthParts,
  writeIssuerAuth,
  writeIssuerSigned,
} from '../internal/issuer-signed-layout.js';
import { assertSignerKeyIsCertificateKey } from '../internal/signer-key.js';
import { dsSigning, signParts, signPartsSync } from '../issuer-auth/sign-issuer-auth.js';
import {
  type IssuedNameSpaces,
  type KeyOrder,
  type NameSpacesInput,
  type WrittenItems,
  writeIssuerSignedItems,
} from '../items/create-issuer-signed-items.js';
import type { DigestIdStrategy, RandomBytes } from '../items/digest-ids.js';
import {
  type BuiltMso,
  buildCheckedMso,
  type KeyAuthorizationsInput,
  type MsoStatusInput,
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
 * when the signer does not fit the DS key, `ERR_SIGNER_KEY_MISMATCH` when the signer states a public
 * key that is not the DS certificate's, signer errors (`ERR_SIGNER_*`) unchanged.
 */
export async function issueMdoc(options: IssueMdocOptions): Promise<IssuedMdoc> {
  const prepared = prepareMdoc(options);
  // prepareMdoc checked the validity against the DS certificate; signParts does not again.
  const signer = options.signer;
  assertSignerKeyIsCertificateKey(signer, prepared.ds);
  const signing = dsSigning(prepared.ds, signer.alg, prepared.chain);
  const mso = prepared.mso.bytes.bytes;
  // A signer that signs synchronously (a local key) is called without a promise in between.
  const parts = hasSignSync(signer)
    ? signPartsSync(mso, signer, signing)
    : await signParts(mso, signer, prepared.ds, signing, false);
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
  /** The DS certificate (parsed) the validity was checked against, and the chain DS-first. */
  readonly ds: DsCertificateInfo;
  readonly chain: readonly Uint8Array[];
}

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
  const items = writeIssuerSignedItems({
    nameSpaces: options.nameSpaces,
    randomBytes,
    keyOrder,
    digestIdStrategy: options.digestIdStrategy,
    saltLength: options.saltLength,
  });
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
    items,
  );
  return { docType: options.docType, items, mso, ds, chain };
}

/**
 * @internal IssuerSigned around a signed IssuerAuth, through the layout writer. Call once per
 * prepared document.
 */
export function finishMdoc(prepared: PreparedMdoc, parts: IssuerAuthParts, keyOrder: KeyOrder): IssuedMdoc {
  const issuerAuth = writeIssuerAuth(parts);
  const issuerSigned = writeIssuerSigned(issuerAuth, prepared.items.written.encoded, keyOrder);
  return new Issued(prepared.docType, prepared.items, prepared.mso, issuerAuth, issuerSigned);
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
