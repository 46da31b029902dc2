import { decodeCbor } from '../cbor/decode.js';
import { encodeCbor } from '../cbor/encode.js';
import type { CborDecodeOptions } from '../cbor/options.js';
import { isCoseAlg } from '../crypto/algorithms.js';
import type { CoseAlg } from '../crypto/ports.js';
import { MdlError } from '../errors/mdl-error.js';

/**
 * COSE header parameter labels mdlkit reads or writes (RFC 9052 §3.1, RFC 9360 §2 for x5*).
 *
 * @example
 * ```ts
 * message.unprotected.get(CoseHeader.x5chain);
 * ```
 */
export const CoseHeader = {
  alg: 1,
  crit: 2,
  contentType: 3,
  kid: 4,
  iv: 5,
  partialIv: 6,
  x5bag: 32,
  x5chain: 33,
  x5t: 34,
  x5u: 35,
} as const;
/** A COSE header label mdlkit knows by name. */
export type CoseHeader = (typeof CoseHeader)[keyof typeof CoseHeader];

/** A COSE header label: `label = int / tstr` (RFC 9052 §3). */
export type CoseHeaderLabel = number | string;

/** A decoded header bucket. */
export type CoseHeaderMap = ReadonlyMap<CoseHeaderLabel, unknown>;

/**
 * The two header buckets of a COSE message. `protectedBytes` is the `bstr` content exactly as
 * received (or as we encoded it): the `Sig_structure` / `MAC_structure` use these bytes, never a
 * re-encoding of `protected`.
 *
 * ```cddl
 * Headers = (
 *     protected : empty_or_serialized_map,
 *     unprotected : header_map
 * )
 * empty_or_serialized_map = bstr .cbor header_map / bstr .size 0
 * ```
 * RFC 9052 §3
 */
export interface CoseHeaders {
  readonly protectedBytes: Uint8Array;
  readonly protected: CoseHeaderMap;
  readonly unprotected: CoseHeaderMap;
}

/** Which bucket a header parameter was found in. */
export type HeaderBucket = 'protected' | 'unprotected';

const malformed = (why: string): MdlError => new MdlError('ERR_COSE_MALFORMED', why);

function checkLabels(map: ReadonlyMap<unknown, unknown>, bucket: HeaderBucket): CoseHeaderMap {
  for (const label of map.keys()) {
    if (!(typeof label === 'string' || (typeof label === 'number' && Number.isInteger(label)))) {
      throw malformed(`${bucket} header label is not an int or tstr`);
    }
  }
  return map as CoseHeaderMap;
}

/** @internal decode and validate the two buckets (duplicates across buckets are an error, RFC 9052 §3). */
export function readHeaders(
  protectedBytes: unknown,
  unprotected: unknown,
  options: CborDecodeOptions,
): CoseHeaders {
  if (!(protectedBytes instanceof Uint8Array)) throw malformed('protected header is not a bstr');
  if (!(unprotected instanceof Map)) throw malformed('unprotected header is not a map');
  let prot: CoseHeaderMap = new Map();
  if (protectedBytes.length > 0) {
    const decoded = decodeCbor(protectedBytes, options);
    if (!(decoded instanceof Map)) throw malformed('protected header bstr does not hold a map');
    prot = checkLabels(decoded, 'protected');
  }
  const unprot = checkLabels(unprotected, 'unprotected');
  for (const label of unprot.keys()) {
    if (prot.has(label)) {
      throw new MdlError('ERR_COSE_DUPLICATE_HEADER', 'header label appears in both buckets', {
        details: { label: String(label) },
      });
    }
  }
  return { protectedBytes, protected: prot, unprotected: unprot };
}

/**
 * @internal encode a protected bucket: an empty map is the zero-length bstr (RFC 9052 §3), others
 * are core-deterministic CBOR.
 */
export function encodeProtected(map: CoseHeaderMap): Uint8Array {
  return map.size === 0 ? new Uint8Array(0) : encodeCbor(map);
}

/**
 * Look a header parameter up in either bucket.
 *
 * @example
 * ```ts
 * const kid = getHeader(message, CoseHeader.kid)?.value;
 * ```
 */
export function getHeader(
  headers: CoseHeaders,
  label: CoseHeaderLabel,
): { readonly value: unknown; readonly bucket: HeaderBucket } | undefined {
  if (headers.protected.has(label)) return { value: headers.protected.get(label), bucket: 'protected' };
  if (headers.unprotected.has(label)) return { value: headers.unprotected.get(label), bucket: 'unprotected' };
  return undefined;
}

/** The `alg` header of a message and where it was. */
export interface CoseAlgHeader<A> {
  readonly alg: A;
  /** `false` when alg is only in the unprotected bucket (`ERR_COSE_ALG_NOT_PROTECTED` — policy is the verifier's). */
  readonly isProtected: boolean;
}

/**
 * Read the signature algorithm (`alg`, label 1). ISO/IEC 18013-5 §9.1.2.4 requires it in the
 * protected header; this accessor reports where it was and leaves the decision to the caller.
 *
 * @example
 * ```ts
 * const { alg, isProtected } = getSignatureAlg(sign1);
 * ```
 * @throws {@link MdlError} `ERR_COSE_ALG_MISSING`, `ERR_COSE_ALG_UNSUPPORTED`.
 */
export function getSignatureAlg(headers: CoseHeaders): CoseAlgHeader<CoseAlg> {
  const found = getHeader(headers, CoseHeader.alg);
  if (found === undefined) throw new MdlError('ERR_COSE_ALG_MISSING', 'COSE alg header is missing');
  if (!isCoseAlg(found.value)) {
    throw new MdlError('ERR_COSE_ALG_UNSUPPORTED', 'unsupported COSE signature algorithm', {
      details: {
        alg: typeof found.value === 'number' || typeof found.value === 'string' ? found.value : '?',
      },
    });
  }
  return { alg: found.value, isProtected: found.bucket === 'protected' };
}

/** The certificates of an `x5chain` header and where it was. */
export interface X5Chain {
  /** DER certificates, leaf first (RFC 9360 §2). */
  readonly certificates: readonly Uint8Array[];
  /** The bucket it came from (18013-5 puts it in the unprotected one; ed2 readers accept both). */
  readonly bucket: HeaderBucket;
}

/**
 * Read `x5chain` (label 33) from either bucket. One certificate is a bare `bstr`, several an array
 * of `bstr`, leaf first — both forms are accepted.
 *
 * ```cddl
 * COSE_X509 = bstr / [ 2*certs: bstr ]
 * ```
 * RFC 9360 §2
 *
 * @example
 * ```ts
 * const chain = getX5Chain(issuerAuth); // { certificates: [dsCertDer], bucket: 'unprotected' }
 * ```
 * @returns `undefined` when absent.
 * @throws {@link MdlError} `ERR_COSE_MALFORMED` when present but not a bstr or non-empty array of bstr.
 */
export function getX5Chain(headers: CoseHeaders): X5Chain | undefined {
  const found = getHeader(headers, CoseHeader.x5chain);
  if (found === undefined) return undefined;
  const { value, bucket } = found;
  if (value instanceof Uint8Array) return { certificates: [value], bucket };
  if (Array.isArray(value) && value.length > 0 && value.every((c) => c instanceof Uint8Array)) {
    return { certificates: value as Uint8Array[], bucket };
  }
  throw malformed('x5chain must be a bstr or a non-empty array of bstr');
}

/**
 * The `x5chain` header value for a certificate list: a bare bstr for one certificate, an array for
 * several (RFC 9360 §2).
 *
 * @example
 * ```ts
 * new Map([[CoseHeader.x5chain, x5chainValue([dsCert])]]);
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for an empty list.
 */
export function x5chainValue(certificates: readonly Uint8Array[]): Uint8Array | Uint8Array[] {
  if (certificates.length === 0)
    throw new MdlError('ERR_INVALID_ARGUMENT', 'x5chain needs at least one certificate');
  return certificates.length === 1 ? certificates[0]! : [...certificates];
}

/** Header labels whose semantics mdlkit implements (for `crit`, RFC 9052 §3.1). */
const UNDERSTOOD: ReadonlySet<CoseHeaderLabel> = new Set<CoseHeaderLabel>([1, 2, 3, 4, 5, 6, 32, 33, 34, 35]);

/**
 * @internal RFC 9052 §3.1 `crit`: must be protected, a non-empty array of labels we understand
 * that are present in the message.
 */
export function checkCrit(headers: CoseHeaders): void {
  if (headers.unprotected.has(CoseHeader.crit)) throw malformed('crit must be in the protected header');
  if (!headers.protected.has(CoseHeader.crit)) return;
  const crit = headers.protected.get(CoseHeader.crit);
  if (!Array.isArray(crit) || crit.length === 0) throw malformed('crit must be a non-empty array');
  for (const label of crit) {
    if (
      !UNDERSTOOD.has(label as CoseHeaderLabel) ||
      getHeader(headers, label as CoseHeaderLabel) === undefined
    ) {
      throw malformed('crit lists a header parameter that is not understood or not present');
    }
  }
}
