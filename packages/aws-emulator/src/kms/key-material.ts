import {
  generateKeyPairSync,
  type KeyObject,
  sign as nodeSign,
  verify as nodeVerify,
  randomBytes,
} from 'node:crypto';
import { ed25519ph } from '@noble/curves/ed25519.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import type { SupportedKeySpec } from './key-specs.js';

type EcCurve = 'P-256' | 'P-384' | 'P-521';
type NodeHash = 'sha256' | 'sha384' | 'sha512';

/** Private and public key material of one KMS key. */
export type KeyMaterial =
  | {
      readonly kind: 'ecdsa';
      readonly curve: EcCurve;
      readonly hash: NodeHash;
      readonly privateKey: KeyObject;
      readonly publicKey: KeyObject;
      /** The private scalar, big-endian, for prehashed (DIGEST) signing. */
      readonly scalar: Uint8Array;
      /** The uncompressed public point `04 ‖ x ‖ y`. */
      readonly point: Uint8Array;
      readonly spki: Uint8Array;
    }
  | {
      readonly kind: 'ed25519';
      readonly privateKey: KeyObject;
      readonly publicKey: KeyObject;
      readonly seed: Uint8Array;
      readonly publicRaw: Uint8Array;
      readonly spki: Uint8Array;
    }
  | {
      readonly kind: 'ml-dsa';
      readonly level: 44 | 65 | 87;
      readonly secretKey: Uint8Array;
      readonly publicRaw: Uint8Array;
      readonly spki: Uint8Array;
    }
  | { readonly kind: 'symmetric'; readonly key: Uint8Array };

const EC: Readonly<Record<EcCurve, { hash: NodeHash; noble: typeof p256 }>> = {
  'P-256': { hash: 'sha256', noble: p256 },
  'P-384': { hash: 'sha384', noble: p384 },
  'P-521': { hash: 'sha512', noble: p521 },
};

const ML_DSA = { 44: ml_dsa44, 65: ml_dsa65, 87: ml_dsa87 } as const;

/** id-ml-dsa-44/65/87, FIPS 204 / RFC 9881: 2.16.840.1.101.3.4.3.{17,18,19}, parameters absent. */
const ML_DSA_OID = {
  44: '2.16.840.1.101.3.4.3.17',
  65: '2.16.840.1.101.3.4.3.18',
  87: '2.16.840.1.101.3.4.3.19',
};

function bytesOf(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function spkiOf(publicKey: KeyObject): Uint8Array {
  return bytesOf(publicKey.export({ format: 'der', type: 'spki' }));
}

function fromBase64Url(text: string | undefined, length: number): Uint8Array {
  const raw = Buffer.from(text ?? '', 'base64url');
  const out = new Uint8Array(length);
  out.set(raw, length - raw.length);
  return out;
}

function generateEc(curve: EcCurve): KeyMaterial {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
  const jwk = privateKey.export({ format: 'jwk' });
  const size = curve === 'P-521' ? 66 : curve === 'P-384' ? 48 : 32;
  return {
    kind: 'ecdsa',
    curve,
    hash: EC[curve].hash,
    privateKey,
    publicKey,
    scalar: fromBase64Url(jwk.d, size),
    point: Uint8Array.from([4, ...fromBase64Url(jwk.x, size), ...fromBase64Url(jwk.y, size)]),
    spki: spkiOf(publicKey),
  };
}

function generateEd25519(): KeyMaterial {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  return {
    kind: 'ed25519',
    privateKey,
    publicKey,
    seed: fromBase64Url(jwk.d, 32),
    publicRaw: fromBase64Url(jwk.x, 32),
    spki: spkiOf(publicKey),
  };
}

function generateMlDsa(level: 44 | 65 | 87): KeyMaterial {
  const { publicKey, secretKey } = ML_DSA[level].keygen(new Uint8Array(randomBytes(32)));
  const spki = new SubjectPublicKeyInfo({
    algorithm: new AlgorithmIdentifier({ algorithm: ML_DSA_OID[level] }),
    subjectPublicKey: publicKey.slice().buffer,
  });
  return {
    kind: 'ml-dsa',
    level,
    secretKey,
    publicRaw: publicKey,
    spki: new Uint8Array(AsnConvert.serialize(spki)),
  };
}

/** Generates fresh key material for a key spec. */
export function generateKeyMaterial(spec: SupportedKeySpec): KeyMaterial {
  switch (spec) {
    case 'ECC_NIST_P256':
      return generateEc('P-256');
    case 'ECC_NIST_P384':
      return generateEc('P-384');
    case 'ECC_NIST_P521':
      return generateEc('P-521');
    case 'ECC_NIST_EDWARDS25519':
      return generateEd25519();
    case 'ML_DSA_44':
      return generateMlDsa(44);
    case 'ML_DSA_65':
      return generateMlDsa(65);
    case 'ML_DSA_87':
      return generateMlDsa(87);
    case 'SYMMETRIC_DEFAULT':
      return { kind: 'symmetric', key: new Uint8Array(randomBytes(32)) };
  }
}

/**
 * KMS `ED25519_PH_SHA_512` (DIGEST only) is Ed25519ph (RFC 8032 §5.1) over the 64 bytes it is given:
 * "KMS still performs the SHA-512 prehash described in Step 1 of Section 7.8.1 in FIPS 186-5. This
 * means the input is hashed twice: once by you and once by KMS." (Sign API reference). So the digest
 * is the Ed25519ph *message* — noble's `ed25519ph` prehashes it with SHA-512 once more.
 */
const ed25519phOverDigest = ed25519ph;

/** What {@link signWith} and {@link verifyWith} are asked to do (already validated). */
export type SignMode = 'RAW' | 'DIGEST' | 'EXTERNAL_MU';

/**
 * Signs like KMS: ECDSA returns DER `SEQUENCE { r, s }` (randomized, S not normalised), Ed25519
 * returns the 64-byte signature, ML-DSA the FIPS 204 signature (hedged, empty context).
 */
export function signWith(material: KeyMaterial, mode: SignMode, message: Uint8Array): Uint8Array {
  switch (material.kind) {
    case 'ecdsa':
      if (mode === 'RAW') {
        return bytesOf(nodeSign(material.hash, message, { key: material.privateKey, dsaEncoding: 'der' }));
      }
      return EC[material.curve].noble.sign(message, material.scalar, {
        prehash: false,
        lowS: false,
        format: 'der',
        extraEntropy: true,
      });
    case 'ed25519':
      if (mode === 'RAW') return bytesOf(nodeSign(null, message, material.privateKey));
      return ed25519phOverDigest.sign(message, material.seed);
    case 'ml-dsa':
      if (mode === 'EXTERNAL_MU') {
        return ML_DSA[material.level].internal.sign(message, material.secretKey, { externalMu: true });
      }
      return ML_DSA[material.level].sign(message, material.secretKey);
    case 'symmetric':
      throw new Error('symmetric keys do not sign');
  }
}

/** Verifies like KMS; any malformed signature is simply invalid. */
export function verifyWith(
  material: KeyMaterial,
  mode: SignMode,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    switch (material.kind) {
      case 'ecdsa':
        if (mode === 'RAW') {
          return nodeVerify(
            material.hash,
            message,
            { key: material.publicKey, dsaEncoding: 'der' },
            signature,
          );
        }
        return EC[material.curve].noble.verify(signature, message, material.point, {
          prehash: false,
          lowS: false,
          format: 'der',
        });
      case 'ed25519':
        if (mode === 'RAW') return nodeVerify(null, message, material.publicKey, signature);
        return ed25519phOverDigest.verify(signature, message, material.publicRaw);
      case 'ml-dsa':
        if (mode === 'EXTERNAL_MU') {
          return ML_DSA[material.level].internal.verify(signature, message, material.publicRaw, {
            externalMu: true,
          });
        }
        return ML_DSA[material.level].verify(signature, message, material.publicRaw);
      case 'symmetric':
        return false;
    }
  } catch {
    return false;
  }
}
