import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import { DateOnly, Document, MDoc, type MdocContext, Verifier } from '@animo-id/mdoc';
import type { BenchIssuer, ElementEntry } from '../fixtures/reference.js';
import { type CheckLog, peerValue } from './common.js';
import { certificateData, certificateJwk, issuerNameField, validateChain } from './node-x509.js';

/** The peer's name and version as reported. */
export const ANIMO = '@animo-id/mdoc' as const;

const HASH: Record<string, string> = { ES256: 'sha256', ES384: 'sha384', ES512: 'sha512' };

/**
 * The `MdocContext` @animo-id/mdoc 0.5 needs (its README shows no context; this follows the
 * shape of the context in its own test suite: import the JWK and verify on every call, parse the
 * certificate on every call) on node:crypto.
 */
export const animoContext: MdocContext = {
  crypto: {
    random: (length) => new Uint8Array(randomBytes(length)),
    digest: ({ digestAlgorithm, bytes }) =>
      new Uint8Array(createHash(digestAlgorithm.replace('-', '').toLowerCase()).update(bytes).digest()),
    calculateEphemeralMacKeyJwk: () => {
      throw new Error('DeviceMac is not used by the benchmark');
    },
  },
  cose: {
    sign1: {
      sign: ({ sign1, jwk }) => {
        const { data, alg } = sign1.getRawSigningData();
        const key = createPrivateKey({ key: jwk as never, format: 'jwk' });
        return new Uint8Array(sign(HASH[alg], data, { key, dsaEncoding: 'ieee-p1363' }));
      },
      verify: ({ sign1, jwk, options }) => {
        const { data, alg, signature } = sign1.getRawVerificationData(options);
        const key = createPublicKey({ key: jwk as never, format: 'jwk' });
        return verify(HASH[alg], data, { key, dsaEncoding: 'ieee-p1363' }, signature);
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
    getPublicKey: ({ certificate }) => certificateJwk(certificate) as never,
    validateCertificateChain: ({ trustedCertificates, x5chain }) =>
      validateChain(trustedCertificates, x5chain, new Date()),
    getCertificateData: ({ certificate }) => certificateData(certificate),
  },
};

/** Verifies a DeviceResponse the way the README shows (`Verifier#verifyDeviceResponse`), trust anchors set once. */
export function animoVerifier(
  iacaDer: Uint8Array,
  sessionTranscriptBytes: Uint8Array,
): (deviceResponse: Uint8Array, log?: CheckLog) => Promise<boolean> {
  const verifier = new Verifier();
  const trustedCertificates = [iacaDer];
  return async (deviceResponse, log) => {
    let failed = 0;
    let deviceSignaturePassed = false;
    const mdoc = await verifier.verifyDeviceResponse(
      {
        encodedDeviceResponse: deviceResponse,
        encodedSessionTranscript: sessionTranscriptBytes,
        trustedCertificates,
        onCheck: (check) => {
          log?.(check);
          if (check.status === 'FAILED') failed++;
          if (check.check === 'Device signature must be valid' && check.status === 'PASSED')
            deviceSignaturePassed = true;
        },
      },
      animoContext,
    );
    return failed === 0 && deviceSignaturePassed && mdoc.documents.length === 1;
  };
}

/** Builds and signs an mdoc the way the README shows (`Document` builder, ES256, SHA-256). */
export function animoIssuer(
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
  return async () => {
    let doc = new Document(docType, animoContext);
    for (const [ns, values] of nameSpaces) doc = doc.addIssuerNameSpace(ns, values);
    const signed = await doc
      .useDigestAlgorithm('SHA-256')
      .addValidityInfo({ signed: issuer.now, validFrom: issuer.now, validUntil })
      .addDeviceKeyInfo({ deviceKey: deviceJwk as never })
      .sign(
        { issuerPrivateKey: issuer.dsPrivateJwk as never, issuerCertificate: issuer.dsDer, alg: 'ES256' },
        animoContext,
      );
    return new MDoc([signed]).encode();
  };
}
