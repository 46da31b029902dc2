/**
 * @module
 * The shared vectors, read in place (nothing is copied into the repository): the folder, and the
 * ISO/IEC 18013-5 Annex D files as bytes, as DER, and as the Annex D document's pieces.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeCbor, type EncodedCbor, fromHex } from '@mdlkit/core/cbor';

/** The shared vectors folder: `MDLKIT_VECTORS`, else `../shared/vectors` from the working directory (the repository root). */
export const VECTORS: string = process.env.MDLKIT_VECTORS ?? path.resolve(process.cwd(), '../shared/vectors');
const ANNEX_D = path.join(VECTORS, 'iso-18013-5-annex-d');

/** An Annex D `.hex` file as bytes. */
export function annexD(file: string): Uint8Array {
  return fromHex(readFileSync(path.join(ANNEX_D, file), 'utf8').trim());
}

/** An Annex D file as text, as stored (a `.pem` for an API that takes PEM). */
export function annexDText(file: string): string {
  return readFileSync(path.join(ANNEX_D, file), 'utf8');
}

/** An Annex D `.pem` file as DER. */
export function annexDPem(file: string): Uint8Array {
  const pem = annexDText(file);
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

/**
 * What the Annex D DeviceRequest (`device-request.hex`, `items-request.hex`) asks of its one mDL:
 * namespace → element identifier → IntentToRetain.
 */
export const ANNEX_D_REQUESTED: Readonly<Record<string, Readonly<Record<string, boolean>>>> = Object.freeze({
  'org.iso.18013.5.1': Object.freeze({
    family_name: true,
    document_number: true,
    driving_privileges: true,
    issue_date: true,
    expiry_date: true,
    portrait: false,
  }),
});

type CborMap = Map<unknown, unknown>;

/** The Annex D DeviceResponse's one document, as received: its mDL IssuerSignedItemBytes, IssuerAuth and MobileSecurityObjectBytes. */
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
