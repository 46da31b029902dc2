import { TrustStore } from '@mdlkit/pki';
import { verifyDeviceResponse } from '@mdlkit/reader';
import {
  type BenchIssuer,
  makeReferenceResponse,
  type ReferenceResponse,
  type ReferenceShape,
} from '../fixtures/reference.js';
import type { BenchCase } from '../harness.js';
import { ANIMO, animoVerifier } from '../peers/animo.js';
import { AUTH0, auth0Verifier } from '../peers/auth0.js';
import { OWF, owfVerifier } from '../peers/owf.js';

/** Case ids of the reader benchmark. */
export const ReaderCase = {
  mdlkit: 'reader.mdlkit',
  /** mdlkit again, in the alternation with the peers (the peer ratios are taken there). */
  mdlkitWithPeers: 'reader.mdlkit.with-peers',
  mdlkitFresh: 'reader.mdlkit.fresh-device-keys',
  '@auth0/mdl': 'reader.@auth0/mdl',
  '@animo-id/mdoc': 'reader.@animo-id/mdoc',
  '@owf/mdoc': 'reader.@owf/mdoc',
} as const;

/** The peers, in report order. */
export const PEERS: readonly PeerName[] = [AUTH0, ANIMO, OWF];
/** A peer library's npm name. */
export type PeerName = '@auth0/mdl' | '@animo-id/mdoc' | '@owf/mdoc';

/** An mdlkit verifier with the trust store built once; `true` only when every check passed. */
export function mdlkitVerifier(
  issuer: BenchIssuer,
  ref: Pick<ReferenceResponse, 'sessionTranscriptBytes'>,
): (deviceResponse: Uint8Array) => Promise<boolean> {
  const options = { trust: new TrustStore([issuer.iacaDer]), sessionTranscript: ref.sessionTranscriptBytes };
  return async (bytes) => (await verifyDeviceResponse(bytes, options)).verified;
}

/** Reader cases: mdlkit and each peer verify the same reference DeviceResponse bytes. */
export async function readerCases(issuer: BenchIssuer, ref: ReferenceResponse): Promise<BenchCase[]> {
  const mdlkit = mdlkitVerifier(issuer, ref);
  const auth0 = auth0Verifier(issuer.iacaPem, ref.sessionTranscriptBytes);
  const animo = animoVerifier(issuer.iacaDer, ref.sessionTranscriptBytes);
  const owf = owfVerifier(issuer.iacaDer, ref.sessionTranscriptArray);
  return [
    { id: ReaderCase.mdlkit, run: () => mdlkit(ref.deviceResponse) },
    { id: ReaderCase[AUTH0], run: () => auth0(ref.deviceResponse) },
    { id: ReaderCase[ANIMO], run: () => animo(ref.deviceResponse) },
    { id: ReaderCase[OWF], run: () => owf(ref.deviceResponse) },
  ];
}

/**
 * mdlkit verifying a rotating pool of responses from distinct holders — each with its own device
 * key, same DS — so no per-holder work can be reused between calls when the pool is larger than
 * the caches.
 */
export function freshHolderCase(issuer: BenchIssuer, freshPool: readonly ReferenceResponse[]): BenchCase {
  const trust = new TrustStore([issuer.iacaDer]);
  let next = 0;
  return {
    id: ReaderCase.mdlkitFresh,
    run: async () => {
      const r = freshPool[next++ % freshPool.length]!;
      const report = await verifyDeviceResponse(r.deviceResponse, {
        trust,
        sessionTranscript: r.sessionTranscriptBytes,
      });
      return report.verified;
    },
  };
}

/** Responses from `count` distinct holders (fresh device keys and salts), same issuer and shape. */
export async function freshResponses(
  issuer: BenchIssuer,
  shape: ReferenceShape,
  count: number,
): Promise<ReferenceResponse[]> {
  const out: ReferenceResponse[] = [];
  for (let i = 0; i < count; i++) out.push(await makeReferenceResponse(issuer, shape));
  return out;
}

/** A scaling case id for verification. */
export const verifyScalingId = (label: string): string => `scaling.verify.${label}`;

/** mdlkit verification of responses of different shapes (elements disclosed, portrait size). */
export function verifyScalingCases(
  issuer: BenchIssuer,
  responses: ReadonlyMap<string, ReferenceResponse>,
): BenchCase[] {
  return [...responses].map(([label, ref]) => {
    const verify = mdlkitVerifier(issuer, ref);
    return { id: verifyScalingId(label), run: () => verify(ref.deviceResponse) };
  });
}
