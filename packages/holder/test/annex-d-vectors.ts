import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeCbor, type EncodedCbor, fromHex } from '@mdlkit/core/cbor';

/** The shared vectors folder (`MDLKIT_VECTORS` overrides). */
export const VECTORS: string = process.env.MDLKIT_VECTORS ?? path.resolve(process.cwd(), '../shared/vectors');
const ANNEX_D = path.join(VECTORS, 'iso-18013-5-annex-d');

/** Read an Annex D `.hex` file as bytes. */
export function annexD(file: string): Uint8Array {
  return fromHex(readFileSync(path.join(ANNEX_D, file), 'utf8').trim());
}

/** Read an Annex D `.pem` file as DER. */
export function annexDPem(file: string): Uint8Array {
  const pem = readFileSync(path.join(ANNEX_D, file), 'utf8');
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

type CborMap = Map<unknown, unknown>;

/** The Annex D document's pieces as received. */
export function annexDDocument(): {
  items: EncodedCbor[];
  issuerAuth: unknown[];
  msoBytes: EncodedCbor;
} {
  const response = decodeCbor(annexD('device-response.hex')) as CborMap;
  const doc = (response.get('documents') as CborMap[])[0]!;
  const issuerSigned = doc.get('issuerSigned') as CborMap;
  const items = (issuerSigned.get('nameSpaces') as CborMap).get('org.iso.18013.5.1') as EncodedCbor[];
  const issuerAuth = issuerSigned.get('issuerAuth') as unknown[];
  const msoBytes = decodeCbor(issuerAuth[2] as Uint8Array) as EncodedCbor;
  return { items, issuerAuth, msoBytes };
}
