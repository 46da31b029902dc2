import { signWithPort, verifySignature, verifySignatureSync } from '@mdlkit/core/crypto';
import { protectedHeaderByAlg } from '../caches.js';
import { decodeCbor } from '../cbor/decode.js';
import { CborWriter, encodeCbor } from '../cbor/encode.js';
import type { CborDecodeOptions } from '../cbor/options.js';
import { CborTagged } from '../cbor/types.js';
import { assertAlgMatchesKey } from '../crypto/algorithms.js';
import type { PublicKey } from '../crypto/keys.js';
import type { AnyCoseSigner } from '../crypto/ports.js';
import { MdlError } from '../errors/mdl-error.js';
import {
  CoseHeader,
  type CoseHeaderLabel,
  type CoseHeaderMap,
  type CoseHeaders,
  checkCrit,
  encodeProtected,
  getSignatureAlg,
  readHeaders,
} from './headers.js';
import { buildSigStructure, withSigStructure } from './structures.js';

/** CBOR tag of COSE_Sign1 (RFC 9052 §2). */
export const COSE_SIGN1_TAG = 18;

/**
 * A decoded COSE_Sign1.
 *
 * ```cddl
 * COSE_Sign1_Tagged = #6.18(COSE_Sign1)
 * COSE_Sign1 = [
 *     Headers,
 *     payload : bstr / nil,
 *     signature : bstr
 * ]
 * ```
 * RFC 9052 §4.2. 18013-5 IssuerAuth, DeviceSignature and ReaderAuth are untagged COSE_Sign1
 * (§9.1.2.4, §9.1.3.6, §9.1.4); IssuerAuth and ReaderAuth use an attached / detached payload
 * respectively.
 */
export interface CoseSign1 extends CoseHeaders {
  /** Attached payload, or `null` when detached. */
  readonly payload: Uint8Array | null;
  readonly signature: Uint8Array;
  /** Whether the message arrived wrapped in tag 18. */
  readonly tagged: boolean;
}

const malformed = (why: string): MdlError => new MdlError('ERR_COSE_MALFORMED', why);

/** @internal unwrap an optional tag and check the 4-element array shape. */
export function unwrapCoseArray(
  value: unknown,
  tag: number,
  name: string,
): { items: unknown[]; tagged: boolean } {
  let tagged = false;
  let v = value;
  if (v instanceof CborTagged) {
    if (v.tag !== tag) throw malformed(`${name}: unexpected CBOR tag`);
    tagged = true;
    v = v.value;
  }
  if (!Array.isArray(v) || v.length !== 4) throw malformed(`${name} must be an array of 4 elements`);
  return { items: v, tagged };
}

/**
 * Read a COSE_Sign1 from an already-decoded CBOR value (tagged 18 or untagged) — e.g. the
 * `issuerAuth` element of a decoded IssuerSigned. The protected header bytes are kept as received.
 *
 * @example
 * ```ts
 * const sign1 = parseCoseSign1(issuerSigned.get('issuerAuth'));
 * ```
 * @throws {@link MdlError} `ERR_COSE_MALFORMED`, `ERR_COSE_DUPLICATE_HEADER`, `ERR_CBOR_*` (protected bucket).
 */
export function parseCoseSign1(value: unknown, options: CborDecodeOptions = {}): CoseSign1 {
  const { items, tagged } = unwrapCoseArray(value, COSE_SIGN1_TAG, 'COSE_Sign1');
  const payload = items[2];
  const signature = items[3];
  const headers = readHeaders(items[0], items[1], options);
  if (!(payload === null || payload instanceof Uint8Array))
    throw malformed('COSE_Sign1 payload must be bstr or nil');
  if (!(signature instanceof Uint8Array)) throw malformed('COSE_Sign1 signature must be a bstr');
  // A plain literal (no spread, no Object.freeze): this is on the verification hot path.
  return {
    protectedBytes: headers.protectedBytes,
    protected: headers.protected,
    unprotected: headers.unprotected,
    payload,
    signature,
    tagged,
  };
}

/**
 * Decode a COSE_Sign1 from bytes (tagged 18 or untagged).
 *
 * @example
 * ```ts
 * const sign1 = decodeCoseSign1(fromHex(issuerAuthHex));
 * sign1.protectedBytes; // a1 01 26 — exactly as received
 * ```
 * @throws {@link MdlError} `ERR_CBOR_*` for malformed CBOR, `ERR_COSE_MALFORMED`, `ERR_COSE_DUPLICATE_HEADER`.
 */
export function decodeCoseSign1(bytes: Uint8Array, options: CborDecodeOptions = {}): CoseSign1 {
  return parseCoseSign1(decodeCbor(bytes, options), options);
}

/** @internal the CBOR value of a COSE_Sign1 (protected bytes reused verbatim). */
export function coseSign1ToCbor(message: CoseSign1, tagged: boolean = message.tagged): unknown {
  const arr = [message.protectedBytes, message.unprotected, message.payload, message.signature];
  return tagged ? new CborTagged(COSE_SIGN1_TAG, arr) : arr;
}

/**
 * Encode a COSE_Sign1. The protected header bytes are emitted exactly as held, so a received
 * message re-encodes with its signature still valid.
 *
 * @example
 * ```ts
 * const bytes = encodeCoseSign1(sign1); // untagged unless sign1.tagged
 * ```
 * @throws {@link MdlError} `ERR_CBOR_UNENCODABLE` for unencodable header values.
 */
export function encodeCoseSign1(message: CoseSign1, options: { readonly tagged?: boolean } = {}): Uint8Array {
  return encodeCbor(coseSign1ToCbor(message, options.tagged ?? message.tagged));
}

/** Options for {@link signCoseSign1}. */
export interface SignCoseSign1Options {
  /** Message or digest signer; its `alg` goes into the protected header. */
  readonly signer: AnyCoseSigner;
  /** The payload (IssuerAuth: the tag-24 `MobileSecurityObjectBytes` encoding). */
  readonly payload: Uint8Array;
  /** Leave the payload out of the message (`nil`) — ReaderAuth / DeviceSignature style (default `false`). */
  readonly detached?: boolean;
  /** Extra protected headers (alg is set from the signer; do not pass label 1). */
  readonly protectedHeaders?: CoseHeaderMap;
  /** Unprotected headers (e.g. `x5chain`, see `x5chainValue`). */
  readonly unprotectedHeaders?: CoseHeaderMap;
  /** `external_aad` (default empty). */
  readonly externalAad?: Uint8Array;
  /** Wrap in tag 18 (default `false`: 18013-5 uses untagged COSE_Sign1). */
  readonly tagged?: boolean;
}

/**
 * Build and sign a COSE_Sign1: protected = `{1: signer.alg, …protectedHeaders}`, the signature
 * over the `Sig_structure` through {@link signWithPort} (message or KMS-style digest signer).
 *
 * @example
 * ```ts
 * const { message, bytes } = await signCoseSign1({
 *   signer, payload: msoBytes, unprotectedHeaders: new Map([[CoseHeader.x5chain, dsCertDer]]),
 * });
 * ```
 * @throws {@link MdlError} `ERR_COSE_DUPLICATE_HEADER`, `ERR_INVALID_ARGUMENT`, signer errors
 * (`ERR_SIGNER_*`, `ERR_CRYPTO_DIGEST_SIGNING_UNSUPPORTED`).
 */
export async function signCoseSign1(
  options: SignCoseSign1Options,
): Promise<{ readonly message: CoseSign1; readonly bytes: Uint8Array }> {
  const { signer, payload } = options;
  if (!(payload instanceof Uint8Array))
    throw new MdlError('ERR_INVALID_ARGUMENT', 'payload must be a Uint8Array');
  const prot = new Map<CoseHeaderLabel, unknown>([[CoseHeader.alg, signer.alg]]);
  for (const [k, v] of options.protectedHeaders ?? []) {
    if (k === CoseHeader.alg) throw new MdlError('ERR_INVALID_ARGUMENT', 'alg comes from the signer');
    prot.set(k, v);
  }
  const unprotected = new Map(options.unprotectedHeaders ?? []);
  for (const k of unprotected.keys()) {
    if (prot.has(k)) {
      throw new MdlError('ERR_COSE_DUPLICATE_HEADER', 'header label appears in both buckets', {
        details: { label: String(k) },
      });
    }
  }
  // The usual protected header is `{1: alg}` alone: its encoding is cached per alg (a copy is
  // handed out, so a caller mutating `protectedBytes` cannot change later messages).
  const protectedBytes = prot.size === 1 ? protectedForAlg(signer.alg, prot).slice() : encodeProtected(prot);
  const tbs = buildSigStructure({ protectedBytes, externalAad: options.externalAad, payload });
  const signature = await signWithPort(signer, tbs);
  const detached = options.detached === true;
  const tagged = options.tagged === true;
  const message: CoseSign1 = Object.freeze({
    protectedBytes,
    protected: prot,
    unprotected,
    payload: detached ? null : payload,
    signature,
    tagged,
  });
  return {
    message,
    bytes: writeCoseSign1(protectedBytes, unprotected, detached ? null : payload, signature, tagged),
  };
}

function protectedForAlg(alg: number, prot: CoseHeaderMap): Uint8Array {
  let bytes = protectedHeaderByAlg.get(alg);
  if (bytes === undefined) {
    bytes = encodeProtected(prot);
    // Only integer algs (every COSE signature alg is one); anything else is encoded per call.
    if (Number.isSafeInteger(alg)) protectedHeaderByAlg.set(alg, bytes);
  }
  return bytes;
}

/**
 * @internal COSE_Sign1 written straight into one buffer (same bytes as {@link encodeCoseSign1}):
 * the array head, the protected bstr, the unprotected map (the only part through the generic
 * writer), payload and signature.
 */
function writeCoseSign1(
  protectedBytes: Uint8Array,
  unprotected: CoseHeaderMap,
  payload: Uint8Array | null,
  signature: Uint8Array,
  tagged: boolean,
): Uint8Array {
  let size = 32 + protectedBytes.length + (payload?.length ?? 0) + signature.length;
  for (const v of unprotected.values()) {
    size += 16;
    if (v instanceof Uint8Array) size += v.length;
    else if (Array.isArray(v)) for (const c of v) size += c instanceof Uint8Array ? c.length + 8 : 16;
  }
  const w = new CborWriter({}, size);
  if (tagged) w.head(6, COSE_SIGN1_TAG);
  w.head(4, 4);
  w.bytes(protectedBytes);
  w.value(unprotected);
  if (payload === null) w.raw(CBOR_NULL);
  else w.bytes(payload);
  w.bytes(signature);
  return w.finish();
}

const CBOR_NULL = new Uint8Array([0xf6]);

/** Options for {@link verifyCoseSign1}. */
export interface VerifyCoseSign1Options {
  readonly message: CoseSign1;
  /** The signer's public key (certificate SPKI, COSE_Key …). */
  readonly key: PublicKey;
  /** The payload when the message's payload is `nil` (detached). */
  readonly detachedPayload?: Uint8Array;
  /** `external_aad` (default empty). */
  readonly externalAad?: Uint8Array;
  /**
   * Accept `alg` in the unprotected bucket (default `false`: `ERR_COSE_ALG_NOT_PROTECTED`,
   * as 18013-5 §9.1.2.4 requires it protected).
   */
  readonly allowUnprotectedAlg?: boolean;
}

/**
 * Verify a COSE_Sign1 signature. Hashes the `Sig_structure` built from the protected header bytes
 * as received. Resolves `false` for a wrong signature; throws for messages that cannot be checked.
 *
 * @example
 * ```ts
 * const ok = await verifyCoseSign1({ message: decodeCoseSign1(bytes), key: dsPublicKey });
 * ```
 * @throws {@link MdlError} `ERR_COSE_ALG_MISSING`, `ERR_COSE_ALG_UNSUPPORTED`, `ERR_COSE_ALG_NOT_PROTECTED`,
 * `ERR_COSE_ALG_KEY_MISMATCH`, `ERR_COSE_PAYLOAD_MISSING`, `ERR_COSE_MALFORMED` (bad `crit`),
 * `ERR_INVALID_ARGUMENT` (payload both attached and detached).
 */
export async function verifyCoseSign1(options: VerifyCoseSign1Options): Promise<boolean> {
  const { message, key } = options;
  const { alg, isProtected } = getSignatureAlg(message);
  if (!isProtected && options.allowUnprotectedAlg !== true) {
    throw new MdlError('ERR_COSE_ALG_NOT_PROTECTED', 'COSE alg is not in the protected header');
  }
  checkCrit(message);
  assertAlgMatchesKey(alg, key);
  const payload = resolvePayload(message.payload, options.detachedPayload);
  const input = { protectedBytes: message.protectedBytes, externalAad: options.externalAad, payload };
  // A provider that verifies synchronously has read `data` when it returns, so a reused scratch
  // buffer serves and a reader allocates no Sig_structure per signature (it holds only what the
  // message carries, nothing secret); otherwise the Sig_structure is an array of its own.
  const verifySync = verifySignatureSync;
  if (verifySync !== undefined) {
    return withSigStructure(input, (data) => verifySync({ alg, key, data, signature: message.signature }));
  }
  return verifySignature({ alg, key, data: buildSigStructure(input), signature: message.signature });
}

/** @internal attached vs detached payload rules. */
export function resolvePayload(attached: Uint8Array | null, detached: Uint8Array | undefined): Uint8Array {
  if (attached !== null) {
    if (detached !== undefined) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'payload is attached; do not pass a detached payload');
    }
    return attached;
  }
  if (detached === undefined)
    throw new MdlError('ERR_COSE_PAYLOAD_MISSING', 'payload is detached and was not given');
  return detached;
}
