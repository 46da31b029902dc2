import { decodeCbor, type EncodedCbor, encodeCbor, TDate } from '@mdlkit/core/cbor';
import { CoseHeader, parseCoseSign1, verifyCoseSign1, x5chainValue } from '@mdlkit/core/cose';
import {
  type AnyCoseSigner,
  assertAlgMatchesKey,
  assertIsoAlgCurvePair,
  type CoseAlg,
  type CoseSigner,
  curveInfo,
  signWithPort,
} from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { dsSigningByAlg } from '../internal/caches.js';
import { type DsCertificateInfo, dsCertificateInfo } from '../internal/ds-certificate.js';
import {
  type IssuerAuthParts,
  writeIssuerAuth,
  writeSigStructure,
} from '../internal/issuer-signed-layout.js';
import type { BuiltMso } from '../mso/build-mso.js';

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
  const mso = ('validity' in options.mso ? options.mso.bytes : options.mso).bytes;
  const validity = readValidity(options.mso);
  const signed = validity.signed.getTime();
  if (signed < ds.notBefore.getTime() || signed > ds.notAfter.getTime()) {
    throw new MdlError('ERR_ISSUE_DS_NOT_VALID', 'the DS certificate is not valid at the MSO signing time');
  }
  if (validity.validUntil.getTime() > ds.notAfter.getTime()) {
    throw new MdlError('ERR_MSO_VALIDITY_INVALID', 'validUntil is after the DS certificate notAfter');
  }
  const parts = await signParts(mso, options.signer, ds, signing, options.verify === true);
  return {
    bytes: writeIssuerAuth(parts),
    protectedBytes: parts.protectedBytes.slice(),
    signature: parts.signature,
  };
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

// Per DS certificate and alg (the issuer's caches module): the check passed and the
// single-certificate unprotected header, so a batch checks the signer once (a chain of several
// certificates builds its header per call).
const signingCache = dsSigningByAlg;

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
  assertIsoAlgCurvePair(alg, ds.publicKey);
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

/**
 * @internal sign MobileSecurityObject bytes (`mso`, the content of MobileSecurityObjectBytes) whose
 * validity was already checked against the DS certificate, with a signer already checked by
 * {@link dsSigning}: the Sig_structure is written by the layout writer, and the signature checked
 * for its length (and, with `verify`, against the DS key).
 */
export function signParts(
  mso: Uint8Array,
  signer: AnyCoseSigner,
  ds: DsCertificateInfo,
  signing: DsSigning,
  verify: boolean,
): Promise<IssuerAuthParts> {
  // A plain function chaining on the signer's promise rather than an async function: an issuer
  // signs one of these per document, and a suspended async frame is the larger allocation.
  let tbs: Uint8Array;
  try {
    tbs = writeSigStructure(signing.protectedBytes, mso);
  } catch (error) {
    return Promise.reject(error);
  }
  const signed = signWithPort(signer, tbs).then((signature) => checkedParts(signature, signing, mso));
  return verify ? signed.then((parts) => verifiedParts(parts, ds)) : signed;
}

/**
 * @internal {@link signParts} with a signer that signs synchronously (`signSync`, a local key under
 * node:crypto), without verifying: no promise between the MSO and the signature. Errors are those
 * `signWithPort` rejects with: an `MdlError` from the signer unchanged, anything else as
 * `ERR_SIGNER_FAILED`.
 */
export function signPartsSync(
  mso: Uint8Array,
  signer: Required<Pick<CoseSigner, 'signSync'>>,
  signing: DsSigning,
): IssuerAuthParts {
  const tbs = writeSigStructure(signing.protectedBytes, mso);
  let signature: Uint8Array;
  try {
    signature = signer.signSync(tbs);
  } catch (cause) {
    if (cause instanceof MdlError) throw cause;
    throw new MdlError('ERR_SIGNER_FAILED', 'signer failed', { cause });
  }
  return checkedParts(signature, signing, mso);
}

function checkedParts(signature: Uint8Array, signing: DsSigning, mso: Uint8Array): IssuerAuthParts {
  if (!(signature instanceof Uint8Array) || signature.length !== signing.expected) {
    throw new MdlError('ERR_SIGNER_FAILED', 'the signer returned a signature of the wrong length', {
      details: {
        expected: signing.expected,
        actual: signature instanceof Uint8Array ? signature.length : -1,
      },
    });
  }
  return { protectedBytes: signing.protectedBytes, unprotected: signing.unprotected, mso, signature };
}

async function verifiedParts(parts: IssuerAuthParts, ds: DsCertificateInfo): Promise<IssuerAuthParts> {
  const message = parseCoseSign1(decodeCbor(writeIssuerAuth(parts)));
  if (!(await verifyCoseSign1({ message, key: ds.publicKey }))) {
    throw new MdlError(
      'ERR_SIGNER_FAILED',
      'the signer returned a signature that does not verify with the DS key',
    );
  }
  return parts;
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
