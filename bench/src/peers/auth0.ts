import { Document, MDoc, Verifier } from '@auth0/mdl';
import type { BenchIssuer, ElementEntry } from '../fixtures/reference.js';
import { type CheckLog, peerValue } from './common.js';

/** The peer's name as reported. */
export const AUTH0 = '@auth0/mdl' as const;

/**
 * Verifies a DeviceResponse exactly as the README shows: one `Verifier` built with the IACA PEM,
 * then `verify(bytes, { encodedSessionTranscript })` per response. An `onCheck` callback counts
 * failures instead of throwing, so the harness can tell success from failure.
 */
export function auth0Verifier(
  iacaPem: string,
  sessionTranscriptBytes: Uint8Array,
): (deviceResponse: Uint8Array, log?: CheckLog) => Promise<boolean> {
  const verifier = new Verifier([iacaPem]);
  return async (deviceResponse, log) => {
    let failed = 0;
    let deviceSignaturePassed = false;
    const mdoc = await verifier.verify(deviceResponse, {
      encodedSessionTranscript: sessionTranscriptBytes,
      onCheck: (check) => {
        log?.(check);
        if (check.status === 'FAILED') failed++;
        if (check.check === 'Device signature must be valid' && check.status === 'PASSED')
          deviceSignaturePassed = true;
      },
    });
    return failed === 0 && deviceSignaturePassed && mdoc.documents.length === 1;
  };
}

/** Builds and signs an mdoc as the README shows (`Document` builder, ES256, SHA-256, JWK keys). */
export function auth0Issuer(
  issuer: BenchIssuer,
  docType: string,
  elements: readonly ElementEntry[],
  deviceJwk: Record<string, unknown>,
): () => Promise<Uint8Array> {
  const validUntil = new Date(issuer.now.getTime() + 30 * 86_400_000);
  return async () => {
    // Fresh values per document: the builder converts date strings in place.
    const nameSpaces = new Map<string, Record<string, unknown>>();
    for (const e of elements) {
      const ns = nameSpaces.get(e.nameSpace) ?? {};
      ns[e.identifier] = peerValue(e.value, (date) => date);
      nameSpaces.set(e.nameSpace, ns);
    }
    let doc = new Document(docType);
    for (const [ns, values] of nameSpaces) doc = doc.addIssuerNameSpace(ns, values);
    const signed = await doc
      .useDigestAlgorithm('SHA-256')
      .addValidityInfo({ signed: issuer.now, validFrom: issuer.now, validUntil })
      .addDeviceKeyInfo({ deviceKey: deviceJwk as never })
      .sign({
        issuerPrivateKey: issuer.dsPrivateJwk as never,
        issuerCertificate: issuer.dsDer,
        alg: 'ES256',
      });
    return new MDoc([signed]).encode();
  };
}
