import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import {
  CoseKey,
  DateOnly,
  DeviceKey,
  Issuer,
  type MdocContext,
  SessionTranscript,
  SignatureAlgorithm,
  Verifier,
} from '@owf/mdoc';
import type { BenchIssuer, ElementEntry } from '../fixtures/reference.js';
import { type CheckLog, peerValue } from './common.js';
import { certificateData, certificateJwk, issuerNameField, validateChain } from './node-x509.js';

/** The peer's name as reported. */
export const OWF = '@owf/mdoc' as const;

const HASH_BY_CRV: Record<string, string> = { 'P-256': 'sha256', 'P-384': 'sha384', 'P-521': 'sha512' };

function hashFor(jwk: Record<string, unknown>): string {
  const hash = HASH_BY_CRV[String(jwk.crv)];
  if (hash === undefined) throw new Error('unsupported curve');
  return hash;
}

/**
 * The `MdocContext` @owf/mdoc 0.6 needs (its README shows no context; this follows the shape of the
 * context in its own test suite — key import and certificate parsing on every call — on node:crypto).
 */
export const owfContext: MdocContext = {
  crypto: {
    random: (length) => new Uint8Array(randomBytes(length)),
    digest: ({ digestAlgorithm, bytes }) =>
      new Uint8Array(createHash(digestAlgorithm.replace('-', '').toLowerCase()).update(bytes).digest()),
    calculateEphemeralMacKey: () => {
      throw new Error('DeviceMac is not used by the benchmark');
    },
  },
  cose: {
    sign1: {
      sign: ({ toBeSigned, key }) => {
        const jwk = key.jwk;
        const ko = createPrivateKey({ key: jwk as never, format: 'jwk' });
        return new Uint8Array(sign(hashFor(jwk), toBeSigned, { key: ko, dsaEncoding: 'ieee-p1363' }));
      },
      verify: ({ sign1, key }) => {
        const jwk = key.jwk;
        const ko = createPublicKey({
          key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } as never,
          format: 'jwk',
        });
        return verify(
          hashFor(jwk),
          sign1.toBeSigned,
          { key: ko, dsaEncoding: 'ieee-p1363' },
          sign1.signature,
        );
      },
    },
    mac0: {
      sign: () => {
        throw new Error('DeviceMac is not used by the benchmark');
      },
      verify: () => {
        throw new Error('DeviceMac is not used by the benchmark');
      },
    },
  },
  x509: {
    getIssuerNameField: ({ certificate, field }) => issuerNameField(certificate, field),
    getPublicKey: ({ certificate }) => CoseKey.fromJwk(certificateJwk(certificate)),
    verifyCertificateChain: ({ trustedCertificates, x5chain, now }) =>
      validateChain(trustedCertificates, x5chain, now ?? new Date()),
    getCertificateData: ({ certificate }) => certificateData(certificate),
  },
};

/**
 * Verifies a DeviceResponse with `Verifier.verifyDeviceResponse` (the API its tests use), trust
 * anchors and the SessionTranscript set up once.
 */
export function owfVerifier(
  iacaDer: Uint8Array,
  sessionTranscriptArray: Uint8Array,
): (deviceResponse: Uint8Array, log?: CheckLog) => Promise<boolean> {
  const sessionTranscript = SessionTranscript.decode(sessionTranscriptArray);
  const trustedCertificates = [iacaDer];
  return async (deviceResponse, log) => {
    let failed = 0;
    let deviceSignaturePassed = false;
    await Verifier.verifyDeviceResponse(
      {
        deviceResponse,
        sessionTranscript,
        trustedCertificates,
        onCheck: (check) => {
          log?.(check);
          if (check.status === 'FAILED') failed++;
          if (check.check === 'Device signature must be valid' && check.status === 'PASSED')
            deviceSignaturePassed = true;
        },
      },
      owfContext,
    );
    return failed === 0 && deviceSignaturePassed;
  };
}

/** Builds and signs an mdoc with `Issuer` (ES256, SHA-256), as its tests do. */
export function owfIssuer(
  issuer: BenchIssuer,
  docType: string,
  elements: readonly ElementEntry[],
  deviceJwk: Record<string, unknown>,
): () => Promise<Uint8Array> {
  const nameSpaces = new Map<string, Record<string, unknown>>();
  for (const e of elements) {
    const ns = nameSpaces.get(e.nameSpace) ?? {};
    ns[e.identifier] = peerValue(e.value, (date) => new DateOnly(date));
    nameSpaces.set(e.nameSpace, ns);
  }
  const validUntil = new Date(issuer.now.getTime() + 30 * 86_400_000);
  const signingKey = CoseKey.fromJwk(issuer.dsPrivateJwk as Record<string, unknown>);
  const deviceKey = DeviceKey.fromJwk(deviceJwk);
  return async () => {
    const builder = new Issuer(docType, owfContext);
    for (const [ns, values] of nameSpaces) builder.addIssuerNamespace(ns, values);
    const signed = await builder.sign({
      signingKey,
      algorithm: SignatureAlgorithm.ES256,
      digestAlgorithm: 'SHA-256',
      validityInfo: { signed: issuer.now, validFrom: issuer.now, validUntil },
      deviceKeyInfo: { deviceKey },
      certificates: [issuer.dsDer],
    });
    return signed.encode();
  };
}
