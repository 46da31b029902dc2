import { exportPublicKey, generateKeyPair } from '@mdlkit/core/crypto';
import { issueMdoc } from '@mdlkit/issuer';
import { type BenchIssuer, issueOptions, type ReferenceShape, shapeElements } from '../fixtures/reference.js';
import type { BenchCase } from '../harness.js';
import { ANIMO, animoIssuer } from '../peers/animo.js';
import { AUTH0, auth0Issuer } from '../peers/auth0.js';
import { OWF, owfIssuer } from '../peers/owf.js';

/** Case ids of the issuer benchmark. */
export const IssuerCase = {
  mdlkit: 'issuer.mdlkit',
  /** mdlkit again, in the alternation with the peers (the peer ratios are taken there). */
  mdlkitWithPeers: 'issuer.mdlkit.with-peers',
  '@auth0/mdl': 'issuer.@auth0/mdl',
  '@animo-id/mdoc': 'issuer.@animo-id/mdoc',
  '@owf/mdoc': 'issuer.@owf/mdoc',
} as const;

/** mdlkit `issueMdoc` with a local P-256 signer: data checks, salts, digests, MSO, ES256 IssuerAuth, IssuerSigned. */
export function mdlkitIssue(issuer: BenchIssuer, shape: ReferenceShape): () => Promise<boolean> {
  const deviceKey = generateKeyPair({ curve: 'P-256' }).publicKey;
  const options = issueOptions(issuer, shape, deviceKey);
  return async () => (await issueMdoc(options)).issuerSigned.length > 0;
}

/** Issuer cases: build and sign the same document (same elements, same DS key) with each library. */
export function issuerCases(issuer: BenchIssuer, shape: ReferenceShape): BenchCase[] {
  const elements = shapeElements(shape);
  const deviceJwk = exportPublicKey(generateKeyPair({ curve: 'P-256' }).publicKey, 'jwk') as Record<
    string,
    unknown
  >;
  const peers = [
    [IssuerCase[AUTH0], auth0Issuer(issuer, shape.docType, elements, deviceJwk)],
    [IssuerCase[ANIMO], animoIssuer(issuer, shape.docType, elements, deviceJwk)],
    [IssuerCase[OWF], owfIssuer(issuer, shape.docType, elements, deviceJwk)],
  ] as const;
  return [
    { id: IssuerCase.mdlkit, run: mdlkitIssue(issuer, shape) },
    ...peers.map(([id, issue]) => ({ id, run: async () => (await issue()).length > 0 })),
  ];
}

/** A scaling case id for issuance. */
export const issueScalingId = (label: string): string => `scaling.issue.${label}`;

/** mdlkit issuance of documents of different shapes. */
export function issueScalingCases(
  issuer: BenchIssuer,
  shapes: ReadonlyMap<string, ReferenceShape>,
): BenchCase[] {
  return [...shapes].map(([label, shape]) => ({
    id: issueScalingId(label),
    run: mdlkitIssue(issuer, shape),
  }));
}
