import {
  CborWriter,
  cborHeadLength,
  decodeCbor,
  type EncodedCbor,
  encodeCbor,
  TDate,
} from '@mdlkit/core/cbor';
import {
  buildSigStructure,
  CoseHeader,
  parseCoseSign1,
  verifyCoseSign1,
  x5chainValue,
} from '@mdlkit/core/cose';
import {
  type AnyCoseSigner,
  assertAlgMatchesKey,
  type CoseAlg,
  type CoseSigner,
  curveInfo,
  signWithPort,
} from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { type DsCertificateInfo, dsCertificateInfo } from '../internal/ds-certificate.js';
import { type BuiltMso, msoSigStructure, msoTagged } from '../mso/build-mso.js';

/** Options of {@link signIssuerAuth}. */
export interface SignIssuerAuthOptions {
  /** The MSO from `buildMso`, or MobileSecurityObjectBytes to sign as they are. */
  readonly mso: BuiltMso | EncodedCbor;
  /** The DS signer: a message signer, or a digest signer (KMS `DIGEST`; ECDSA only). */
  readonly signer: AnyCoseSigner;
  /** DS certificate DER, or the chain DS-first. The IACA must not be included. */
  readonly dsCertificate: Uint8Array | readonly Uint8Array[];
  /**
   * Verify the new signature with the DS certificate's key before returning it (catches a remote
   * signer that answers with a wrong key or garbage). Default `false`.
   */
  readonly verify?: boolean;
}

/** A signed IssuerAuth. */
export interface SignedIssuerAuth {
  /** The encoded, untagged COSE_Sign1. */
  readonly bytes: Uint8Array;
  /** The protected header bstr content (`{1: alg}`). */
  readonly protectedBytes: Uint8Array;
  /** The COSE signature (ECDSA r‖s or EdDSA). */
  readonly signature: Uint8Array;
}

const ECDSA_CURVES_FOR_ALG: Readonly<Record<number, readonly string[]>> = {
  [-7]: ['P-256', 'brainpoolP256r1'],
  [-35]: ['P-384', 'brainpoolP320r1', 'brainpoolP384r1'],
  [-36]: ['P-521', 'brainpoolP512r1'],
  [-8]: ['Ed25519', 'Ed448'],
};

/**
 * Sign MobileSecurityObjectBytes as the IssuerAuth COSE_Sign1: `alg` in the protected header,
 * the DS certificate (chain) in `x5chain` in the unprotected header, the payload attached,
 * `external_aad` empty. Before signing it checks that the signer's algorithm fits the DS key
 * (ISO/IEC 18013-5 §9.1.2.4 curve/alg pairs), that the DS certificate is valid at the MSO's
 * `signed` time and that `validUntil` does not exceed the certificate's notAfter.
 *
 * ```cddl
 * IssuerAuth = COSE_Sign1 ; payload = MobileSecurityObjectBytes
 * ```
 * ISO/IEC 18013-5 §9.1.2.4; RFC 9052 §4.2, §4.4; RFC 9360 (x5chain).
 *
 * @example
 * ```ts
 * const { bytes } = await signIssuerAuth({ mso, signer, dsCertificate: dsDer });
 * ```
 * @throws {@link MdlError} `ERR_COSE_ALG_KEY_MISMATCH` when the signer's alg does not fit the DS
 * key; `ERR_ISSUE_DS_NOT_VALID` / `ERR_MSO_VALIDITY_INVALID` for validity conflicts;
 * `ERR_CRYPTO_DIGEST_SIGNING_UNSUPPORTED` for an EdDSA digest signer; `ERR_SIGNER_FAILED` when
 * the signer returns a signature of the wrong length (or, with `verify`, one that does not verify); any signer error unchanged.
 */
export async function signIssuerAuth(options: SignIssuerAuthOptions): Promise<SignedIssuerAuth> {
  const chain =
    options.dsCertificate instanceof Uint8Array ? [options.dsCertificate] : [...options.dsCertificate];
  if (chain.length === 0) throw new MdlError('ERR_INVALID_ARGUMENT', 'dsCertificate must not be empty');
  const ds = dsCertificateInfo(chain[0]!);
  const signing = dsSigning(ds, options.signer.alg, chain);
  const built = 'validity' in options.mso ? options.mso : undefined;
  const payload = built !== undefined ? msoTagged(built) : (options.mso as EncodedCbor).tagged();
  const validity = readValidity(options.mso);
  const signed = validity.signed.getTime();
  if (signed < ds.notBefore.getTime() || signed > ds.notAfter.getTime()) {
    throw new MdlError('ERR_ISSUE_DS_NOT_VALID', 'the DS certificate is not valid at the MSO signing time');
  }
  if (validity.validUntil.getTime() > ds.notAfter.getTime()) {
    throw new MdlError('ERR_MSO_VALIDITY_INVALID', 'validUntil is after the DS certificate notAfter');
  }
  const parts = await signParts(payload, options.signer, ds, signing, options.verify === true, built);
  const bytes = encodeIssuerAuth(parts);
  return { bytes, protectedBytes: parts.protectedBytes.slice(), signature: parts.signature };
}

/** @internal the alg/curve check of a signer against a DS key, and what signing with it needs. */
export interface DsSigning {
  /** Signature length the DS key's algorithm gives. */
  readonly expected: number;
  /** The encoded unprotected header `{33: x5chain}`. */
  readonly unprotected: Uint8Array;
  /** The encoded protected header `{1: alg}`. */
  readonly protectedBytes: Uint8Array;
}

// Per DS certificate and alg: the check passed and the single-certificate unprotected header, so a
// batch checks the signer once (a chain of several certificates builds its header per call).
const signingCache = new WeakMap<DsCertificateInfo, Map<CoseAlg, DsSigning>>();

/**
 * @internal check (once per DS certificate and alg) that the signer's alg fits the DS key.
 * @throws {@link MdlError} `ERR_COSE_ALG_KEY_MISMATCH`.
 */
export function dsSigning(ds: DsCertificateInfo, alg: CoseAlg, chain: readonly Uint8Array[]): DsSigning {
  // `ds` is always parsed from chain[0]: a single-certificate header is the DS certificate's own copy.
  const single = chain.length === 1;
  let perAlg = signingCache.get(ds);
  const hit = single ? perAlg?.get(alg) : undefined;
  if (hit !== undefined) return hit;
  assertAlgMatchesKey(alg, ds.publicKey);
  if (!ECDSA_CURVES_FOR_ALG[alg]?.includes(ds.publicKey.curve)) {
    throw new MdlError('ERR_COSE_ALG_KEY_MISMATCH', 'the signer algorithm does not fit the DS key curve', {
      details: { alg, curve: ds.publicKey.curve },
    });
  }
  const signing: DsSigning = {
    expected: dsSignatureLength(ds),
    unprotected: encodeCbor(new Map([[CoseHeader.x5chain, x5chainValue(single ? [ds.der] : chain)]])),
    protectedBytes: encodeCbor(new Map([[CoseHeader.alg, alg]])),
  };
  if (single) {
    if (perAlg === undefined) {
      perAlg = new Map();
      signingCache.set(ds, perAlg);
    }
    perAlg.set(alg, signing);
  }
  return signing;
}

/** @internal the length of a signature by the DS key: r‖s for ECDSA, 64 / 114 bytes for Ed25519 / Ed448. */
export function dsSignatureLength(ds: DsCertificateInfo): number {
  const info = curveInfo(ds.publicKey.curve);
  return info.curve === 'Ed25519' ? 64 : info.curve === 'Ed448' ? 114 : 2 * info.size;
}

/** @internal a signed IssuerAuth as its four parts, before (or instead of) encoding it on its own. */
export interface IssuerAuthParts {
  /** `{1: alg}`, encoded (shared: do not hand it out without a copy). */
  readonly protectedBytes: Uint8Array;
  /** `{33: x5chain}`, encoded. */
  readonly unprotected: Uint8Array;
  /** MobileSecurityObjectBytes (the attached payload). */
  readonly payload: Uint8Array;
  readonly signature: Uint8Array;
}

/**
 * @internal sign MobileSecurityObjectBytes (`payload`, the tag-24 encoding) whose validity was
 * already checked against the DS certificate, with a signer already checked by {@link dsSigning}.
 * The Sig_structure is written in front of the MSO in the MSO's own buffer when `mso` was built
 * with room for it, so signing allocates nothing but what the signer returns.
 */
export function signParts(
  payload: Uint8Array,
  signer: AnyCoseSigner,
  ds: DsCertificateInfo,
  signing: DsSigning,
  verify: boolean,
  mso?: BuiltMso,
): Promise<IssuerAuthParts> {
  // A plain function chaining on the signer's promise rather than an async function: an issuer
  // signs one of these per document, and a suspended async frame is the larger allocation.
  let tbs: Uint8Array;
  try {
    tbs = toBeSigned(payload, signing, mso);
  } catch (error) {
    return Promise.reject(error);
  }
  const signed = signWithPort(signer, tbs).then((signature) => checkedParts(signature, signing, payload));
  return verify ? signed.then((parts) => verifiedParts(parts, ds)) : signed;
}

/** The Sig_structure: written in front of the MSO when it was built with room for it, else built. */
function toBeSigned(payload: Uint8Array, signing: DsSigning, mso: BuiltMso | undefined): Uint8Array {
  const protectedBytes = signing.protectedBytes;
  return (
    (mso === undefined ? undefined : msoSigStructure(mso, protectedBytes)) ??
    buildSigStructure({ protectedBytes, payload })
  );
}

/**
 * @internal {@link signParts} with a signer that signs synchronously (`signSync`, a local key under
 * node:crypto), without verifying: no promise between the MSO and the signature, so an issuer
 * signing document after document does not pay two microtask turns per document. Errors are those
 * `signWithPort` rejects with: an `MdlError` from the signer unchanged, anything else as
 * `ERR_SIGNER_FAILED`.
 */
export function signPartsSync(
  payload: Uint8Array,
  signer: Required<Pick<CoseSigner, 'signSync'>>,
  signing: DsSigning,
  mso?: BuiltMso,
): IssuerAuthParts {
  const tbs = toBeSigned(payload, signing, mso);
  let signature: Uint8Array;
  try {
    signature = signer.signSync(tbs);
  } catch (cause) {
    if (cause instanceof MdlError) throw cause;
    throw new MdlError('ERR_SIGNER_FAILED', 'signer failed', { cause });
  }
  return checkedParts(signature, signing, payload);
}

function checkedParts(signature: Uint8Array, signing: DsSigning, payload: Uint8Array): IssuerAuthParts {
  if (!(signature instanceof Uint8Array) || signature.length !== signing.expected) {
    throw new MdlError('ERR_SIGNER_FAILED', 'the signer returned a signature of the wrong length', {
      details: {
        expected: signing.expected,
        actual: signature instanceof Uint8Array ? signature.length : -1,
      },
    });
  }
  return { protectedBytes: signing.protectedBytes, unprotected: signing.unprotected, payload, signature };
}

async function verifiedParts(parts: IssuerAuthParts, ds: DsCertificateInfo): Promise<IssuerAuthParts> {
  const message = parseCoseSign1(decodeCbor(encodeIssuerAuth(parts)));
  if (!(await verifyCoseSign1({ message, key: ds.publicKey }))) {
    throw new MdlError(
      'ERR_SIGNER_FAILED',
      'the signer returned a signature that does not verify with the DS key',
    );
  }
  return parts;
}

/** @internal the encoded length of a byte string of `n` bytes (head and content). */
export function bstrLength(n: number): number {
  return cborHeadLength(n) + n;
}

/** @internal the encoded length of the untagged COSE_Sign1 of `parts`. */
export function issuerAuthLength(parts: IssuerAuthParts): number {
  return (
    1 +
    bstrLength(parts.protectedBytes.length) +
    parts.unprotected.length +
    bstrLength(parts.payload.length) +
    bstrLength(parts.signature.length)
  );
}

/**
 * @internal write IssuerAuth — `COSE_Sign1 = [protected: bstr, unprotected: map, payload: bstr,
 * signature: bstr]`, untagged (RFC 9052 §4.2) — into `w`. With `payloadInPlace` the payload bytes
 * are already where they belong in `w`'s buffer: only its head is written and they are stepped over.
 * Returns where the payload bytes start in `w`.
 */
export function writeIssuerAuth(w: CborWriter, parts: IssuerAuthParts, payloadInPlace = false): number {
  w.head(4, 4);
  w.bytes(parts.protectedBytes);
  w.raw(parts.unprotected);
  w.head(2, parts.payload.length);
  const payloadStart = w.pos;
  if (payloadInPlace) w.pos += parts.payload.length;
  else w.raw(parts.payload);
  w.bytes(parts.signature);
  return payloadStart;
}

/** @internal IssuerAuth encoded on its own (exact size). */
export function encodeIssuerAuth(parts: IssuerAuthParts): Uint8Array {
  const w = new CborWriter({}, issuerAuthLength(parts));
  writeIssuerAuth(w, parts);
  return w.finish();
}

function readValidity(mso: BuiltMso | EncodedCbor): { signed: Date; validUntil: Date } {
  if ('validity' in mso) {
    return { signed: mso.validity.signed.toDate(), validUntil: mso.validity.validUntil.toDate() };
  }
  const value = decodeCbor(mso.bytes);
  const vi = value instanceof Map ? value.get('validityInfo') : undefined;
  const signed = vi instanceof Map ? vi.get('signed') : undefined;
  const validUntil = vi instanceof Map ? vi.get('validUntil') : undefined;
  if (!(signed instanceof TDate) || !(validUntil instanceof TDate)) {
    throw new MdlError('ERR_MSO_INVALID', 'MSO validityInfo is missing signed / validUntil');
  }
  return { signed: signed.toDate(), validUntil: validUntil.toDate() };
}
