import {
  createHash,
  createPrivateKey,
  createPublicKey,
  type JsonWebKey,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';

/**
 * The crypto callbacks @animo-id/mdoc and @owf/mdoc need to *produce* responses, implemented on
 * node:crypto only (not mdlkit code), so the peers' output comes from an independent stack.
 */
const HASH: Record<string, string> = { ES256: 'sha256', ES384: 'sha384', ES512: 'sha512' };

function digest(algorithm: string, bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(algorithm.replace('-', '').toLowerCase()).update(bytes).digest());
}

function signRaw(alg: string, jwk: Record<string, unknown>, data: Uint8Array): Uint8Array {
  const key = createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
  return new Uint8Array(sign(HASH[alg] ?? null, data, { key, dsaEncoding: 'ieee-p1363' }));
}

function verifyRaw(
  alg: string,
  jwk: Record<string, unknown>,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  const { kty, crv, x, y } = jwk as Record<string, string>;
  const key = createPublicKey({ key: { kty, crv, x, y } as JsonWebKey, format: 'jwk' });
  return verify(HASH[alg] ?? null, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
}

/** `{ crypto, cose }` as both peers type it (structurally). */
export const peerSigningContext: any = {
  crypto: {
    random: (n: number) => new Uint8Array(randomBytes(n)),
    digest: ({ digestAlgorithm, bytes }: { digestAlgorithm: string; bytes: Uint8Array }) =>
      digest(digestAlgorithm, bytes),
    calculateEphemeralMacKeyJwk: () => {
      throw new Error('not used: these responses use deviceSignature');
    },
  },
  cose: {
    sign1: {
      sign: ({ sign1, jwk }: any) => {
        const { data, alg } = sign1.getRawSigningData();
        return signRaw(alg, jwk, data);
      },
      verify: ({ sign1, jwk, options }: any) => {
        const { data, alg, signature } = sign1.getRawVerificationData(options);
        return verifyRaw(alg, jwk, data, signature);
      },
    },
    mac0: {
      sign: () => {
        throw new Error('not used');
      },
      verify: () => {
        throw new Error('not used');
      },
    },
  },
};
