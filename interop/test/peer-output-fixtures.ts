import { decodeCbor, EncodedCbor } from '@mdlkit/core/cbor';
import { publicKeyToCoseKey } from '@mdlkit/core/cose';
import {
  CoseAlg,
  createLocalSigner,
  exportPublicKey,
  generateKeyPair,
  type KeyPair,
  randomBytes,
} from '@mdlkit/core/crypto';
import { buildSessionTranscript, type SessionTranscript } from '@mdlkit/core/session';
import { buildDocumentSignerCertificate, buildIacaCertificate, TrustStore } from '@mdlkit/pki';

/** Verification time for the peer-output tests (inside the DS and MSO validity below). */
export const NOW: Date = new Date('2025-06-01T12:00:00Z');

export interface PeerPki {
  readonly iaca: Uint8Array;
  readonly ds: Uint8Array;
  readonly dsKey: KeyPair;
  readonly trust: TrustStore;
}

/** An IACA and DS from @mdlkit/pki; the peers sign MSOs with the DS key. */
export async function makePeerPki(): Promise<PeerPki> {
  const iacaKey = generateKeyPair({ curve: 'P-256' });
  const iacaSigner = createLocalSigner({ privateKey: iacaKey.privateKey, alg: CoseAlg.ES256 });
  const iaca = await buildIacaCertificate({
    subject: { country: 'US', commonName: 'interop IACA' },
    publicKey: exportPublicKey(iacaKey.publicKey, 'spki'),
    signer: iacaSigner,
    issuerAltName: [{ uri: 'https://dmv.example' }],
    crlDistributionPoint: 'https://dmv.example/crl',
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2030-01-01T00:00:00Z'),
    randomBytes,
  });
  const dsKey = generateKeyPair({ curve: 'P-256' });
  const ds = await buildDocumentSignerCertificate({
    subject: { commonName: 'interop DS' },
    publicKey: exportPublicKey(dsKey.publicKey, 'spki'),
    issuer: { certificate: iaca, signer: iacaSigner },
    crlDistributionPoint: 'https://dmv.example/crl',
    notBefore: new Date('2025-03-01T00:00:00Z'),
    notAfter: new Date('2026-03-01T00:00:00Z'),
    randomBytes,
  });
  return { iaca, ds, dsKey, trust: new TrustStore([iaca]) };
}

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
  const at = indexOf(response, salt);
  if (at < 0) throw new Error('salt not found');
  const out = response.slice();
  out[at + salt.length - 1]! ^= 1;
  return out;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** A proximity (QR) SessionTranscript with fresh ephemeral keys, and the reader's key pair. */
export function qrTranscript(): { transcript: SessionTranscript; eReader: KeyPair } {
  const eDevice = generateKeyPair({ curve: 'P-256' });
  const eReader = generateKeyPair({ curve: 'P-256' });
  const engagement = new Map<number, unknown>([
    [0, '1.0'],
    [1, [1, EncodedCbor.fromValue(publicKeyToCoseKey(eDevice.publicKey))]],
  ]);
  const transcript = buildSessionTranscript({
    deviceEngagementBytes: EncodedCbor.fromValue(engagement),
    eReaderKeyBytes: EncodedCbor.fromValue(publicKeyToCoseKey(eReader.publicKey)),
    handover: { kind: 'qr' },
  });
  return { transcript, eReader };
}
