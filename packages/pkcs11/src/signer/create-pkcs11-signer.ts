import { bytesEqual } from '@mdlkit/core/cbor';
import {
  type CoseDigestSigner,
  type CoseSigner,
  ecdsaDerToRaw,
  exportPublicKey,
  type HashAlgorithm,
  digest as hashData,
  importPublicKey,
  type PublicKey,
  randomBytes,
  verifySignature,
} from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { parseCertificate } from '@mdlkit/pki';
import { Pkcs11Error } from '../errors/pkcs11-error.js';
import { ckrName, type Handle } from '../internal/binding.js';
import type { Pkcs11Token, TokenCall } from '../token/pkcs11-token.js';
import { PKCS11_CURVES, type Pkcs11Curve } from './curves.js';
import { checkSelector, describeSelector, findKey, type Pkcs11KeySelector } from './find-key.js';

/** Options for {@link createPkcs11Signer}. */
export interface CreatePkcs11SignerOptions {
  /** The open token (see `openPkcs11Token`). */
  readonly token: Pkcs11Token;
  /** The private key, by `CKA_LABEL` and / or `CKA_ID`. */
  readonly key: Pkcs11KeySelector;
  /**
   * The DS certificate (DER) the key is for. When given, the signer refuses to exist unless the
   * token key is this certificate's key (its SPKI), so a misconfigured key cannot sign a single MSO.
   */
  readonly certificate?: Uint8Array;
  /**
   * The key's public key (DER SPKI), for tokens that keep no public key object beside the private
   * key. Ignored when the token has one (which then must equal it).
   */
  readonly publicKey?: Uint8Array;
  /**
   * Make one signature at creation and verify it with the public key (default true): proves the
   * private key on the token and the public key (and certificate) belong together.
   */
  readonly checkKey?: boolean;
}

/** What every PKCS#11 signer exposes besides the port. */
export interface Pkcs11SignerInfo {
  /** The token label. */
  readonly tokenLabel: string;
  /** The key's `CKA_LABEL`. */
  readonly keyLabel: string;
  /** The key's `CKA_ID`, hex ('' when it has none). */
  readonly keyId: string;
  /** The key's curve. */
  readonly curve: Pkcs11Curve;
  /** The key's public key, DER SubjectPublicKeyInfo — read once from the token; a fresh copy on every read. */
  readonly publicKey: Uint8Array;
}

/** An ECDSA token key as a {@link CoseDigestSigner}: `CKM_ECDSA` over the digest the issuer computes. */
export interface Pkcs11DigestSigner extends CoseDigestSigner, Pkcs11SignerInfo {
  /** The key's public key, DER SubjectPublicKeyInfo (the issuer checks it against the DS certificate). */
  readonly publicKey: Uint8Array;
  /** The hash the caller digests the to-be-signed bytes with (SHA-256 / 384 / 512 by curve). */
  readonly hash: HashAlgorithm;
}

/** An Ed25519 token key as a {@link CoseSigner}: `CKM_EDDSA` (PureEdDSA) over the whole message. */
export interface Pkcs11MessageSigner extends CoseSigner, Pkcs11SignerInfo {
  /** The key's public key, DER SubjectPublicKeyInfo (the issuer checks it against the DS certificate). */
  readonly publicKey: Uint8Array;
}

/** A PKCS#11 signer: digest signer for ECDSA keys, message signer for Ed25519 keys. */
export type Pkcs11Signer = Pkcs11DigestSigner | Pkcs11MessageSigner;

const HASH_BYTES: Readonly<Record<HashAlgorithm, number>> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };
/** Largest message the Ed25519 signer hands to the token in one `C_Sign`. */
const MAX_EDDSA_MESSAGE = 1 << 20;

/**
 * Creates a signer for a private key on a PKCS#11 token. The COSE algorithm comes from the key's
 * curve (`CKA_EC_PARAMS`): P-256 → ES256, P-384 → ES384, P-521 → ES512 (RFC 9053 §2.1), all with
 * `CKM_ECDSA` over the digest the issuer computes of the COSE `Sig_structure` (ISO/IEC 18013-5
 * §9.1.2.4; RFC 9052 §4.4) — the token returns `r‖s` at the curve's fixed width, as COSE wants —
 * and Ed25519 → EdDSA with `CKM_EDDSA` over the Sig_structure itself (PureEdDSA).
 *
 * The public key is read once here and cached; the key's handle is looked up again only after a
 * reconnect, and then must still have this public key.
 *
 * @throws {@link Pkcs11Error} `ERR_PKCS11_CONFIG_INVALID`, `ERR_PKCS11_KEY_NOT_FOUND`,
 *   `ERR_PKCS11_KEY_AMBIGUOUS`, `ERR_PKCS11_KEY_USAGE` (not a signing key of a supported curve),
 *   `ERR_PKCS11_MECHANISM_NOT_SUPPORTED` (the token lacks `CKM_ECDSA` / `CKM_EDDSA`),
 *   `ERR_PKCS11_KEY_CERTIFICATE_MISMATCH`, and the token's errors (`ERR_PKCS11_TOKEN_REMOVED` …).
 * @example
 * ```ts
 * const signer = await createPkcs11Signer({ token, key: { label: 'ds-2026' }, certificate: dsDer });
 * const mdoc = await issueMdoc({ ...document, signer, dsCertificate: dsDer });
 * ```
 */
export async function createPkcs11Signer(options: CreatePkcs11SignerOptions): Promise<Pkcs11Signer> {
  const { token } = options;
  const selector = checkSelector(options.key);
  const described = describeSelector(options.key);
  const found = await token.run(
    {
      operation: 'FindKey',
      resource: `key/${described}`,
      request: { key: described },
      details: { key: described },
    },
    ({ binding, session }) => findKey(binding, session, selector, described, token.label),
  );
  if (!found.canSign) {
    throw new Pkcs11Error(
      'ERR_PKCS11_KEY_USAGE',
      `PKCS#11 key ${described} on token ${token.label} has CKA_SIGN false.`,
      { details: { token: token.label, key: described } },
    );
  }
  const profile = PKCS11_CURVES[found.curve];
  await token.run(
    {
      operation: 'FindKey',
      resource: `key/${described}`,
      request: { mechanism: profile.mechanism },
      details: { key: described },
    },
    ({ binding, slot }) => {
      let flags: number;
      try {
        flags = binding.C_GetMechanismInfo(slot, profile.mechanism).flags;
      } catch (error) {
        if (ckrName(error) === 'CKR_MECHANISM_INVALID') flags = 0;
        else throw error;
      }
      if ((flags & 0x800) === 0) {
        throw new Pkcs11Error(
          'ERR_PKCS11_MECHANISM_NOT_SUPPORTED',
          `PKCS#11 token ${token.label} does not sign with ${profile.mechanism === 0x1057 ? 'CKM_EDDSA' : 'CKM_ECDSA'}, ` +
            `which its ${found.curve} key ${described} needs.`,
          { details: { token: token.label, key: described, mechanism: profile.mechanism } },
        );
      }
    },
  );

  const publicKey = choosePublicKey(found.publicKey, options, described, token.label);
  const key = importPublicKey({ format: 'spki', der: publicKey });
  if (key.curve !== found.curve) {
    throw new Pkcs11Error(
      'ERR_PKCS11_KEY_CERTIFICATE_MISMATCH',
      `The public key given for PKCS#11 key ${described} is a ${key.curve} key, but the token key is ${found.curve}.`,
      { details: { token: token.label, key: described } },
    );
  }
  if (options.certificate !== undefined)
    checkCertificateKey(publicKey, options.certificate, described, token.label);

  const signer = buildSigner(token, selector, described, found, publicKey);
  if (options.checkKey ?? true) await checkSignature(signer, key, described, token.label);
  return signer;
}

function choosePublicKey(
  fromToken: Uint8Array | undefined,
  options: CreatePkcs11SignerOptions,
  described: string,
  token: string,
): Uint8Array {
  const given = options.publicKey ?? certificateSpki(options.certificate);
  if (fromToken !== undefined) {
    if (options.publicKey !== undefined && !sameKey(fromToken, options.publicKey)) {
      throw new Pkcs11Error(
        'ERR_PKCS11_KEY_CERTIFICATE_MISMATCH',
        `The publicKey given for PKCS#11 key ${described} is not the public key the token holds for it.`,
        { details: { token, key: described } },
      );
    }
    return fromToken;
  }
  if (given === undefined) {
    throw new Pkcs11Error(
      'ERR_PKCS11_KEY_NOT_FOUND',
      `PKCS#11 token ${token} holds no public key for ${described}; pass publicKey or certificate.`,
      { details: { token, key: described } },
    );
  }
  return given.slice();
}

function certificateSpki(certificate: Uint8Array | undefined): Uint8Array | undefined {
  if (certificate === undefined) return undefined;
  return parseCertificate(certificate).publicKeyInfo.spki;
}

function sameKey(a: Uint8Array, b: Uint8Array): boolean {
  try {
    return bytesEqual(
      exportPublicKey(importPublicKey({ format: 'spki', der: a }), 'spki'),
      exportPublicKey(importPublicKey({ format: 'spki', der: b }), 'spki'),
    );
  } catch {
    return false;
  }
}

function checkCertificateKey(
  publicKey: Uint8Array,
  certificate: Uint8Array,
  described: string,
  token: string,
): void {
  const spki = certificateSpki(certificate);
  if (spki === undefined || !sameKey(publicKey, spki)) {
    throw new Pkcs11Error(
      'ERR_PKCS11_KEY_CERTIFICATE_MISMATCH',
      `PKCS#11 key ${described} on token ${token} is not the key of the given certificate (SubjectPublicKeyInfo differs).`,
      { details: { token, key: described } },
    );
  }
}

/**
 * Checks that a signer's public key is the certificate's (SubjectPublicKeyInfo compared as keys,
 * not bytes), so a DS certificate and a token key can be paired before anything is issued.
 *
 * @throws {@link Pkcs11Error} `ERR_PKCS11_KEY_CERTIFICATE_MISMATCH`; `ERR_X509_MALFORMED` for a
 *   certificate that does not parse.
 * @example
 * ```ts
 * checkSignerCertificate({ signer, certificate: dsDer });
 * ```
 */
export function checkSignerCertificate(options: {
  readonly signer: Pkcs11SignerInfo;
  readonly certificate: Uint8Array;
}): void {
  checkCertificateKey(
    options.signer.publicKey,
    options.certificate,
    options.signer.keyLabel,
    options.signer.tokenLabel,
  );
}

async function checkSignature(
  signer: Pkcs11Signer,
  key: PublicKey,
  described: string,
  token: string,
): Promise<void> {
  const data = randomBytes(32);
  const signature =
    signer.kind === 'digest' ? await signer.signDigest(hashData(signer.hash, data)) : await signer.sign(data);
  if (!(await verifySignature({ alg: signer.alg, key, data, signature }))) {
    throw new Pkcs11Error(
      'ERR_PKCS11_KEY_CERTIFICATE_MISMATCH',
      `A test signature of PKCS#11 key ${described} on token ${token} does not verify with its public key: the ` +
        "public key (or certificate) is not this private key's.",
      { details: { token, key: described } },
    );
  }
}

function buildSigner(
  token: Pkcs11Token,
  selector: { label?: string; id?: Uint8Array },
  described: string,
  found: ReturnType<typeof findKey>,
  publicKey: Uint8Array,
): Pkcs11Signer {
  const profile = PKCS11_CURVES[found.curve];
  const resource = `key/${found.label.length > 0 ? found.label : described}`;
  let handle: Handle = found.handle;
  let generation = -1;
  const spki = publicKey.slice();

  /** The key handle for this connection: looked up again (and checked) after a reconnect. */
  const keyHandle = (call: TokenCall): Handle => {
    if (generation === -1) generation = call.generation;
    if (call.generation === generation) return handle;
    const again = findKey(call.binding, call.session, selector, described, token.label);
    if (again.publicKey !== undefined && !sameKey(again.publicKey, spki)) {
      throw new Pkcs11Error(
        'ERR_PKCS11_KEY_NOT_FOUND',
        `After reconnecting, PKCS#11 key ${described} on token ${token.label} is a different key than the signer's.`,
        { details: { token: token.label, key: described } },
      );
    }
    handle = again.handle;
    generation = call.generation;
    return handle;
  };

  const signOnToken = (input: Uint8Array, request: object, outputLength: number): Promise<Uint8Array> =>
    token.run(
      {
        operation: 'Sign',
        resource,
        request,
        details: { key: described },
        response: (signature: Uint8Array) => ({ signature }),
      },
      async (call) => {
        const key = keyHandle(call);
        call.binding.C_SignInit(call.session, { mechanism: profile.mechanism }, key);
        const out = await call.binding.C_SignAsync(
          call.session,
          Buffer.from(input),
          Buffer.alloc(outputLength),
        );
        return Uint8Array.from(out);
      },
    );

  const info = { tokenLabel: token.label, keyLabel: found.label, keyId: found.id, curve: found.curve };

  if (profile.hash === undefined) {
    const signer: Omit<Pkcs11MessageSigner, 'publicKey'> = {
      kind: 'message',
      alg: profile.alg,
      ...info,
      async sign(toBeSigned: Uint8Array): Promise<Uint8Array> {
        if (!(toBeSigned instanceof Uint8Array) || toBeSigned.length === 0) {
          throw new MdlError(
            'ERR_INVALID_ARGUMENT',
            'The Ed25519 PKCS#11 signer needs a non-empty Uint8Array.',
          );
        }
        if (toBeSigned.length > MAX_EDDSA_MESSAGE) {
          throw new MdlError(
            'ERR_SIGNER_MESSAGE_TOO_LARGE',
            `The Ed25519 PKCS#11 signer signs messages of at most ${MAX_EDDSA_MESSAGE} bytes (PureEdDSA sends the whole message to the token).`,
            { details: { length: toBeSigned.length, limit: MAX_EDDSA_MESSAGE } },
          );
        }
        const signature = await signOnToken(toBeSigned, { mechanism: 'CKM_EDDSA', message: toBeSigned }, 64);
        if (signature.length !== 64) {
          throw new MdlError(
            'ERR_CRYPTO_INVALID_SIGNATURE_ENCODING',
            'The token returned an Ed25519 signature that is not 64 bytes.',
            {
              details: { length: signature.length },
            },
          );
        }
        return signature;
      },
    };
    return withPublicKey(signer, spki);
  }

  const hash = profile.hash;
  const width = profile.coordinateBytes;
  const signer: Omit<Pkcs11DigestSigner, 'publicKey'> = {
    kind: 'digest',
    alg: profile.alg,
    hash,
    ...info,
    async signDigest(digest: Uint8Array): Promise<Uint8Array> {
      if (!(digest instanceof Uint8Array) || digest.length !== HASH_BYTES[hash]) {
        throw new MdlError(
          'ERR_INVALID_ARGUMENT',
          `The ${found.curve} PKCS#11 signer signs a ${HASH_BYTES[hash]}-byte ${hash} digest.`,
          {
            details: {
              expected: HASH_BYTES[hash],
              length: digest instanceof Uint8Array ? digest.length : undefined,
            },
          },
        );
      }
      const signature = await signOnToken(digest, { mechanism: 'CKM_ECDSA', digest }, 2 * width + 16);
      if (signature.length === 2 * width) return signature;
      // a token that answers with a DER ECDSA-Sig-Value instead of r‖s (seen on older HSM firmware)
      if (signature[0] === 0x30) return ecdsaDerToRaw(signature, width);
      throw new MdlError(
        'ERR_CRYPTO_INVALID_SIGNATURE_ENCODING',
        `The token returned a ${signature.length}-byte ECDSA signature; ${found.curve} needs ${2 * width} bytes of r‖s.`,
        { details: { length: signature.length, expected: 2 * width } },
      );
    },
  };
  return withPublicKey(signer, spki);
}

/** Adds `publicKey` as a getter (each read gets its own copy of the cached SPKI) and freezes. */
function withPublicKey<S extends object>(
  signer: S,
  spki: Uint8Array,
): S & { readonly publicKey: Uint8Array } {
  Object.defineProperty(signer, 'publicKey', { get: () => spki.slice(), enumerable: true });
  return Object.freeze(signer) as S & { readonly publicKey: Uint8Array };
}
