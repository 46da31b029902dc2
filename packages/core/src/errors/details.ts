import type { ErrorCode } from './codes.js';

/**
 * The details of a code that declares none of its own: structured, non-secret context (names, ids,
 * sizes — never element values or key material).
 */
export type MdlErrorDetails = Readonly<Record<string, string | number | boolean | undefined>>;

// Detail shapes are object type aliases, not interfaces: an alias stays assignable to the
// index-signature record above, so a typed `err.details` can still be passed on as report details.

/** Where a CBOR decode failed: the byte `offset` in the decoded input, and the reader's `path` when it wraps one. */
export type CborErrorDetails = {
  readonly offset?: number | undefined;
  readonly path?: string | undefined;
};

/** A size limit that was crossed: the `limit` and what was seen (`actual`, or the input `size`). */
export type LimitErrorDetails = {
  readonly limit: number;
  readonly actual?: number | undefined;
  readonly size?: number | undefined;
  /** Which budget ran out (`bytes`, `items`) for a budget shared by several decodes. */
  readonly budget?: string | undefined;
  readonly offset?: number | undefined;
  readonly path?: string | undefined;
};

/** A COSE algorithm that is not allowed here: the `alg` label, and the key's `curve` when it does not match. */
export type CoseAlgErrorDetails = {
  readonly alg?: number | string | undefined;
  readonly curve?: string | undefined;
};

/** Where in a decoded structure it does not match its CDDL. */
export type StructureErrorDetails = {
  readonly path?: string | undefined;
  /** The CBOR error code underneath, when the structure failed to decode. */
  readonly cborCode?: string | undefined;
  readonly offset?: number | undefined;
  readonly version?: string | undefined;
};

/** A certificate that breaks its ISO/IEC 18013-5 Annex B profile. */
export type ProfileViolationErrorDetails = {
  readonly profile?: string | undefined;
  /** The violated rules, comma-separated. */
  readonly rules?: string | undefined;
  /** Where the certificate came from (an issuing call, a file). */
  readonly where?: string | undefined;
};

/** A validity period longer than its profile allows. */
export type ValidityTooLongErrorDetails = {
  readonly validityDays?: number | undefined;
  readonly limit?: number | undefined;
  readonly profile?: string | undefined;
};

/** Text input in no recognised encoding: what it `looksLike` (`json`, `hex-stray-character` …) and the format tried. */
export type InputFormatErrorDetails = {
  readonly looksLike: string;
  readonly format?: string | undefined;
  readonly offset?: number | undefined;
};

/** An issued element that contradicts the DS certificate. */
export type IssueMismatchErrorDetails = {
  readonly nameSpace: string;
  readonly elementIdentifier: string;
};

/** A holder record that cannot be opened: whose, for what, and the key id where it is known. */
export type HolderRecordErrorDetails = {
  readonly holderId?: string | undefined;
  readonly purpose?: string | undefined;
  readonly keyId?: string | undefined;
  readonly version?: number | string | undefined;
  readonly requested?: string | undefined;
};

/** A signer refused or failed: the key it was asked to use and what it said about it. */
export type SignerErrorDetails = {
  readonly keyId?: string | undefined;
  readonly keySpec?: string | undefined;
  readonly keyUsage?: string | undefined;
  readonly keyState?: string | undefined;
  readonly asked?: string | undefined;
  readonly supported?: string | undefined;
  readonly expected?: string | number | undefined;
  readonly actual?: string | number | undefined;
  readonly resolvedKeyId?: string | undefined;
  readonly activeKeyId?: string | undefined;
  readonly length?: number | undefined;
  readonly limit?: number | undefined;
  /** The AWS / SDK error name behind it (`ThrottlingException` …). */
  readonly awsError?: string | undefined;
  readonly requestId?: string | undefined;
  readonly httpStatus?: number | undefined;
  readonly attempts?: number | undefined;
  readonly operation?: string | undefined;
};

/**
 * The details each code carries, by code — the registry `MdlError` types `details` from. Core's codes
 * are all here: those without a shape of their own carry {@link MdlErrorDetails}. A package with its
 * own codes adds them by declaration merging, so they are typed the same way and a misspelt code does
 * not compile:
 *
 * @example
 * ```ts
 * declare module '@mdlkit/core/errors' {
 *   interface ErrorDetailsByCode {
 *     ERR_PKCS11_FAILED: { readonly ckr?: string | undefined };
 *   }
 * }
 * ```
 */
export interface ErrorDetailsByCode extends CoreErrorDetailsByCode {}

/** Core's codes with a detail shape of their own. */
type SpecificCoreDetails = {
  ERR_CBOR_MALFORMED: CborErrorDetails;
  ERR_CBOR_TRUNCATED: CborErrorDetails;
  ERR_CBOR_TRAILING_BYTES: CborErrorDetails;
  ERR_CBOR_DUPLICATE_KEY: CborErrorDetails;
  ERR_CBOR_INDEFINITE_LENGTH: CborErrorDetails;
  ERR_CBOR_NON_PREFERRED: CborErrorDetails;
  ERR_CBOR_UNSUPPORTED_TAG: CborErrorDetails;
  ERR_CBOR_INVALID_TAG_CONTENT: CborErrorDetails;
  ERR_CBOR_DEPTH_EXCEEDED: CborErrorDetails;
  ERR_CBOR_ITEM_COUNT_EXCEEDED: CborErrorDetails & { readonly limit?: number | undefined };
  ERR_CBOR_STRING_TOO_LONG: CborErrorDetails & { readonly limit?: number | undefined };
  ERR_CBOR_INVALID_UTF8: CborErrorDetails;
  ERR_CBOR_FLOAT_NOT_ALLOWED: CborErrorDetails;
  ERR_CBOR_UNENCODABLE: { readonly type?: string | undefined; readonly path?: string | undefined };
  ERR_CBOR_INPUT_TOO_LARGE: LimitErrorDetails;
  ERR_LIMIT_INPUT_SIZE: LimitErrorDetails;
  ERR_LIMIT_DOCUMENTS: LimitErrorDetails;
  ERR_LIMIT_NAMESPACES: LimitErrorDetails;
  ERR_LIMIT_ELEMENTS: LimitErrorDetails;
  ERR_LIMIT_X5CHAIN_LENGTH: LimitErrorDetails & { readonly length?: number | undefined };
  ERR_LIMIT_CERTIFICATE_SIZE: LimitErrorDetails;
  ERR_STRUCTURE_INVALID: StructureErrorDetails;
  ERR_VERSION_UNSUPPORTED: StructureErrorDetails;
  ERR_COSE_ALG_UNSUPPORTED: CoseAlgErrorDetails;
  ERR_COSE_ALG_KEY_MISMATCH: CoseAlgErrorDetails;
  ERR_COSE_DUPLICATE_HEADER: { readonly label?: number | string | undefined };
  ERR_X509_PROFILE_VIOLATION: ProfileViolationErrorDetails;
  ERR_X509_VALIDITY_TOO_LONG: ValidityTooLongErrorDetails;
  ERR_INPUT_FORMAT_UNRECOGNIZED: InputFormatErrorDetails;
  ERR_ISSUE_COUNTRY_MISMATCH: IssueMismatchErrorDetails;
  ERR_HOLDER_RECORD_SHREDDED: HolderRecordErrorDetails;
  ERR_HOLDER_RECORD_INVALID: HolderRecordErrorDetails;
  ERR_SIGNER_FAILED: SignerErrorDetails;
  ERR_SIGNER_THROTTLED: SignerErrorDetails;
  ERR_SIGNER_ACCESS_DENIED: SignerErrorDetails;
  ERR_SIGNER_KEY_DISABLED: SignerErrorDetails;
  ERR_SIGNER_KEY_USAGE: SignerErrorDetails;
  ERR_SIGNER_TIMEOUT: SignerErrorDetails;
  ERR_SIGNER_RETIRED_KEY: SignerErrorDetails;
  ERR_SIGNER_MESSAGE_TOO_LARGE: SignerErrorDetails;
  ERR_SIGNER_KEY_MISMATCH: SignerErrorDetails;
  ERR_SIGNER_UNAVAILABLE: SignerErrorDetails;
};

/** Every core code → its details ({@link MdlErrorDetails} where it has no shape of its own). */
export type CoreErrorDetailsByCode = {
  readonly [K in ErrorCode]: K extends keyof SpecificCoreDetails ? SpecificCoreDetails[K] : MdlErrorDetails;
};

/** Every registered code: core's {@link ErrorCode}s and those adapter packages add to {@link ErrorDetailsByCode}. */
export type MdlErrorCode = keyof ErrorDetailsByCode & string;

/**
 * `err.details` of an error with code `C`: the code's own fields with their types, and any other
 * field as a plain value (so code that handles many codes reads `details['offset']` without a cast).
 * A union of codes gives the union of their details.
 */
export type ErrorDetails<C extends MdlErrorCode> = ErrorDetailsByCode[C] & MdlErrorDetails;
