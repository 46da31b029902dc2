/** The JOSE wrapper against `jose` itself, both ways, and its failure codes. */
import { CompactEncrypt, CompactSign, compactDecrypt, compactVerify, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { utf8Decode, utf8Encode } from '../src/cbor/index.js';
import {
  createLocalDigestSigner,
  createLocalSigner,
  exportPrivateKey,
  exportPublicKey,
  generateKeyPair,
} from '../src/crypto/index.js';
import { isMdlError } from '../src/errors/index.js';
import {
  decryptJwe,
  encryptJwe,
  peekJwsCompact,
  signJwsCompact,
  verifyJwsCompact,
} from '../src/online/index.js';

function encryptionKey(kid = 'enc-1') {
  const pair = generateKeyPair({ curve: 'P-256' });
  const pub = { ...exportPublicKey(pair.publicKey, 'jwk'), kid, alg: 'ECDH-ES', use: 'enc' };
  const priv = { ...exportPrivateKey(pair.privateKey, 'jwk'), kid };
  return { pub, priv };
}

describe('JWE ECDH-ES (OpenID4VP 1.0 §8.3)', () => {
  for (const enc of ['A128GCM', 'A256GCM'] as const) {
    it(`what encryptJwe makes, jose decrypts (${enc})`, async () => {
      const { pub, priv } = encryptionKey();
      const jwe = await encryptJwe({ plaintext: utf8Encode('{"vp_token":{}}'), recipientJwk: pub, enc });
      const result = await compactDecrypt(jwe, await importJWK(priv, 'ECDH-ES'));
      expect(utf8Decode(result.plaintext)).toBe('{"vp_token":{}}');
      expect(result.protectedHeader).toMatchObject({ alg: 'ECDH-ES', enc, kid: 'enc-1' });
    });

    it(`what jose makes, decryptJwe decrypts (${enc})`, async () => {
      const { pub, priv } = encryptionKey();
      const jwe = await new CompactEncrypt(utf8Encode('hello'))
        .setProtectedHeader({ alg: 'ECDH-ES', enc, kid: 'enc-1' })
        .encrypt(await importJWK(pub, 'ECDH-ES'));
      const { plaintext } = await decryptJwe({ jwe, privateJwk: priv, expectedKid: 'enc-1' });
      expect(utf8Decode(plaintext)).toBe('hello');
    });
  }

  it('names each failure: other kid, other key, other enc / alg, not a JWE', async () => {
    const { pub, priv } = encryptionKey();
    const other = encryptionKey('enc-2');
    const toOtherKid = await encryptJwe({ plaintext: utf8Encode('x'), recipientJwk: other.pub });
    const code = async (p: Promise<unknown>) =>
      ((await p.catch((e: unknown) => e)) as { code?: string }).code;
    expect(await code(decryptJwe({ jwe: toOtherKid, privateJwk: priv, expectedKid: 'enc-1' }))).toBe(
      'ERR_ONLINE_ENCRYPTION_KEY_MISMATCH',
    );
    const sameKidOtherKey = await encryptJwe({
      plaintext: utf8Encode('x'),
      recipientJwk: { ...other.pub, kid: 'enc-1' },
    });
    expect(await code(decryptJwe({ jwe: sameKidOtherKey, privateJwk: priv, expectedKid: 'enc-1' }))).toBe(
      'ERR_ONLINE_DECRYPTION_FAILED',
    );
    const a256 = await encryptJwe({ plaintext: utf8Encode('x'), recipientJwk: pub, enc: 'A256GCM' });
    expect(await code(decryptJwe({ jwe: a256, privateJwk: priv, allowedEnc: ['A128GCM'] }))).toBe(
      'ERR_ONLINE_ENCRYPTION_ALG_NOT_ALLOWED',
    );
    const kw = await new CompactEncrypt(utf8Encode('x'))
      .setProtectedHeader({ alg: 'ECDH-ES+A128KW', enc: 'A128GCM' })
      .encrypt(await importJWK(pub, 'ECDH-ES+A128KW'));
    expect(await code(decryptJwe({ jwe: kw, privateJwk: priv }))).toBe(
      'ERR_ONLINE_ENCRYPTION_ALG_NOT_ALLOWED',
    );
    expect(await code(decryptJwe({ jwe: 'a.b.c', privateJwk: priv }))).toBe('ERR_ONLINE_RESPONSE_INVALID');
    // Flip one bit of the authentication tag (overwriting bytes with fixed ones would leave them
    // unchanged when they already were those bytes: a 1-in-256 false pass for a 1-byte ciphertext).
    const parts = a256.split('.');
    const tag = Buffer.from(parts[4]!, 'base64url');
    tag[0] = tag[0]! ^ 0x01;
    parts[4] = tag.toString('base64url');
    expect(await code(decryptJwe({ jwe: parts.join('.'), privateJwk: priv }))).toBe(
      'ERR_ONLINE_DECRYPTION_FAILED',
    );
  });
});

describe('JWS through the signer port (JAR)', () => {
  it('jose verifies what a local and a digest signer sign; verifyJwsCompact verifies what jose signs', async () => {
    const pair = generateKeyPair({ curve: 'P-256' });
    const pubKey = await importJWK(exportPublicKey(pair.publicKey, 'jwk'), 'ES256');
    for (const signer of [
      createLocalSigner({ privateKey: pair.privateKey, alg: -7 }),
      createLocalDigestSigner({ privateKey: pair.privateKey, alg: -7 }),
    ]) {
      const jws = await signJwsCompact({
        payload: { nonce: 'n' },
        header: { typ: 'oauth-authz-req+jwt' },
        signer,
      });
      const verified = await compactVerify(jws, pubKey);
      expect(verified.protectedHeader).toEqual({ typ: 'oauth-authz-req+jwt', alg: 'ES256' });
      expect(JSON.parse(utf8Decode(verified.payload))).toEqual({ nonce: 'n' });
      expect(peekJwsCompact(jws).payload).toEqual({ nonce: 'n' });
    }
    const byJose = await new CompactSign(utf8Encode('{"a":1}'))
      .setProtectedHeader({ alg: 'ES256' })
      .sign(await importJWK(exportPrivateKey(pair.privateKey, 'jwk'), 'ES256'));
    expect((await verifyJwsCompact({ jws: byJose, publicKey: pair.publicKey })).payload).toEqual({ a: 1 });
    const other = generateKeyPair({ curve: 'P-256' });
    const error = await verifyJwsCompact({ jws: byJose, publicKey: other.publicKey }).catch(
      (e: unknown) => e,
    );
    expect(isMdlError(error, 'ERR_ONLINE_REQUEST_SIGNATURE_INVALID')).toBe(true);
  });
});
