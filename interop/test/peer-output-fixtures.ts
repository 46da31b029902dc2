import { decodeCbor, type EncodedCbor } from '@mdlkit/core/cbor';
import { indexOfBytes } from '@mdlkit/test-fixtures';
import { buildTestPki, type TestPki } from '@mdlkit/test-utils/pki';

/** Verification time for the peer-output tests (inside the DS and MSO validity below). */
export const NOW: Date = new Date('2025-06-01T12:00:00Z');

export type PeerPki = TestPki;

/** An IACA and DS from @mdlkit/pki; the peers sign MSOs with the DS key. */
export const makePeerPki = (): Promise<PeerPki> =>
  buildTestPki({ iacaName: 'interop IACA', dsName: 'interop DS' });

/**
 * Flips one bit of the first issuer-signed item's salt, in place in the received bytes (peers emit
 * things our encoder will not re-emit, e.g. @auth0/mdl's `kid: undefined`, so nothing is re-encoded).
 */
export function tamperItem(response: Uint8Array): Uint8Array {
  const resp = decodeCbor(response, { allowNonPreferred: true }) as Map<string, unknown>;
  const doc = (resp.get('documents') as Map<string, unknown>[])[0]!;
  const ns = (doc.get('issuerSigned') as Map<string, unknown>).get('nameSpaces') as Map<
    string,
    EncodedCbor[]
  >;
  const salt = ([...ns.values()][0]![0]!.value as Map<string, unknown>).get('random') as Uint8Array;
  const at = indexOfBytes(response, salt);
  if (at < 0) throw new Error('salt not found');
  const out = response.slice();
  out[at + salt.length - 1]! ^= 1;
  return out;
}
