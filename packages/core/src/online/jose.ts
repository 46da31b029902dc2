import {
  type AnyCoseSigner,
  type CoseAlg,
  exportPublicKey,
  type Jwk,
  type PublicKey,
  signWithPort,
} from '@mdlkit/core/crypto';
import { CompactEncrypt, compactDecrypt, compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import { fromBase64Url, toBase64Url, utf8Decode, utf8Encode } from '../cbor/bytes.js';
import { MdlError } from '../errors/mdl-error.js';

/**
 * JOSE for the online protocols, through `jose` (panva) for everything it can do. The one thing it
 * cannot is sign with a key it does not hold: a JAR (RFC 9101) signed by a KMS or HSM key goes
 * through the core signer port. A COSE ECDSA / EdDSA signature is byte-for-byte the JWS one
 * (fixed-width `r‖s`, RFC 7518 §3.4 and RFC 9053 §2.1), so the JWS is assembled around the
 * port's signature — and verified by `jose` in the tests.
 */

/** JWE content encryption algorithms mdlkit accepts (HAIP 1.0: A128GCM and A256GCM). */
export const JweEnc = { A128GCM: 'A128GCM', A256GCM: 'A256GCM' } as const;
/** One of {@link JweEnc}. */
export type JweEnc = (typeof JweEnc)[keyof typeof JweEnc];

const JWS_ALG: Readonly<Record<number, string>> = {
  [-7]: 'ES256',
  [-35]: 'ES384',
  [-36]: 'ES512',
  [-8]: 'EdDSA',
};
const MAX_JOSE_LENGTH = 16 * 1024 * 1024;

/** The JWS `alg` for a COSE algorithm. @throws {@link MdlError} `ERR_NOT_SUPPORTED`. */
export function jwsAlgForCose(alg: CoseAlg): string {
  const name = JWS_ALG[alg];
  if (name === undefined) throw new MdlError('ERR_NOT_SUPPORTED', 'no JWS algorithm for this COSE algorithm');
  return name;
}

/** Options for {@link encryptJwe}. */
export interface EncryptJweOptions {
  /** The plaintext (OpenID4VP: the UTF-8 JSON of the Authorization Response parameters). */
  readonly plaintext: Uint8Array;
  /** The recipient's public JWK (EC P-256). Its `kid`, when present, goes into the JWE header. */
  readonly recipientJwk: Jwk;
  /** Content encryption (default A128GCM, the OpenID4VP 1.0 §8.3 default). */
  readonly enc?: JweEnc;
}

/**
 * Encrypts a compact JWE with `alg` `ECDH-ES` (direct key agreement, RFC 7518 §4.6) as OpenID4VP 1.0
 * §8.3 requires for encrypted responses (`dc_api.jwt`, `direct_post.jwt`).
 *
 * @example
 * ```ts
 * const jwe = await encryptJwe({ plaintext: utf8Encode(JSON.stringify({ vp_token })), recipientJwk, enc: 'A128GCM' });
 * ```
 * @throws {@link MdlError} `ERR_ONLINE_ENCRYPTION_ALG_NOT_ALLOWED` for another `enc` or a key whose
 *   `alg` is not ECDH-ES; `ERR_CRYPTO_INVALID_KEY` for a key `jose` rejects.
 */
export async function encryptJwe(options: EncryptJweOptions): Promise<string> {
  const enc = options?.enc ?? JweEnc.A128GCM;
  if (enc !== JweEnc.A128GCM && enc !== JweEnc.A256GCM) {
    throw new MdlError('ERR_ONLINE_ENCRYPTION_ALG_NOT_ALLOWED', 'enc must be A128GCM or A256GCM', {
      details: { enc: String(enc) },
    });
  }
  const jwk = options.recipientJwk;
  if (jwk?.alg !== undefined && jwk.alg !== 'ECDH-ES') {
    throw new MdlError('ERR_ONLINE_ENCRYPTION_ALG_NOT_ALLOWED', 'the recipient key is not for ECDH-ES', {
      details: { alg: String(jwk.alg) },
    });
  }
  if (jwk?.kty !== 'EC' || jwk.crv !== 'P-256' || jwk.d !== undefined) {
    throw new MdlError('ERR_CRYPTO_INVALID_KEY', 'the recipient key must be a public EC P-256 JWK');
  }
  let key: Awaited<ReturnType<typeof importJWK>>;
  try {
    key = await importJWK({ kty: 'EC', crv: 'P-256', x: jwk.x as string, y: jwk.y as string }, 'ECDH-ES');
  } catch (cause) {
    throw new MdlError('ERR_CRYPTO_INVALID_KEY', 'recipient JWK rejected', { cause });
  }
  const header: { alg: string; enc: string; kid?: string } = { alg: 'ECDH-ES', enc };
  if (typeof jwk.kid === 'string') header.kid = jwk.kid;
  return new CompactEncrypt(new Uint8Array(options.plaintext)).setProtectedHeader(header).encrypt(key);
}

/** Options for {@link decryptJwe}. */
export interface DecryptJweOptions {
  /** The compact JWE as received. */
  readonly jwe: string;
  /** The recipient's private JWK (EC P-256, with `d`). */
  readonly privateJwk: Jwk;
  /** The `kid` the request published for this key; a JWE naming another `kid` is rejected. */
  readonly expectedKid?: string;
  /** Accepted `enc` values (default both of {@link JweEnc}). */
  readonly allowedEnc?: readonly JweEnc[];
}

/** The result of {@link decryptJwe}. */
export interface DecryptedJwe {
  readonly plaintext: Uint8Array;
  readonly protectedHeader: Readonly<Record<string, unknown>>;
}

/**
 * Decrypts a compact `ECDH-ES` JWE (OpenID4VP 1.0 §8.3) after checking its header against what the
 * request asked for.
 *
 * @example
 * ```ts
 * const { plaintext } = await decryptJwe({ jwe: body.response, privateJwk, expectedKid: 'enc-1' });
 * ```
 * @throws {@link MdlError} `ERR_ONLINE_RESPONSE_INVALID` for something that is not a compact JWE,
 *   `ERR_ONLINE_ENCRYPTION_ALG_NOT_ALLOWED` for another `alg` / `enc`,
 *   `ERR_ONLINE_ENCRYPTION_KEY_MISMATCH` for a JWE addressed to another `kid`,
 *   `ERR_ONLINE_DECRYPTION_FAILED` when it does not decrypt with this key.
 */
export async function decryptJwe(options: DecryptJweOptions): Promise<DecryptedJwe> {
  const jwe = options?.jwe;
  if (
    typeof jwe !== 'string' ||
    jwe.length === 0 ||
    jwe.length > MAX_JOSE_LENGTH ||
    jwe.split('.').length !== 5
  ) {
    throw new MdlError('ERR_ONLINE_RESPONSE_INVALID', 'the response is not a compact JWE');
  }
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(jwe) as Record<string, unknown>;
  } catch (cause) {
    throw new MdlError('ERR_ONLINE_RESPONSE_INVALID', 'the JWE protected header does not decode', { cause });
  }
  const allowed: readonly string[] = options.allowedEnc ?? [JweEnc.A128GCM, JweEnc.A256GCM];
  if (header.alg !== 'ECDH-ES') {
    throw new MdlError('ERR_ONLINE_ENCRYPTION_ALG_NOT_ALLOWED', 'JWE alg must be ECDH-ES', {
      details: { alg: String(header.alg) },
    });
  }
  if (typeof header.enc !== 'string' || !allowed.includes(header.enc)) {
    throw new MdlError('ERR_ONLINE_ENCRYPTION_ALG_NOT_ALLOWED', 'JWE enc is not one the request allowed', {
      details: { enc: String(header.enc) },
    });
  }
  if (options.expectedKid !== undefined && header.kid !== undefined && header.kid !== options.expectedKid) {
    throw new MdlError('ERR_ONLINE_ENCRYPTION_KEY_MISMATCH', 'the JWE is addressed to another key', {
      details: { kid: String(header.kid) },
    });
  }
  const jwk = options.privateJwk;
  let key: Awaited<ReturnType<typeof importJWK>>;
  try {
    key = await importJWK(
      { kty: 'EC', crv: 'P-256', x: jwk.x as string, y: jwk.y as string, d: jwk.d as string },
      'ECDH-ES',
    );
  } catch (cause) {
    throw new MdlError('ERR_CRYPTO_INVALID_KEY', 'private JWK rejected', { cause });
  }
  try {
    const result = await compactDecrypt(jwe, key, {
      keyManagementAlgorithms: ['ECDH-ES'],
      contentEncryptionAlgorithms: [...allowed],
    });
    return { plaintext: new Uint8Array(result.plaintext), protectedHeader: { ...result.protectedHeader } };
  } catch (cause) {
    throw new MdlError('ERR_ONLINE_DECRYPTION_FAILED', 'the JWE does not decrypt with the request key', {
      cause,
    });
  }
}

/** Options for {@link signJwsCompact}. */
export interface SignJwsCompactOptions {
  /** The JSON payload (a Request Object). */
  readonly payload: Readonly<Record<string, unknown>>;
  /** Extra protected header members (`typ`, `x5c`, `kid`); `alg` comes from the signer. */
  readonly header?: Readonly<Record<string, unknown>>;
  /** The signer (local key, KMS, HSM — any core signer port). */
  readonly signer: AnyCoseSigner;
}

/**
 * Signs a JWS Compact Serialization with a core signer port (so a KMS / HSM key can sign a JAR).
 *
 * @example
 * ```ts
 * const jar = await signJwsCompact({ payload: requestObject, header: { typ: 'oauth-authz-req+jwt', x5c }, signer });
 * ```
 * @throws {@link MdlError} `ERR_NOT_SUPPORTED` for an algorithm JWS does not name; the signer's errors.
 */
export async function signJwsCompact(options: SignJwsCompactOptions): Promise<string> {
  const alg = jwsAlgForCose(options.signer.alg);
  const header = { ...(options.header ?? {}), alg };
  const signingInput = `${toBase64Url(utf8Encode(JSON.stringify(header)))}.${toBase64Url(utf8Encode(JSON.stringify(options.payload)))}`;
  const signature = await signWithPort(options.signer, utf8Encode(signingInput));
  return `${signingInput}.${toBase64Url(signature)}`;
}

/** Options for {@link verifyJwsCompact}. */
export interface VerifyJwsCompactOptions {
  readonly jws: string;
  /** The signer's public key (for a JAR: the leaf of its `x5c`). */
  readonly publicKey: PublicKey;
  /** Accepted `alg` values (default ES256, ES384, ES512, EdDSA). */
  readonly algorithms?: readonly string[];
}

/** The result of {@link verifyJwsCompact}. */
export interface VerifiedJws {
  readonly payload: Readonly<Record<string, unknown>>;
  readonly protectedHeader: Readonly<Record<string, unknown>>;
}

/**
 * Verifies a JWS Compact Serialization with `jose` and parses its JSON payload.
 *
 * @example
 * ```ts
 * const { payload } = await verifyJwsCompact({ jws: data.request, publicKey: leafKey });
 * ```
 * @throws {@link MdlError} `ERR_ONLINE_REQUEST_SIGNATURE_INVALID` when the signature does not verify or
 *   the payload is not a JSON object.
 */
export async function verifyJwsCompact(options: VerifyJwsCompactOptions): Promise<VerifiedJws> {
  const jws = options?.jws;
  if (typeof jws !== 'string' || jws.length > MAX_JOSE_LENGTH || jws.split('.').length !== 3) {
    throw new MdlError('ERR_ONLINE_REQUEST_INVALID', 'not a JWS compact serialization');
  }
  const algorithms = [...(options.algorithms ?? ['ES256', 'ES384', 'ES512', 'EdDSA'])];
  try {
    const header = decodeProtectedHeader(jws);
    const jwk = exportPublicKey(options.publicKey, 'jwk');
    const key = await importJWK({ ...jwk } as Parameters<typeof importJWK>[0], String(header.alg));
    const result = await compactVerify(jws, key, { algorithms });
    const payload: unknown = JSON.parse(utf8Decode(result.payload));
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new Error('payload');
    return { payload: payload as Record<string, unknown>, protectedHeader: { ...result.protectedHeader } };
  } catch (cause) {
    throw new MdlError('ERR_ONLINE_REQUEST_SIGNATURE_INVALID', 'the request signature does not verify', {
      cause,
    });
  }
}

/**
 * Reads the protected header and payload of a compact JWS without verifying it (to find its `x5c`
 * and `client_id` before the signature is checked).
 *
 * @throws {@link MdlError} `ERR_ONLINE_REQUEST_INVALID` for a malformed JWS.
 */
export function peekJwsCompact(jws: string): VerifiedJws {
  if (typeof jws !== 'string' || jws.length > MAX_JOSE_LENGTH || jws.split('.').length !== 3) {
    throw new MdlError('ERR_ONLINE_REQUEST_INVALID', 'not a JWS compact serialization');
  }
  try {
    const [h, p] = jws.split('.') as [string, string];
    const protectedHeader = JSON.parse(utf8Decode(fromBase64Url(h))) as Record<string, unknown>;
    const payload = JSON.parse(utf8Decode(fromBase64Url(p))) as Record<string, unknown>;
    if (typeof payload !== 'object' || payload === null || typeof protectedHeader !== 'object')
      throw new Error('shape');
    return { payload, protectedHeader };
  } catch (cause) {
    throw new MdlError('ERR_ONLINE_REQUEST_INVALID', 'the JWS header or payload is not JSON', { cause });
  }
}
