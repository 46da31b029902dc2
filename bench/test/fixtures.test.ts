import { decodeCbor } from '@mdlkit/core/cbor';
import { parseCoseSign1, verifyCoseSign1 } from '@mdlkit/core/cose';
import { exportPublicKey, generateKeyPair } from '@mdlkit/core/crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type BenchIssuer,
  makeBenchIssuer,
  makeReferenceResponse,
  REFERENCE_SHAPE,
  type ReferenceResponse,
  shapeElements,
} from '../src/fixtures/reference.js';
import { animoIssuer, animoVerifier } from '../src/peers/animo.js';
import { auth0Issuer, auth0Verifier } from '../src/peers/auth0.js';
import { owfIssuer, owfVerifier } from '../src/peers/owf.js';
import { issuerCases } from '../src/suites/issuer.js';
import { mdlkitVerifier } from '../src/suites/reader.js';

// The bench is only worth something if every library verifies the reference bytes successfully
// and the success check can fail: these run the same verifier closures the bench measures.
let issuer: BenchIssuer;
let ref: ReferenceResponse;
let other: ReferenceResponse;

beforeAll(async () => {
  issuer = await makeBenchIssuer();
  ref = await makeReferenceResponse(issuer, REFERENCE_SHAPE);
  other = await makeReferenceResponse(issuer, REFERENCE_SHAPE);
});

function verifiers(transcriptOf: ReferenceResponse) {
  return {
    mdlkit: mdlkitVerifier(issuer, transcriptOf),
    '@auth0/mdl': auth0Verifier(issuer.iacaPem, transcriptOf.sessionTranscriptBytes),
    '@animo-id/mdoc': animoVerifier(issuer.iacaDer, transcriptOf.sessionTranscriptBytes),
    '@owf/mdoc': owfVerifier(issuer.iacaDer, transcriptOf.sessionTranscriptArray),
  };
}

describe('bench reference fixtures', () => {
  it('the reference response discloses 10 elements including a 2 KiB portrait', () => {
    const response = decodeCbor(ref.deviceResponse) as Map<string, unknown>;
    const doc = (response.get('documents') as Map<string, unknown>[])[0]!;
    const nameSpaces = (doc.get('issuerSigned') as Map<string, unknown>).get('nameSpaces') as Map<
      string,
      unknown[]
    >;
    expect([...nameSpaces.values()].reduce((n, items) => n + items.length, 0)).toBe(10);
    expect(ref.deviceResponse.length).toBeGreaterThan(2048);
  });

  it.each(['mdlkit', '@auth0/mdl', '@animo-id/mdoc', '@owf/mdoc'] as const)(
    '%s verifies the reference response',
    async (name) => {
      expect(await verifiers(ref)[name](ref.deviceResponse)).toBe(true);
    },
  );

  it.each(['mdlkit', '@auth0/mdl', '@animo-id/mdoc', '@owf/mdoc'] as const)(
    '%s reports failure for a response bound to another session',
    async (name) => {
      // `other`'s transcript with `ref`'s response: the device signature must not verify.
      const verify = verifiers(other)[name];
      const result = await verify(ref.deviceResponse).catch(() => false);
      expect(result).toBe(false);
    },
  );

  it('every issuer case returns a document whose IssuerAuth verifies with the DS key', async () => {
    for (const c of issuerCases(issuer, REFERENCE_SHAPE)) {
      expect(await c.run(), c.id).toBe(true);
    }
    const deviceJwk = exportPublicKey(generateKeyPair({ curve: 'P-256' }).publicKey, 'jwk') as Record<
      string,
      unknown
    >;
    for (const make of [auth0Issuer, animoIssuer, owfIssuer]) {
      const bytes = await make(issuer, REFERENCE_SHAPE.docType, shapeElements(REFERENCE_SHAPE), deviceJwk)();
      // Peers emit non-preferred CBOR (cbor-x map heads); read it leniently.
      const decoded = decodeCbor(bytes, { allowNonPreferred: true, allowIndefinite: true }) as Map<
        string,
        unknown
      >;
      // auth0 / animo encode an MDoc (DeviceResponse-shaped); owf an IssuerSigned.
      const issuerSigned = decoded.has('documents')
        ? ((decoded.get('documents') as Map<string, unknown>[])[0]!.get('issuerSigned') as Map<
            string,
            unknown
          >)
        : decoded;
      const issuerAuth = parseCoseSign1(issuerSigned.get('issuerAuth'));
      expect(await verifyCoseSign1({ message: issuerAuth, key: issuer.dsKey.publicKey })).toBe(true);
    }
  });
});
